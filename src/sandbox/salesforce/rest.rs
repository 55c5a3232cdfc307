//! The REST resources under `/services/data/{version}/`: query and queryMore (paged by
//! `nextRecordsUrl`), sObject create (201 `{id,success,errors}`), read (`?fields=`), update
//! (PATCH → 204, also `POST …?_HttpMethod=PATCH`). A guard in front of them renders injected
//! faults, checks the bearer token, counts API usage against the daily limit and adds
//! `Sforce-Limit-Info` to every answer.

use super::errors::RestError;
use super::ids;
use super::schema::ObjectDef;
use super::soql::eval::{Ctx, run};
use super::{Cursor, SimState};
use crate::sandbox::InjectedFault;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};
use std::collections::HashMap;
use std::sync::Arc;

/// Salesforce's largest (and default) query batch, and smallest requestable one.
const MAX_BATCH: usize = 2000;
const MIN_BATCH: usize = 200;
/// Cursors kept for queryMore.
const MAX_CURSORS: usize = 64;

/// `vNN.N`.
pub fn is_version(v: &str) -> bool {
    v.strip_prefix('v')
        .and_then(|r| r.split_once('.'))
        .is_some_and(|(a, b)| {
            !a.is_empty()
                && !b.is_empty()
                && a.bytes().all(|c| c.is_ascii_digit())
                && b.bytes().all(|c| c.is_ascii_digit())
        })
}

/// Fault rendering, version check, bearer token, API quota, `Sforce-Limit-Info`.
pub async fn guard(State(st): State<Arc<SimState>>, req: Request, next: Next) -> Response {
    let version_ok = req
        .uri()
        .path()
        .strip_prefix("/services/data/")
        .and_then(|rest| rest.split('/').next())
        .is_some_and(is_version);
    if !version_ok {
        return RestError::not_found().into_response();
    }
    if let Some(InjectedFault(code)) = req.extensions().get::<InjectedFault>() {
        let err = match code.as_str() {
            "expired_session" => RestError::invalid_session(),
            "rate_limit" => RestError::limit_exceeded(),
            "unavailable" => {
                RestError::new(503, "SERVER_UNAVAILABLE", "Server temporarily unavailable")
            }
            other => RestError::new(
                500,
                "UNKNOWN_EXCEPTION",
                format!("sandbox: unknown Salesforce fault code {other:?}"),
            ),
        };
        return st.with_limit_header(err.into_response());
    }
    if !st.token_valid(req.headers()) {
        return RestError::invalid_session().into_response();
    }
    if !st.count_call() {
        return st.with_limit_header(RestError::limit_exceeded().into_response());
    }
    st.approve_due_and_publish(time::OffsetDateTime::now_utc());
    let response = next.run(req).await;
    st.with_limit_header(response)
}

fn batch_size(st: &SimState, headers: &HeaderMap) -> usize {
    if let Some(size) = st.lock().settings.query_batch_size {
        return size.clamp(1, MAX_BATCH);
    }
    headers
        .get("sforce-query-options")
        .and_then(|h| h.to_str().ok())
        .and_then(|h| {
            h.split([',', ';'])
                .filter_map(|kv| kv.trim().split_once('='))
                .find(|(k, _)| k.trim().eq_ignore_ascii_case("batchSize"))
                .and_then(|(_, v)| v.trim().parse::<usize>().ok())
        })
        .map_or(MAX_BATCH, |n| n.clamp(MIN_BATCH, MAX_BATCH))
}

fn page(st: &SimState, version: &str, locator: &str, offset: usize) -> Result<Value, RestError> {
    let mut inner = st.lock();
    let Some(cursor) = inner.cursors.get(locator) else {
        return Err(RestError::new(
            400,
            "INVALID_QUERY_LOCATOR",
            "invalid query locator",
        ));
    };
    if offset > cursor.records.len() {
        return Err(RestError::new(
            400,
            "INVALID_QUERY_LOCATOR",
            "invalid query locator",
        ));
    }
    let end = (offset + cursor.batch).min(cursor.records.len());
    let records: Vec<Value> = cursor.records[offset..end].to_vec();
    let total = cursor.total;
    let done = end >= cursor.records.len();
    let mut body = json!({"totalSize": total, "done": done, "records": records});
    if done {
        inner.cursors.remove(locator);
        inner.cursor_order.retain(|l| l != locator);
    } else {
        body["nextRecordsUrl"] =
            Value::String(format!("/services/data/{version}/query/{locator}-{end}"));
    }
    Ok(body)
}

/// `GET /services/data/{version}/query?q=` (and `queryAll`).
pub async fn query(
    State(st): State<Arc<SimState>>,
    Path(version): Path<String>,
    Query(params): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Json<Value>, RestError> {
    let Some(text) = params.get("q").filter(|q| !q.trim().is_empty()) else {
        return Err(RestError::new(
            400,
            "MALFORMED_QUERY",
            "A query string has to be specified",
        ));
    };
    let batch = batch_size(&st, &headers);
    let output = {
        let inner = st.lock();
        run(
            &Ctx {
                schema: &st.schema,
                store: &inner.store,
                version: &version,
            },
            text,
        )?
    };
    if output.records.len() <= batch {
        return Ok(Json(json!({
            "totalSize": output.total,
            "done": true,
            "records": output.records,
        })));
    }
    let locator = {
        let mut inner = st.lock();
        inner.cursor_seq += 1;
        let locator = ids::generate("01g", inner.cursor_seq);
        inner.cursors.insert(
            locator.clone(),
            Cursor {
                records: output.records,
                total: output.total,
                batch,
            },
        );
        inner.cursor_order.push_back(locator.clone());
        while inner.cursor_order.len() > MAX_CURSORS {
            if let Some(old) = inner.cursor_order.pop_front() {
                inner.cursors.remove(&old);
            }
        }
        locator
    };
    page(&st, &version, &locator, 0).map(Json)
}

/// `GET /services/data/{version}/query/{locator}-{offset}`.
pub async fn query_more(
    State(st): State<Arc<SimState>>,
    Path((version, next)): Path<(String, String)>,
) -> Result<Json<Value>, RestError> {
    let bad = || RestError::new(400, "INVALID_QUERY_LOCATOR", "invalid query locator");
    let (locator, offset) = next.rsplit_once('-').ok_or_else(bad)?;
    let offset: usize = offset.parse().map_err(|_| bad())?;
    page(&st, &version, locator, offset).map(Json)
}

pub(super) fn object<'s>(st: &'s SimState, name: &str) -> Result<&'s ObjectDef, RestError> {
    st.schema.object(name).ok_or_else(RestError::not_found)
}

fn json_body(body: &Bytes) -> Result<Map<String, Value>, RestError> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(RestError::new(
            400,
            "JSON_PARSER_ERROR",
            "Cannot deserialize instance of sObject from non-object value",
        )),
        Err(e) => Err(RestError::new(
            400,
            "JSON_PARSER_ERROR",
            format!(
                "Unexpected character at [line:{}, column:{}]",
                e.line(),
                e.column()
            ),
        )),
    }
}

/// `POST /services/data/{version}/sobjects/{sobject}/`.
pub async fn create(
    State(st): State<Arc<SimState>>,
    Path((_version, sobject)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, RestError> {
    let object = object(&st, &sobject)?;
    let fields = json_body(&body)?;
    let id = {
        let mut inner = st.lock();
        inner.store.create(&st.schema, object, &fields)?
    };
    Ok((
        StatusCode::CREATED,
        Json(json!({"id": id, "success": true, "errors": []})),
    )
        .into_response())
}

pub(super) fn record_id(object: &ObjectDef, raw: &str) -> Result<String, RestError> {
    let id = ids::normalize(raw).ok_or_else(|| {
        RestError::new(
            404,
            "NOT_FOUND",
            format!("Provided external ID field does not exist or is not accessible: {raw}"),
        )
    })?;
    if id.starts_with(object.key_prefix) {
        Ok(id)
    } else {
        Err(RestError::not_found())
    }
}

/// `GET /services/data/{version}/sobjects/{sobject}/{id}[?fields=A,B]`.
pub async fn get(
    State(st): State<Arc<SimState>>,
    Path((version, sobject, raw_id)): Path<(String, String, String)>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Json<Value>, RestError> {
    let object = object(&st, &sobject)?;
    let id = record_id(object, &raw_id)?;
    let wanted: Vec<&str> = match params.get("fields") {
        Some(list) => list
            .split(',')
            .map(str::trim)
            .filter(|f| !f.is_empty())
            .collect(),
        None => object.fields.iter().map(|f| f.name).collect(),
    };
    let mut fields = Vec::with_capacity(wanted.len());
    for name in wanted {
        let field = object.field(name).ok_or_else(|| {
            RestError::new(
                400,
                "INVALID_FIELD",
                format!(
                    "No such column '{name}' on entity '{}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.",
                    object.name
                ),
            )
        })?;
        fields.push(field.name);
    }
    let inner = st.lock();
    let record = inner
        .store
        .find(object.name, &id)
        .ok_or_else(RestError::not_found)?;
    let mut out = Map::new();
    out.insert(
        "attributes".into(),
        json!({"type": object.name, "url": format!("/services/data/{version}/sobjects/{}/{id}", object.name)}),
    );
    for name in fields {
        out.insert(
            name.to_owned(),
            record.get(name).cloned().unwrap_or(Value::Null),
        );
    }
    Ok(Json(Value::Object(out)))
}

/// `PATCH /services/data/{version}/sobjects/{sobject}/{id}` → 204.
pub async fn update(
    State(st): State<Arc<SimState>>,
    Path((_version, sobject, raw_id)): Path<(String, String, String)>,
    body: Bytes,
) -> Result<StatusCode, RestError> {
    let object = object(&st, &sobject)?;
    let id = record_id(object, &raw_id)?;
    let fields = json_body(&body)?;
    let mut inner = st.lock();
    inner.store.update(&st.schema, object, &id, &fields)?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST …/sobjects/{sobject}/{id}?_HttpMethod=PATCH` (for clients without PATCH).
pub async fn post_override(
    st: State<Arc<SimState>>,
    path: Path<(String, String, String)>,
    Query(params): Query<HashMap<String, String>>,
    body: Bytes,
) -> Result<StatusCode, RestError> {
    if params
        .get("_HttpMethod")
        .is_some_and(|m| m.eq_ignore_ascii_case("PATCH"))
    {
        update(st, path, body).await
    } else {
        Err(RestError::new(
            405,
            "METHOD_NOT_ALLOWED",
            "HTTP Method 'POST' not allowed. Allowed are HEAD,GET,PATCH,DELETE",
        ))
    }
}

/// `GET /services/data`: the versions this org serves.
pub async fn versions() -> Json<Value> {
    Json(json!([
        {"label": "Summer '24", "url": "/services/data/v61.0", "version": "61.0"},
        {"label": "Winter '25", "url": "/services/data/v62.0", "version": "62.0"},
        {"label": "Spring '25", "url": "/services/data/v63.0", "version": "63.0"},
    ]))
}

/// Anything else under the simulator.
pub async fn not_found() -> RestError {
    RestError::not_found()
}

/// Used by the guard to set the usage header.
pub fn limit_header(calls: u64, limit: u64) -> HeaderValue {
    HeaderValue::from_str(&format!("api-usage={calls}/{limit}"))
        .unwrap_or_else(|_| HeaderValue::from_static("api-usage=0/0"))
}

/// The most records one sObject Tree request may hold.
const TREE_MAX_RECORDS: usize = 200;

/// A tree record's failure, as `{"referenceId","errors":[{"statusCode","message","fields"}]}`.
fn tree_failure(reference: &str, err: &RestError) -> Value {
    let errors: Vec<Value> = err
        .items
        .iter()
        .map(|i| json!({"statusCode": i.error_code, "message": i.message, "fields": i.fields}))
        .collect();
    json!({"referenceId": reference, "errors": errors})
}

/// Inserts one tree record and its nested children, depth first; the first failure stops.
fn tree_insert(
    st: &SimState,
    store: &mut super::store::Store,
    object: &ObjectDef,
    record: &Map<String, Value>,
    parent: Option<(&str, &str)>,
    seen: &mut Vec<String>,
    results: &mut Vec<Value>,
) -> Result<(), Value> {
    let reference = record
        .get("attributes")
        .and_then(|a| a.get("referenceId"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let declared = record
        .get("attributes")
        .and_then(|a| a.get("type"))
        .and_then(Value::as_str)
        .unwrap_or_default();
    if reference.is_empty() {
        return Err(tree_failure(
            "",
            &RestError::new(
                400,
                "INVALID_INPUT",
                "Include a reference ID for each record in the request.",
            ),
        ));
    }
    if seen.contains(&reference) {
        return Err(tree_failure(
            &reference,
            &RestError::new(
                400,
                "INVALID_INPUT",
                format!("Duplicate ReferenceId provided in the request: {reference}"),
            ),
        ));
    }
    seen.push(reference.clone());
    if !declared.eq_ignore_ascii_case(object.name) {
        return Err(tree_failure(
            &reference,
            &RestError::new(
                400,
                "INVALID_INPUT",
                format!(
                    "The type {declared} does not match the expected type {}",
                    object.name
                ),
            ),
        ));
    }
    let mut fields = Map::new();
    let mut children = Vec::new();
    for (key, value) in record {
        if key == "attributes" {
            continue;
        }
        if let Some(rel) = object.child(key) {
            children.push((rel.clone(), value));
        } else {
            fields.insert(key.clone(), value.clone());
        }
    }
    if let Some((field, id)) = parent {
        fields.insert(field.to_owned(), Value::String(id.to_owned()));
    }
    let id = store
        .create(&st.schema, object, &fields)
        .map_err(|e| tree_failure(&reference, &e))?;
    results.push(json!({"referenceId": reference, "id": id}));
    for (rel, value) in children {
        let Some(child) = st.schema.object(rel.object) else {
            continue;
        };
        let records = value
            .get("records")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for r in records {
            let Value::Object(r) = r else {
                return Err(tree_failure(
                    &reference,
                    &RestError::new(
                        400,
                        "JSON_PARSER_ERROR",
                        "Cannot deserialize instance of sObject from non-object value",
                    ),
                ));
            };
            tree_insert(st, store, child, &r, Some((rel.field, &id)), seen, results)?;
        }
    }
    Ok(())
}

fn count_tree(records: &[Value]) -> usize {
    records
        .iter()
        .map(|r| {
            1 + r.as_object().map_or(0, |m| {
                m.values()
                    .filter_map(|v| v.get("records").and_then(Value::as_array))
                    .map(|a| count_tree(a))
                    .sum()
            })
        })
        .sum()
}

/// `POST /services/data/{version}/composite/tree/{sobject}`: inserts the records and their
/// nested children (under child relationship names) all or nothing. 201
/// `{"hasErrors":false,"results":[{"referenceId","id"}…]}`; on a failure nothing is kept and
/// the answer is 400 `{"hasErrors":true,"results":[{"referenceId","errors":[{"statusCode",…}]}]}`.
pub async fn tree(
    State(st): State<Arc<SimState>>,
    Path((_version, sobject)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, RestError> {
    let object = object(&st, &sobject)?;
    let body = json_body(&body)?;
    let Some(records) = body.get("records").and_then(Value::as_array) else {
        return Err(RestError::new(
            400,
            "JSON_PARSER_ERROR",
            "No records found in the request",
        ));
    };
    if records.is_empty() || count_tree(records) > TREE_MAX_RECORDS {
        return Err(RestError::new(
            400,
            "INVALID_INPUT",
            format!("A request must contain between 1 and {TREE_MAX_RECORDS} records"),
        ));
    }
    let mut inner = st.lock();
    let mut work = inner.store.clone();
    let mut seen = Vec::new();
    let mut results = Vec::new();
    for record in records {
        let outcome = match record {
            Value::Object(r) => {
                tree_insert(&st, &mut work, object, r, None, &mut seen, &mut results)
            }
            _ => Err(tree_failure(
                "",
                &RestError::new(
                    400,
                    "JSON_PARSER_ERROR",
                    "Cannot deserialize instance of sObject from non-object value",
                ),
            )),
        };
        if let Err(failure) = outcome {
            return Ok((
                StatusCode::BAD_REQUEST,
                Json(json!({"hasErrors": true, "results": [failure]})),
            )
                .into_response());
        }
    }
    inner.store = work;
    Ok((
        StatusCode::CREATED,
        Json(json!({"hasErrors": false, "results": results})),
    )
        .into_response())
}
