//! Support cases against the Salesforce simulator over HTTP: a case with its 8-digit number
//! and link to a service, public comments from both sides in order while an internal note
//! never comes back, a file attached through ContentVersion (ContentDocument and link
//! created), close and reopen, and scoping: another account's case reads as none.

use portal::domain::support::{Author, CaseCategory, CaseContext, CaseStatus, FileKind, NewCase};
use portal::server::integrations::salesforce::{SalesforceCases, SalesforceError, SalesforceId};
use serde_json::json;

use crate::sandbox::SalesforceEnv as Env;

const HANAKO: &str = "001J5000003HanAIAS";
const HANAKO_CONTACT: &str = "003J5000004HanAIAS";
const ALEX: &str = "001J5000003AlxMIAS";

fn id(text: &str) -> SalesforceId {
    SalesforceId::parse(text).expect("id")
}

impl Env {
    fn cases(&self) -> SalesforceCases {
        SalesforceCases::new(self.client(), &self.settings()).expect("case fields")
    }

    async fn agent_reply(&self, case: &str, body: &str, internal: bool) -> reqwest::StatusCode {
        self.http
            .post(format!("{}/_sandbox/cases/{case}/reply", self.base()))
            .json(&json!({"body": body, "internal": internal}))
            .send()
            .await
            .expect("reply")
            .status()
    }
}

fn new_case() -> NewCase {
    NewCase::parse("technical", "No signal", "Since Monday, no connection.").expect("valid")
}

/// A case for Hanako, linked to nothing.
async fn plain_case(cases: &SalesforceCases) -> SalesforceId {
    cases
        .create_case(
            &id(HANAKO),
            &id(HANAKO_CONTACT),
            &new_case(),
            &CaseContext::default(),
            None,
        )
        .await
        .expect("created")
}

#[tokio::test]
async fn a_case_carries_its_context_and_conversation() {
    let env = Env::start().await;
    let cases = env.cases();
    let context = CaseContext {
        service_id: Some(101),
        service_name: Some("光ファイバー 1ギガ".into()),
        phone_masked: Some("090-****-5678".into()),
        ..CaseContext::default()
    };
    let case_id = cases
        .create_case(
            &id(HANAKO),
            &id(HANAKO_CONTACT),
            &new_case(),
            &context,
            None,
        )
        .await
        .expect("created");
    assert!(case_id.as_str().starts_with("500"));
    let stored = env.records("Case").await;
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0]["CaseNumber"], "00001001");
    assert_eq!(stored[0]["Origin"], "Web");
    assert_eq!(stored[0]["Type"], "Technical");
    assert_eq!(stored[0]["ContactId"], HANAKO_CONTACT);
    assert_eq!(stored[0]["Portal_Service_Id__c"], "101");

    cases
        .add_comment(&case_id, "Any news?")
        .await
        .expect("comment");
    assert_eq!(
        env.agent_reply(case_id.as_str(), "We are looking into it.", false)
            .await
            .as_u16(),
        201
    );
    assert_eq!(
        env.agent_reply("00001001", "internal: check the OLT", true)
            .await
            .as_u16(),
        201
    );
    assert_eq!(env.agent_reply("00009999", "x", false).await.as_u16(), 404);

    let case = cases
        .case(&id(HANAKO), &case_id)
        .await
        .expect("read")
        .expect("found");
    assert_eq!(case.summary.number, "00001001");
    assert_eq!(
        case.summary.status,
        CaseStatus::Working,
        "an agent picked it up"
    );
    assert_eq!(case.summary.category, Some(CaseCategory::Technical));
    assert_eq!(case.summary.context.service_id, Some(101));
    assert_eq!(
        case.summary.context.phone_masked.as_deref(),
        Some("090-****-5678")
    );
    assert_eq!(case.description, "Since Monday, no connection.");
    let said: Vec<(Author, &str)> = case
        .messages
        .iter()
        .map(|m| (m.author, m.body.as_str()))
        .collect();
    assert_eq!(
        said,
        vec![
            (Author::Customer, "Any news?"),
            (Author::Agent, "We are looking into it.")
        ],
        "the internal note is not among them"
    );
    assert!(case.summary.answered);
    // The simulator holds all three comments; one is internal.
    let comments = env.records("CaseComment").await;
    assert_eq!(comments.len(), 3);
    assert_eq!(
        comments
            .iter()
            .filter(|c| c["IsPublished"] == false)
            .count(),
        1
    );

    // Another account sees nothing of it.
    assert_eq!(cases.case(&id(ALEX), &case_id).await.expect("read"), None);
    assert!(
        cases
            .cases_for_account(&id(ALEX))
            .await
            .expect("list")
            .is_empty()
    );
    let listed = cases.cases_for_account(&id(HANAKO)).await.expect("list");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id, case_id.as_str());
}

#[tokio::test]
async fn files_attach_through_content_version() {
    let env = Env::start().await;
    let cases = env.cases();
    let case_id = plain_case(&cases).await;
    let pdf = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n".to_vec();
    let version = cases
        .attach(&case_id, "請求書.pdf", FileKind::Pdf, &pdf)
        .await
        .expect("attached");
    assert!(version.as_str().starts_with("068"));
    let versions = env.records("ContentVersion").await;
    assert_eq!(versions.len(), 1);
    assert_eq!(versions[0]["FirstPublishLocationId"], case_id.as_str());
    assert_eq!(versions[0]["ContentSize"], pdf.len() as f64);
    assert_eq!(env.records("ContentDocument").await.len(), 1);
    let links = env.records("ContentDocumentLink").await;
    assert_eq!(links.len(), 1);
    assert_eq!(links[0]["LinkedEntityId"], case_id.as_str());

    let case = cases
        .case(&id(HANAKO), &case_id)
        .await
        .expect("read")
        .expect("found");
    assert_eq!(case.files.len(), 1);
    assert_eq!(case.files[0].title, "請求書.pdf");
    assert_eq!(case.files[0].extension, "pdf");
    assert_eq!(case.files[0].size, pdf.len() as u64);
}

#[tokio::test]
async fn a_file_reads_back_through_its_version_data_for_its_account_only() {
    let env = Env::start().await;
    let cases = env.cases();
    let case_id = plain_case(&cases).await;
    let other_case = plain_case(&cases).await;
    // Every byte value, so nothing is mangled as text on the way back.
    let png: Vec<u8> = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]
        .into_iter()
        .chain((0..=255u8).rev())
        .collect();
    cases
        .attach(&case_id, "画面.png", FileKind::Png, &png)
        .await
        .expect("attached");
    let listed = cases
        .case(&id(HANAKO), &case_id)
        .await
        .expect("read")
        .expect("found");
    let document = id(&listed.files[0].id);
    assert!(document.as_str().starts_with("069"));

    let file = cases
        .file(&id(HANAKO), &case_id, &document)
        .await
        .expect("read")
        .expect("found");
    assert_eq!(file.bytes, png, "VersionData comes back byte for byte");
    assert_eq!(file.title, "画面.png");
    assert_eq!(file.extension, "png");

    // Another account, or another case of the same account: nothing.
    assert_eq!(
        cases
            .file(&id(ALEX), &case_id, &document)
            .await
            .expect("read"),
        None
    );
    assert_eq!(
        cases
            .file(&id(HANAKO), &other_case, &document)
            .await
            .expect("read"),
        None
    );
    // The Blob Get resource answers blob fields only.
    let versions = env.records("ContentVersion").await;
    let version = id(versions[0]["Id"].as_str().unwrap_or_default());
    assert_eq!(
        env.client()
            .get_blob("ContentVersion", &version, "VersionData")
            .await
            .expect("blob"),
        png
    );
    assert!(
        env.client()
            .get_blob("ContentVersion", &version, "Title")
            .await
            .is_err()
    );
}

#[tokio::test]
async fn cases_close_and_reopen() {
    let env = Env::start().await;
    let cases = env.cases();
    let case_id = plain_case(&cases).await;
    cases
        .set_status(&case_id, CaseStatus::Closed)
        .await
        .expect("closed");
    let closed = cases
        .case(&id(HANAKO), &case_id)
        .await
        .expect("read")
        .expect("found");
    assert_eq!(closed.summary.status, CaseStatus::Closed);
    assert!(closed.summary.closed.is_some());
    cases
        .set_status(&case_id, CaseStatus::New)
        .await
        .expect("reopened");
    let reopened = cases
        .case(&id(HANAKO), &case_id)
        .await
        .expect("read")
        .expect("found");
    assert_eq!(reopened.summary.status, CaseStatus::New);
    assert_eq!(reopened.summary.closed, None);
    // A comment on an unknown case is refused by the org.
    let unknown = id("500J5000000ZZZZ");
    match cases.add_comment(&unknown, "x").await {
        Err(SalesforceError::Validation { code, .. }) => {
            assert_eq!(code, "INVALID_CROSS_REFERENCE_KEY")
        }
        other => panic!("unexpected {other:?}"),
    }
}
