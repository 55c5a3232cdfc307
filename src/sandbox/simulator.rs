//! What a provider simulator gives the host.

use super::SeedData;
use axum::Router;
use secrecy::SecretString;
use tokio_util::sync::CancellationToken;

/// Where a simulator that pushes events (WHMCS' hook module) sends them, and the secret it
/// signs them with.
#[derive(Clone)]
pub struct EventTarget {
    /// The portal's receiving URL (`…/webhooks/whmcs`).
    pub url: String,
    /// The shared signing secret.
    pub secret: SecretString,
}

/// A provider simulator: its wire protocol as an axum router, and its seeded state.
pub trait Simulator: Send + Sync + 'static {
    /// Short name used in URLs, fault rules and the call log (`salesforce`, `whmcs`, `freebit`).
    fn name(&self) -> &'static str;
    /// The provider's HTTP surface, served at the root of its own loopback port.
    fn router(&self) -> Router;
    /// Drops all state and loads the seed again.
    fn reset(&self, seed: &SeedData);
    /// Starts pushing the simulator's events to `target` until `shutdown` (providers that
    /// push nothing ignore it).
    fn push_events_to(&self, target: EventTarget, shutdown: CancellationToken) {
        let _ = (target, shutdown);
    }
    /// Starts the simulator's own timers (Salesforce's automatic approval) until `shutdown`;
    /// the host calls it once after binding. Simulators without timers ignore it.
    fn run_background(&self, shutdown: CancellationToken) {
        let _ = shutdown;
    }
}
