//! Raw Salesforce wire shapes (serde), tolerant of what the API actually sends: missing or
//! `null` fields, `errorCode` vs `statusCode`, numbers as `1001.0`, records carrying
//! `attributes` and fields we did not ask for.

use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

/// One entry of an error array (`[{"message","errorCode","fields"}]`); per-record errors in
/// Tree/Collections answers call the code `statusCode`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ApiErrorItem {
    /// Human-readable text (may echo submitted data).
    #[serde(default)]
    pub message: Option<String>,
    /// `errorCode` (or `statusCode`).
    #[serde(default, rename = "errorCode", alias = "statusCode")]
    pub error_code: Option<String>,
    /// Fields concerned.
    #[serde(default)]
    pub fields: Option<Vec<String>>,
}

/// `POST /services/oauth2/token` success.
#[derive(Debug, Clone, Deserialize)]
pub struct TokenResponse {
    /// The bearer token.
    pub access_token: String,
    /// Base URL of the org's REST API.
    pub instance_url: String,
    /// Identity URL.
    #[serde(default)]
    pub id: Option<String>,
    /// `Bearer`.
    #[serde(default)]
    pub token_type: Option<String>,
}

/// OAuth error answer `{"error","error_description"}`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct OAuthError {
    /// `invalid_grant`, `invalid_client_id`…
    #[serde(default)]
    pub error: String,
    /// Explanation.
    #[serde(default)]
    pub error_description: String,
}

/// A query (or queryMore) page.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueryPage {
    /// Rows in the whole result.
    #[serde(default)]
    pub total_size: u64,
    /// No more pages.
    pub done: bool,
    /// Where the next page is, when not done.
    #[serde(default)]
    pub next_records_url: Option<String>,
    /// This page's records, decoded by the caller.
    #[serde(default)]
    pub records: Vec<Value>,
}

/// sObject create success (`201 {"id","success","errors"}`).
#[derive(Debug, Clone, Deserialize)]
pub struct CreateResponse {
    /// New record id.
    pub id: String,
    /// Always true on 201.
    #[serde(default = "yes")]
    pub success: bool,
    /// Warnings (empty on success).
    #[serde(default)]
    pub errors: Vec<ApiErrorItem>,
}

/// One record's outcome in an sObject Tree answer.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TreeResult {
    /// The request's `referenceId`.
    #[serde(rename = "referenceId", default)]
    pub reference_id: String,
    /// The new id (success).
    #[serde(default)]
    pub id: Option<String>,
    /// Why it was refused (`statusCode` entries).
    #[serde(default)]
    pub errors: Vec<ApiErrorItem>,
}

/// An sObject Tree answer: `{"hasErrors","results":[…]}` (201 on success, 400 on failure).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TreeResponse {
    /// Whether some record was refused (then nothing was saved).
    #[serde(rename = "hasErrors", default)]
    pub has_errors: bool,
    /// Per-record outcomes.
    #[serde(default)]
    pub results: Vec<TreeResult>,
}

impl TreeResponse {
    /// The first refusal as a typed error (message prefixed with the record's `referenceId`).
    pub fn first_error(&self) -> Option<super::error::SalesforceError> {
        let failed = self.results.iter().find(|r| !r.errors.is_empty());
        if !self.has_errors && failed.is_none() {
            return None;
        }
        let (reference, item) = failed
            .and_then(|r| {
                r.errors
                    .first()
                    .map(|e| (r.reference_id.as_str(), e.clone()))
            })
            .unwrap_or_default();
        Some(super::error::SalesforceError::Validation {
            code: item
                .error_code
                .unwrap_or_else(|| "UNKNOWN_EXCEPTION".to_owned()),
            message: format!("{reference}: {}", item.message.unwrap_or_default()),
            fields: item.fields.unwrap_or_default(),
        })
    }
}

fn yes() -> bool {
    true
}

/// A record queried as `SELECT Id …`.
#[derive(Debug, Clone, Deserialize)]
pub struct IdRecord {
    /// `Id`.
    #[serde(rename = "Id")]
    pub id: String,
}

/// A Contact as read (`GET /sobjects/Contact/{id}` or a query); the reading fields' names are
/// configurable, so they are found in `extra`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ContactRaw {
    /// Record id.
    #[serde(default)]
    pub id: Option<String>,
    /// Parent Account id.
    #[serde(default)]
    pub account_id: Option<String>,
    /// Given name.
    #[serde(default)]
    pub first_name: Option<String>,
    /// Family name (required by Salesforce).
    #[serde(default)]
    pub last_name: Option<String>,
    /// Email.
    #[serde(default)]
    pub email: Option<String>,
    /// Phone.
    #[serde(default)]
    pub phone: Option<String>,
    /// Street lines (street, then building, separated by a newline).
    #[serde(default)]
    pub mailing_street: Option<String>,
    /// City.
    #[serde(default)]
    pub mailing_city: Option<String>,
    /// Prefecture.
    #[serde(default)]
    pub mailing_state: Option<String>,
    /// Postal code.
    #[serde(default)]
    pub mailing_postal_code: Option<String>,
    /// Country (code or name).
    #[serde(default)]
    pub mailing_country: Option<String>,
    /// Every other field (custom reading fields, `attributes`…).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// An Account as read.
#[derive(Debug, Clone, Deserialize)]
pub struct AccountRaw {
    /// Record id.
    #[serde(rename = "Id")]
    pub id: String,
    /// Name.
    #[serde(rename = "Name", default)]
    pub name: Option<String>,
    /// Every other field (the WHMCS client id field, `attributes`…).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Reads a value that Salesforce may send as text or as a number (`"1001"`, `1001`, `1001.0`)
/// as text without a fractional `.0`.
pub fn loose_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.trim().to_owned()),
        Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => Some(u.to_string()),
            (_, Some(i), _) => Some(i.to_string()),
            (_, _, Some(f)) if f.fract() == 0.0 && f.abs() < 1e15 => Some(format!("{f:.0}")),
            _ => Some(n.to_string()),
        },
        _ => None,
    }
}

/// Deserializes an optional string that may arrive as a number.
pub fn opt_loose_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let value = Option::<Value>::deserialize(d)?;
    Ok(value.as_ref().and_then(loose_text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_text_read_alike() {
        for v in [
            serde_json::json!("1001"),
            serde_json::json!(1001),
            serde_json::json!(1001.0),
        ] {
            assert_eq!(loose_text(&v).as_deref(), Some("1001"));
        }
        assert_eq!(loose_text(&serde_json::json!(null)), None);
        assert_eq!(loose_text(&serde_json::json!(1.5)).as_deref(), Some("1.5"));
    }

    #[test]
    fn a_contact_with_attributes_and_nulls_decodes() {
        let raw: ContactRaw = serde_json::from_value(serde_json::json!({
            "attributes": {"type": "Contact", "url": "/services/data/v62.0/sobjects/Contact/003"},
            "Id": "003J5000004HanAIAS",
            "LastName": "山田",
            "FirstName": null,
            "LastNameKana__c": "ヤマダ"
        }))
        .expect("decodes");
        assert_eq!(raw.last_name.as_deref(), Some("山田"));
        assert_eq!(raw.first_name, None);
        assert_eq!(raw.extra["LastNameKana__c"], "ヤマダ");
    }
}
