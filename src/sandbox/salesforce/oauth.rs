//! `POST /services/oauth2/token` (JWT bearer grant) and `GET /services/oauth2/userinfo`.
//!
//! The assertion is checked the way Salesforce does, in this order, with its error answers:
//!
//! | check | answer (400) |
//! |---|---|
//! | `grant_type` is the JWT bearer URN | `unsupported_grant_type` / `grant type not supported` |
//! | a parseable RS256 JWT | `invalid_grant` / `invalid assertion` |
//! | `iss` is the connected app's consumer key | `invalid_client_id` / `client identifier invalid` |
//! | RS256 signature verifies with the registered certificate | `invalid_grant` / `invalid assertion` |
//! | `aud` is this server's URL, `https://login.salesforce.com` or `https://test.salesforce.com` | `invalid_grant` / `audience is invalid` |
//! | `exp` is in the future | `invalid_grant` / `expired authorization code` |
//! | `exp` is at most 5 minutes (+1 min skew) ahead | `invalid_grant` / `invalid assertion` |
//! | `sub` is the integration user | `invalid_grant` / `user hasn't approved this consumer` |
//!
//! Success: `{access_token, scope, instance_url, id, token_type, issued_at, signature}`; the
//! token is kept in memory (TTL configurable through `/_sandbox/settings`).

use super::errors::{OAuthError, RestError};
use super::{CONSUMER_KEY, SimState, USERNAME};
use crate::sandbox::InjectedFault;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Extension, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use rand::Rng;
use rand::distr::Alphanumeric;
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Instant;
use x509_parser::public_key::PublicKey;

/// The certificate registered on the simulated connected app.
const CERTIFICATE: &str = include_str!("../../../sandbox/salesforce/jwt-certificate.pem");

/// The JWT bearer grant type.
const JWT_BEARER: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";

/// Longest accepted assertion lifetime (Salesforce documents about 3 minutes; common clients
/// use 5), plus clock skew.
const MAX_EXP_AHEAD_SECS: u64 = 300 + 60;

/// The RSA public key of the registered certificate.
pub fn registered_key() -> Option<DecodingKey> {
    let (_, pem) = x509_parser::pem::parse_x509_pem(CERTIFICATE.as_bytes()).ok()?;
    let cert = pem.parse_x509().ok()?;
    match cert.public_key().parsed().ok()? {
        PublicKey::RSA(rsa) => Some(DecodingKey::from_rsa_raw_components(
            rsa.modulus,
            rsa.exponent,
        )),
        _ => None,
    }
}

/// `http://{Host}`: the simulator's own base URL as the caller reached it.
pub fn base_url(headers: &HeaderMap) -> String {
    let host = headers
        .get("host")
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    format!("http://{host}")
}

fn invalid(description: &'static str) -> OAuthError {
    OAuthError::new("invalid_grant", description)
}

/// Checks an assertion; `Ok` means a token may be issued.
pub fn verify_assertion(
    key: Option<&DecodingKey>,
    assertion: &str,
    own_base: &str,
    now: u64,
) -> Result<(), OAuthError> {
    let header =
        jsonwebtoken::decode_header(assertion).map_err(|_| invalid("invalid assertion"))?;
    if header.alg != Algorithm::RS256 {
        return Err(invalid("invalid assertion"));
    }
    let claims: Value = jsonwebtoken::dangerous::insecure_decode_claims(assertion)
        .map_err(|_| invalid("invalid assertion"))?;
    if claims.get("iss").and_then(Value::as_str) != Some(CONSUMER_KEY) {
        return Err(OAuthError::new(
            "invalid_client_id",
            "client identifier invalid",
        ));
    }
    let key = key.ok_or_else(|| invalid("invalid assertion"))?;
    let mut validation = Validation::new(Algorithm::RS256);
    validation.validate_exp = false;
    validation.validate_aud = false;
    validation.required_spec_claims.clear();
    jsonwebtoken::decode::<Value>(assertion, key, &validation)
        .map_err(|_| invalid("invalid assertion"))?;
    let aud_ok = |aud: &str| {
        let aud = aud.trim_end_matches('/');
        aud == own_base
            || aud == "https://login.salesforce.com"
            || aud == "https://test.salesforce.com"
    };
    let aud_valid = match claims.get("aud") {
        Some(Value::String(a)) => aud_ok(a),
        Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).any(aud_ok),
        _ => false,
    };
    if !aud_valid {
        return Err(invalid("audience is invalid"));
    }
    let exp = claims.get("exp").and_then(Value::as_u64).unwrap_or(0);
    if exp <= now {
        return Err(invalid("expired authorization code"));
    }
    if exp > now + MAX_EXP_AHEAD_SECS {
        return Err(invalid("invalid assertion"));
    }
    let sub = claims
        .get("sub")
        .or_else(|| claims.get("prn"))
        .and_then(Value::as_str);
    if sub != Some(USERNAME) {
        return Err(invalid("user hasn't approved this consumer"));
    }
    Ok(())
}

/// `POST /services/oauth2/token`.
pub async fn token(
    State(st): State<Arc<SimState>>,
    fault: Option<Extension<InjectedFault>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    match fault.as_ref().map(|f| f.0.0.as_str()) {
        Some("invalid_grant") => return invalid("authentication failure").into_response(),
        Some("unavailable") => {
            return RestError::new(503, "SERVER_UNAVAILABLE", "Server temporarily unavailable")
                .into_response();
        }
        _ => {}
    }
    let mut grant_type = None;
    let mut assertion = None;
    for (k, v) in url::form_urlencoded::parse(&body) {
        match k.as_ref() {
            "grant_type" => grant_type = Some(v.into_owned()),
            "assertion" => assertion = Some(v.into_owned()),
            _ => {}
        }
    }
    if grant_type.as_deref() != Some(JWT_BEARER) {
        return OAuthError::new("unsupported_grant_type", "grant type not supported")
            .into_response();
    }
    let base = base_url(&headers);
    let now = jsonwebtoken::get_current_timestamp();
    if let Err(err) = verify_assertion(
        st.verifier.as_ref(),
        assertion.as_deref().unwrap_or_default(),
        &base,
        now,
    ) {
        return err.into_response();
    }
    let random: String = rand::rng()
        .sample_iter(&Alphanumeric)
        .take(96)
        .map(char::from)
        .collect();
    let access_token = format!("{}!{random}", &st.org_id[..15]);
    st.lock()
        .tokens
        .insert(access_token.clone(), Instant::now());
    let signature: String = rand::rng()
        .sample_iter(&Alphanumeric)
        .take(43)
        .map(char::from)
        .collect();
    Json(json!({
        "access_token": access_token,
        "scope": "api",
        "instance_url": base,
        "id": format!("{base}/id/{}/{}", st.org_id, st.user_id),
        "token_type": "Bearer",
        "issued_at": (now * 1000).to_string(),
        "signature": format!("{signature}="),
    }))
    .into_response()
}

/// `GET /services/oauth2/userinfo` (bearer token).
pub async fn userinfo(State(st): State<Arc<SimState>>, headers: HeaderMap) -> Response {
    if !st.token_valid(&headers) {
        return (axum::http::StatusCode::FORBIDDEN, "Bad_OAuth_Token").into_response();
    }
    let base = base_url(&headers);
    Json(json!({
        "sub": format!("{base}/id/{}/{}", st.org_id, st.user_id),
        "user_id": st.user_id,
        "organization_id": st.org_id,
        "preferred_username": USERNAME,
        "email": USERNAME,
        "name": "Portal Integration",
    }))
    .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsonwebtoken::{EncodingKey, Header};

    const PRIVATE_KEY: &str = include_str!("../../../sandbox/salesforce/jwt-private-key.pem");

    fn sign(claims: &Value) -> String {
        let key = EncodingKey::from_rsa_pem(PRIVATE_KEY.as_bytes()).expect("key");
        jsonwebtoken::encode(&Header::new(Algorithm::RS256), claims, &key).expect("signed")
    }

    fn claims(now: u64) -> Value {
        json!({"iss": CONSUMER_KEY, "sub": USERNAME, "aud": "http://127.0.0.1:1", "exp": now + 180})
    }

    #[test]
    fn the_certificate_key_verifies_the_sandbox_key() {
        let key = registered_key().expect("certificate parses");
        let now = 1_800_000_000;
        assert_eq!(
            verify_assertion(Some(&key), &sign(&claims(now)), "http://127.0.0.1:1", now),
            Ok(())
        );
    }

    #[test]
    fn each_claim_is_checked_with_the_real_error() {
        let key = registered_key().expect("certificate parses");
        let now = 1_800_000_000;
        let check = |c: Value| {
            verify_assertion(Some(&key), &sign(&c), "http://127.0.0.1:1", now)
                .err()
                .map(|e| (e.error, e.error_description))
        };
        let with = |k: &str, v: Value| {
            let mut c = claims(now);
            c[k] = v;
            c
        };
        assert_eq!(
            check(with("iss", json!("other-app"))),
            Some(("invalid_client_id", "client identifier invalid"))
        );
        assert_eq!(
            check(with("aud", json!("https://evil.example"))),
            Some(("invalid_grant", "audience is invalid"))
        );
        assert_eq!(
            check(with("aud", json!("https://login.salesforce.com"))),
            None
        );
        assert_eq!(
            check(with("exp", json!(now - 1))),
            Some(("invalid_grant", "expired authorization code"))
        );
        assert_eq!(
            check(with("exp", json!(now + 3600))),
            Some(("invalid_grant", "invalid assertion"))
        );
        assert_eq!(
            check(with("sub", json!("someone@else"))),
            Some(("invalid_grant", "user hasn't approved this consumer"))
        );
        let tampered = {
            let jwt = sign(&claims(now));
            let mut parts: Vec<String> = jwt.split('.').map(str::to_owned).collect();
            let forged = sign(&with("sub", json!("admin@portal.sandbox")));
            parts[1] = forged.split('.').nth(1).unwrap_or_default().to_owned();
            parts.join(".")
        };
        assert_eq!(
            verify_assertion(Some(&key), &tampered, "http://127.0.0.1:1", now)
                .err()
                .map(|e| e.error_description),
            Some("invalid assertion")
        );
        assert!(verify_assertion(Some(&key), "garbage", "http://x", now).is_err());
    }
}
