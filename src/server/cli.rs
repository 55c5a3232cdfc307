//! The `portal` command: `serve` (default), `migrate`, `worker`, `sandbox`. Parses arguments,
//! loads configuration, sets up logging, runs one mode and turns its outcome into an exit code.

use crate::server::cache::Cache;
use crate::server::config::{self, Settings};
use crate::server::provisioning::runtime::Pipeline;
use crate::server::startup::{self, Application, holder_id, start_sandbox};
use crate::server::{housekeeping, store, telemetry};
use anyhow::Context;
use clap::{Parser, Subcommand};
use std::process::ExitCode;
use tokio_util::sync::CancellationToken;

/// Customer self-service portal.
#[derive(Parser)]
#[command(name = "portal", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the portal (the default). In embedded mode also runs the sandbox and the workers.
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Run background work only: the provisioning workers and sweep, and housekeeping.
    Worker,
    /// Run only the provider simulators and their control API.
    Sandbox,
}

/// Entry point used by `main`.
pub async fn main() -> ExitCode {
    let cli = Cli::parse();
    let settings = match config::load() {
        Ok(settings) => settings,
        Err(err) => {
            eprintln!("portal: {err}");
            return ExitCode::from(2);
        }
    };
    telemetry::init(&settings.log.filter, settings.json_logs());
    let outcome = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(&settings).await,
        Command::Migrate => migrate(&settings).await,
        Command::Worker => worker(&settings).await,
        Command::Sandbox => sandbox_only(&settings).await,
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!(error.cause_chain = ?err, "portal stopped with an error");
            eprintln!("portal: {err:#}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(settings: &Settings) -> anyhow::Result<()> {
    let options = leptos_options()?;
    let app = Application::build(settings, options).await?;
    let addr = app.local_addr()?;
    tracing::info!(%addr, sandbox = app.sandbox().is_some(), backend = app.state().store.backend(), cache = app.state().cache.backend_name(), "portal ready");
    if let Some(sandbox) = app.sandbox() {
        eprintln!(
            "\n  Portal ready (embedded sandbox mode): open http://{addr}\n  Sandbox control API: {}\n",
            sandbox.control_url
        );
    }
    stop_on_signal(app.shutdown_token());
    app.run_until_stopped().await
}

async fn migrate(settings: &Settings) -> anyhow::Result<()> {
    let store = store::connect(&settings.database).await?;
    tracing::info!(backend = store.backend(), "migrations applied");
    Ok(())
}

async fn worker(settings: &Settings) -> anyhow::Result<()> {
    let store = store::connect(&settings.database).await?;
    let shutdown = CancellationToken::new();
    stop_on_signal(shutdown.clone());
    let (backend, redis) = startup::cache_backend(settings).await?;
    let cache = Cache::new(backend).with_freshness(settings.cache.freshness());
    let (queue, live) = startup::queue_and_live(settings, &store, redis, &shutdown).await?;
    // A worker has no sandbox of its own: provider URLs come from the configuration.
    let providers = startup::providers(settings, None)?;
    let pubsub = crate::server::integrations::salesforce::pubsub::PubSubClient::from_settings(
        &settings.salesforce,
        None,
        providers.salesforce.client().clone(),
    )?;
    let pipeline = Pipeline {
        pubsub: Some(pubsub),
        store: store.clone(),
        queue,
        crm: providers.provisioning.clone(),
        providers,
        cache,
        live,
        settings: settings.provisioning.clone(),
    };
    let holder = holder_id();
    tracing::info!(
        backend = store.backend(),
        queue = pipeline.queue.queue_backend(),
        "worker running"
    );
    let tasks = pipeline.start(&holder, &shutdown);
    housekeeping::run(store, holder, shutdown).await;
    for task in tasks {
        if let Err(err) = task.await {
            tracing::warn!(error = %err, "a worker task ended abnormally");
        }
    }
    Ok(())
}

async fn sandbox_only(settings: &Settings) -> anyhow::Result<()> {
    let shutdown = CancellationToken::new();
    let handle = start_sandbox(settings, shutdown.clone()).await?;
    eprintln!("\n  Sandbox control API: {}", handle.control_url);
    for (name, url) in &handle.provider_urls {
        eprintln!("  {name}: {url}");
    }
    stop_on_signal(shutdown.clone());
    shutdown.cancelled().await;
    Ok(())
}

/// Leptos' runtime options: `Leptos.toml` when present (production, the Docker image), with
/// `LEPTOS_*` variables (set by cargo-leptos in development) taking precedence.
fn leptos_options() -> anyhow::Result<leptos::config::LeptosOptions> {
    let file = std::path::Path::new("Leptos.toml")
        .exists()
        .then_some("Leptos.toml");
    let conf =
        leptos::config::get_configuration(file).context("Leptos.toml / LEPTOS_* settings")?;
    Ok(conf.leptos_options)
}

/// Cancels `token` on Ctrl-C or SIGTERM (what container runtimes send).
fn stop_on_signal(token: CancellationToken) {
    tokio::spawn(async move {
        let ctrl_c = tokio::signal::ctrl_c();
        #[cfg(unix)]
        let term = async {
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(mut s) => {
                    s.recv().await;
                }
                Err(_) => std::future::pending::<()>().await,
            }
        };
        #[cfg(not(unix))]
        let term = std::future::pending::<()>();
        tokio::select! {
            _ = ctrl_c => {},
            _ = term => {},
        }
        tracing::info!("shutdown requested; finishing in-flight work");
        token.cancel();
    });
}
