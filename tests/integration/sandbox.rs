//! The provider simulators started for one adapter test (the built-in seed, loopback ports),
//! stopped when dropped.

use portal::sandbox::{SandboxHandle, SeedData};
use std::net::{IpAddr, Ipv4Addr};
use tokio_util::sync::CancellationToken;

/// A running sandbox.
pub struct RunningSandbox {
    /// The host's handle: provider URLs, faults, call log.
    pub handle: SandboxHandle,
    shutdown: CancellationToken,
}

impl Drop for RunningSandbox {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

impl RunningSandbox {
    /// Starts every simulator of this build on loopback ports.
    pub async fn start() -> RunningSandbox {
        portal::server::integrations::http::install_crypto_provider();
        let shutdown = CancellationToken::new();
        let handle = portal::sandbox::start(
            IpAddr::V4(Ipv4Addr::LOCALHOST),
            0,
            SeedData::built_in().expect("seed"),
            portal::sandbox::simulators(),
            shutdown.clone(),
        )
        .await
        .expect("sandbox starts");
        RunningSandbox { handle, shutdown }
    }

    /// The base URL of simulator `name`.
    pub fn url(&self, name: &str) -> String {
        self.handle.provider_urls[name].clone()
    }
}

/// A sandbox plus what the Salesforce tests need around it: the simulator's URL, the default
/// settings with a short time limit, and an HTTP client for its control endpoints. Each test
/// module adds its own helpers in an `impl SalesforceEnv` block of its own.
pub struct SalesforceEnv {
    /// The running sandbox.
    pub sandbox: RunningSandbox,
    /// For the control API and the simulator's `_sandbox` endpoints.
    pub http: reqwest::Client,
}

impl SalesforceEnv {
    /// Starts a sandbox.
    pub async fn start() -> SalesforceEnv {
        SalesforceEnv {
            sandbox: RunningSandbox::start().await,
            http: reqwest::Client::new(),
        }
    }

    /// The Salesforce simulator's base URL.
    pub fn base(&self) -> String {
        self.sandbox.url("salesforce")
    }

    /// The default `[salesforce]` settings, with a 5 s time limit.
    pub fn settings(&self) -> portal::server::config::SalesforceSettings {
        let mut s = portal::server::config::load_from(None, &[])
            .expect("default settings")
            .salesforce;
        s.timeout_ms = 5000;
        s
    }

    /// A Salesforce client on the simulator with those settings.
    pub fn client(&self) -> portal::server::integrations::salesforce::SalesforceClient {
        portal::server::integrations::salesforce::SalesforceClient::from_settings(
            &self.settings(),
            &self.base(),
        )
        .expect("client")
    }
}
