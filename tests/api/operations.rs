//! Operational endpoints and the middleware every response passes through.

use crate::helpers::spawn_app;

#[tokio::test]
async fn health_answers_without_dependencies() {
    let app = spawn_app().await;
    let res = app
        .client
        .get(format!("{}/health", app.address))
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 200);
    let body: serde_json::Value = res.json().await.expect("json");
    assert_eq!(body["status"], "ok");
}

#[tokio::test]
async fn ready_reports_each_component() {
    let app = spawn_app().await;
    let res = app
        .client
        .get(format!("{}/ready", app.address))
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 200);
    let body: serde_json::Value = res.json().await.expect("json");
    assert_eq!(body["sandbox"], true);
    let components: Vec<(String, String, String)> = body["components"]
        .as_array()
        .expect("components")
        .iter()
        .map(|c| {
            let s = |k: &str| c[k].as_str().unwrap_or_default().to_owned();
            (s("component"), s("health"), s("backend"))
        })
        .collect();
    assert!(
        components.contains(&("database".into(), "operational".into(), "sqlite".into())),
        "{components:?}"
    );
    assert!(
        components.contains(&("cache".into(), "operational".into(), "in-process".into())),
        "{components:?}"
    );
    assert!(
        components
            .iter()
            .any(|(c, h, _)| c == "sandbox" && h == "operational"),
        "{components:?}"
    );
}

#[tokio::test]
async fn metrics_count_requests_by_route_pattern() {
    let app = spawn_app().await;
    for _ in 0..3 {
        app.client
            .get(format!("{}/health", app.address))
            .send()
            .await
            .expect("request");
    }
    let text = app
        .client
        .get(format!("{}/metrics", app.address))
        .send()
        .await
        .expect("request")
        .text()
        .await
        .expect("body");
    let line = text
        .lines()
        .find(|l| {
            l.starts_with("http_requests_total")
                && l.contains(r#"path="/health""#)
                && l.contains(r#"status="200""#)
        })
        .unwrap_or_default();
    // The recorder is process-wide: other tests in this binary may add to the count.
    let count: f64 = line
        .rsplit(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0.0);
    assert!(
        count >= 3.0,
        "expected the three /health requests to be counted: {line:?}"
    );
    assert!(
        text.contains("http_request_duration_seconds_bucket"),
        "latency histogram missing"
    );
}

#[tokio::test]
async fn request_ids_are_accepted_generated_and_sanitised() {
    let app = spawn_app().await;
    let url = format!("{}/health", app.address);
    let res = app
        .client
        .get(&url)
        .header("x-request-id", "lb-1234_abc.9")
        .send()
        .await
        .expect("request");
    assert_eq!(
        res.headers()["x-request-id"],
        "lb-1234_abc.9",
        "a well-formed incoming id is kept"
    );

    let res = app.client.get(&url).send().await.expect("request");
    let generated = res.headers()["x-request-id"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert_eq!(generated.len(), 36, "a UUID is generated: {generated}");

    let res = app
        .client
        .get(&url)
        .header("x-request-id", "bad id with spaces")
        .send()
        .await
        .expect("request");
    let replaced = res.headers()["x-request-id"].to_str().expect("ascii");
    assert_ne!(replaced, "bad id with spaces");
    assert_eq!(replaced.len(), 36);
}

#[tokio::test]
async fn security_headers_are_on_every_response() {
    let app = spawn_app().await;
    for path in ["/", "/health", "/does-not-exist"] {
        let res = app
            .client
            .get(format!("{}{path}", app.address))
            .send()
            .await
            .expect("request");
        let status = res.status();
        let h = res.headers().clone();
        assert!(
            h.contains_key("x-content-type-options"),
            "{path}: {status} {h:?} {}",
            res.text().await.unwrap_or_default()
        );
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["x-frame-options"], "DENY", "{path}");
        assert_eq!(
            h["referrer-policy"], "strict-origin-when-cross-origin",
            "{path}"
        );
        let csp = h["content-security-policy"].to_str().expect("csp");
        assert!(
            csp.contains("frame-ancestors 'none'") && csp.contains("object-src 'none'"),
            "{path}: {csp}"
        );
        assert!(
            h.get("strict-transport-security").is_none(),
            "no HSTS outside production"
        );
        let script_src = csp
            .split(';')
            .find(|d| d.trim().starts_with("script-src"))
            .unwrap_or_default();
        assert!(!script_src.contains("unsafe-inline"), "{path}: {csp}");
    }
}

#[tokio::test]
async fn every_page_gets_a_fresh_nonce_that_only_its_own_scripts_carry() {
    let app = spawn_app().await;
    let mut nonces = Vec::new();
    for path in ["/", "/login", "/no-such-page"] {
        let res = app
            .client
            .get(format!("{}{path}", app.address))
            .send()
            .await
            .expect("request");
        let csp = res.headers()["content-security-policy"]
            .to_str()
            .expect("csp")
            .to_owned();
        let body = res.text().await.expect("body");
        let nonce = csp
            .split("'nonce-")
            .nth(1)
            .and_then(|rest| rest.split('\'').next())
            .unwrap_or_else(|| panic!("{path}: no nonce in {csp}"))
            .to_owned();
        assert!(nonce.len() >= 16, "{path}: {nonce}");
        // Every script on the page carries it (leptos_i18n's empty `<script></script>`
        // placeholder has nothing to run: browsers skip empty inline scripts before any CSP check).
        let scripts = body.matches("<script").count() - body.matches("<script></script>").count();
        let with_nonce = body.matches(&format!("nonce=\"{nonce}\"")).count();
        assert!(
            scripts > 0 && with_nonce >= scripts,
            "{path}: {scripts} scripts, {with_nonce} with the nonce"
        );
        nonces.push(nonce);
    }
    nonces.sort();
    nonces.dedup();
    assert_eq!(nonces.len(), 3, "one nonce per response");
}

#[tokio::test]
async fn embedded_mode_runs_the_sandbox_control_api() {
    let app = spawn_app().await;
    let res = app
        .client
        .get(format!("{}/health", app.control_url))
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 200);
    let providers: serde_json::Value = app
        .client
        .get(format!("{}/providers", app.control_url))
        .send()
        .await
        .expect("request")
        .json()
        .await
        .expect("json");
    assert!(providers.is_object());
}

#[tokio::test]
async fn shutdown_stops_the_server_cleanly() {
    let mut app = spawn_app().await;
    let before = app
        .client
        .get(format!("{}/ready", app.address))
        .send()
        .await;
    assert_eq!(before.expect("served before the stop").status(), 200);
    let server = app.server.take().expect("server task");
    app.stop();
    let stopped = tokio::time::timeout(std::time::Duration::from_secs(10), server).await;
    assert!(
        matches!(stopped, Ok(Ok(Ok(())))),
        "the server stops cleanly: {stopped:?}"
    );
    let after = reqwest::Client::new()
        .get(format!("{}/health", app.address))
        .send()
        .await;
    assert!(after.is_err(), "nothing listens after shutdown");
}
