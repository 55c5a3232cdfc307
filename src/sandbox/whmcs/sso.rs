//! The simulator's browser pages, in the spirit of the WHMCS client area:
//!
//! - `GET /oauth/singlesignon.php?access_token=…` redeems a `CreateSsoToken` token once
//!   (within 60 s), sets the `WHMCSsim` session cookie and redirects to the token's
//!   destination; a used, unknown or expired token gets WHMCS's message on a 403 page.
//! - `GET /viewinvoice.php?id=…` shows the invoice; `POST` ("Pay now") pays its balance by
//!   card (a transaction, status Paid), records [`WhmcsEvent::InvoicePaid`] and redirects
//!   (303) to the portal's `return_url` ([DESIGN]) or back to the invoice.
//! - `index.php?rp=/account/paymentmethods…`: the pay method list with Remove and Make
//!   default per method, and the add-card form (`pay_methods`); adding and removing record
//!   [`WhmcsEvent::PayMethodAdded`] / [`WhmcsEvent::PayMethodRemoved`] and redirect like
//!   paying does.
//! - `GET /sandbox/events` lists the events and `GET /sandbox/cancel_requests` the
//!   cancellation requests (JSON); `POST /sandbox/clock?advance=<seconds>`
//!   moves the simulator's clock forward (token expiry tests; reference §7 "advance the
//!   clock").
//!
//! [`WhmcsEvent::InvoicePaid`]: super::WhmcsEvent::InvoicePaid
//! [`WhmcsEvent::PayMethodAdded`]: super::WhmcsEvent::PayMethodAdded
//! [`WhmcsEvent::PayMethodRemoved`]: super::WhmcsEvent::PayMethodRemoved

mod pay_methods;

use super::WhmcsSimulator;
use super::billing::{amount, random_hex};
use super::billing_state::{SsoSession, ymd};
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use std::collections::HashMap;
use time::Duration;

const COOKIE: &str = "WHMCSsim";

type Params = Query<HashMap<String, String>>;

/// The page routes (state: the simulator).
pub fn routes() -> Router<WhmcsSimulator> {
    Router::new()
        .route("/oauth/singlesignon.php", get(redeem))
        .route("/viewinvoice.php", get(view_invoice).post(pay_invoice))
        .route("/index.php", get(pay_methods::page).post(pay_methods::act))
        .route("/clientarea.php", get(client_area))
        .route("/sandbox/events", get(events).post(raise_event))
        .route("/sandbox/deliveries", get(deliveries))
        .route("/sandbox/cancel_requests", get(cancel_requests))
        .route("/sandbox/clock", post(advance_clock))
}

fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn page(status: StatusCode, title: &str, body: &str) -> Response {
    let html = format!(
        "<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"utf-8\"><link rel=\"icon\" href=\"data:,\"><title>{t} - Sandbox Hosting</title>\
<style>body{{font-family:sans-serif;background:#f4f6f8;margin:0}}header{{background:#1f3a5f;color:#fff;padding:12px 24px}}\
main{{max-width:720px;margin:24px auto;background:#fff;padding:24px;border-radius:6px}}\
table{{width:100%;border-collapse:collapse}}td,th{{border-bottom:1px solid #ddd;padding:6px;text-align:left}}\
.status{{font-weight:bold}}button{{background:#2e7d32;color:#fff;border:0;padding:10px 18px;border-radius:4px}}\
button.danger{{background:#b00020}}button.secondary{{background:#55606e}}\
.error{{color:#b00020}}</style></head>\
<body><header>Sandbox Hosting — WHMCS Client Area (simulator)</header><main><h1>{t}</h1>{body}</main></body></html>",
        t = esc(title)
    );
    (status, Html(html)).into_response()
}

fn denied(message: &str) -> Response {
    page(
        StatusCode::FORBIDDEN,
        "Access Denied",
        &format!("<p class=\"error\">{}</p>", esc(message)),
    )
}

fn session_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.to_owned())
}

fn session(sim: &WhmcsSimulator, headers: &HeaderMap) -> Option<SsoSession> {
    let id = session_cookie(headers)?;
    sim.lock().billing.sso_sessions.get(&id).cloned()
}

/// A redirect (`status` 302 or 303) that never panics: a location that is not a valid
/// header value (control characters) becomes a redirect to the client area.
fn redirect(status: StatusCode, location: &str) -> Response {
    let value = HeaderValue::from_str(location)
        .unwrap_or_else(|_| HeaderValue::from_static("/clientarea.php"));
    let mut response = status.into_response();
    response.headers_mut().insert(header::LOCATION, value);
    response
}

/// After an action: back to the portal when it said where, else to `fallback` (303).
fn done(session: &SsoSession, fallback: &str) -> Response {
    redirect(
        StatusCode::SEE_OTHER,
        session.return_url.as_deref().unwrap_or(fallback),
    )
}

async fn redeem(State(sim): State<WhmcsSimulator>, Query(q): Params) -> Response {
    let token = q.get("access_token").cloned().unwrap_or_default();
    let mut state = sim.lock();
    let now = state.billing.now();
    let Some(found) = state.billing.sso_tokens.remove(&token) else {
        return denied("Unable to authenticate with Single Sign-On token for User ID: 0");
    };
    if found.expires <= now {
        let owner = state
            .clients
            .get(&found.client_id)
            .map_or(0, |c| c.owner_user_id);
        return denied(&format!(
            "Unable to authenticate with Single Sign-On token for User ID: {owner}"
        ));
    }
    let id = random_hex(16);
    state.billing.sso_sessions.insert(
        id.clone(),
        SsoSession {
            client_id: found.client_id,
            return_url: found.return_url,
        },
    );
    drop(state);
    let mut response = redirect(StatusCode::FOUND, &found.path);
    if let Ok(cookie) =
        HeaderValue::from_str(&format!("{COOKIE}={id}; Path=/; HttpOnly; SameSite=Lax"))
    {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    response
}

fn invoice_id(q: &HashMap<String, String>) -> u32 {
    q.get("id").and_then(|v| v.trim().parse().ok()).unwrap_or(0)
}

async fn view_invoice(
    State(sim): State<WhmcsSimulator>,
    Query(q): Params,
    headers: HeaderMap,
) -> Response {
    let Some(session) = session(&sim, &headers) else {
        return denied("Please log in to view this invoice.");
    };
    let id = invoice_id(&q);
    let state = sim.lock();
    let Some(inv) = state
        .billing
        .invoices
        .get(&id)
        .filter(|i| i.client_id == session.client_id)
    else {
        return denied("Invoice not found or not yours.");
    };
    let mut rows = String::new();
    for line in &inv.lines {
        rows.push_str(&format!(
            "<tr><td>{}</td><td>¥{}</td></tr>",
            esc(&line.description),
            amount(line.amount)
        ));
    }
    let payable = matches!(inv.status.as_str(), "Unpaid" | "Payment Pending");
    let status = if inv.is_overdue(super::billing_state::today()) {
        "Unpaid (Overdue)".to_owned()
    } else {
        inv.status.clone()
    };
    let action = if payable {
        format!(
            "<form method=\"post\" action=\"/viewinvoice.php?id={id}\">\
<p>Pay ¥{} by card.</p><button type=\"submit\" name=\"pay\" value=\"1\">Pay now</button></form>",
            amount(inv.balance())
        )
    } else {
        String::new()
    };
    let body = format!(
        "<p>Invoice date {} · Due {}</p><p class=\"status\" data-status=\"{st}\">{st}</p>\
<table><tr><th>Description</th><th>Amount</th></tr>{rows}\
<tr><td>Sub total</td><td>¥{}</td></tr><tr><td>10.00% 消費税</td><td>¥{}</td></tr>\
<tr><th>Total</th><th>¥{}</th></tr><tr><td>Balance</td><td>¥{}</td></tr></table>{action}",
        ymd(inv.date),
        ymd(inv.duedate),
        amount(inv.subtotal()),
        amount(inv.tax()),
        amount(inv.total()),
        amount(inv.balance()),
        st = esc(&status),
    );
    let number = if inv.invoicenum.is_empty() {
        inv.id.to_string()
    } else {
        inv.invoicenum.clone()
    };
    page(StatusCode::OK, &format!("Invoice #{number}"), &body)
}

async fn pay_invoice(
    State(sim): State<WhmcsSimulator>,
    Query(q): Params,
    headers: HeaderMap,
) -> Response {
    let Some(session) = session(&sim, &headers) else {
        return denied("Please log in to pay this invoice.");
    };
    let id = invoice_id(&q);
    let mut state = sim.lock();
    let owned = state
        .billing
        .invoices
        .get(&id)
        .is_some_and(|i| i.client_id == session.client_id);
    if !owned {
        return denied("Invoice not found or not yours.");
    }
    let now = state.billing.now();
    let paid = state.billing.pay_invoice(id, "stripe", now);
    drop(state);
    if !paid {
        return page(
            StatusCode::CONFLICT,
            "Payment",
            "<p class=\"error\">This invoice is not awaiting payment.</p>",
        );
    }
    done(&session, &format!("/viewinvoice.php?id={id}"))
}

async fn client_area(State(sim): State<WhmcsSimulator>, headers: HeaderMap) -> Response {
    if session(&sim, &headers).is_none() {
        return denied("Please log in.");
    }
    page(
        StatusCode::OK,
        "Client Area",
        "<p><a href=\"/index.php?rp=/account/paymentmethods\">Payment Methods</a></p>",
    )
}

async fn events(State(sim): State<WhmcsSimulator>) -> Response {
    axum::Json(sim.events()).into_response()
}

/// A hook the simulator does not model (`{"type": "invoice.created", "client_id": 1001,
/// "invoice_id": 2001}`), recorded — and so delivered — like its own events.
#[derive(serde::Deserialize)]
struct RaisedEvent {
    #[serde(rename = "type")]
    kind: String,
    client_id: u32,
    invoice_id: Option<u32>,
    service_id: Option<u32>,
}

async fn raise_event(
    State(sim): State<WhmcsSimulator>,
    axum::Json(event): axum::Json<RaisedEvent>,
) -> Response {
    if sim.raise_hook(
        event.kind,
        event.client_id,
        event.invoice_id,
        event.service_id,
    ) {
        StatusCode::CREATED.into_response()
    } else {
        (StatusCode::NOT_FOUND, "no such client").into_response()
    }
}

async fn deliveries(State(sim): State<WhmcsSimulator>) -> Response {
    axum::Json(sim.deliveries()).into_response()
}

async fn cancel_requests(State(sim): State<WhmcsSimulator>) -> Response {
    axum::Json(sim.cancel_requests()).into_response()
}

async fn advance_clock(State(sim): State<WhmcsSimulator>, Query(q): Params) -> Response {
    let seconds: i64 = q
        .get("advance")
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(0)
        .clamp(0, 10 * 365 * 86_400);
    let mut state = sim.lock();
    state.billing.clock_offset += Duration::seconds(seconds);
    StatusCode::NO_CONTENT.into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers() {
        assert_eq!(esc("<a href='x'>&"), "&lt;a href=&#39;x&#39;&gt;&amp;");
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; WHMCSsim=abc; b=2"),
        );
        assert_eq!(session_cookie(&headers).as_deref(), Some("abc"));
    }
}
