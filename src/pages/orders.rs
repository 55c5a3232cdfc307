//! The orders area: the customer's orders (`/orders`) and one order (`/orders/:id`) with its
//! items, totals and timeline.

mod order_page;
mod orders_page;

pub use order_page::OrderPage;
pub use orders_page::OrdersPage;

use crate::components::{StatusBadge, Tone};
use crate::domain::order_timeline::{StepState, timeline};
use crate::domain::orders::Order;
use crate::i18n::*;
use leptos::prelude::*;

/// What a customer needs to know of an order's state, in one word or two.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Summary {
    Awaiting,
    SettingUp,
    Complete,
    Failed,
    Cancelled,
}

fn summary(order: &Order) -> Summary {
    let steps = timeline(order);
    if steps.iter().all(|s| s.state == StepState::Done) {
        Summary::Complete
    } else if steps.iter().any(|s| s.state == StepState::Failed) {
        Summary::Failed
    } else if steps.iter().any(|s| s.state == StepState::Cancelled) {
        Summary::Cancelled
    } else if steps.get(1).is_some_and(|s| s.state == StepState::Current) {
        Summary::Awaiting
    } else {
        Summary::SettingUp
    }
}

/// The order's state as a badge.
#[component]
fn OrderBadge(order: Order) -> impl IntoView {
    let i18n = use_i18n();
    let s = summary(&order);
    let tone = match s {
        Summary::Awaiting => Tone::Warning,
        Summary::SettingUp => Tone::Info,
        Summary::Complete => Tone::Success,
        Summary::Failed => Tone::Danger,
        Summary::Cancelled => Tone::Neutral,
    };
    let label = Signal::derive(move || {
        match s {
            Summary::Awaiting => t_string!(i18n, orders.status_awaiting),
            Summary::SettingUp => t_string!(i18n, orders.status_setting_up),
            Summary::Complete => t_string!(i18n, orders.status_complete),
            Summary::Failed => t_string!(i18n, orders.status_failed),
            Summary::Cancelled => t_string!(i18n, orders.status_cancelled),
        }
        .to_string()
    });
    view! { <StatusBadge tone=tone label=label /> }
}
