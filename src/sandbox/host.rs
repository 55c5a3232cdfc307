//! Starting the sandbox: one loopback listener per simulator plus the control API, all stopped
//! by one cancellation token.

use super::call_log::{self, CallLogState};
use super::control::{self, ControlState};
use super::faults::{self, FaultLayerState};
use super::{CallLog, EventTarget, FaultBook, SeedData, Simulator};
use crate::domain::system::Component;
use crate::server::status::StatusProbe;
use anyhow::Context;
use async_trait::async_trait;
use axum::middleware::from_fn_with_state;
use std::collections::BTreeMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

/// A running sandbox.
pub struct SandboxHandle {
    /// Control API base URL.
    pub control_url: String,
    /// Base URL per simulator.
    pub provider_urls: BTreeMap<&'static str, String>,
    control_addr: SocketAddr,
    /// Fault rules (also reachable through the control API).
    pub faults: Arc<FaultBook>,
    /// Call log (also reachable through the control API).
    pub calls: Arc<CallLog>,
    /// The seed the simulators were started with.
    pub seed: Arc<SeedData>,
    simulators: Arc<Vec<Arc<dyn Simulator>>>,
    shutdown: CancellationToken,
}

impl SandboxHandle {
    /// Starts the simulators that push events (WHMCS' hook module) pushing them to `target`,
    /// until the sandbox stops.
    pub fn push_events_to(&self, target: &EventTarget) {
        for sim in self.simulators.iter() {
            sim.push_events_to(target.clone(), self.shutdown.clone());
        }
    }

    /// A readiness probe that connects to the control listener.
    pub fn probe(&self) -> Arc<dyn StatusProbe> {
        Arc::new(ControlProbe {
            addr: self.control_addr,
        })
    }
}

/// Seeds the simulators and starts their listeners and the control API on `host`.
pub async fn start(
    host: IpAddr,
    control_port: u16,
    seed: SeedData,
    simulators: Vec<Arc<dyn Simulator>>,
    shutdown: CancellationToken,
) -> anyhow::Result<SandboxHandle> {
    let seed = Arc::new(seed);
    let faults = Arc::new(FaultBook::default());
    let calls = Arc::new(CallLog::default());
    let mut urls = BTreeMap::new();
    for sim in &simulators {
        sim.reset(&seed);
        let name = sim.name();
        let app = sim
            .router()
            .layer(from_fn_with_state(
                FaultLayerState {
                    provider: name,
                    book: faults.clone(),
                },
                faults::apply,
            ))
            .layer(from_fn_with_state(
                CallLogState {
                    provider: name,
                    log: calls.clone(),
                },
                call_log::record,
            ));
        let listener = TcpListener::bind((host, 0))
            .await
            .with_context(|| format!("could not bind the {name} simulator on {host}"))?;
        urls.insert(name, format!("http://{}", listener.local_addr()?));
        spawn_server(listener, app, shutdown.clone());
        sim.run_background(shutdown.clone());
    }
    let listener = TcpListener::bind((host, control_port))
        .await
        .with_context(|| format!("could not bind the sandbox control API on {host}:{control_port} (sandbox.control_port)"))?;
    let control_addr = listener.local_addr()?;
    let simulators = Arc::new(simulators);
    let state = ControlState {
        seed: seed.clone(),
        simulators: simulators.clone(),
        urls: Arc::new(urls.clone()),
        faults: faults.clone(),
        calls: calls.clone(),
    };
    spawn_server(listener, control::router(state), shutdown.clone());
    Ok(SandboxHandle {
        simulators,
        shutdown,
        control_url: format!("http://{control_addr}"),
        provider_urls: urls,
        control_addr,
        faults,
        calls,
        seed,
    })
}

fn spawn_server(listener: TcpListener, app: axum::Router, shutdown: CancellationToken) {
    tokio::spawn(async move {
        let served = axum::serve(listener, app)
            .with_graceful_shutdown(async move { shutdown.cancelled().await })
            .await;
        if let Err(err) = served {
            tracing::error!(error = %err, "a sandbox listener stopped");
        }
    });
}

struct ControlProbe {
    addr: SocketAddr,
}

#[async_trait]
impl StatusProbe for ControlProbe {
    fn component(&self) -> Component {
        Component::Sandbox
    }

    fn backend(&self) -> String {
        "built-in".into()
    }

    async fn check(&self) -> anyhow::Result<()> {
        tokio::net::TcpStream::connect(self.addr)
            .await
            .context("sandbox control API not listening")?;
        Ok(())
    }
}
