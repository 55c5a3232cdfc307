//! An order's timeline, pure: the steps every order goes through — placed, approved,
//! provisioning, active — each done (with when, if known), current, still to come, or failed;
//! a cancelled order ends after the step it reached. The provisioning pipeline moves orders
//! along these steps; the order page draws them.

use super::orders::{Order, OrderStatus, ProvisioningStatus};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// A step of an order's life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Step {
    /// The customer placed it (Draft in the CRM).
    Placed,
    /// The back office approved it (Activated in the CRM).
    Approved,
    /// The billing system is setting the services up.
    Provisioning,
    /// The services exist and are billed.
    Active,
}

/// Where a step stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum StepState {
    /// Done.
    Done,
    /// Happening now (waiting for someone or something).
    Current,
    /// Not reached yet.
    Upcoming,
    /// Went wrong here.
    Failed,
    /// The order was cancelled here.
    Cancelled,
}

/// One step with its state and, when known, when it was reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineStep {
    /// Which step.
    pub step: Step,
    /// Its state.
    pub state: StepState,
    /// When it was reached.
    pub at: Option<OffsetDateTime>,
}

/// The steps in order.
pub const STEPS: [Step; 4] = [
    Step::Placed,
    Step::Approved,
    Step::Provisioning,
    Step::Active,
];

/// The index in [`STEPS`] the order is at and that step's state (past the end: all done).
fn position(order: &Order) -> (usize, StepState) {
    match (order.provisioning, &order.status) {
        (ProvisioningStatus::Provisioned, _) => (STEPS.len(), StepState::Done),
        (ProvisioningStatus::Failed, _) => (2, StepState::Failed),
        (_, OrderStatus::Cancelled) => (1, StepState::Cancelled),
        (ProvisioningStatus::InProgress | ProvisioningStatus::Queued, _)
        | (_, OrderStatus::Activated) => (2, StepState::Current),
        _ => (1, StepState::Current),
    }
}

/// The order's timeline.
pub fn timeline(order: &Order) -> Vec<TimelineStep> {
    let (at, here) = position(order);
    STEPS
        .iter()
        .enumerate()
        .map(|(i, &step)| {
            let state = match i.cmp(&at) {
                std::cmp::Ordering::Less => StepState::Done,
                std::cmp::Ordering::Equal => here,
                std::cmp::Ordering::Greater => StepState::Upcoming,
            };
            let when = match step {
                Step::Placed => Some(order.created),
                Step::Approved => order.activated,
                Step::Provisioning | Step::Active => order.provisioned,
            };
            TimelineStep {
                step,
                state,
                at: when.filter(|_| state == StepState::Done),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::common::Money;
    use time::macros::{date, datetime};

    fn order(status: OrderStatus, provisioning: ProvisioningStatus) -> Order {
        Order {
            id: "801".into(),
            number: "00000101".into(),
            status,
            provisioning,
            effective_date: date!(2026 - 11 - 21),
            created: datetime!(2026-11-21 10:00 UTC),
            activated: Some(datetime!(2026-11-21 11:00 UTC)),
            provisioned: None,
            total: Money::yen(0),
            items: Vec::new(),
            whmcs_order_id: None,
            error: None,
        }
    }

    fn states(o: &Order) -> Vec<StepState> {
        timeline(o).iter().map(|s| s.state).collect()
    }

    #[test]
    fn each_status_reads_as_a_timeline() {
        use StepState::*;
        let draft = order(OrderStatus::Draft, ProvisioningStatus::NotStarted);
        assert_eq!(states(&draft), [Done, Current, Upcoming, Upcoming]);
        assert_eq!(timeline(&draft)[0].at, Some(draft.created));
        assert_eq!(timeline(&draft)[1].at, None);
        let approved = order(OrderStatus::Activated, ProvisioningStatus::Queued);
        assert_eq!(states(&approved), [Done, Done, Current, Upcoming]);
        assert_eq!(timeline(&approved)[1].at, approved.activated);
        let busy = order(OrderStatus::Activated, ProvisioningStatus::InProgress);
        assert_eq!(states(&busy), [Done, Done, Current, Upcoming]);
        let done = order(OrderStatus::Activated, ProvisioningStatus::Provisioned);
        assert_eq!(states(&done), [Done, Done, Done, Done]);
        let failed = order(OrderStatus::Activated, ProvisioningStatus::Failed);
        assert_eq!(states(&failed), [Done, Done, Failed, Upcoming]);
        let cancelled = order(OrderStatus::Cancelled, ProvisioningStatus::NotStarted);
        assert_eq!(states(&cancelled), [Done, Cancelled, Upcoming, Upcoming]);
    }
}
