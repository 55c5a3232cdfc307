//! Support cases over HTTP: a case opened from a service through the multipart form, with a
//! file, lands in the Salesforce simulator with its link and masked phone; the conversation
//! shows the agent's public answer but never an internal note; another customer's case is
//! "not found" for every read and change; files that are too large or of the wrong type are
//! refused with a clear error and nothing is stored; reply, close and reopen.

use crate::browser::{Answer, Browser};
use crate::helpers::{TestApp, spawn_app};
use crate::shop::{records, salesforce, signed_in};
use serde_json::json;

const BOUNDARY: &str = "----portal-test-boundary";
pub(crate) const PNG: &[u8] = &[
    0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, b'I', b'H',
];

/// A `multipart/form-data` body, written out as a browser does.
fn multipart(fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    if let Some((name, bytes)) = file {
        body.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// Posts a multipart form as the signed-in browser; returns the redirect target.
pub(crate) async fn post_multipart(
    app: &TestApp,
    browser: &Browser,
    path: &str,
    fields: &[(&str, &str)],
    file: Option<(&str, &[u8])>,
) -> String {
    let response = app
        .client
        .post(format!("{}{path}", app.address))
        .header("cookie", browser.cookie_header())
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(multipart(fields, file))
        .send()
        .await
        .expect("posted");
    assert_eq!(response.status().as_u16(), 303, "a redirect");
    response
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

pub(crate) fn case_id_of(location: &str) -> String {
    location
        .strip_prefix("/support/")
        .and_then(|rest| rest.split('?').next())
        .unwrap_or_default()
        .to_owned()
}

pub(crate) async fn get_case(browser: &mut Browser, id: &str) -> Answer {
    browser.post("/api/support/case", &[("id", id)]).await
}

pub(crate) const CASE_FIELDS: [(&str, &str); 4] = [
    ("service", "102"),
    ("category", "technical"),
    ("subject", "繋がりません"),
    ("description", "月曜日から接続できません。"),
];

#[tokio::test]
async fn a_case_opened_from_a_service_reaches_salesforce_with_its_context_and_file() {
    let app = spawn_app().await;
    let mut hanako = signed_in(&app, "hanako@example.jp").await;
    let to = post_multipart(
        &app,
        &hanako,
        "/api/support/new-case",
        &CASE_FIELDS,
        Some(("screen.png", PNG)),
    )
    .await;
    assert!(
        to.starts_with("/support/500") && to.ends_with("?opened=1"),
        "{to}"
    );
    let id = case_id_of(&to);

    let stored = records(&app, "Case").await;
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0]["Subject"], "繋がりません");
    assert_eq!(stored[0]["AccountId"], "001J5000003HanAIAS");
    assert_eq!(stored[0]["ContactId"], "003J5000004HanAIAS");
    assert_eq!(stored[0]["Portal_Service_Id__c"], "102");
    let phone = stored[0]["Portal_Phone_Masked__c"]
        .as_str()
        .unwrap_or_default();
    assert_eq!(phone, "090-****-5678");
    let versions = records(&app, "ContentVersion").await;
    assert_eq!(versions.len(), 1);
    assert_eq!(versions[0]["FirstPublishLocationId"], id.as_str());
    assert_eq!(versions[0]["PathOnClient"], "screen.png");

    // The agent answers and leaves an internal note; the customer sees only the answer.
    for (body, internal) in [("確認いたします。", false), ("internal: check OLT", true)] {
        let status = app
            .client
            .post(format!("{}/_sandbox/cases/{id}/reply", salesforce(&app)))
            .json(&json!({"body": body, "internal": internal}))
            .send()
            .await
            .expect("reply")
            .status();
        assert_eq!(status.as_u16(), 201);
    }
    let answer = get_case(&mut hanako, &id).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert!(
        !answer.body.contains("internal: check OLT"),
        "{}",
        answer.body
    );
    let case = answer.json()["value"].clone();
    let messages = case["messages"].as_array().cloned().unwrap_or_default();
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0]["author"], "Agent");
    assert_eq!(case["files"][0]["title"], "screen.png");
    assert_eq!(case["summary"]["context"]["service_id"], 102);

    let list = hanako.post("/api/support/cases", &[]).await.json();
    assert_eq!(list["value"][0]["id"], id.as_str());
    assert_eq!(list["value"][0]["answered"], true);
}

#[tokio::test]
async fn another_customers_case_is_not_found() {
    let app = spawn_app().await;
    let hanako = signed_in(&app, "hanako@example.jp").await;
    let to = post_multipart(&app, &hanako, "/api/support/new-case", &CASE_FIELDS, None).await;
    let id = case_id_of(&to);
    assert!(id.starts_with("500"), "{to}");

    let mut alex = signed_in(&app, "alex@example.com").await;
    assert_eq!(get_case(&mut alex, &id).await.status, 404);
    assert_eq!(get_case(&mut alex, "not-an-id").await.status, 404);
    assert_eq!(get_case(&mut alex, "001J5000003HanAIAS").await.status, 404);
    for (path, form) in [
        (
            "/api/support/reply",
            vec![("id", id.as_str()), ("body", "mine now")],
        ),
        ("/api/support/close", vec![("id", id.as_str())]),
        ("/api/support/reopen", vec![("id", id.as_str())]),
    ] {
        let answer = alex.post(path, &form).await;
        assert_eq!(answer.status, 404, "{path}: {}", answer.body);
    }
    let attach = post_multipart(
        &app,
        &alex,
        &format!("/api/support/attach/{id}"),
        &[],
        Some(("a.png", PNG)),
    )
    .await;
    assert_eq!(attach, format!("/support/{id}?error=not_found"));
    let list = alex.post("/api/support/cases", &[]).await.json();
    assert_eq!(list["value"], json!([]));
    // Hanako's service cannot be used by Alex to open a case either.
    let to = post_multipart(&app, &alex, "/api/support/new-case", &CASE_FIELDS, None).await;
    assert!(to.contains("error=not_found"), "{to}");
    // Nothing changed: one case, no comments, no files.
    assert_eq!(records(&app, "Case").await.len(), 1);
    assert_eq!(records(&app, "Case").await[0]["Status"], "New");
    assert!(records(&app, "CaseComment").await.is_empty());
    assert!(records(&app, "ContentVersion").await.is_empty());
}

#[tokio::test]
async fn files_over_the_limit_or_of_the_wrong_type_are_refused_and_nothing_is_stored() {
    let app = spawn_app_with_small_files().await;
    let hanako = signed_in(&app, "hanako@example.jp").await;
    let mut big = PNG.to_vec();
    big.resize(2048, 0);
    for (name, bytes, key) in [
        ("big.png", big.as_slice(), "file_too_large"),
        ("virus.exe", PNG, "file_type"),
        (
            "fake.png",
            b"MZ\x90\x00 not an image".as_slice(),
            "file_type",
        ),
        ("empty.txt", b"".as_slice(), "file_empty"),
    ] {
        let to = post_multipart(
            &app,
            &hanako,
            "/api/support/new-case",
            &CASE_FIELDS,
            Some((name, bytes)),
        )
        .await;
        assert!(to.starts_with("/support/new?"), "{to}");
        assert!(to.contains(&format!("error={key}")), "{name}: {to}");
        // What was typed comes back.
        assert!(
            to.contains("service=102") && to.contains("category=technical"),
            "{to}"
        );
    }
    // A body far beyond the limit is refused the same way.
    let huge = vec![b'a'; 2 * 1024 * 1024];
    let to = post_multipart(
        &app,
        &hanako,
        "/api/support/new-case",
        &CASE_FIELDS,
        Some(("huge.txt", &huge)),
    )
    .await;
    assert!(to.contains("error=file_too_large"), "{to}");
    assert!(records(&app, "Case").await.is_empty());
    assert!(records(&app, "ContentVersion").await.is_empty());

    // On an existing case, too.
    let to = post_multipart(&app, &hanako, "/api/support/new-case", &CASE_FIELDS, None).await;
    let id = case_id_of(&to);
    let to = post_multipart(
        &app,
        &hanako,
        &format!("/api/support/attach/{id}"),
        &[],
        Some(("big.png", &big)),
    )
    .await;
    assert_eq!(to, format!("/support/{id}?error=file_too_large"));
    let to = post_multipart(
        &app,
        &hanako,
        &format!("/api/support/attach/{id}"),
        &[],
        Some(("ok.png", PNG)),
    )
    .await;
    assert_eq!(to, format!("/support/{id}?attached=1"));
    assert_eq!(records(&app, "ContentVersion").await.len(), 1);
}

async fn spawn_app_with_small_files() -> TestApp {
    crate::helpers::spawn_app_with(&[
        ("PORTAL__SUPPORT__MAX_ATTACHMENT_BYTES", "1024"),
        ("PORTAL__SUPPORT__ATTACHMENT_TYPES", "png,txt"),
    ])
    .await
}

#[tokio::test]
async fn reply_close_and_reopen() {
    let app = spawn_app().await;
    let mut hanako = signed_in(&app, "hanako@example.jp").await;
    let fields = [
        ("category", "billing"),
        ("subject", "Invoice question"),
        ("description", "Why two charges?"),
    ];
    let to = post_multipart(&app, &hanako, "/api/support/new-case", &fields, None).await;
    let id = case_id_of(&to);

    let empty = hanako
        .post("/api/support/reply", &[("id", &id), ("body", "  ")])
        .await;
    assert_eq!(empty.status, 422, "{}", empty.body);
    let reply = hanako
        .post("/api/support/reply", &[("id", &id), ("body", "Any news?")])
        .await;
    assert!(reply.status < 400, "{}", reply.body);
    let case = get_case(&mut hanako, &id).await.json();
    assert_eq!(case["value"]["messages"][0]["author"], "Customer");
    assert_eq!(case["value"]["messages"][0]["body"], "Any news?");

    let closed = hanako.post("/api/support/close", &[("id", &id)]).await;
    assert!(closed.status < 400, "{}", closed.body);
    let case = get_case(&mut hanako, &id).await.json();
    assert_eq!(case["value"]["summary"]["status"], "Closed");
    assert_eq!(case["value"]["reopenable"], true);
    // A closed case takes no replies until it is reopened.
    let late = hanako
        .post("/api/support/reply", &[("id", &id), ("body", "one more")])
        .await;
    assert_eq!(late.status, 409, "{}", late.body);

    let reopened = hanako.post("/api/support/reopen", &[("id", &id)]).await;
    assert!(reopened.status < 400, "{}", reopened.body);
    let case = get_case(&mut hanako, &id).await.json();
    assert_eq!(case["value"]["summary"]["status"], "New");
    let again = hanako.post("/api/support/reopen", &[("id", &id)]).await;
    assert_eq!(again.status, 409, "only a closed case reopens");
    assert_eq!(records(&app, "Case").await[0]["Status"], "New");
    assert_eq!(records(&app, "CaseComment").await.len(), 1);
}

#[tokio::test]
async fn a_file_that_fails_after_the_case_exists_is_reported_and_can_be_attached_again() {
    use portal::sandbox::{FaultKind, FaultRule};
    let app = spawn_app().await;
    let mut hanako = signed_in(&app, "hanako@example.jp").await;
    app.inject_fault(&FaultRule {
        provider: "salesforce".into(),
        path_prefix: Some("/services/data/v62.0/sobjects/ContentVersion".into()),
        kind: FaultKind::Status { status: 500 },
        times: Some(1),
        every: None,
    })
    .await;
    let to = post_multipart(
        &app,
        &hanako,
        "/api/support/new-case",
        &CASE_FIELDS,
        Some(("screen.png", PNG)),
    )
    .await;
    assert!(to.ends_with("?opened=1&file=failed"), "{to}");
    let id = case_id_of(&to);
    assert_eq!(records(&app, "Case").await.len(), 1, "the case stands");
    assert!(records(&app, "ContentVersion").await.is_empty());
    let page = hanako.get(&to).await;
    assert!(
        page.body.contains("data-testid=\"file-failed\""),
        "the page says so"
    );
    // Attaching again from the case page works.
    let again = post_multipart(
        &app,
        &hanako,
        &format!("/api/support/attach/{id}"),
        &[],
        Some(("screen.png", PNG)),
    )
    .await;
    assert_eq!(again, format!("/support/{id}?attached=1"));
    assert_eq!(records(&app, "ContentVersion").await.len(), 1);
}
