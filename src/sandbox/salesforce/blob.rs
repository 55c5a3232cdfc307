//! The sObject Blob Get resource: `GET /services/data/vNN.N/sobjects/{sobject}/{id}/{field}`
//! answers a blob field's raw bytes (here `ContentVersion.VersionData`, stored base64 as it was
//! inserted), `application/octet-stream`, not JSON — as Salesforce does. Any other field is
//! Salesforce's `INVALID_FIELD`; an unknown record 404.

use super::SimState;
use super::errors::RestError;
use super::rest::{object, record_id};
use axum::extract::{Path, State};
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use std::sync::Arc;

/// The blob fields of the simulated org.
const BLOB_FIELDS: &[(&str, &str)] = &[("ContentVersion", "VersionData")];

/// The handler.
pub async fn get_blob(
    State(st): State<Arc<SimState>>,
    Path((_version, sobject, raw_id, field)): Path<(String, String, String, String)>,
) -> Result<Response, RestError> {
    let object = object(&st, &sobject)?;
    let id = record_id(object, &raw_id)?;
    if !BLOB_FIELDS
        .iter()
        .any(|(o, f)| *o == object.name && f.eq_ignore_ascii_case(&field))
    {
        return Err(RestError::new(
            400,
            "INVALID_FIELD",
            format!("No such blob field '{field}' on entity '{}'", object.name),
        ));
    }
    let encoded = {
        let inner = st.lock();
        let record = inner
            .store
            .find(object.name, &id)
            .ok_or_else(RestError::not_found)?;
        record
            .get("VersionData")
            .and_then(serde_json::Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    // Stored as inserted, already checked to be base64 by the insert rules.
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .map_err(|_| RestError::new(500, "UNKNOWN_EXCEPTION", "the stored file is unreadable"))?;
    Ok(([(CONTENT_TYPE, "application/octet-stream")], bytes).into_response())
}
