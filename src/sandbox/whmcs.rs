//! The WHMCS simulator: `POST /includes/api.php` as a WHMCS 8.x install answers it
//! (reference `whmcs.md` §1, §2.1, §7).
//!
//! - Form-encoded body (query parameters are merged in, the body wins, as PHP's
//!   `$_REQUEST`); a JSON body carries no parameters and so fails authentication.
//! - Authentication by `identifier` + `secret`, or the same pair in `username` + `password`
//!   (plain, not md5). Credentials: [`IDENTIFIER`] / [`SECRET`], the `[whmcs]` defaults.
//!   Missing or wrong secret → 403 `Authentication Failed`; unknown identifier → 403
//!   `Invalid or missing credentials`. `accesskey` is accepted and ignored (loopback callers
//!   are always allowed).
//! - Action names match case-insensitively; `action` missing → 400 `Empty action request`;
//!   an unknown action → 400 `Invalid API Action: "<lowercased>" is not a valid API action`
//!   (reference §1.6). JSON is answered whatever `responsetype` says.
//! - Actions: AddClient, GetClientsDetails, UpdateClient, GetClients, ValidateLogin,
//!   GetUsers, GetInvoices, GetInvoice, GetPayMethods, GetCurrencies, GetClientsProducts,
//!   CreateSsoToken, AddCancelRequest, GetProducts, GetPaymentMethods, AddOrder,
//!   AcceptOrder, GetOrders (`orders`), CreateInvoice, CapturePayment (`invoices`) —
//!   envelopes, messages, HTTP statuses and typing quirks as documented (see the
//!   submodules; billing history in `billing_state`).
//! - Browser pages (`sso`): `/oauth/singlesignon.php` redeems SSO tokens; `viewinvoice.php`
//!   lets a person pay an invoice; `index.php?rp=/account/paymentmethods[/add]` lists,
//!   adds, removes and reorders cards (`sso::pay_methods`). Each change is recorded as a
//!   [`WhmcsEvent`] ([`WhmcsSimulator::events`], `GET /sandbox/events`).
//!
//! Provider faults (`{"type":"provider","code":…}` through the control API):
//!
//! | code | answer |
//! |---|---|
//! | `rate_limit` | 429 from the proxy in front of WHMCS: HTML body, `Retry-After: 1` |
//! | `auth` | 403 `{"result":"error","message":"Authentication Failed"}` |
//! | `invalid_ip` | 403 `Invalid IP 127.0.0.1` (the IP allow list refuses the caller) |
//! | `permission` | 403 `Invalid Permissions: API action "<action>" is not allowed` |
//! | `php_fatal` | 500 with a PHP fatal-error HTML page, no envelope |
//! | `not_json` | 200 with an HTML page (a misconfigured URL hitting the client area) |
//! | `lost_reply` | the action **runs**, then a proxy's 504 page replaces its answer |
//! | `payment_failed` | `CapturePayment` answers `Payment Attempt Failed` (other actions run normally) |
//!
//! Latency and bare HTTP statuses use the host's generic `latency` / `status` faults.

mod billing;
mod billing_state;
mod clients;
mod delivery;
mod invoices;
mod orders;
mod reply;
mod request;
mod sso;
mod state;
mod users;

use super::{EventTarget, InjectedFault, SeedData, Simulator};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Extension, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
pub use billing_state::{CancelRequest, WhmcsEvent};
pub use delivery::Delivery;
use reply::Reply;
use request::ApiRequest;
use state::WhmcsState;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use tokio_util::sync::CancellationToken;

/// The sandbox's API credential identifier.
pub const IDENTIFIER: &str = "sandbox-identifier";
/// The sandbox's API credential secret.
pub const SECRET: &str = "sandbox-secret";

/// The simulator.
#[derive(Clone, Default)]
pub struct WhmcsSimulator {
    state: Arc<Mutex<WhmcsState>>,
}

impl WhmcsSimulator {
    /// An empty install (seeded by the host's `reset`).
    pub fn new() -> Self {
        Self::default()
    }

    /// What customers did on the simulator's own pages (invoice paid, pay method added),
    /// oldest first — the source of the signed events a WHMCS hook module would send.
    /// Also served as JSON at `GET /sandbox/events` on the simulator's base URL.
    pub fn events(&self) -> Vec<WhmcsEvent> {
        self.lock().billing.events.clone()
    }

    /// Events after sequence number `*seen` as their JSON (tagged) form, advancing `*seen`;
    /// after a reset (numbering restarted) every event counts as new.
    fn events_after(&self, seen: &mut u64) -> Vec<serde_json::Value> {
        let events: Vec<serde_json::Value> = self
            .lock()
            .billing
            .events
            .iter()
            .filter_map(|e| serde_json::to_value(e).ok())
            .collect();
        let seq = |e: &serde_json::Value| e.get("seq").and_then(serde_json::Value::as_u64);
        let last = events.iter().filter_map(seq).max().unwrap_or(0);
        if last < *seen {
            *seen = 0;
        }
        let floor = *seen;
        *seen = last;
        events
            .into_iter()
            .filter(|e| seq(e).is_some_and(|s| s > floor))
            .collect()
    }

    /// Records a [`WhmcsEvent::Hook`] for an existing client; false for an unknown one.
    pub fn raise_hook(
        &self,
        kind: String,
        client_id: u32,
        invoice_id: Option<u32>,
        service_id: Option<u32>,
    ) -> bool {
        let mut state = self.lock();
        if !state.clients.contains_key(&client_id) {
            return false;
        }
        let now = state.billing.now();
        state
            .billing
            .hook(kind, client_id, invoice_id, service_id, now);
        true
    }

    /// Records (or updates) an outbound delivery.
    fn record_delivery(&self, delivery: Delivery) {
        let mut state = self.lock();
        match state
            .deliveries
            .iter_mut()
            .find(|d| d.event_id == delivery.event_id)
        {
            Some(known) => *known = delivery,
            None => state.deliveries.push(delivery),
        }
    }

    /// Outbound event deliveries, oldest first (`GET /sandbox/deliveries`).
    pub fn deliveries(&self) -> Vec<Delivery> {
        self.lock().deliveries.clone()
    }

    /// Cancellation requests received (`AddCancelRequest`), oldest first.
    pub fn cancel_requests(&self) -> Vec<CancelRequest> {
        self.lock().billing.cancel_requests.clone()
    }

    fn lock(&self) -> MutexGuard<'_, WhmcsState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Simulator for WhmcsSimulator {
    fn name(&self) -> &'static str {
        "whmcs"
    }

    fn router(&self) -> Router {
        Router::new()
            .route("/includes/api.php", post(api))
            .merge(sso::routes())
            .with_state(self.clone())
    }

    fn reset(&self, seed: &SeedData) {
        *self.lock() = WhmcsState::seeded(seed);
    }

    fn push_events_to(&self, target: EventTarget, shutdown: CancellationToken) {
        delivery::spawn(self.clone(), target, shutdown);
    }
}

async fn api(
    State(sim): State<WhmcsSimulator>,
    fault: Option<Extension<InjectedFault>>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let req = ApiRequest::parse(uri.query(), &body);
    let action = req.get("action").unwrap_or_default().to_ascii_lowercase();
    let mut lose_reply = false;
    let mut decline = false;
    if let Some(Extension(InjectedFault(code))) = fault {
        if code == "lost_reply" {
            lose_reply = true;
        } else if code == invoices::DECLINE_FAULT {
            decline = true;
        } else if let Some(response) = injected(&code, &action) {
            return response;
        }
    }
    if let Some(refused) = authenticate(&req) {
        return refused.into_response();
    }
    if action.is_empty() {
        return Reply::gate(StatusCode::BAD_REQUEST, "Empty action request").into_response();
    }
    let mut state = sim.lock();
    let reply = match action.as_str() {
        "addclient" => clients::add_client(&mut state, &req),
        "getclientsdetails" => clients::get_clients_details(&state, &req),
        "updateclient" => clients::update_client(&mut state, &req),
        "getclients" => clients::get_clients(&state, &req),
        "validatelogin" => users::validate_login(&state, &req),
        "getusers" => users::get_users(&state, &req),
        "getinvoices" => billing::get_invoices(&state, &req),
        "getinvoice" => billing::get_invoice(&state, &req),
        "getpaymethods" => billing::get_pay_methods(&state, &req),
        "getcurrencies" => billing::get_currencies(),
        "getclientsproducts" => billing::get_clients_products(&state, &req),
        "createssotoken" => billing::create_sso_token(&mut state, &req, &base_url(&headers)),
        "addcancelrequest" => billing::add_cancel_request(&mut state, &req),
        "getproducts" => orders::get_products(&req),
        "getpaymentmethods" => orders::get_payment_methods(),
        "addorder" => orders::add_order(&mut state, &req),
        "acceptorder" => orders::accept_order(&mut state, &req),
        "getorders" => orders::get_orders(&state, &req),
        "createinvoice" => invoices::create_invoice(&mut state, &req),
        "capturepayment" => invoices::capture_payment(&mut state, &req, decline),
        other => Reply::gate(
            StatusCode::BAD_REQUEST,
            format!(r#"Invalid API Action: "{other}" is not a valid API action"#),
        ),
    };
    drop(state);
    if lose_reply {
        // The action ran; its answer is lost on the way back (a proxy timeout).
        return super::faults::lost_reply();
    }
    reply.into_response()
}

/// The simulator's own base URL as the caller reached it (WHMCS uses its configured
/// System URL; the sandbox has only the loopback address it was called on).
fn base_url(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.bytes().all(|b| {
                    b.is_ascii_alphanumeric() || matches!(b, b'.' | b':' | b'-' | b'[' | b']')
                })
        })
        .unwrap_or("127.0.0.1");
    format!("http://{host}")
}

/// Checks the API credential; `Some(refusal)` when it fails.
fn authenticate(req: &ApiRequest) -> Option<Reply> {
    let identifier = req.get("identifier").or_else(|| req.get("username"));
    let secret = req.raw("secret").or_else(|| req.raw("password"));
    let forbidden = |m: &str| Some(Reply::gate(StatusCode::FORBIDDEN, m));
    match (identifier, secret) {
        (None, _) | (_, None) => forbidden("Authentication Failed"),
        (Some(id), _) if id != IDENTIFIER => forbidden("Invalid or missing credentials"),
        (Some(_), Some(secret)) if secret != SECRET => forbidden("Authentication Failed"),
        _ => None,
    }
}

/// Renders a provider fault; `None` for an unknown code (the call is answered normally).
fn injected(code: &str, action: &str) -> Option<Response> {
    let html = |status: StatusCode, body: &'static str| {
        let mut response = (status, body).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=UTF-8"),
        );
        response
    };
    let response = match code {
        "rate_limit" => {
            let mut response = html(
                StatusCode::TOO_MANY_REQUESTS,
                "<html>\r\n<head><title>429 Too Many Requests</title></head>\r\n<body>\r\n<center><h1>429 Too Many Requests</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n",
            );
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            response
        }
        "auth" => Reply::gate(StatusCode::FORBIDDEN, "Authentication Failed").into_response(),
        "invalid_ip" => Reply::gate(StatusCode::FORBIDDEN, "Invalid IP 127.0.0.1").into_response(),
        "permission" => Reply::gate(
            StatusCode::FORBIDDEN,
            format!(r#"Invalid Permissions: API action "{action}" is not allowed"#),
        )
        .into_response(),
        "php_fatal" => html(
            StatusCode::INTERNAL_SERVER_ERROR,
            "<br />\n<b>Fatal error</b>:  Allowed memory size of 134217728 bytes exhausted in <b>/var/www/whmcs/vendor/whmcs/whmcs-foundation/lib/Api/V1/Api.php</b> on line <b>0</b><br />\n",
        ),
        "not_json" => html(
            StatusCode::OK,
            "<!DOCTYPE html><html><head><title>Client Area - Sandbox Hosting</title></head><body><h1>Login</h1></body></html>",
        ),
        other => {
            tracing::warn!(code = other, "unknown WHMCS fault code; answering normally");
            return None;
        }
    };
    Some(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(body: &str) -> ApiRequest {
        ApiRequest::parse(None, body.as_bytes())
    }

    #[test]
    fn authentication_ladder() {
        let message = |r: Option<Reply>| match r {
            Some(Reply::Error { status, message }) => Some((status.as_u16(), message)),
            _ => None,
        };
        assert_eq!(
            message(authenticate(&req(
                "identifier=sandbox-identifier&secret=sandbox-secret"
            ))),
            None
        );
        assert_eq!(
            message(authenticate(&req(
                "username=sandbox-identifier&password=sandbox-secret"
            ))),
            None
        );
        assert_eq!(
            message(authenticate(&req(""))),
            Some((403, "Authentication Failed".into()))
        );
        assert_eq!(
            message(authenticate(&req("identifier=nope&secret=sandbox-secret"))),
            Some((403, "Invalid or missing credentials".into()))
        );
        assert_eq!(
            message(authenticate(&req(
                "identifier=sandbox-identifier&secret=nope"
            ))),
            Some((403, "Authentication Failed".into()))
        );
    }

    #[test]
    fn fault_codes_render() {
        for code in [
            "rate_limit",
            "auth",
            "invalid_ip",
            "permission",
            "php_fatal",
            "not_json",
        ] {
            assert!(injected(code, "getclients").is_some(), "{code}");
        }
        assert!(injected("nope", "getclients").is_none());
        assert_eq!(
            injected("rate_limit", "x").map(|r| r.status().as_u16()),
            Some(429)
        );
    }
}
