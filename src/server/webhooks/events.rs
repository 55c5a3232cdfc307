//! What a WHMCS event says and which of the customer's cached data it makes stale. Events are
//! hints to re-read, never the truth (reference `whmcs.md` §4.4): acting on one means dropping
//! the affected customer's cached copies so the next read goes to WHMCS. Pure.

use serde::Deserialize;

/// The part of a signed event's body the portal reads.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct EventBody {
    /// Event id (must equal the `X-Portal-Event-Id` header).
    pub id: String,
    /// `invoice.paid`, `service.provisioned`, …
    #[serde(rename = "type")]
    pub kind: String,
    /// Resource ids.
    #[serde(default)]
    pub data: EventData,
}

/// Resource ids an event carries (each optional; unknown fields are ignored).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct EventData {
    /// The WHMCS client the event concerns.
    pub client_id: Option<u32>,
    /// The invoice, for `invoice.*`.
    pub invoice_id: Option<u32>,
    /// The service, for `service.*`.
    pub service_id: Option<u32>,
}

/// A customer's cached data (each its own cache namespace).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cached {
    /// Invoice pages and invoices.
    Invoices,
    /// Services.
    Services,
    /// Stored payment methods.
    PayMethods,
}

/// What an event type makes stale. An order touches services and invoices (its first invoice);
/// an unknown type — a newer hook module — conservatively drops everything of that customer.
pub fn stale_after(kind: &str) -> &'static [Cached] {
    let family = kind.split('.').next().unwrap_or_default();
    match family {
        "invoice" => &[Cached::Invoices],
        "service" => &[Cached::Services],
        "pay_method" => &[Cached::PayMethods],
        "order" => &[Cached::Services, Cached::Invoices],
        _ => &[Cached::Invoices, Cached::Services, Cached::PayMethods],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_reference_body() {
        let body: EventBody = serde_json::from_str(
            r#"{"id":"6f1c2a0e-1d2b-4c3d-9e8f-001122334455","type":"invoice.paid","occurred_at":"2023-11-14T22:13:20Z","data":{"invoice_id":42,"client_id":7,"extra":[1]}}"#,
        )
        .expect("parses");
        assert_eq!(body.kind, "invoice.paid");
        assert_eq!(body.data.client_id, Some(7));
        assert_eq!(body.data.invoice_id, Some(42));
    }

    #[test]
    fn each_family_drops_its_own_data() {
        assert_eq!(stale_after("invoice.paid"), &[Cached::Invoices]);
        assert_eq!(stale_after("service.provisioned"), &[Cached::Services]);
        assert_eq!(stale_after("pay_method.removed"), &[Cached::PayMethods]);
        assert_eq!(
            stale_after("order.paid"),
            &[Cached::Services, Cached::Invoices]
        );
        assert_eq!(stale_after("client.updated").len(), 3);
        assert_eq!(stale_after("").len(), 3);
    }
}
