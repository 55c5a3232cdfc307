//! Health checks of the portal's parts, shared by `/ready` (machines) and the status page
//! (people). Each check is timed; slower than its budget is "degraded", failing is "down".

use crate::domain::system::{Component, ComponentStatus, Health, SystemStatus};
use crate::server::queue::{JobQueue, QueueStats};
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
    let queue = state.queue.clone();
    let queue_check = timed_queue(queue.as_ref());
    let (db, cache_status, queue_status, mut rest) =
        tokio::join!(db, cache_check, queue_check, others);
    let mut components = vec![db, cache_status, queue_status];
    components.append(&mut rest);
    SystemStatus {
        checked_at: OffsetDateTime::now_utc(),
        sandbox: state.sandbox,
        components,
    }
}

/// Orders waiting longer than this make the queue "degraded".
const QUEUE_WAIT: Duration = Duration::from_secs(300);

/// The provisioning queue: down when unreachable; degraded when the oldest waiting job is
/// older than [`QUEUE_WAIT`] or a job is in the dead-letter state (an order needs a person).
/// The figures go to operators in the backend column and to `/metrics` as gauges.
async fn timed_queue(queue: &dyn JobQueue) -> ComponentStatus {
    let started = Instant::now();
    let stats = tokio::time::timeout(TIMEOUT, queue.stats(OffsetDateTime::now_utc())).await;
    let latency_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    let (health, backend) = match stats {
        Ok(Ok(s)) => {
            record_queue_gauges(&s);
            let health = if s.dead > 0 || s.oldest_ready_age_ms > QUEUE_WAIT.as_millis() as u64 {
                Health::Degraded
            } else {
                Health::Operational
            };
            let detail = format!(
                "{}: {} waiting, {} running, oldest {} s, {} dead",
                queue.queue_backend(),
                s.ready,
                s.running,
                s.oldest_ready_age_ms / 1000,
                s.dead
            );
            (health, detail)
        }
        Ok(Err(err)) => {
            tracing::warn!(error = %err, "queue check failed");
            (Health::Down, queue.queue_backend().to_owned())
        }
        Err(_) => (Health::Down, queue.queue_backend().to_owned()),
    };
    ComponentStatus {
        component: Component::OrderQueue,
        health,
        backend,
        latency_ms,
    }
}

/// Queue depth, age of the oldest waiting job and dead letters as Prometheus gauges.
pub fn record_queue_gauges(s: &QueueStats) {
    metrics::gauge!("provisioning_queue_ready").set(s.ready as f64);
    metrics::gauge!("provisioning_queue_running").set(s.running as f64);
    metrics::gauge!("provisioning_queue_dead").set(s.dead as f64);
    metrics::gauge!("provisioning_queue_oldest_age_seconds")
        .set(s.oldest_ready_age_ms as f64 / 1000.0);
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
