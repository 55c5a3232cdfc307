//! The SIM platform (Freebit) on `/ready` and the status page. The probe is the OEM
//! authentication the client needs anyway: while an `authKey` is cached it costs nothing, and
//! when none is (at start, after the key's lifetime, after Freebit refused it) it is one
//! `authOem/` exchange. It never reads a line: per-line calls are rate-limited and must not be
//! spent on health checks (reference §1.6, §2.4).

use crate::domain::system::Component;
use crate::server::integrations::freebit::FreebitClient;
use crate::server::status::StatusProbe;
use async_trait::async_trait;
use std::sync::Arc;

/// The probe over the portal's Freebit client (sharing its key cache).
pub fn probe(client: &FreebitClient) -> Arc<dyn StatusProbe> {
    Arc::new(PlatformProbe {
        client: client.clone(),
    })
}

struct PlatformProbe {
    client: FreebitClient,
}

#[async_trait]
impl StatusProbe for PlatformProbe {
    fn component(&self) -> Component {
        Component::SimPlatform
    }

    fn backend(&self) -> String {
        // The provider's name only: the status page is public, the API address is not.
        "freebit".into()
    }

    async fn check(&self) -> anyhow::Result<()> {
        self.client
            .authenticate()
            .await
            .map_err(|e| anyhow::Error::new(e).context("Freebit authentication failed"))
    }
}
