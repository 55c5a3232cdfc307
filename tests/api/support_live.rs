//! Support cases, live and downloads: an agent's answer (the simulator's control API) reaches
//! the owner's case stream and dashboard stream through the live channel — and never another
//! customer's stream; the answer is readable at once (the cached copy was dropped). The owner
//! downloads a case's file byte for byte with safe headers; another customer, another case's
//! id or an unknown file is 404.

use crate::helpers::{TestApp, spawn_app, spawn_app_with};
use crate::shop::{records, salesforce, signed_in};
use crate::support::{CASE_FIELDS, PNG, case_id_of, get_case, post_multipart};
use serde_json::json;
use std::time::Duration;

/// Opens an event stream as the signed-in browser.
async fn open_stream(app: &TestApp, cookie: &str, path: &str) -> reqwest::Response {
    app.client
        .get(format!("{}{path}", app.address))
        .header("cookie", cookie)
        .send()
        .await
        .expect("stream")
}

/// Reads the stream until `wanted` appears in it (then returns everything read), or `None`
/// when `within` passes first.
async fn read_until(
    stream: &mut reqwest::Response,
    wanted: &str,
    within: Duration,
) -> Option<String> {
    let mut seen = String::new();
    let deadline = tokio::time::Instant::now() + within;
    loop {
        let chunk = tokio::time::timeout_at(deadline, stream.chunk())
            .await
            .ok()?;
        let chunk = chunk.ok()??;
        seen.push_str(&String::from_utf8_lossy(&chunk));
        if seen.contains(wanted) {
            return Some(seen);
        }
    }
}

async fn agent_reply(app: &TestApp, case: &str, body: &str) {
    let status = app
        .client
        .post(format!("{}/_sandbox/cases/{case}/reply", salesforce(app)))
        .json(&json!({"body": body, "internal": false}))
        .send()
        .await
        .expect("reply")
        .status();
    assert_eq!(status.as_u16(), 201);
}

#[tokio::test]
async fn an_agent_answer_reaches_the_owners_streams_and_no_one_elses() {
    let app = spawn_app_with(&[("PORTAL__SUPPORT__LIVE_POLL_SECS", "1")]).await;
    let mut hanako = signed_in(&app, "hanako@example.jp").await;
    let to = post_multipart(&app, &hanako, "/api/support/new-case", &CASE_FIELDS, None).await;
    let id = case_id_of(&to);
    assert!(id.starts_with("500"), "{to}");
    // Read once so the portal caches the answer-less case.
    let before = get_case(&mut hanako, &id).await;
    assert_eq!(before.status, 200, "{}", before.body);

    let cookie = hanako.cookie_header();
    let mut case_stream = open_stream(&app, &cookie, &format!("/support/{id}/live")).await;
    assert_eq!(case_stream.status(), 200);
    assert_eq!(
        case_stream.headers()["content-type"].to_str().ok(),
        Some("text/event-stream")
    );
    let mut dashboard = open_stream(&app, &cookie, "/support/live").await;
    assert_eq!(dashboard.status(), 200);

    let alex = signed_in(&app, "alex@example.com").await;
    let alex_cookie = alex.cookie_header();
    // Alex cannot follow Hanako's case (nor an unknown one), and is not signed out for asking.
    let refused = open_stream(&app, &alex_cookie, &format!("/support/{id}/live")).await;
    assert_eq!(refused.status(), 404);
    let unknown = open_stream(&app, &alex_cookie, "/support/500J5000000zzzzAAA/live").await;
    assert_eq!(unknown.status(), 404);
    let anonymous = app
        .client
        .get(format!("{}/support/live", app.address))
        .send()
        .await
        .expect("anonymous");
    assert_eq!(anonymous.status(), 401);
    let mut alex_stream = open_stream(&app, &alex_cookie, "/support/live").await;
    assert_eq!(alex_stream.status(), 200);

    // Each stream is ready once its first check has recorded how the cases are.
    for stream in [&mut case_stream, &mut dashboard, &mut alex_stream] {
        assert!(
            read_until(stream, "event: ready", Duration::from_secs(10))
                .await
                .is_some(),
            "ready in time"
        );
    }

    agent_reply(&app, &id, "担当の佐藤です。確認いたします。").await;

    let heard = read_until(&mut case_stream, "event: case", Duration::from_secs(10))
        .await
        .expect("the case page heard the answer");
    assert!(heard.contains(&format!("data: {id}")), "{heard}");
    let heard = read_until(&mut dashboard, "event: case", Duration::from_secs(10))
        .await
        .expect("the dashboard heard it");
    assert!(heard.contains(&id), "{heard}");
    // The re-read the page then makes shows the answer (the cached copy was dropped).
    let after = get_case(&mut hanako, &id).await;
    assert!(
        after.body.contains("担当の佐藤です。"),
        "the answer is visible at once: {}",
        after.body
    );
    // Alex's stream never carries Hanako's case (several polls pass meanwhile).
    assert_eq!(
        read_until(&mut alex_stream, "event: case", Duration::from_secs(3)).await,
        None,
        "another customer's case event leaked"
    );
}

#[tokio::test]
async fn the_owner_downloads_a_file_and_nobody_else_can() {
    let app = spawn_app().await;
    let mut hanako = signed_in(&app, "hanako@example.jp").await;
    let to = post_multipart(
        &app,
        &hanako,
        "/api/support/new-case",
        &CASE_FIELDS,
        Some(("スクリーン shot.png", PNG)),
    )
    .await;
    let id = case_id_of(&to);
    let case = get_case(&mut hanako, &id).await.json();
    let document = case["value"]["files"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(document.starts_with("069"), "{case}");
    let path = format!("/support/{id}/files/{document}");

    let download = app
        .client
        .get(format!("{}{path}", app.address))
        .header("cookie", hanako.cookie_header())
        .send()
        .await
        .expect("download");
    assert_eq!(download.status(), 200);
    let header = |name: &str| {
        download
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(header("content-type"), "image/png");
    assert_eq!(header("x-content-type-options"), "nosniff");
    assert!(header("cache-control").contains("no-store"));
    let disposition = header("content-disposition");
    assert!(
        disposition.starts_with("attachment; filename=\"______shot.png\"; "),
        "an ASCII fallback: {disposition}"
    );
    assert!(
        disposition
            .ends_with("filename*=UTF-8''%E3%82%B9%E3%82%AF%E3%83%AA%E3%83%BC%E3%83%B3%20shot.png"),
        "the real name: {disposition}"
    );
    assert_eq!(download.bytes().await.expect("bytes").as_ref(), PNG);

    // Hanako's other case does not serve this file; Alex gets nothing either way.
    let other = post_multipart(&app, &hanako, "/api/support/new-case", &CASE_FIELDS, None).await;
    let other = case_id_of(&other);
    let alex = signed_in(&app, "alex@example.com").await;
    for (cookie, path) in [
        (
            hanako.cookie_header(),
            format!("/support/{other}/files/{document}"),
        ),
        (
            hanako.cookie_header(),
            format!("/support/{id}/files/069J5000000zzzzAAA"),
        ),
        (
            hanako.cookie_header(),
            format!("/support/{id}/files/not-a-file"),
        ),
        (alex.cookie_header(), path.clone()),
    ] {
        let answer = app
            .client
            .get(format!("{}{path}", app.address))
            .header("cookie", cookie)
            .send()
            .await
            .expect("answer");
        assert_eq!(answer.status(), 404, "{path}");
    }
    // Signed out: to the sign-in page, nothing served.
    let anonymous = app
        .client
        .get(format!("{}{path}", app.address))
        .send()
        .await
        .expect("answer");
    assert_eq!(anonymous.status().as_u16(), 303);
    assert_eq!(records(&app, "ContentVersion").await.len(), 1);
}
