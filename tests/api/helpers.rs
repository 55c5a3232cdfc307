//! `spawn_app`: the real `Application`, on port 0, with its own temporary data directory.

use portal::server::config::load_from;
use portal::server::startup::Application;
use std::net::SocketAddr;
use std::sync::{Arc, LazyLock};
use tokio::sync::{Mutex, OwnedMutexGuard};
use tokio_util::sync::CancellationToken;

/// One app at a time per test process. Leptos keeps process-wide state (executor, reactive
/// arenas); several apps rendering concurrently in one process occasionally stalled a render
/// (a 30 s timeout, about one run in ten). Production runs one app per process — a single
/// server answered 1,000 concurrent requests without a stall — so the tests take turns instead.
static ONE_APP_AT_A_TIME: LazyLock<Arc<Mutex<()>>> = LazyLock::new(|| Arc::new(Mutex::new(())));

/// A running test instance.
pub struct TestApp {
    /// `http://127.0.0.1:<port>`.
    pub address: String,
    /// Sandbox control API base URL.
    pub control_url: String,
    /// The simulators' base URLs by name (`whmcs`, `salesforce`).
    pub provider_urls: std::collections::HashMap<String, String>,
    /// A client that does not follow redirects (tests look at them).
    pub client: reqwest::Client,
    shutdown: CancellationToken,
    /// The app's state (store, provider adapters, mailer), to check what a request did.
    pub state: portal::server::state::AppState,
    /// The server task; ends when the server has stopped.
    pub server: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
    _dir: tempfile::TempDir,
    _turn: OwnedMutexGuard<()>,
}

impl TestApp {
    /// Adds a fault rule to the sandbox through its control API.
    pub async fn inject_fault(&self, rule: &portal::sandbox::FaultRule) {
        let added = self
            .client
            .post(format!("{}/faults", self.control_url))
            .json(rule)
            .send()
            .await
            .expect("fault");
        assert_eq!(added.status().as_u16(), 201);
    }

    /// Asks the server to stop, as SIGTERM does.
    pub fn stop(&self) {
        self.shutdown.cancel();
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

/// Starts the portal in embedded mode for one test.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[]).await
}

/// Starts the portal with extra settings (`PORTAL__…` variables) on top of the test defaults.
pub async fn spawn_app_with(extra: &[(&str, &str)]) -> TestApp {
    let turn = ONE_APP_AT_A_TIME.clone().lock_owned().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let vars: Vec<(String, String)> = [
        (
            "DATABASE_URL",
            format!("sqlite://{}/portal.db", dir.path().display()),
        ),
        ("PORTAL__SERVER__ADDR", "127.0.0.1:0".to_owned()),
        ("PORTAL__LOG__FILTER", "warn".to_owned()),
        // Refresh replays are tested at once, without waiting out the grace window.
        ("PORTAL__AUTH__REFRESH_GRACE_SECS", "0".to_owned()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .chain(
        extra
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
    )
    .collect();
    let settings = load_from(None, &vars).expect("settings");
    let options = leptos::config::LeptosOptions::builder()
        .output_name("portal")
        .site_root("target/site")
        .site_addr("127.0.0.1:0".parse::<SocketAddr>().expect("addr"))
        .build();
    let app = Application::build(&settings, options)
        .await
        .expect("app builds");
    let address = format!("http://{}", app.local_addr().expect("bound"));
    let control_url = app
        .sandbox()
        .map(|s| s.control_url.clone())
        .expect("sandbox runs");
    let provider_urls = app
        .sandbox()
        .map(|s| {
            s.provider_urls
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect()
        })
        .unwrap_or_default();
    let shutdown = app.shutdown_token();
    let state = app.state().clone();
    let server = Some(tokio::spawn(app.run_until_stopped()));
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    TestApp {
        address,
        control_url,
        provider_urls,
        client,
        shutdown,
        state,
        server,
        _dir: dir,
        _turn: turn,
    }
}
