//! The sandbox host with a test simulator: its own port, fault injection, call log, reset.

use axum::Router;
use axum::extract::Extension;
use axum::routing::get;
use portal::sandbox::{InjectedFault, SeedData, Simulator};
use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio_util::sync::CancellationToken;

/// Answers `/includes/api.php` with the number of seeded customers, or the injected fault's code.
struct EchoSim {
    resets: Arc<AtomicUsize>,
    customers: Arc<AtomicUsize>,
}

impl Simulator for EchoSim {
    fn name(&self) -> &'static str {
        "echo"
    }

    fn router(&self) -> Router {
        let customers = self.customers.clone();
        Router::new().route(
            "/includes/api.php",
            get(move |fault: Option<Extension<InjectedFault>>| async move {
                match fault {
                    Some(Extension(InjectedFault(code))) => format!("fault:{code}"),
                    None => format!("customers:{}", customers.load(Ordering::SeqCst)),
                }
            }),
        )
    }

    fn reset(&self, seed: &SeedData) {
        self.resets.fetch_add(1, Ordering::SeqCst);
        self.customers.store(seed.customers.len(), Ordering::SeqCst);
    }
}

#[tokio::test]
async fn faults_calls_and_reset_through_the_control_api() {
    let resets = Arc::new(AtomicUsize::new(0));
    let sim = Arc::new(EchoSim {
        resets: resets.clone(),
        customers: Arc::new(AtomicUsize::new(0)),
    });
    let shutdown = CancellationToken::new();
    let handle = portal::sandbox::start(
        IpAddr::V4(Ipv4Addr::LOCALHOST),
        0,
        SeedData::built_in().expect("seed"),
        vec![sim],
        shutdown.clone(),
    )
    .await
    .expect("sandbox starts");
    assert_eq!(resets.load(Ordering::SeqCst), 1, "seeded at start");
    let http = reqwest::Client::new();
    let base = handle.provider_urls["echo"].clone();
    let control = handle.control_url.clone();
    let api = format!("{base}/includes/api.php");

    // The simulator serves on its own port, seeded with the three demo customers.
    assert_eq!(
        http.get(&api)
            .send()
            .await
            .expect("call")
            .text()
            .await
            .expect("body"),
        "customers:3"
    );
    let providers: serde_json::Value = http
        .get(format!("{control}/providers"))
        .send()
        .await
        .expect("providers")
        .json()
        .await
        .expect("json");
    assert_eq!(providers["echo"], base.as_str());

    // A 503 for the next call only.
    let status = add_fault(&http, &control, &serde_json::json!({ "provider": "echo", "kind": { "type": "status", "status": 503 }, "times": 1 })).await;
    assert_eq!(status, 201);
    assert_eq!(http.get(&api).send().await.expect("call").status(), 503);
    assert_eq!(
        http.get(&api).send().await.expect("call").status(),
        200,
        "the rule retired itself"
    );

    // Latency, and a provider-specific fault the simulator renders itself.
    assert_eq!(add_fault(&http, &control, &serde_json::json!({ "provider": "*", "kind": { "type": "latency", "ms": 300 }, "times": 1 })).await, 201);
    let started = Instant::now();
    http.get(&api).send().await.expect("slow call");
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(add_fault(&http, &control, &serde_json::json!({ "provider": "echo", "path_prefix": "/includes", "kind": { "type": "provider", "code": "expired_session" } })).await, 201);
    assert_eq!(
        http.get(&api)
            .send()
            .await
            .expect("call")
            .text()
            .await
            .expect("body"),
        "fault:expired_session"
    );

    // Unknown providers are refused.
    let status = add_fault(
        &http,
        &control,
        &serde_json::json!({ "provider": "nope", "kind": { "type": "status", "status": 500 } }),
    )
    .await;
    assert_eq!(status, 422);

    // The call log saw every call with its status, without query strings.
    http.get(format!("{api}?password=secret"))
        .send()
        .await
        .expect("call");
    let calls: Vec<serde_json::Value> = http
        .get(format!("{control}/calls?provider=echo"))
        .send()
        .await
        .expect("calls")
        .json()
        .await
        .expect("json");
    assert_eq!(calls.len(), 6);
    assert_eq!(calls[1]["status"], 503);
    assert!(
        calls.iter().all(|c| c["path"] == "/includes/api.php"),
        "no query strings in the log"
    );

    // Reset: simulators reseeded, faults and log cleared.
    assert_eq!(
        http.post(format!("{control}/reset"))
            .send()
            .await
            .expect("reset")
            .status(),
        204
    );
    assert_eq!(resets.load(Ordering::SeqCst), 2);
    let faults: Vec<serde_json::Value> = http
        .get(format!("{control}/faults"))
        .send()
        .await
        .expect("faults")
        .json()
        .await
        .expect("json");
    assert!(faults.is_empty());
    assert_eq!(
        http.get(&api)
            .send()
            .await
            .expect("call")
            .text()
            .await
            .expect("body"),
        "customers:3"
    );
    let calls: Vec<serde_json::Value> = http
        .get(format!("{control}/calls"))
        .send()
        .await
        .expect("calls")
        .json()
        .await
        .expect("json");
    assert_eq!(calls.len(), 1, "only the call after the reset");

    // Shutdown stops the listeners.
    shutdown.cancel();
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(
        http.get(&api)
            .timeout(Duration::from_secs(2))
            .send()
            .await
            .is_err()
    );
}

/// Posts a fault rule to the control API; returns the HTTP status.
async fn add_fault(http: &reqwest::Client, control: &str, rule: &serde_json::Value) -> u16 {
    http.post(format!("{control}/faults"))
        .json(rule)
        .send()
        .await
        .expect("control API reachable")
        .status()
        .as_u16()
}
