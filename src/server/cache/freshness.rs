//! How long each kind of provider data is served from the cache before it is read again, and
//! how long after that an older copy may stand in while the provider fails. Defaults follow the
//! original design (invoices 60–120 s, services 120 s); operators tune them in `[cache]`.

use super::Ttl;
use std::time::Duration;

/// A kind of cached provider data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataKind {
    /// Invoice pages, invoices and the dashboard's outstanding invoices.
    Invoices,
    /// Services.
    Services,
    /// Stored payment methods.
    PayMethods,
    /// The billing system's currencies (change only when an administrator edits them).
    Currencies,
    /// The CRM's catalog (shared by everyone).
    Catalog,
    /// A customer's orders.
    Orders,
    /// A customer's support cases.
    Cases,
}

/// `[cache]` freshness settings, in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Freshness {
    /// Invoices.
    pub invoices_fresh_secs: u64,
    /// Services.
    pub services_fresh_secs: u64,
    /// Payment methods.
    pub pay_methods_fresh_secs: u64,
    /// Currencies.
    pub currencies_fresh_secs: u64,
    /// Catalog (5–15 minutes in the original design).
    pub catalog_fresh_secs: u64,
    /// Orders.
    pub orders_fresh_secs: u64,
    /// Support cases (short: an agent's answer should show soon).
    pub cases_fresh_secs: u64,
    /// How long past freshness a copy may be served when the provider fails ("as of …").
    pub stale_grace_secs: u64,
}

impl Default for Freshness {
    fn default() -> Self {
        Freshness {
            invoices_fresh_secs: 90,
            services_fresh_secs: 120,
            pay_methods_fresh_secs: 120,
            currencies_fresh_secs: 3600,
            catalog_fresh_secs: 600,
            orders_fresh_secs: 30,
            cases_fresh_secs: 10,
            stale_grace_secs: 3600,
        }
    }
}

impl Freshness {
    /// The time limits for `kind`. Currencies may stand in for a day (they hardly change).
    pub fn ttl(&self, kind: DataKind) -> Ttl {
        let (fresh, grace) = match kind {
            DataKind::Invoices => (self.invoices_fresh_secs, self.stale_grace_secs),
            DataKind::Services => (self.services_fresh_secs, self.stale_grace_secs),
            DataKind::PayMethods => (self.pay_methods_fresh_secs, self.stale_grace_secs),
            DataKind::Catalog => (self.catalog_fresh_secs, self.stale_grace_secs),
            DataKind::Orders => (self.orders_fresh_secs, self.stale_grace_secs),
            DataKind::Cases => (self.cases_fresh_secs, self.stale_grace_secs),
            DataKind::Currencies => (
                self.currencies_fresh_secs,
                self.stale_grace_secs.max(24 * 3600),
            ),
        };
        Ttl::new(Duration::from_secs(fresh), Duration::from_secs(grace))
    }
}
