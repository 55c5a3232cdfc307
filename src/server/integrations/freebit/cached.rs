//! Account detail and traffic through the portal's cache. Freebit forbids polling (reference
//! §1.6 PA05-01, §2.4 rule 13): a line's figures are read at most once per freshness period
//! (never under five minutes), by one caller at a time (single flight), and an older copy,
//! marked stale, stands in while Freebit fails. The portal's own writes to a line call
//! [`CachedLines::invalidate`] so that the customer sees their change at once.
//!
//! Entries live in one namespace per line (`sim:{number}`), not per customer: checking that
//! the line is the customer's stays with the caller.

use super::client::FreebitClient;
use super::error::FreebitError;
use crate::domain::sim::{Msisdn, SimLine, SimUsage};
use crate::server::cache::{Cache, Cached, Ttl};
use std::time::Duration;

/// The shortest freshness allowed.
pub const MIN_FRESH: Duration = Duration::from_secs(300);

/// Detail and traffic of lines, cached.
#[derive(Clone)]
pub struct CachedLines {
    client: FreebitClient,
    cache: Cache,
    ttl: Ttl,
}

impl CachedLines {
    /// Reads through `cache`, fresh for `fresh` (at least [`MIN_FRESH`]) and servable for
    /// `stale_grace` more while Freebit fails.
    pub fn new(
        client: FreebitClient,
        cache: Cache,
        fresh: Duration,
        stale_grace: Duration,
    ) -> Self {
        CachedLines {
            client,
            cache,
            ttl: Ttl::new(fresh.max(MIN_FRESH), stale_grace),
        }
    }

    /// The cache namespace of a line.
    pub fn namespace(msisdn: &Msisdn) -> String {
        format!("sim:{}", msisdn.digits())
    }

    /// The line's details ([`FreebitClient::account_detail`]).
    pub async fn detail(&self, msisdn: &Msisdn) -> Result<Cached<SimLine>, FreebitError> {
        self.cache
            .get_or_load(&Self::namespace(msisdn), "detail", self.ttl, || {
                self.client.account_detail(msisdn)
            })
            .await
    }

    /// The line's usage over the platform's default range, the last 30 days
    /// ([`FreebitClient::traffic`]).
    pub async fn usage(&self, msisdn: &Msisdn) -> Result<Cached<SimUsage>, FreebitError> {
        self.cache
            .get_or_load(&Self::namespace(msisdn), "traffic", self.ttl, || {
                self.client.traffic(msisdn, None)
            })
            .await
    }

    /// Drops the line's cached figures (after the portal changed the line). A cache fault is
    /// logged: the entries then expire on their own.
    pub async fn invalidate(&self, msisdn: &Msisdn) {
        if let Err(err) = self.cache.invalidate(&Self::namespace(msisdn)).await {
            tracing::warn!(error = %err, "could not drop a SIM line's cached figures");
        }
    }

    /// The adapter underneath, for writes and uncached reads.
    pub fn client(&self) -> &FreebitClient {
        &self.client
    }
}
