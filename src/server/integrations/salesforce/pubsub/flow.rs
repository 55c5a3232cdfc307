//! Flow control bookkeeping for Subscribe (reference §1.4): `num_requested` is additive and
//! capped at 100 per call; every FetchResponse reports `pending_num_requested`, the events
//! still owed. We top up to the batch size once half of it is used, so the server always has
//! credit (no idle-close for "pending 0, no new request") without a request per event.

/// The server's ceiling for outstanding events.
pub const MAX_REQUESTED: i32 = 100;

/// Outstanding credit on one Subscribe stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flow {
    batch: i32,
    pending: i32,
}

impl Flow {
    /// A new stream that will ask for `batch` (clamped to 1..=100) in its first request.
    pub fn new(batch: i32) -> Self {
        Flow {
            batch: batch.clamp(1, MAX_REQUESTED),
            pending: 0,
        }
    }

    /// The amount for the first request; counts it as outstanding.
    pub fn initial(&mut self) -> i32 {
        self.pending = self.batch;
        self.batch
    }

    /// Records a response's `pending_num_requested` (the server's count is the truth).
    pub fn on_response(&mut self, pending_reported: i32) {
        self.pending = pending_reported.clamp(0, MAX_REQUESTED);
    }

    /// How many more to request now, if any; counts them as outstanding.
    pub fn top_up(&mut self) -> Option<i32> {
        if self.pending * 2 > self.batch {
            return None;
        }
        let more = self.batch - self.pending;
        self.pending = self.batch;
        (more > 0).then_some(more)
    }

    /// The outstanding credit as we know it.
    pub fn pending(&self) -> i32 {
        self.pending
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tops_up_to_the_batch_once_half_is_used() {
        let mut flow = Flow::new(10);
        assert_eq!(flow.initial(), 10);
        flow.on_response(9);
        assert_eq!(flow.top_up(), None);
        flow.on_response(6);
        assert_eq!(flow.top_up(), None);
        flow.on_response(5);
        assert_eq!(flow.top_up(), Some(5));
        assert_eq!(flow.pending(), 10);
        flow.on_response(0);
        assert_eq!(flow.top_up(), Some(10));
    }

    #[test]
    fn the_batch_is_capped_at_100_and_at_least_1() {
        assert_eq!(Flow::new(500).initial(), 100);
        assert_eq!(Flow::new(0).initial(), 1);
        let mut one = Flow::new(1);
        one.initial();
        one.on_response(1);
        assert_eq!(one.top_up(), None);
        one.on_response(0);
        assert_eq!(one.top_up(), Some(1));
    }

    #[test]
    fn a_keepalive_with_full_credit_asks_for_nothing() {
        let mut flow = Flow::new(100);
        flow.initial();
        flow.on_response(100);
        assert_eq!(flow.top_up(), None);
    }
}
