//! `AppState`: what every handler and server function can reach. Concrete types and trait
//! objects only, because server functions cannot be generic.

use crate::server::accounts::Providers;
use crate::server::auth::AuthConfig;
use crate::server::auth::rate_limit::RateLimiter;
use crate::server::cache::Cache;
use crate::server::mail::Mailer;
use crate::server::status::StatusProbe;
use crate::server::store::Store;
use crate::server::webhooks::WebhookKeys;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use std::sync::Arc;

/// Shared, cheaply clonable application state.
#[derive(Clone)]
pub struct AppState {
    /// Leptos' site options (site root, package names).
    pub leptos_options: LeptosOptions,
    /// The portal's own database.
    pub store: Arc<dyn Store>,
    /// The cache (Redis or in-process).
    pub cache: Cache,
    /// Whether the built-in simulators stand in for the providers.
    pub sandbox: bool,
    /// Extra readiness probes (the sandbox host, later the providers).
    pub probes: Arc<Vec<Arc<dyn StatusProbe>>>,
    /// Whether we answer with HSTS (production behind TLS).
    pub production: bool,
    /// Session and rate-limit settings.
    pub auth: Arc<AuthConfig>,
    /// Login, sign-up and reset throttling.
    pub limiter: RateLimiter,
    /// WHMCS and Salesforce adapters.
    pub providers: Providers,
    /// Outgoing mail (the catcher in sandbox mode).
    pub mailer: Arc<dyn Mailer>,
    /// Invoice PDFs (issuer details, fonts loaded on first use).
    pub invoice_pdf: Arc<crate::server::billing::InvoicePdf>,
    /// Secrets and clock window for inbound provider events.
    pub webhooks: Arc<WebhookKeys>,
    /// Consumption tax on catalog prices, hundredths of a percent (`[billing]`).
    pub tax_rate_bp: u32,
    /// The durable job queue (the store's tables, or Redis).
    pub queue: Arc<dyn crate::server::queue::JobQueue>,
    /// "Order / case changed" fan-out to open pages (`server::live`).
    pub live: crate::server::live::LiveUpdates,
    /// Noticing agents' answers while customers look (`[support] live_poll_secs`).
    pub case_watch: crate::server::support::watch::CaseWatch,
    /// Support cases: attachment rules and the reopen window (`[support]`).
    pub support: Arc<crate::server::support::SupportPolicy>,
    /// Attempts a provisioning job gets (`[provisioning] max_attempts`), for jobs enqueued
    /// outside the pipeline (a payment method added re-queues failed orders).
    pub provisioning_attempts: u32,
    /// SIM data top-ups: price per GB, gateway, due days (`[sims]`).
    pub sims: Arc<crate::server::config::SimsSettings>,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
