//! Support cases: create a Case for an Account and Contact, list an account's cases, read one
//! with its public CaseComments and its files (child subqueries `CaseComments` and
//! `ContentDocumentLinks`), add a public comment, change the status, attach a file
//! (ContentVersion with base64 `VersionData` and `FirstPublishLocationId` = the case, which
//! makes Salesforce link the file to it).
//!
//! Every read is scoped by `AccountId` in the query itself, so another account's case id reads
//! as "no such case". Only published comments are queried (`IsPublished = true`), and the
//! mapping drops any unpublished one again: an internal note never reaches a customer even if
//! a query changes. Who wrote a comment is `CreatedBy.Username`: the integration user (the
//! portal, writing for the customer) or anyone else (an agent).

use super::catalog::field_name;
use super::client::SalesforceClient;
use super::dto::loose_text;
use super::error::SalesforceError;
use super::id::SalesforceId;
use super::orders::parse_datetime;
use super::soql::{Condition, Direction, SelectBuilder, Soql};
use crate::domain::support::{
    Author, CaseCategory, CaseContext, CaseFile, CaseMessage, CaseStatus, CaseSummary, FileKind,
    NewCase, last_update,
};
use crate::server::config::SalesforceSettings;
use base64::Engine as _;
use serde_json::{Map, Value, json};

/// Case key prefix.
pub const CASE_PREFIX: &str = "500";
/// Most cases listed per account.
pub const MAX_LISTED: u32 = 200;

/// Case fields that are our design (reference `salesforce.md`): the custom fields holding what
/// the case was opened from, and the picklist carrying the category. Settable in
/// `[salesforce] case_*_field` (empty = these defaults), like the Order and Product2 fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFields {
    /// The billing system's service id (Text).
    pub service_id: String,
    /// The service's name (Text).
    pub service_name: String,
    /// The masked phone number (Text).
    pub phone_masked: String,
    /// Lookup to the Order.
    pub order: String,
    /// The picklist holding the category (`Billing`, `Technical`, …).
    pub category: String,
}

impl Default for CaseFields {
    fn default() -> Self {
        CaseFields {
            service_id: "Portal_Service_Id__c".into(),
            service_name: "Portal_Service_Name__c".into(),
            phone_masked: "Portal_Phone_Masked__c".into(),
            order: "Order__c".into(),
            category: "Type".into(),
        }
    }
}

impl CaseFields {
    /// From `[salesforce]`; a value that is not a field API name stops the start-up.
    pub fn from_settings(s: &SalesforceSettings) -> anyhow::Result<Self> {
        let d = CaseFields::default();
        Ok(CaseFields {
            service_id: field_name(
                &s.case_service_id_field,
                &d.service_id,
                "case_service_id_field",
            )?,
            service_name: field_name(
                &s.case_service_name_field,
                &d.service_name,
                "case_service_name_field",
            )?,
            phone_masked: field_name(
                &s.case_phone_masked_field,
                &d.phone_masked,
                "case_phone_masked_field",
            )?,
            order: field_name(&s.case_order_field, &d.order, "case_order_field")?,
            category: field_name(&s.case_category_field, &d.category, "case_category_field")?,
        })
    }

    /// `Order__c` → `Order__r` (the lookup's relationship name).
    fn order_relationship(&self) -> String {
        match self.order.strip_suffix("__c") {
            Some(stem) => format!("{stem}__r"),
            None => self.order.trim_end_matches("Id").to_owned(),
        }
    }

    fn case_fields(&self) -> Vec<String> {
        let mut fields: Vec<String> = [
            "Id",
            "AccountId",
            "CaseNumber",
            "Subject",
            "Description",
            "Status",
            "IsClosed",
            "ClosedDate",
            "CreatedDate",
            "LastModifiedDate",
        ]
        .map(str::to_owned)
        .to_vec();
        fields.extend([
            self.category.clone(),
            self.service_id.clone(),
            self.service_name.clone(),
            self.phone_masked.clone(),
            self.order.clone(),
            format!("{}.OrderNumber", self.order_relationship()),
        ]);
        fields
    }
}

/// The CRM's case type for a category.
pub fn category_type(category: CaseCategory) -> &'static str {
    match category {
        CaseCategory::Billing => "Billing",
        CaseCategory::Technical => "Technical",
        CaseCategory::Service => "Service",
        CaseCategory::Order => "Order",
        CaseCategory::Other => "Other",
    }
}

fn type_category(text: &str) -> Option<CaseCategory> {
    CaseCategory::ALL
        .into_iter()
        .find(|c| category_type(*c).eq_ignore_ascii_case(text.trim()))
}

/// Why a Case record cannot be mapped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaseMapError {
    /// A required value is missing or malformed.
    #[error("{0} is missing or invalid")]
    Field(&'static str),
}

fn text_at(value: &Value, key: &str) -> Option<String> {
    value
        .get(key)
        .and_then(loose_text)
        .filter(|s| !s.is_empty())
}

fn sub_records<'v>(record: &'v Value, relationship: &str) -> &'v [Value] {
    record
        .get(relationship)
        .and_then(|sub| sub.get("records"))
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
}

/// The public comments of a queried case, oldest first; unpublished ones are dropped.
pub fn record_messages(record: &Value, integration_user: &str) -> Vec<CaseMessage> {
    let mut messages: Vec<CaseMessage> = sub_records(record, "CaseComments")
        .iter()
        .filter(|c| c.get("IsPublished") == Some(&Value::Bool(true)))
        .filter_map(|c| {
            let by = c.get("CreatedBy").filter(|b| b.is_object());
            let username = by.and_then(|b| text_at(b, "Username")).unwrap_or_default();
            let author = if username.eq_ignore_ascii_case(integration_user) {
                Author::Customer
            } else {
                Author::Agent
            };
            Some(CaseMessage {
                id: text_at(c, "Id")?,
                author,
                agent_name: (author == Author::Agent)
                    .then(|| by.and_then(|b| text_at(b, "Name")))
                    .flatten(),
                body: c
                    .get("CommentBody")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned(),
                at: text_at(c, "CreatedDate").and_then(|d| parse_datetime(&d))?,
            })
        })
        .collect();
    messages.sort_by_key(|m| m.at);
    messages
}

/// The files linked to a queried case.
pub fn record_files(record: &Value) -> Vec<CaseFile> {
    sub_records(record, "ContentDocumentLinks")
        .iter()
        .filter_map(|link| {
            let doc = link.get("ContentDocument").filter(|d| d.is_object())?;
            Some(CaseFile {
                id: text_at(link, "ContentDocumentId")?,
                title: text_at(doc, "Title").unwrap_or_default(),
                extension: text_at(doc, "FileExtension").unwrap_or_default(),
                size: doc
                    .get("ContentSize")
                    .and_then(Value::as_f64)
                    .filter(|s| s.is_finite() && *s >= 0.0)
                    .map_or(0, |s| s as u64),
            })
        })
        .collect()
}

/// A queried Case as the portal's summary (its messages decide the last update), with the
/// `AccountId` it belongs to.
pub fn record_to_case(
    record: &Value,
    f: &CaseFields,
    messages: &[CaseMessage],
) -> Result<(CaseSummary, String), CaseMapError> {
    let is_closed = record.get("IsClosed") == Some(&Value::Bool(true));
    let created = text_at(record, "CreatedDate")
        .and_then(|d| parse_datetime(&d))
        .ok_or(CaseMapError::Field("CreatedDate"))?;
    let modified = text_at(record, "LastModifiedDate")
        .and_then(|d| parse_datetime(&d))
        .unwrap_or(created);
    let (updated, answered) = last_update(modified, messages);
    let order = record.get(f.order_relationship()).filter(|o| o.is_object());
    let summary = CaseSummary {
        id: text_at(record, "Id").ok_or(CaseMapError::Field("Id"))?,
        number: text_at(record, "CaseNumber").unwrap_or_default(),
        subject: text_at(record, "Subject").unwrap_or_default(),
        status: CaseStatus::parse(&text_at(record, "Status").unwrap_or_default(), is_closed),
        category: text_at(record, &f.category).and_then(|t| type_category(&t)),
        created,
        updated,
        closed: text_at(record, "ClosedDate").and_then(|d| parse_datetime(&d)),
        context: CaseContext {
            service_id: text_at(record, &f.service_id).and_then(|s| s.parse().ok()),
            service_name: text_at(record, &f.service_name),
            phone_masked: text_at(record, &f.phone_masked),
            order_id: text_at(record, &f.order),
            order_number: order.and_then(|o| text_at(o, "OrderNumber")),
        },
        answered,
    };
    let account = text_at(record, "AccountId").ok_or(CaseMapError::Field("AccountId"))?;
    Ok((summary, account))
}

/// A case read in full: the summary, what the customer first wrote, the public messages and
/// the files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRecord {
    /// The case.
    pub summary: CaseSummary,
    /// Its description.
    pub description: String,
    /// Public messages, oldest first.
    pub messages: Vec<CaseMessage>,
    /// Files.
    pub files: Vec<CaseFile>,
}

/// A case's file as downloaded: its name and extension as the case lists them, and the bytes
/// of its latest version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFileData {
    /// The file's title (the name it was uploaded with).
    pub title: String,
    /// Its extension, lower case as Salesforce derives it.
    pub extension: String,
    /// The latest version's `VersionData`.
    pub bytes: Vec<u8>,
}

/// The Case/CaseComment/ContentVersion service.
#[derive(Clone)]
pub struct SalesforceCases {
    client: SalesforceClient,
    fields: CaseFields,
    integration_user: String,
}

impl SalesforceCases {
    /// The service; comments by `[salesforce] username` are the portal's (the customer's).
    /// Fails on a `case_*_field` setting that is not a field API name.
    pub fn new(client: SalesforceClient, settings: &SalesforceSettings) -> anyhow::Result<Self> {
        Ok(SalesforceCases {
            client,
            fields: CaseFields::from_settings(settings)?,
            integration_user: settings.username.trim().to_owned(),
        })
    }

    fn comments_subquery() -> SelectBuilder {
        Soql::select(&[
            "Id",
            "CommentBody",
            "IsPublished",
            "CreatedDate",
            "CreatedBy.Username",
            "CreatedBy.Name",
        ])
        .from("CaseComments")
        .filter(Condition::eq("IsPublished", true))
        .order_by("CreatedDate", Direction::Asc)
    }

    fn files_subquery() -> SelectBuilder {
        Soql::select(&[
            "ContentDocumentId",
            "ContentDocument.Title",
            "ContentDocument.FileExtension",
            "ContentDocument.ContentSize",
        ])
        .from("ContentDocumentLinks")
    }

    /// Opens a case for the account's contact, linked to what it was opened from; returns the
    /// Case id.
    pub async fn create_case(
        &self,
        account_id: &SalesforceId,
        contact_id: &SalesforceId,
        case: &NewCase,
        context: &CaseContext,
        order_id: Option<&SalesforceId>,
    ) -> Result<SalesforceId, SalesforceError> {
        let mut body = Map::new();
        body.insert("AccountId".into(), json!(account_id.as_str()));
        body.insert("ContactId".into(), json!(contact_id.as_str()));
        body.insert("Subject".into(), json!(case.subject));
        body.insert("Description".into(), json!(case.description));
        body.insert(
            self.fields.category.clone(),
            json!(category_type(case.category)),
        );
        body.insert("Origin".into(), json!("Web"));
        body.insert("Priority".into(), json!("Medium"));
        body.insert("Status".into(), json!("New"));
        if let Some(id) = context.service_id {
            body.insert(self.fields.service_id.clone(), json!(id.to_string()));
        }
        if let Some(name) = &context.service_name {
            let name: String = name.chars().take(255).collect();
            body.insert(self.fields.service_name.clone(), json!(name));
        }
        if let Some(phone) = &context.phone_masked {
            body.insert(self.fields.phone_masked.clone(), json!(phone));
        }
        if let Some(order) = order_id {
            body.insert(self.fields.order.clone(), json!(order.as_str()));
        }
        self.client.create("Case", &Value::Object(body)).await
    }

    /// The account's cases, most recently updated first, at most [`MAX_LISTED`]. Cases that
    /// do not map are left out with a warning.
    pub async fn cases_for_account(
        &self,
        account_id: &SalesforceId,
    ) -> Result<Vec<CaseSummary>, SalesforceError> {
        let fields = self.fields.case_fields();
        let fields: Vec<&str> = fields.iter().map(String::as_str).collect();
        let soql = Soql::select(&fields)
            .child(Self::comments_subquery())
            .from("Case")
            .filter(Condition::eq("AccountId", account_id))
            .order_by("CreatedDate", Direction::Desc)
            .limit(MAX_LISTED)
            .build()?;
        let rows: Vec<Value> = self.client.query(&soql).await?;
        let mut cases = Vec::with_capacity(rows.len());
        for row in &rows {
            let messages = record_messages(row, &self.integration_user);
            match record_to_case(row, &self.fields, &messages) {
                Ok((case, _)) => cases.push(case),
                Err(e) => tracing::warn!(error = %e, "a Salesforce Case does not map; left out"),
            }
        }
        cases.sort_by_key(|c| std::cmp::Reverse(c.updated));
        Ok(cases)
    }

    /// One of the account's cases in full; `None` for an unknown id or another account's case
    /// (the query itself is scoped to the account).
    pub async fn case(
        &self,
        account_id: &SalesforceId,
        id: &SalesforceId,
    ) -> Result<Option<CaseRecord>, SalesforceError> {
        if id.key_prefix() != CASE_PREFIX {
            return Ok(None);
        }
        let fields = self.fields.case_fields();
        let fields: Vec<&str> = fields.iter().map(String::as_str).collect();
        let soql = Soql::select(&fields)
            .child(Self::comments_subquery())
            .child(Self::files_subquery())
            .from("Case")
            .filter(Condition::eq("Id", id))
            .filter(Condition::eq("AccountId", account_id))
            .limit(1)
            .build()?;
        let rows: Vec<Value> = self.client.query(&soql).await?;
        let Some(row) = rows.first() else {
            return Ok(None);
        };
        let messages = record_messages(row, &self.integration_user);
        let (summary, owner) = record_to_case(row, &self.fields, &messages)
            .map_err(|e| SalesforceError::Decode(format!("Case: {e}")))?;
        if SalesforceId::parse(&owner).ok().as_ref() != Some(account_id) {
            return Ok(None);
        }
        Ok(Some(CaseRecord {
            summary,
            description: row
                .get("Description")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            messages,
            files: record_files(row),
        }))
    }

    /// Adds a public comment (the customer's reply, written by the integration user).
    pub async fn add_comment(
        &self,
        case_id: &SalesforceId,
        body: &str,
    ) -> Result<SalesforceId, SalesforceError> {
        let fields =
            json!({"ParentId": case_id.as_str(), "CommentBody": body, "IsPublished": true});
        self.client.create("CaseComment", &fields).await
    }

    /// Sets the case's status (`Closed` closes it; an open status reopens it).
    pub async fn set_status(
        &self,
        case_id: &SalesforceId,
        status: CaseStatus,
    ) -> Result<(), SalesforceError> {
        let value = match status {
            CaseStatus::New => "New",
            CaseStatus::Working => "Working",
            CaseStatus::Escalated => "Escalated",
            CaseStatus::Closed => "Closed",
        };
        self.client
            .update("Case", case_id, &json!({ "Status": value }))
            .await
    }

    /// Uploads a file and links it to the case (ContentVersion with `FirstPublishLocationId`);
    /// returns the ContentVersion id. The caller has checked size and type.
    pub async fn attach(
        &self,
        case_id: &SalesforceId,
        name: &str,
        kind: FileKind,
        bytes: &[u8],
    ) -> Result<SalesforceId, SalesforceError> {
        let fields = json!({
            "Title": name,
            "PathOnClient": name,
            "VersionData": base64::engine::general_purpose::STANDARD.encode(bytes),
            "FirstPublishLocationId": case_id.as_str(),
        });
        tracing::debug!(
            kind = kind.key(),
            size = bytes.len(),
            "attaching a file to a case"
        );
        self.client.create("ContentVersion", &fields).await
    }

    /// One file of one of the account's cases: `None` unless the case is the account's (the
    /// scoped case read) *and* the document is linked to that case — so a document id from
    /// another case or account reads as nothing. The bytes are the latest version's
    /// `VersionData` (ContentDocument → `LatestPublishedVersionId` → the sObject Blob Get).
    pub async fn file(
        &self,
        account_id: &SalesforceId,
        case_id: &SalesforceId,
        document_id: &SalesforceId,
    ) -> Result<Option<CaseFileData>, SalesforceError> {
        let Some(case) = self.case(account_id, case_id).await? else {
            return Ok(None);
        };
        let Some(listed) = case
            .files
            .iter()
            .find(|f| SalesforceId::parse(&f.id).ok().as_ref() == Some(document_id))
        else {
            return Ok(None);
        };
        let document: Value = self
            .client
            .get(
                "ContentDocument",
                document_id,
                &["LatestPublishedVersionId"],
            )
            .await?;
        let version = text_at(&document, "LatestPublishedVersionId")
            .and_then(|v| SalesforceId::parse(&v).ok())
            .ok_or_else(|| {
                SalesforceError::Decode("ContentDocument: no LatestPublishedVersionId".into())
            })?;
        let bytes = self
            .client
            .get_blob("ContentVersion", &version, "VersionData")
            .await?;
        Ok(Some(CaseFileData {
            title: listed.title.clone(),
            extension: listed.extension.clone(),
            bytes,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const USER: &str = "integration@portal.sandbox";

    fn fixture() -> Value {
        json!({
            "attributes": {"type": "Case"},
            "Id": "500J50000000001AAA",
            "AccountId": "001J5000003HanAIAS",
            "CaseNumber": "00001001",
            "Subject": "No signal",
            "Description": "Since Monday.",
            "Status": "Working",
            "Type": "Technical",
            "IsClosed": false,
            "ClosedDate": null,
            "CreatedDate": "2026-11-20T01:00:00.000+0000",
            "LastModifiedDate": "2026-11-20T01:00:00.000+0000",
            "Portal_Service_Id__c": "101",
            "Portal_Service_Name__c": "光ファイバー 1ギガ",
            "Portal_Phone_Masked__c": "090-****-5678",
            "Order__c": null,
            "Order__r": null,
            "CaseComments": {"totalSize": 3, "done": true, "records": [
                {"Id": "00aJ50000000002AAA", "CommentBody": "We are on it.", "IsPublished": true,
                 "CreatedDate": "2026-11-20T03:00:00.000+0000",
                 "CreatedBy": {"attributes": {"type": "User"}, "Username": "agent@x", "Name": "佐藤"}},
                {"Id": "00aJ50000000001AAA", "CommentBody": "Any news?", "IsPublished": true,
                 "CreatedDate": "2026-11-20T02:00:00.000+0000",
                 "CreatedBy": {"Username": "Integration@Portal.Sandbox", "Name": "Portal"}},
                {"Id": "00aJ50000000003AAA", "CommentBody": "internal: customer is grumpy", "IsPublished": false,
                 "CreatedDate": "2026-11-20T04:00:00.000+0000",
                 "CreatedBy": {"Username": "agent@x", "Name": "佐藤"}}
            ]},
            "ContentDocumentLinks": {"totalSize": 1, "done": true, "records": [
                {"ContentDocumentId": "069J50000000001AAA",
                 "ContentDocument": {"Title": "shot.png", "FileExtension": "png", "ContentSize": 2048.0}}
            ]}
        })
    }

    #[test]
    fn a_case_maps_with_its_public_conversation_and_files() {
        let record = fixture();
        let messages = record_messages(&record, USER);
        assert_eq!(messages.len(), 2, "the internal note is dropped");
        assert!(messages.iter().all(|m| !m.body.contains("internal")));
        assert_eq!(messages[0].author, Author::Customer);
        assert_eq!(messages[1].author, Author::Agent);
        assert_eq!(messages[1].agent_name.as_deref(), Some("佐藤"));
        let (case, account) =
            record_to_case(&record, &CaseFields::default(), &messages).expect("maps");
        assert_eq!(account, "001J5000003HanAIAS");
        assert_eq!(case.status, CaseStatus::Working);
        assert_eq!(case.category, Some(CaseCategory::Technical));
        assert_eq!(case.context.service_id, Some(101));
        assert_eq!(case.context.phone_masked.as_deref(), Some("090-****-5678"));
        assert!(case.answered);
        assert_eq!(case.updated, messages[1].at);
        let files = record_files(&record);
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].size, 2048);
        assert_eq!(files[0].title, "shot.png");
    }

    #[test]
    fn a_closed_case_and_an_order_link_map() {
        let mut record = fixture();
        record["Status"] = json!("Closed");
        record["IsClosed"] = json!(true);
        record["ClosedDate"] = json!("2026-11-21T00:00:00.000+0000");
        record["Order__c"] = json!("801J50000000001AAA");
        record["Order__r"] = json!({"attributes": {"type": "Order"}, "OrderNumber": "00000101"});
        record["CaseComments"] = Value::Null;
        let (case, _) = record_to_case(&record, &CaseFields::default(), &[]).expect("maps");
        assert_eq!(case.status, CaseStatus::Closed);
        assert!(case.closed.is_some());
        assert_eq!(case.context.order_number.as_deref(), Some("00000101"));
        assert!(!case.answered);
        assert!(record_messages(&record, USER).is_empty());
    }

    #[test]
    fn case_field_names_come_from_the_settings() {
        let mut settings = crate::server::config::load_from(None, &[])
            .expect("default settings")
            .salesforce;
        assert_eq!(
            CaseFields::from_settings(&settings).expect("defaults"),
            CaseFields::default()
        );
        settings.case_category_field = "Portal_Category__c".into();
        settings.case_order_field = String::new();
        let fields = CaseFields::from_settings(&settings).expect("valid");
        assert_eq!(fields.category, "Portal_Category__c");
        assert_eq!(fields.order, "Order__c", "empty means the default");
        assert!(
            fields
                .case_fields()
                .contains(&"Portal_Category__c".to_owned())
        );
        settings.case_service_id_field = "Id, (SELECT".into();
        assert!(CaseFields::from_settings(&settings).is_err());
    }

    #[test]
    fn queries_are_scoped_to_the_account() {
        let fields = CaseFields::default().case_fields();
        let fields: Vec<&str> = fields.iter().map(String::as_str).collect();
        let account = SalesforceId::parse("001J5000003HanAIAS").expect("id");
        let id = SalesforceId::parse("500J50000000001").expect("id");
        let soql = Soql::select(&fields)
            .child(SalesforceCases::comments_subquery())
            .from("Case")
            .filter(Condition::eq("Id", &id))
            .filter(Condition::eq("AccountId", &account))
            .build()
            .expect("builds");
        assert!(soql.as_str().contains("WHERE IsPublished = true"));
        assert!(soql.as_str().contains("AccountId = '001J5000003HanAIAS'"));
        assert!(soql.as_str().contains("Order__r.OrderNumber"));
    }

    proptest! {
        #[test]
        fn mapping_never_panics(status in "\\PC{0,12}", created in "\\PC{0,30}", size in proptest::num::f64::ANY) {
            let mut v = fixture();
            v["Status"] = json!(status);
            v["CreatedDate"] = json!(created);
            v["ContentDocumentLinks"]["records"][0]["ContentDocument"]["ContentSize"] =
                serde_json::Number::from_f64(size).map_or(Value::Null, Value::Number);
            let messages = record_messages(&v, USER);
            let _ = record_to_case(&v, &CaseFields::default(), &messages);
            let _ = record_files(&v);
        }
    }
}
