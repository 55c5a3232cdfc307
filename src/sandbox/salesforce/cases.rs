//! Support cases in the simulated org: the objects (User, Case, CaseComment, ContentVersion,
//! ContentDocument, ContentDocumentLink), the rules the [`Store`] applies on every write, and
//! the operator's agent reply (`POST /_sandbox/cases/{id}/reply`).
//!
//! - a Case gets an 8-digit `CaseNumber` (`00001001`, …), `Status` `New` when none is given;
//!   `IsClosed`/`ClosedDate` follow `Status` (set on closing, cleared on reopening);
//! - a CaseComment records who wrote it in `CreatedById`: the integration user for comments
//!   made through the API, an agent for the operator's replies; `IsPublished` defaults to false
//!   (an internal note), as in Salesforce;
//! - a ContentVersion carries its file as base64 `VersionData` and a `PathOnClient`; inserting
//!   it creates its ContentDocument and, with `FirstPublishLocationId`, the ContentDocumentLink
//!   that shares the file with that record (here: the case). `ContentSize`, `FileExtension`
//!   and `FileType` are derived from the data and the name.

use super::errors::{ErrorItem, RestError};
use super::ids;
use super::schema::{ChildRelationship, FieldDef, FieldType, ObjectDef, Record, Schema};
use super::store::{Store, format_datetime};
use super::{SimState, orders::next_number};
use axum::Json;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use serde::Deserialize;
use serde_json::{Value, json};
use std::sync::Arc;

/// The integration user (the API's `CreatedById`); the same id as the token's user.
pub fn integration_user() -> String {
    ids::generate("005", 1)
}

/// The support agent who answers in the sandbox.
pub fn agent_user() -> String {
    ids::generate("005", 2)
}

/// Case custom fields of the simulated org (the portal's defaults).
pub mod case_fields {
    /// The billing system's service id the case is about.
    pub const SERVICE_ID: &str = "Portal_Service_Id__c";
    /// That service's name.
    pub const SERVICE_NAME: &str = "Portal_Service_Name__c";
    /// The line's phone number, masked.
    pub const PHONE_MASKED: &str = "Portal_Phone_Masked__c";
    /// Lookup to the order the case is about.
    pub const ORDER: &str = "Order__c";
}

/// Largest decoded file the simulated org accepts through a JSON insert (Salesforce's limit
/// for base64 bodies is about 37.5 MB of data in a 50 MB request).
const MAX_VERSION_BYTES: usize = 37_500_000;

/// User, Case, CaseComment and the three Content objects.
pub fn case_objects() -> Vec<ObjectDef> {
    use FieldType::*;
    let reference =
        |name, label, to, relationship| FieldDef::new(name, label, Reference { to, relationship });
    let user = ObjectDef::new(
        "User",
        "005",
        vec![
            FieldDef::new("Username", "Username", Text(80))
                .required()
                .unique(),
            FieldDef::new("Name", "Full Name", Text(121)),
            FieldDef::new("IsActive", "Active", Boolean),
        ],
    );
    let mut case = ObjectDef::new(
        "Case",
        "500",
        vec![
            reference("AccountId", "Account ID", "Account", "Account"),
            reference("ContactId", "Contact ID", "Contact", "Contact"),
            FieldDef::new("CaseNumber", "Case Number", Text(30)).read_only(),
            FieldDef::new("Subject", "Subject", Text(255)),
            FieldDef::new("Description", "Description", TextArea(32000)),
            FieldDef::new(
                "Status",
                "Status",
                Picklist(&["New", "Working", "Escalated", "Closed"]),
            ),
            FieldDef::new("Priority", "Priority", Picklist(&["High", "Medium", "Low"])),
            FieldDef::new(
                "Origin",
                "Case Origin",
                Picklist(&["Phone", "Email", "Web"]),
            ),
            FieldDef::new(
                "Type",
                "Case Type",
                Picklist(&["Billing", "Technical", "Service", "Order", "Other"]),
            ),
            FieldDef::new("IsClosed", "Closed", Boolean).read_only(),
            FieldDef::new("ClosedDate", "Closed Date", DateTime).read_only(),
            FieldDef::new("IsEscalated", "Escalated", Boolean),
            FieldDef::new(case_fields::SERVICE_ID, "Portal Service Id", Text(20)),
            FieldDef::new(case_fields::SERVICE_NAME, "Portal Service Name", Text(255)),
            FieldDef::new(case_fields::PHONE_MASKED, "Portal Phone (masked)", Text(40)),
            reference(case_fields::ORDER, "Order", "Order", "Order__r"),
        ],
    );
    case.children.push(ChildRelationship {
        name: "CaseComments",
        object: "CaseComment",
        field: "ParentId",
    });
    case.children.push(ChildRelationship {
        name: "ContentDocumentLinks",
        object: "ContentDocumentLink",
        field: "LinkedEntityId",
    });
    let comment = ObjectDef::new(
        "CaseComment",
        "00a",
        vec![
            reference("ParentId", "Parent ID", "Case", "Parent")
                .required()
                .create_only(),
            FieldDef::new("CommentBody", "Body", TextArea(4000)).required(),
            FieldDef::new("IsPublished", "Published", Boolean),
            reference("CreatedById", "Created By ID", "User", "CreatedBy").read_only(),
        ],
    );
    let version = ObjectDef::new(
        "ContentVersion",
        "068",
        vec![
            FieldDef::new("Title", "Title", Text(255)).required(),
            FieldDef::new("PathOnClient", "Path On Client", Text(500))
                .required()
                .create_only(),
            FieldDef::new("VersionData", "Version Data", TextArea(50_000_000))
                .required()
                .create_only(),
            reference(
                "FirstPublishLocationId",
                "First Publish Location ID",
                "Case",
                "FirstPublishLocation",
            )
            .create_only(),
            reference(
                "ContentDocumentId",
                "Content Document ID",
                "ContentDocument",
                "ContentDocument",
            )
            .read_only(),
            FieldDef::new("FileExtension", "File Extension", Text(40)).read_only(),
            FieldDef::new("FileType", "File Type", Text(20)).read_only(),
            FieldDef::new("ContentSize", "Size", Double).read_only(),
            FieldDef::new("IsLatest", "Is Latest", Boolean).read_only(),
        ],
    );
    let document = ObjectDef::new(
        "ContentDocument",
        "069",
        vec![
            FieldDef::new("Title", "Title", Text(255)),
            FieldDef::new("FileExtension", "File Extension", Text(40)).read_only(),
            FieldDef::new("FileType", "File Type", Text(20)).read_only(),
            FieldDef::new("ContentSize", "Size", Double).read_only(),
            reference(
                "LatestPublishedVersionId",
                "Latest Published Version ID",
                "ContentVersion",
                "LatestPublishedVersion",
            )
            .read_only(),
        ],
    );
    let link = ObjectDef::new(
        "ContentDocumentLink",
        "06A",
        vec![
            reference(
                "ContentDocumentId",
                "Content Document ID",
                "ContentDocument",
                "ContentDocument",
            )
            .required()
            .create_only(),
            reference("LinkedEntityId", "Linked Entity ID", "Case", "LinkedEntity")
                .required()
                .create_only(),
            FieldDef::new("ShareType", "Share Type", Picklist(&["V", "C", "I"])),
            FieldDef::new(
                "Visibility",
                "Visibility",
                Picklist(&["AllUsers", "InternalUsers", "SharedUsers"]),
            ),
        ],
    );
    vec![user, case, comment, version, document, link]
}

/// The org's users: the integration user and one support agent.
pub fn seed_users(schema: &Schema, store: &mut Store) {
    let Some(user) = schema.object("User") else {
        return;
    };
    for (id, username, name) in [
        (
            integration_user(),
            super::USERNAME,
            "Portal Integration".to_owned(),
        ),
        (
            agent_user(),
            "agent.sato@portal.sandbox",
            "佐藤 (サポート)".to_owned(),
        ),
    ] {
        let record = json!({"Id": id, "Username": username, "Name": name, "IsActive": true});
        if let Value::Object(record) = record {
            store.insert_seed(user, record);
        }
    }
}

fn text<'r>(record: &'r Record, field: &str) -> Option<&'r str> {
    record.get(field).and_then(Value::as_str)
}

fn now() -> Value {
    Value::String(format_datetime(time::OffsetDateTime::now_utc()))
}

fn bad_data(message: &str, field: &str) -> ErrorItem {
    ErrorItem {
        message: message.to_owned(),
        error_code: "INVALID_FIELD".into(),
        fields: vec![field.to_owned()],
    }
}

/// Checks and completes a Case, CaseComment or ContentVersion about to be written.
pub fn before_write(
    store: &Store,
    object: &ObjectDef,
    record: &mut Record,
    old: Option<&Record>,
) -> Vec<ErrorItem> {
    match object.name {
        "Case" => {
            if old.is_none() {
                record.insert(
                    "CaseNumber".into(),
                    next_number(store, "Case", "CaseNumber", 1000),
                );
                if record.get("Status").is_none_or(Value::is_null) {
                    record.insert("Status".into(), Value::String("New".into()));
                }
            }
            if record.get("Status").is_none_or(Value::is_null) {
                return vec![ErrorItem {
                    message: "Required fields are missing: [Status]".into(),
                    error_code: "REQUIRED_FIELD_MISSING".into(),
                    fields: vec!["Status".into()],
                }];
            }
            let closed = text(record, "Status") == Some("Closed");
            let was_closed = old.is_some_and(|o| o.get("IsClosed") == Some(&Value::Bool(true)));
            if closed && !was_closed {
                record.insert("ClosedDate".into(), now());
            } else if !closed {
                record.insert("ClosedDate".into(), Value::Null);
            }
            record.insert("IsClosed".into(), Value::Bool(closed));
            Vec::new()
        }
        "CaseComment" => {
            if old.is_none() {
                record.insert("CreatedById".into(), Value::String(integration_user()));
                if record.get("IsPublished").is_none_or(Value::is_null) {
                    record.insert("IsPublished".into(), Value::Bool(false));
                }
            }
            Vec::new()
        }
        "ContentVersion" if old.is_none() => content_version(record),
        _ => Vec::new(),
    }
}

fn content_version(record: &mut Record) -> Vec<ErrorItem> {
    let data = text(record, "VersionData").unwrap_or_default();
    let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(data.trim()) else {
        return vec![bad_data(
            "Version Data: the value is not valid base64",
            "VersionData",
        )];
    };
    if bytes.is_empty() {
        return vec![bad_data("Version Data: the file is empty", "VersionData")];
    }
    if bytes.len() > MAX_VERSION_BYTES {
        return vec![ErrorItem {
            message: "Version Data: the file exceeds the maximum size".into(),
            error_code: "STRING_TOO_LONG".into(),
            fields: vec!["VersionData".into()],
        }];
    }
    let path = text(record, "PathOnClient").unwrap_or_default();
    let extension = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let file_type = match extension.as_str() {
        "png" => "PNG",
        "jpg" | "jpeg" => "JPG",
        "pdf" => "PDF",
        "txt" => "TEXT",
        _ => "UNKNOWN",
    };
    record.insert("FileExtension".into(), Value::String(extension));
    record.insert("FileType".into(), Value::String(file_type.into()));
    record.insert("ContentSize".into(), Value::from(bytes.len() as f64));
    record.insert("IsLatest".into(), Value::Bool(true));
    Vec::new()
}

/// After a ContentVersion insert: its ContentDocument and, with a first publish location, the
/// link sharing it with that record.
pub fn after_write(store: &mut Store, schema: &Schema, object: &ObjectDef, record: &Record) {
    if object.name != "ContentVersion" || text(record, "ContentDocumentId").is_some() {
        return;
    }
    let (Some(document), Some(link), Some(version_id)) = (
        schema.object("ContentDocument"),
        schema.object("ContentDocumentLink"),
        text(record, "Id").map(str::to_owned),
    ) else {
        return;
    };
    let document_id = ids::generate("069", store.records("ContentDocument").len() as u64 + 1);
    let mut doc = Record::new();
    doc.insert("Id".into(), Value::String(document_id.clone()));
    for field in ["Title", "FileExtension", "FileType", "ContentSize"] {
        doc.insert(
            field.into(),
            record.get(field).cloned().unwrap_or(Value::Null),
        );
    }
    doc.insert(
        "LatestPublishedVersionId".into(),
        Value::String(version_id.clone()),
    );
    store.insert_seed(document, doc);
    store.set_field(
        "ContentVersion",
        &version_id,
        "ContentDocumentId",
        Value::String(document_id.clone()),
    );
    if let Some(target) = text(record, "FirstPublishLocationId") {
        let link_id = ids::generate("06A", store.records("ContentDocumentLink").len() as u64 + 1);
        let mut row = Record::new();
        row.insert("Id".into(), Value::String(link_id));
        row.insert("ContentDocumentId".into(), Value::String(document_id));
        row.insert("LinkedEntityId".into(), Value::String(target.to_owned()));
        row.insert("ShareType".into(), Value::String("V".into()));
        row.insert("Visibility".into(), Value::String("AllUsers".into()));
        store.insert_seed(link, row);
    }
}

/// The operator's reply.
#[derive(Deserialize)]
pub struct Reply {
    /// The text.
    body: String,
    /// An internal note (never shown to the customer) instead of a public answer.
    #[serde(default)]
    internal: bool,
}

/// `POST /_sandbox/cases/{id}/reply` with `{"body": "…", "internal": false}`: an agent answers
/// case `{id}` (its record id, or its `CaseNumber`). A public answer moves a `New` case to
/// `Working`, as an agent picking it up would. 201 with the comment, 404 for an unknown case,
/// 400 with Salesforce's errors for a bad body.
pub async fn reply(
    State(st): State<Arc<SimState>>,
    Path(raw): Path<String>,
    Json(reply): Json<Reply>,
) -> Response {
    let mut inner = st.lock();
    let store = &mut inner.store;
    let case_id = match ids::normalize(&raw).filter(|id| id.starts_with("500")) {
        Some(id) => store.find("Case", &id).map(|_| id),
        None => store
            .records("Case")
            .iter()
            .find(|c| text(c, "CaseNumber") == Some(raw.as_str()))
            .and_then(|c| text(c, "Id").map(str::to_owned)),
    };
    let (Some(case_id), Some(def)) = (case_id, st.schema.object("CaseComment")) else {
        return RestError::not_found().into_response();
    };
    let body =
        json!({"ParentId": case_id, "CommentBody": reply.body, "IsPublished": !reply.internal});
    let Value::Object(body) = body else {
        return RestError::not_found().into_response();
    };
    let id = match store.create(&st.schema, def, &body) {
        Ok(id) => id,
        Err(e) => return e.into_response(),
    };
    store.set_field(
        "CaseComment",
        &id,
        "CreatedById",
        Value::String(agent_user()),
    );
    if !reply.internal
        && store.find("Case", &case_id).and_then(|c| text(c, "Status")) == Some("New")
    {
        store.set_field("Case", &case_id, "Status", Value::String("Working".into()));
    }
    store.set_field("Case", &case_id, "LastModifiedDate", now());
    let comment = store.find("CaseComment", &id).cloned().unwrap_or_default();
    (
        axum::http::StatusCode::CREATED,
        Json(Value::Object(comment)),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Map;

    fn setup() -> (Schema, Store, String) {
        let schema = Schema::standard();
        let mut store = Store::default();
        seed_users(&schema, &mut store);
        let account = schema.object("Account").expect("Account");
        let mut a = Map::new();
        a.insert("Name".into(), json!("Acme"));
        let account_id = store.create(&schema, account, &a).expect("account");
        (schema, store, account_id)
    }

    fn body(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }

    #[test]
    fn cases_get_numbers_and_follow_their_status() {
        let (schema, mut store, account) = setup();
        let def = schema.object("Case").expect("Case");
        let first = store
            .create(
                &schema,
                def,
                &body(json!({"AccountId": account, "Subject": "a"})),
            )
            .expect("case");
        let second = store
            .create(
                &schema,
                def,
                &body(json!({"AccountId": account, "Subject": "b", "Status": "Working"})),
            )
            .expect("case");
        let c1 = store.find("Case", &first).expect("stored").clone();
        assert_eq!(c1["CaseNumber"], "00001001");
        assert_eq!(c1["Status"], "New");
        assert_eq!(c1["IsClosed"], false);
        assert_eq!(
            store.find("Case", &second).expect("stored")["CaseNumber"],
            "00001002"
        );
        store
            .update(&schema, def, &first, &body(json!({"Status": "Closed"})))
            .expect("close");
        let closed = store.find("Case", &first).expect("stored");
        assert_eq!(closed["IsClosed"], true);
        assert!(closed["ClosedDate"].is_string());
        store
            .update(&schema, def, &first, &body(json!({"Status": "Working"})))
            .expect("reopen");
        let reopened = store.find("Case", &first).expect("stored");
        assert_eq!(reopened["IsClosed"], false);
        assert!(reopened["ClosedDate"].is_null());
        let err = store
            .create(&schema, def, &body(json!({"Status": "Pending"})))
            .expect_err("bad picklist");
        assert_eq!(err.code(), "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST");
    }

    #[test]
    fn comments_record_their_author_and_default_to_internal() {
        let (schema, mut store, account) = setup();
        let case = store
            .create(
                &schema,
                schema.object("Case").expect("Case"),
                &body(json!({"AccountId": account})),
            )
            .expect("case");
        let def = schema.object("CaseComment").expect("CaseComment");
        let id = store
            .create(
                &schema,
                def,
                &body(json!({"ParentId": case, "CommentBody": "hi"})),
            )
            .expect("comment");
        let c = store.find("CaseComment", &id).expect("stored");
        assert_eq!(c["IsPublished"], false);
        assert_eq!(c["CreatedById"], integration_user().as_str());
        let err = store
            .create(&schema, def, &body(json!({"ParentId": case})))
            .expect_err("no body");
        assert_eq!(err.code(), "REQUIRED_FIELD_MISSING");
        let err = store
            .create(
                &schema,
                def,
                &body(json!({"ParentId": case, "CommentBody": "x", "CreatedById": agent_user()})),
            )
            .expect_err("read-only");
        assert_eq!(err.code(), "INVALID_FIELD_FOR_INSERT_UPDATE");
    }

    #[test]
    fn a_content_version_creates_its_document_and_link() {
        let (schema, mut store, account) = setup();
        let case = store
            .create(
                &schema,
                schema.object("Case").expect("Case"),
                &body(json!({"AccountId": account})),
            )
            .expect("case");
        let def = schema.object("ContentVersion").expect("ContentVersion");
        let data = base64::engine::general_purpose::STANDARD.encode(b"%PDF-1.7 hello");
        let id = store
            .create(&schema, def, &body(json!({"Title": "bill.pdf", "PathOnClient": "bill.pdf", "VersionData": data, "FirstPublishLocationId": case})))
            .expect("version");
        let version = store.find("ContentVersion", &id).expect("stored").clone();
        assert_eq!(version["ContentSize"], 14.0);
        assert_eq!(version["FileType"], "PDF");
        let doc_id = version["ContentDocumentId"].as_str().expect("document");
        assert_eq!(
            store.find("ContentDocument", doc_id).expect("doc")["Title"],
            "bill.pdf"
        );
        let links = store.records("ContentDocumentLink");
        assert_eq!(links.len(), 1);
        assert_eq!(links[0]["LinkedEntityId"], case.as_str());
        for bad in ["%%%", ""] {
            let err = store
                .create(
                    &schema,
                    def,
                    &body(json!({"Title": "x", "PathOnClient": "x.txt", "VersionData": bad})),
                )
                .expect_err("bad data");
            assert!(matches!(
                err.code(),
                "INVALID_FIELD" | "REQUIRED_FIELD_MISSING"
            ));
        }
        assert_eq!(store.records("ContentVersion").len(), 1);
    }
}
