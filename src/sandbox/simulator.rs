//! What a provider simulator gives the host.

use super::SeedData;
use axum::Router;

/// A provider simulator: its wire protocol as an axum router, and its seeded state.
pub trait Simulator: Send + Sync + 'static {
    /// Short name used in URLs, fault rules and the call log (`salesforce`, `whmcs`, `freebit`).
    fn name(&self) -> &'static str;
    /// The provider's HTTP surface, served at the root of its own loopback port.
    fn router(&self) -> Router;
    /// Drops all state and loads the seed again.
    fn reset(&self, seed: &SeedData);
}
