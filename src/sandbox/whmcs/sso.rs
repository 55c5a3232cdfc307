//! The simulator's browser pages, in the spirit of the WHMCS client area:
//!
//! - `GET /oauth/singlesignon.php?access_token=…` redeems a `CreateSsoToken` token once
//!   (within 60 s), sets the `WHMCSsim` session cookie and redirects to the token's
//!   destination; a used, unknown or expired token gets WHMCS's message on a 403 page.
//! - `GET /viewinvoice.php?id=…` shows the invoice; `POST` ("Pay now") pays its balance by
//!   card (a transaction, status Paid), records [`WhmcsEvent::InvoicePaid`] and redirects
//!   (303) to the portal's `return_url` ([DESIGN]) or back to the invoice.
//! - `GET /index.php?rp=/account/paymentmethods` lists cards; `…/add` shows a card form
//!   (number, expiry MM/YY, make default); `POST` stores the card (last four digits only),
//!   records [`WhmcsEvent::PayMethodAdded`] and redirects like paying does.
//! - `GET /sandbox/events` lists the events and `GET /sandbox/cancel_requests` the
//!   cancellation requests (JSON); `POST /sandbox/clock?advance=<seconds>`
//!   moves the simulator's clock forward (token expiry tests; reference §7 "advance the
//!   clock").
//!
//! [`WhmcsEvent::InvoicePaid`]: super::WhmcsEvent::InvoicePaid
//! [`WhmcsEvent::PayMethodAdded`]: super::WhmcsEvent::PayMethodAdded

use super::WhmcsSimulator;
use super::billing::{amount, random_hex};
use super::billing_state::{SsoSession, ymd};
use axum::Router;
use axum::extract::{Form, Query, State};
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
        .route("/index.php", get(pay_methods_page).post(add_pay_method))
        .route("/clientarea.php", get(client_area))
        .route("/sandbox/events", get(events))
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
        "<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"utf-8\"><title>{t} - Sandbox Hosting</title>\
<style>body{{font-family:sans-serif;background:#f4f6f8;margin:0}}header{{background:#1f3a5f;color:#fff;padding:12px 24px}}\
main{{max-width:720px;margin:24px auto;background:#fff;padding:24px;border-radius:6px}}\
table{{width:100%;border-collapse:collapse}}td,th{{border-bottom:1px solid #ddd;padding:6px;text-align:left}}\
.status{{font-weight:bold}}button{{background:#2e7d32;color:#fff;border:0;padding:10px 18px;border-radius:4px}}\
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

async fn pay_methods_page(
    State(sim): State<WhmcsSimulator>,
    Query(q): Params,
    headers: HeaderMap,
) -> Response {
    let Some(session) = session(&sim, &headers) else {
        return denied("Please log in to manage payment methods.");
    };
    let rp = q.get("rp").map(String::as_str).unwrap_or_default();
    if rp.trim_end_matches('/') == "/account/paymentmethods/add" {
        return page(StatusCode::OK, "Add Payment Method", &card_form(""));
    }
    let state = sim.lock();
    let mut rows = String::new();
    for (i, m) in state.billing.pay_methods_of(session.client_id).enumerate() {
        let label = if m.kind == "CreditCard" {
            format!(
                "{} ending {} (expires {})",
                m.card_type, m.last_four, m.expiry
            )
        } else {
            format!("{} {}", m.bank_name, m.description)
        };
        let default = if i == 0 { " (default)" } else { "" };
        rows.push_str(&format!("<li>{}{default}</li>", esc(&label)));
    }
    page(
        StatusCode::OK,
        "Payment Methods",
        &format!(
            "<ul>{rows}</ul><p><a href=\"/index.php?rp=/account/paymentmethods/add\">Add New Card</a></p>"
        ),
    )
}

fn card_form(error: &str) -> String {
    let error = if error.is_empty() {
        String::new()
    } else {
        format!("<p class=\"error\">{}</p>", esc(error))
    };
    format!(
        "{error}<form method=\"post\" action=\"/index.php?rp=/account/paymentmethods/add\">\
<p><label>Card number <input name=\"card_number\" inputmode=\"numeric\" autocomplete=\"off\"></label></p>\
<p><label>Expiry (MM/YY) <input name=\"expiry\" placeholder=\"MM/YY\"></label></p>\
<p><label><input type=\"checkbox\" name=\"set_default\" value=\"1\" checked> Use by default</label></p>\
<button type=\"submit\">Save card</button></form>"
    )
}

/// `MM/YY` with a real month.
fn valid_expiry(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 5
        && b[2] == b'/'
        && [0, 1, 3, 4].iter().all(|&i| b[i].is_ascii_digit())
        && text
            .get(..2)
            .and_then(|m| m.parse::<u8>().ok())
            .is_some_and(|m| (1..=12).contains(&m))
}

async fn add_pay_method(
    State(sim): State<WhmcsSimulator>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let Some(session) = session(&sim, &headers) else {
        return denied("Please log in to manage payment methods.");
    };
    let digits: String = form
        .get("card_number")
        .map(|n| n.chars().filter(char::is_ascii_digit).collect())
        .unwrap_or_default();
    let expiry = form
        .get("expiry")
        .map(|e| e.trim().to_owned())
        .unwrap_or_default();
    if !(12..=19).contains(&digits.len()) {
        return page(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Add Payment Method",
            &card_form("Invalid Card Number"),
        );
    }
    if !valid_expiry(&expiry) {
        return page(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Add Payment Method",
            &card_form("Expiry Date is invalid"),
        );
    }
    let brand = match digits.as_bytes().first() {
        Some(b'4') => "Visa",
        Some(b'5') => "MasterCard",
        Some(b'3') => "JCB",
        _ => "Card",
    };
    let last_four = digits
        .get(digits.len() - 4..)
        .unwrap_or_default()
        .to_owned();
    let mut state = sim.lock();
    let id = state
        .billing
        .add_card(session.client_id, brand, &last_four, &expiry, "");
    if form
        .get("set_default")
        .is_some_and(|v| !v.is_empty() && v != "0")
    {
        state.billing.make_default(id);
    }
    let now = state.billing.now();
    state.billing.pay_method_added(session.client_id, id, now);
    drop(state);
    done(&session, "/index.php?rp=/account/paymentmethods")
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
        assert!(valid_expiry("08/28"));
        assert!(!valid_expiry("13/28") && !valid_expiry("8/28") && !valid_expiry("ab/cd"));
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("a=1; WHMCSsim=abc; b=2"),
        );
        assert_eq!(session_cookie(&headers).as_deref(), Some("abc"));
    }
}
