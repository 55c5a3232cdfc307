//! The services area: the customer's services (`/services`) and one service
//! (`/services/:id`) with its details and the cancellation request form.

mod cancel_form;
mod service_page;
mod services_page;

pub use service_page::ServicePage;
pub use services_page::ServicesPage;

use crate::components::{StatusBadge, Tone};
use crate::domain::services::{BillingCycle, Service, ServiceStatus};
use crate::i18n::*;
use leptos::prelude::*;

/// A service status in the reader's language.
fn status_label(i18n: leptos_i18n::I18nContext<Locale>, status: ServiceStatus) -> String {
    match status {
        ServiceStatus::Pending => t_string!(i18n, services.status_pending),
        ServiceStatus::Active => t_string!(i18n, services.status_active),
        ServiceStatus::Suspended => t_string!(i18n, services.status_suspended),
        ServiceStatus::Terminated => t_string!(i18n, services.status_terminated),
        ServiceStatus::Cancelled => t_string!(i18n, services.status_cancelled),
        ServiceStatus::Fraud => t_string!(i18n, services.status_fraud),
        ServiceStatus::Completed => t_string!(i18n, services.status_completed),
    }
    .to_string()
}

fn status_tone(status: ServiceStatus) -> Tone {
    match status {
        ServiceStatus::Active => Tone::Success,
        ServiceStatus::Pending => Tone::Info,
        ServiceStatus::Suspended => Tone::Warning,
        ServiceStatus::Fraud => Tone::Danger,
        ServiceStatus::Terminated | ServiceStatus::Cancelled | ServiceStatus::Completed => {
            Tone::Neutral
        }
    }
}

/// A service's status as a badge.
#[component]
fn ServiceStatusBadge(status: ServiceStatus) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span data-testid="service-status" data-status=status.key()>
            <StatusBadge tone=status_tone(status) label=Signal::derive(move || status_label(i18n, status)) />
        </span>
    }
}

/// A billing cycle in the reader's language (`None`: one the portal does not know).
fn cycle_label(i18n: leptos_i18n::I18nContext<Locale>, cycle: Option<BillingCycle>) -> String {
    match cycle {
        Some(BillingCycle::Free) => t_string!(i18n, services.cycle_free),
        Some(BillingCycle::OneTime) => t_string!(i18n, services.cycle_one_time),
        Some(BillingCycle::Monthly) => t_string!(i18n, services.cycle_monthly),
        Some(BillingCycle::Quarterly) => t_string!(i18n, services.cycle_quarterly),
        Some(BillingCycle::SemiAnnually) => t_string!(i18n, services.cycle_semi_annually),
        Some(BillingCycle::Annually) => t_string!(i18n, services.cycle_annually),
        Some(BillingCycle::Biennially) => t_string!(i18n, services.cycle_biennially),
        Some(BillingCycle::Triennially) => t_string!(i18n, services.cycle_triennially),
        None => t_string!(i18n, services.cycle_other),
    }
    .to_string()
}

/// What the customer pays: the recurring price, or the one payment of a one-time service.
fn price(service: &Service) -> crate::domain::common::Money {
    if service
        .billing_cycle
        .and_then(BillingCycle::months)
        .is_some()
    {
        service.recurring
    } else {
        service.first_payment
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::common::Money;
    use std::collections::BTreeMap;

    #[test]
    fn one_time_services_show_their_one_payment() {
        let mut service = Service {
            id: 104,
            product: "開通工事".into(),
            group: "工事".into(),
            status: ServiceStatus::Completed,
            billing_cycle: Some(BillingCycle::OneTime),
            next_due: None,
            recurring: Money::yen(0),
            first_payment: Money::yen(19_800),
            registered: None,
            custom_fields: BTreeMap::new(),
            config_options: BTreeMap::new(),
        };
        assert_eq!(price(&service), Money::yen(19_800));
        service.billing_cycle = Some(BillingCycle::Monthly);
        service.recurring = Money::yen(5_280);
        assert_eq!(price(&service), Money::yen(5_280));
    }
}
