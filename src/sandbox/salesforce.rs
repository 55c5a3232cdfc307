//! The Salesforce simulator: the OAuth 2.0 JWT bearer token endpoint and the REST API subset
//! the portal uses, speaking Salesforce's wire formats (reference `salesforce.md` §2–§5).
//!
//! # Surface
//!
//! - `POST /services/oauth2/token` — JWT bearer grant, RS256 verified against the registered
//!   certificate `sandbox/salesforce/jwt-certificate.pem`; consumer key
//!   `sandbox-connected-app`, user `integration@portal.sandbox` (see [`oauth`]).
//! - `GET /services/oauth2/userinfo`.
//! - `GET /services/data` — versions.
//! - Under `/services/data/{vNN.N}/` (bearer token required, else 401 `INVALID_SESSION_ID`):
//!   `query?q=`, `queryAll?q=`, `query/{locator}-{offset}` (queryMore), `sobjects/{Type}/`
//!   (POST create), `sobjects/{Type}/{id}` (GET `?fields=`, PATCH, `POST ?_HttpMethod=PATCH`).
//!   Every answer carries `Sforce-Limit-Info: api-usage=N/LIMIT`.
//!   `composite/tree/{Type}` (sObject Tree: nested children, all or nothing, 201
//!   `{"hasErrors":false,"results":[{"referenceId","id"}]}` or 400 with `statusCode` errors).
//! - Objects: Account (with `WHMCS_Client_Id__c`, Text 20, unique) and Contact (with
//!   `LastNameKana__c`/`FirstNameKana__c`); Product2 (portal custom fields), Pricebook2
//!   (Standard, Portal), PricebookEntry, Order (idempotency key, provisioning fields) and
//!   OrderItem with the order rules of [`orders`]; described as data in [`schema`], the
//!   catalog seeded by [`seed`]; SOQL by the engine in [`soql`].
//! - Support cases: User, Case, CaseComment, ContentVersion, ContentDocument and
//!   ContentDocumentLink with the rules of [`cases`]; `POST /_sandbox/cases/{id}/reply` with
//!   `{"body": "…", "internal": false}` — a support agent answers (or leaves an internal note
//!   on) a case, by record id or `CaseNumber`.
//! - `POST /_sandbox/orders/{id}/approve` — the operator's approval: a Draft order with products
//!   becomes Activated with provisioning status `Queued` (409 otherwise, 404 if unknown). With
//!   `auto_approve_after_secs` set (settings below), Draft orders with products are approved
//!   that long after their creation, checked before every REST request.
//!
//! - Pub/Sub API (gRPC, h2c) on this same port: `/eventbus.v1.PubSub/*` (see [`pubsub`]).
//!   Every approval (operator or automatic) publishes one `OrderProvisionRequested__e` with
//!   `OrderId__c` = the order id and `IdemKey__c` = `{orderId}:{ActivatedDate epoch ms}`.
//!   Automatic approval also runs on a 250 ms timer, so events flow without REST traffic.
//!
//! # Provider fault codes (`{"type":"provider","code":…}` rules of the control API)
//!
//! | code | where | answer |
//! |---|---|---|
//! | `expired_session` | REST | 401 `[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]`, even for a valid token |
//! | `rate_limit` | REST | 403 `[{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]` |
//! | `unavailable` | REST, token | 503 `[{"errorCode":"SERVER_UNAVAILABLE",…}]` |
//! | `invalid_grant` | token | 400 `{"error":"invalid_grant","error_description":"authentication failure"}` |
//!
//! Other codes answer 500 `UNKNOWN_EXCEPTION` on REST paths. Give REST faults
//! `"path_prefix": "/services/data"` so a token request does not use the rule up. Latency and
//! plain HTTP statuses are the host's generic faults.
//!
//! # Simulator settings (on the simulator's own port; not part of Salesforce)
//!
//! - `GET /_sandbox/settings`, `POST /_sandbox/settings` with any of
//!   `{"query_batch_size": n|null, "token_ttl_secs": n, "daily_api_limit": n,
//!   "auto_approve_after_secs": n|null, "pubsub_keepalive_ms": n, "pubsub_idle_close_ms": n,
//!   "pubsub_retention_secs": n}` — e.g. a batch
//!   size of 2 makes queryMore testable with the seed's few records (the real minimum is 200,
//!   which the `Sforce-Query-Options: batchSize=` header still honours).
//! - `POST /_sandbox/revoke-tokens` — every issued token becomes invalid (401 on next use).
//! - `GET /_sandbox/records/{Type}` — the stored records.
//!
//! A control-API reset reseeds the records and restores these settings.

pub mod blob;
pub mod cases;
pub mod errors;
pub mod ids;
pub mod oauth;
pub mod orders;
pub mod pubsub;
pub mod rest;
pub mod schema;
pub mod seed;
pub mod soql;
pub mod store;

use super::{SeedData, Simulator};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use jsonwebtoken::DecodingKey;
use schema::Schema;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};
use store::Store;

/// The connected app's consumer key (the assertion's `iss`).
pub const CONSUMER_KEY: &str = "sandbox-connected-app";
/// The integration user (the assertion's `sub`).
pub const USERNAME: &str = "integration@portal.sandbox";

/// Tunables, reset with the seed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// Records per query page (overrides `Sforce-Query-Options`); `None` = Salesforce's rules.
    pub query_batch_size: Option<usize>,
    /// Access token lifetime (Salesforce's default session timeout is 2 hours).
    pub token_ttl_secs: u64,
    /// REST calls allowed before 403 `REQUEST_LIMIT_EXCEEDED`.
    pub daily_api_limit: u64,
    /// Approve Draft orders (with products) automatically this many seconds after they were
    /// created, as an org whose approval Flow needs no person would; `None` = an operator
    /// approves (`POST /_sandbox/orders/{id}/approve`).
    pub auto_approve_after_secs: Option<u64>,
    /// Pub/Sub: an empty keepalive after this much silence on a stream (Salesforce: ≤ 270 s,
    /// about 60 s observed).
    #[serde(default = "default_keepalive_ms")]
    pub pubsub_keepalive_ms: u64,
    /// Pub/Sub: a stream with no outstanding credit and no new request ends after this long.
    #[serde(default = "default_idle_close_ms")]
    pub pubsub_idle_close_ms: u64,
    /// Pub/Sub: events are kept this long (Salesforce: 72 h); 0 expires every replay id.
    #[serde(default = "default_retention_secs")]
    pub pubsub_retention_secs: u64,
}

fn default_keepalive_ms() -> u64 {
    60_000
}

fn default_idle_close_ms() -> u64 {
    60_000
}

fn default_retention_secs() -> u64 {
    72 * 3600
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            query_batch_size: None,
            token_ttl_secs: 7200,
            daily_api_limit: 15_000,
            auto_approve_after_secs: None,
            pubsub_keepalive_ms: default_keepalive_ms(),
            pubsub_idle_close_ms: default_idle_close_ms(),
            pubsub_retention_secs: default_retention_secs(),
        }
    }
}

/// A paged query result waiting for queryMore.
pub struct Cursor {
    records: Vec<Value>,
    total: usize,
    batch: usize,
}

/// Mutable state.
#[derive(Default)]
pub struct Inner {
    store: Store,
    tokens: HashMap<String, Instant>,
    cursors: HashMap<String, Cursor>,
    cursor_order: VecDeque<String>,
    cursor_seq: u64,
    settings: Settings,
    api_calls: u64,
    pubsub: pubsub::Bus,
}

/// Shared by the handlers.
pub struct SimState {
    schema: Schema,
    verifier: Option<DecodingKey>,
    org_id: String,
    user_id: String,
    inner: Mutex<Inner>,
}

impl SimState {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether the request carries a live token (`Authorization: Bearer …` or `OAuth …`).
    fn token_valid(&self, headers: &HeaderMap) -> bool {
        let Some(token) = headers
            .get("authorization")
            .and_then(|h| h.to_str().ok())
            .and_then(|h| {
                h.strip_prefix("Bearer ")
                    .or_else(|| h.strip_prefix("OAuth "))
            })
            .map(str::trim)
        else {
            return false;
        };
        self.access_token_valid(token)
    }

    /// Whether `token` is a live access token (the Pub/Sub `accesstoken` header).
    fn access_token_valid(&self, token: &str) -> bool {
        let inner = self.lock();
        let ttl = Duration::from_secs(inner.settings.token_ttl_secs);
        inner
            .tokens
            .get(token)
            .is_some_and(|issued| issued.elapsed() < ttl)
    }

    /// Approves the due orders (automatic approval) and publishes their events.
    pub(crate) fn approve_due_and_publish(&self, now: time::OffsetDateTime) {
        let approved = approve_due(&mut self.lock(), now);
        for record in approved {
            self.publish_approval(&record);
        }
    }

    /// Publishes `OrderProvisionRequested__e` for an approved order (outside the state lock's
    /// caller, which has released it). The key is stable per approval: order id and activation
    /// time, so a duplicate delivery carries the same key.
    fn publish_approval(&self, order: &schema::Record) {
        let Some(id) = order.get("Id").and_then(Value::as_str) else {
            return;
        };
        let activated_ms = order
            .get("ActivatedDate")
            .and_then(Value::as_str)
            .and_then(store::parse_datetime)
            .map_or(0, |t| {
                i64::try_from(t.unix_timestamp_nanos() / 1_000_000).unwrap_or(0)
            });
        let event = crate::server::integrations::salesforce::pubsub::ProvisionRequested {
            event_id: String::new(),
            order_id: Some(id.to_owned()),
            idem_key: Some(format!("{id}:{activated_ms}")),
            created_ms: pubsub::admin::now_ms(),
            created_by: self.user_id.clone(),
        };
        if let Err(err) = pubsub::admin::publish(self, &event) {
            tracing::error!(
                order = id,
                error = format!("{err:#}"),
                "the sandbox could not publish OrderProvisionRequested__e"
            );
        }
    }

    /// Counts a REST call; false when the daily limit is used up.
    fn count_call(&self) -> bool {
        let mut inner = self.lock();
        if inner.api_calls >= inner.settings.daily_api_limit {
            return false;
        }
        inner.api_calls += 1;
        true
    }

    fn with_limit_header(&self, mut response: Response) -> Response {
        let (calls, limit) = {
            let inner = self.lock();
            (inner.api_calls, inner.settings.daily_api_limit)
        };
        response
            .headers_mut()
            .insert("sforce-limit-info", rest::limit_header(calls, limit));
        response
    }
}

/// The simulator.
pub struct SalesforceSimulator {
    state: Arc<SimState>,
}

impl SalesforceSimulator {
    /// An empty org (the host seeds it through [`Simulator::reset`]).
    pub fn new() -> Self {
        let verifier = oauth::registered_key();
        if verifier.is_none() {
            tracing::error!(
                "the sandbox Salesforce certificate could not be read; every token request will fail"
            );
        }
        SalesforceSimulator {
            state: Arc::new(SimState {
                schema: Schema::standard(),
                verifier,
                org_id: ids::generate("00D", 1),
                user_id: ids::generate("005", 1),
                inner: Mutex::new(Inner::default()),
            }),
        }
    }
}

impl Default for SalesforceSimulator {
    fn default() -> Self {
        Self::new()
    }
}

#[derive(Deserialize)]
struct SettingsPatch {
    #[serde(default, with = "double_option")]
    query_batch_size: Option<Option<usize>>,
    token_ttl_secs: Option<u64>,
    daily_api_limit: Option<u64>,
    #[serde(default, with = "double_option")]
    auto_approve_after_secs: Option<Option<u64>>,
    pubsub_keepalive_ms: Option<u64>,
    pubsub_idle_close_ms: Option<u64>,
    pubsub_retention_secs: Option<u64>,
}

/// Tells "absent" from "null" for a field.
mod double_option {
    use serde::{Deserialize, Deserializer};
    pub fn deserialize<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
        d: D,
    ) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(d).map(Some)
    }
}

async fn get_settings(State(st): State<Arc<SimState>>) -> Json<Value> {
    let inner = st.lock();
    Json(serde_json::json!({
        "settings": inner.settings,
        "api_usage": inner.api_calls,
        "tokens": inner.tokens.len(),
    }))
}

async fn set_settings(
    State(st): State<Arc<SimState>>,
    Json(patch): Json<SettingsPatch>,
) -> Json<Settings> {
    let mut inner = st.lock();
    if let Some(size) = patch.query_batch_size {
        inner.settings.query_batch_size = size;
    }
    if let Some(ttl) = patch.token_ttl_secs {
        inner.settings.token_ttl_secs = ttl;
    }
    if let Some(limit) = patch.daily_api_limit {
        inner.settings.daily_api_limit = limit;
    }
    if let Some(delay) = patch.auto_approve_after_secs {
        inner.settings.auto_approve_after_secs = delay;
    }
    if let Some(ms) = patch.pubsub_keepalive_ms {
        inner.settings.pubsub_keepalive_ms = ms;
    }
    if let Some(ms) = patch.pubsub_idle_close_ms {
        inner.settings.pubsub_idle_close_ms = ms;
    }
    if let Some(secs) = patch.pubsub_retention_secs {
        inner.settings.pubsub_retention_secs = secs;
        // Expire at once, so a test can make stored replay ids fall out of retention.
        inner.pubsub.purge(Duration::from_secs(secs));
    }
    Json(inner.settings.clone())
}

async fn revoke_tokens(State(st): State<Arc<SimState>>) -> StatusCode {
    st.lock().tokens.clear();
    StatusCode::NO_CONTENT
}

async fn list_records(State(st): State<Arc<SimState>>, Path(object): Path<String>) -> Response {
    let Some(def) = st.schema.object(&object) else {
        return errors::RestError::not_found().into_response();
    };
    let inner = st.lock();
    Json(inner.store.records(def.name).to_vec()).into_response()
}

/// The operator's approval (what the org's Flow reacts to): a Draft order with products
/// becomes `Activated` (`StatusCode`, `ActivatedDate`) and its provisioning status `Queued`.
/// 404 for an unknown order, 409 `[{"errorCode":"FIELD_INTEGRITY_EXCEPTION",…}]` when it is
/// not Draft or has no products; 200 with the order record.
async fn approve_order(State(st): State<Arc<SimState>>, Path(raw): Path<String>) -> Response {
    let Some(id) = ids::normalize(&raw).filter(|id| id.starts_with("801")) else {
        return errors::RestError::not_found().into_response();
    };
    let approved = approve(&mut st.lock(), &id);
    match approved {
        Ok(record) => {
            st.publish_approval(&record);
            Json(Value::Object(record)).into_response()
        }
        Err(e) => e.into_response(),
    }
}

/// Approves one order (see [`approve_order`]).
fn approve(inner: &mut Inner, id: &str) -> Result<schema::Record, errors::RestError> {
    let Some(order) = inner.store.find("Order", id) else {
        return Err(errors::RestError::not_found());
    };
    if order.get("StatusCode").and_then(Value::as_str) != Some("Draft") {
        return Err(errors::RestError::new(
            409,
            "FIELD_INTEGRITY_EXCEPTION",
            "Only a Draft order can be approved.",
        ));
    }
    let has_items = inner
        .store
        .records("OrderItem")
        .iter()
        .any(|r| r.get("OrderId").and_then(Value::as_str) == Some(id));
    if !has_items {
        return Err(errors::RestError::new(
            409,
            "FIELD_INTEGRITY_EXCEPTION",
            "You can't activate an order that has no products.",
        ));
    }
    let now = Value::String(store::format_datetime(time::OffsetDateTime::now_utc()));
    for (field, value) in [
        ("Status", Value::String("Activated".into())),
        ("StatusCode", Value::String("Activated".into())),
        ("ActivatedDate", now.clone()),
        (
            schema::order_fields::PROVISIONING_STATUS,
            Value::String("Queued".into()),
        ),
        ("LastModifiedDate", now.clone()),
        ("SystemModstamp", now),
    ] {
        inner.store.set_field("Order", id, field, value);
    }
    inner
        .store
        .find("Order", id)
        .cloned()
        .ok_or_else(errors::RestError::not_found)
}

/// With automatic approval on, approves every Draft order with products created at least the
/// configured delay before `now`, returning the approved orders. Run before each REST request
/// and on a timer, so the org looks as if its Flow had approved them on time.
pub(crate) fn approve_due(inner: &mut Inner, now: time::OffsetDateTime) -> Vec<schema::Record> {
    let Some(delay) = inner.settings.auto_approve_after_secs else {
        return Vec::new();
    };
    let cutoff = now - time::Duration::seconds(i64::try_from(delay).unwrap_or(i64::MAX / 2));
    let due: Vec<String> = inner
        .store
        .records("Order")
        .iter()
        .filter(|o| o.get("StatusCode").and_then(Value::as_str) == Some("Draft"))
        .filter(|o| {
            o.get("CreatedDate")
                .and_then(Value::as_str)
                .and_then(store::parse_datetime)
                .is_some_and(|created| created <= cutoff)
        })
        .filter_map(|o| o.get("Id").and_then(Value::as_str).map(str::to_owned))
        .collect();
    // An order without products stays Draft, as the Flow would leave it.
    due.iter()
        .filter_map(|id| approve(inner, id).ok())
        .collect()
}

impl Simulator for SalesforceSimulator {
    fn name(&self) -> &'static str {
        "salesforce"
    }

    fn router(&self) -> Router {
        let st = self.state.clone();
        let data = Router::new()
            .route("/services/data/{version}/query", get(rest::query))
            .route("/services/data/{version}/query/", get(rest::query))
            .route("/services/data/{version}/queryAll", get(rest::query))
            .route("/services/data/{version}/queryAll/", get(rest::query))
            .route(
                "/services/data/{version}/query/{next}",
                get(rest::query_more),
            )
            .route(
                "/services/data/{version}/sobjects/{sobject}",
                post(rest::create),
            )
            .route(
                "/services/data/{version}/sobjects/{sobject}/",
                post(rest::create),
            )
            .route(
                "/services/data/{version}/sobjects/{sobject}/{id}",
                get(rest::get).patch(rest::update).post(rest::post_override),
            )
            .route(
                "/services/data/{version}/sobjects/{sobject}/{id}/{field}",
                get(blob::get_blob),
            )
            .route(
                "/services/data/{version}/composite/tree/{sobject}",
                post(rest::tree),
            )
            .route_layer(from_fn_with_state(st.clone(), rest::guard));
        // Files arrive base64-encoded in JSON (ContentVersion.VersionData): allow Salesforce's
        // 50 MB request size instead of axum's 2 MB default.
        let data = data.layer(axum::extract::DefaultBodyLimit::max(50 * 1024 * 1024));
        Router::new()
            .route("/services/oauth2/token", post(oauth::token))
            .route("/services/oauth2/userinfo", get(oauth::userinfo))
            .route("/services/data", get(rest::versions))
            .route("/services/data/", get(rest::versions))
            .route("/_sandbox/settings", get(get_settings).post(set_settings))
            .route("/_sandbox/revoke-tokens", post(revoke_tokens))
            .route("/_sandbox/records/{object}", get(list_records))
            .route("/_sandbox/orders/{id}/approve", post(approve_order))
            .route("/_sandbox/pubsub", get(pubsub::admin::overview))
            .route("/_sandbox/pubsub/publish", post(pubsub::admin::publish_event))
            .route("/_sandbox/pubsub/drop-streams", post(pubsub::admin::drop_streams))
            .route("/_sandbox/pubsub/hang", post(pubsub::admin::hang))
            .route("/_sandbox/pubsub/duplicate", post(pubsub::admin::duplicate))
            .route("/_sandbox/pubsub/schema", post(pubsub::admin::change_schema))
            // gRPC on the same listener: tonic's generated server is a tower service, and
            // axum::serve answers HTTP/2 prior-knowledge (h2c) connections.
            .route_service(
                "/eventbus.v1.PubSub/{*method}",
                crate::server::integrations::salesforce::pubsub::proto::pub_sub_server::PubSubServer::new(
                    pubsub::PubSubService::new(st.clone()),
                ),
            )
            .route("/_sandbox/cases/{id}/reply", post(cases::reply))
            .merge(data)
            .fallback(rest::not_found)
            .with_state(st)
    }

    fn run_background(&self, shutdown: tokio_util::sync::CancellationToken) {
        // Automatic approval (and so event publishing) must not wait for REST traffic.
        let st = self.state.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_millis(250));
            loop {
                tokio::select! {
                    () = shutdown.cancelled() => return,
                    _ = tick.tick() => st.approve_due_and_publish(time::OffsetDateTime::now_utc()),
                }
            }
        });
    }

    fn reset(&self, seed: &SeedData) {
        let mut store = seed::seeded_store(&self.state.schema, seed);
        cases::seed_users(&self.state.schema, &mut store);
        *self.state.lock() = Inner {
            store,
            ..Inner::default()
        };
    }
}
