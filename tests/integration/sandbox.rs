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
