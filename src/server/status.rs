//! Health checks of the portal's parts, shared by `/ready` (machines) and the status page
//! (people). Each check is timed; slower than its budget is "degraded", failing is "down".

use crate::domain::system::{Component, ComponentStatus, Health, SystemStatus};
use crate::server::state::AppState;
use async_trait::async_trait;
use std::time::{Duration, Instant};
use time::OffsetDateTime;

/// Above this a check counts as degraded.
const SLOW: Duration = Duration::from_millis(250);
/// A check that takes longer than this is down.
const TIMEOUT: Duration = Duration::from_secs(2);

/// Something whose readiness can be probed besides the store and the cache.
#[async_trait]
pub trait StatusProbe: Send + Sync {
    /// Which component this is.
    fn component(&self) -> Component;
    /// The backend name shown to operators.
    fn backend(&self) -> String;
    /// Ok when it answers.
    async fn check(&self) -> anyhow::Result<()>;
}

/// Runs every check concurrently and reports.
pub async fn check_all(state: &AppState) -> SystemStatus {
    let store = state.store.clone();
    let cache = state.cache.clone();
    let db = timed(
        Component::Database,
        store.backend().to_owned(),
        async move { store.ping().await.map_err(anyhow::Error::from) },
    );
    let cache_check = timed(
        Component::Cache,
        cache.backend_name().to_owned(),
        async move { cache.ping().await.map_err(anyhow::Error::from) },
    );
    let others = futures::future::join_all(state.probes.iter().map(|probe| {
        let probe = probe.clone();
        async move { timed(probe.component(), probe.backend(), probe.check()).await }
    }));
    let (db, cache_status, mut rest) = tokio::join!(db, cache_check, others);
    let mut components = vec![db, cache_status];
    components.append(&mut rest);
    SystemStatus {
        checked_at: OffsetDateTime::now_utc(),
        sandbox: state.sandbox,
        components,
    }
}

async fn timed(
    component: Component,
    backend: String,
    check: impl std::future::Future<Output = anyhow::Result<()>>,
) -> ComponentStatus {
    let started = Instant::now();
    let result = tokio::time::timeout(TIMEOUT, check).await;
    let elapsed = started.elapsed();
    let health = match result {
        Ok(Ok(())) if elapsed <= SLOW => Health::Operational,
        Ok(Ok(())) => Health::Degraded,
        Ok(Err(err)) => {
            tracing::warn!(?component, error = %err, "readiness check failed");
            Health::Down
        }
        Err(_) => {
            tracing::warn!(?component, "readiness check timed out");
            Health::Down
        }
    };
    ComponentStatus {
        component,
        health,
        backend,
        latency_ms: u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX),
    }
}
