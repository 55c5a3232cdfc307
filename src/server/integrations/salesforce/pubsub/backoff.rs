//! Reconnect delays for the subscriber: exponential from `min`, capped at `max`, with "full
//! jitter" (a random delay up to the exponential value) so many portals restarted together do
//! not reconnect in lockstep.

use rand::Rng;
use std::time::Duration;

/// The exponential ceiling for attempt `attempt` (0-based), without jitter.
pub fn ceiling(attempt: u32, min: Duration, max: Duration) -> Duration {
    let factor = 1u32.checked_shl(attempt.min(20)).unwrap_or(u32::MAX);
    min.saturating_mul(factor).min(max).max(min)
}

/// The delay before attempt `attempt`: uniformly between `min / 2` and the ceiling.
pub fn delay(attempt: u32, min: Duration, max: Duration) -> Duration {
    let top = ceiling(attempt, min, max);
    let floor = min / 2;
    if top <= floor {
        return top;
    }
    let span = u64::try_from((top - floor).as_millis()).unwrap_or(u64::MAX);
    floor + Duration::from_millis(rand::rng().random_range(0..=span))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_and_caps() {
        let (min, max) = (Duration::from_millis(100), Duration::from_secs(5));
        assert_eq!(ceiling(0, min, max), min);
        assert_eq!(ceiling(3, min, max), Duration::from_millis(800));
        assert_eq!(ceiling(10, min, max), max);
        assert_eq!(ceiling(u32::MAX, min, max), max);
        for attempt in 0..12 {
            let d = delay(attempt, min, max);
            assert!(d >= min / 2 && d <= ceiling(attempt, min, max), "{d:?}");
        }
    }
}
