//! The client area's payment methods pages (`index.php?rp=/account/paymentmethods…`), reached
//! through single sign-on:
//!
//! - `GET …/paymentmethods` lists the client's methods, the default first, each with a
//!   **Remove** button and (for the others) **Make default**;
//! - `GET …/paymentmethods/add` shows the card form (number, expiry MM/YY, use by default);
//! - `POST …/paymentmethods/add` stores the card (last four digits only) and records
//!   `PayMethodAdded`; `POST …/paymentmethods/{id}/delete` marks the method deleted and records
//!   `PayMethodRemoved` (the next one becomes the default); `POST …/paymentmethods/{id}/default`
//!   moves it to the front. Each then redirects (303) to the portal's `return_url`, or back to
//!   the list.

use super::{Params, denied, done, esc, session};
use crate::sandbox::whmcs::WhmcsSimulator;
use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use std::collections::HashMap;

const LIST: &str = "/account/paymentmethods";
const LIST_PAGE: &str = "/index.php?rp=/account/paymentmethods";

/// What a POST asks for, from its `rp` route.
#[derive(Debug, PartialEq, Eq)]
enum Action {
    Add,
    Remove(u32),
    MakeDefault(u32),
}

fn action(rp: &str) -> Option<Action> {
    let rest = rp.trim_end_matches('/').strip_prefix(LIST)?;
    if rest == "/add" {
        return Some(Action::Add);
    }
    let (id, verb) = rest.strip_prefix('/')?.split_once('/')?;
    let id = id.parse().ok()?;
    match verb {
        "delete" => Some(Action::Remove(id)),
        "default" => Some(Action::MakeDefault(id)),
        _ => None,
    }
}

/// `GET`: the list, or the add form.
pub(super) async fn page(
    State(sim): State<WhmcsSimulator>,
    Query(q): Params,
    headers: HeaderMap,
) -> Response {
    let Some(session) = session(&sim, &headers) else {
        return denied("Please log in to manage payment methods.");
    };
    let rp = q.get("rp").map(String::as_str).unwrap_or_default();
    if action(rp) == Some(Action::Add) {
        return super::page(StatusCode::OK, "Add Payment Method", &card_form(""));
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
        let id = m.id;
        let (default, make_default) = if i == 0 {
            (" <strong>(default)</strong>", String::new())
        } else {
            (
                "",
                format!(
                    "<form method=\"post\" action=\"{LIST_PAGE}/{id}/default\" style=\"display:inline\">\
<button type=\"submit\" class=\"secondary\">Make default</button></form> "
                ),
            )
        };
        rows.push_str(&format!(
            "<tr data-id=\"{id}\"><td>{}{default}</td><td>{make_default}\
<form method=\"post\" action=\"{LIST_PAGE}/{id}/delete\" style=\"display:inline\">\
<button type=\"submit\" class=\"danger\">Remove</button></form></td></tr>",
            esc(&label)
        ));
    }
    let list = if rows.is_empty() {
        "<p>No payment methods on file.</p>".to_owned()
    } else {
        format!("<table>{rows}</table>")
    };
    // A person who only came to look needs a way back to where they came from.
    let back = session.return_url.as_deref().map_or(String::new(), |url| {
        format!("<p><a href=\"{}\">Return to the portal</a></p>", esc(url))
    });
    super::page(
        StatusCode::OK,
        "Payment Methods",
        &format!("{list}<p><a href=\"{LIST_PAGE}/add\">Add New Card</a></p>{back}"),
    )
}

fn card_form(error: &str) -> String {
    let error = if error.is_empty() {
        String::new()
    } else {
        format!("<p class=\"error\">{}</p>", esc(error))
    };
    format!(
        "{error}<form method=\"post\" action=\"{LIST_PAGE}/add\">\
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

/// `POST`: add, remove or make default, by `rp`.
pub(super) async fn act(
    State(sim): State<WhmcsSimulator>,
    Query(q): Params,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let Some(session) = session(&sim, &headers) else {
        return denied("Please log in to manage payment methods.");
    };
    let rp = q.get("rp").map(String::as_str).unwrap_or_default();
    let client_id = session.client_id;
    match action(rp) {
        Some(Action::Add) => {
            add(&sim, client_id, &form).unwrap_or_else(|| done(&session, LIST_PAGE))
        }
        Some(Action::Remove(id)) => {
            let mut state = sim.lock();
            let now = state.billing.now();
            let removed = state.billing.remove_pay_method(client_id, id, now);
            drop(state);
            if removed {
                done(&session, LIST_PAGE)
            } else {
                not_found()
            }
        }
        Some(Action::MakeDefault(id)) => {
            let mut state = sim.lock();
            let owned = state.billing.pay_methods_of(client_id).any(|m| m.id == id);
            if owned {
                state.billing.make_default(id);
            }
            drop(state);
            if owned {
                done(&session, LIST_PAGE)
            } else {
                not_found()
            }
        }
        None => not_found(),
    }
}

fn not_found() -> Response {
    super::page(
        StatusCode::NOT_FOUND,
        "Payment Methods",
        "<p class=\"error\">Payment method not found.</p>",
    )
}

/// Stores a card from the form; `Some(page)` when the form is refused.
fn add(sim: &WhmcsSimulator, client_id: u32, form: &HashMap<String, String>) -> Option<Response> {
    let digits: String = form
        .get("card_number")
        .map(|n| n.chars().filter(char::is_ascii_digit).collect())
        .unwrap_or_default();
    let expiry = form
        .get("expiry")
        .map(|e| e.trim().to_owned())
        .unwrap_or_default();
    let refused = if !(12..=19).contains(&digits.len()) {
        Some("Invalid Card Number")
    } else if !valid_expiry(&expiry) {
        Some("Expiry Date is invalid")
    } else {
        None
    };
    if let Some(message) = refused {
        return Some(super::page(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Add Payment Method",
            &card_form(message),
        ));
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
        .add_card(client_id, brand, &last_four, &expiry, "");
    if form
        .get("set_default")
        .is_some_and(|v| !v.is_empty() && v != "0")
    {
        state.billing.make_default(id);
    }
    let now = state.billing.now();
    state.billing.pay_method_added(client_id, id, now);
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_and_expiry() {
        assert_eq!(action("/account/paymentmethods/add/"), Some(Action::Add));
        assert_eq!(
            action("/account/paymentmethods/7/delete"),
            Some(Action::Remove(7))
        );
        assert_eq!(
            action("/account/paymentmethods/7/default"),
            Some(Action::MakeDefault(7))
        );
        assert_eq!(action("/account/paymentmethods"), None);
        assert_eq!(action("/account/paymentmethods/x/delete"), None);
        assert_eq!(action("/account/other/add"), None);
        assert!(valid_expiry("08/28"));
        assert!(!valid_expiry("13/28") && !valid_expiry("8/28") && !valid_expiry("ab/cd"));
    }
}
