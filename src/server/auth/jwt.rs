//! Access tokens and short-lived sign-in step tokens as JWTs: HS256 pinned (a token naming any
//! other algorithm is refused), a key id in the header so keys can rotate (the first
//! configured key signs, every configured key verifies), and a `purpose` claim so a 2FA step
//! token can never be used as an access token.

use super::AuthConfig;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use std::time::Duration;

/// What a token may be used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    /// A signed-in session's access token.
    Access,
    /// Password checked, second factor still needed.
    SecondFactor,
}

/// The claims we sign.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// User id.
    pub sub: String,
    /// Session id (empty for second-factor tokens).
    pub sid: String,
    /// Purpose.
    pub purpose: Purpose,
    /// Issued at (Unix seconds).
    pub iat: i64,
    /// Expires (Unix seconds).
    pub exp: i64,
}

/// Signs claims for `user` valid for `ttl` from `now`.
pub fn sign(
    config: &AuthConfig,
    user_id: &str,
    session_id: &str,
    purpose: Purpose,
    ttl: Duration,
    now: time::OffsetDateTime,
) -> anyhow::Result<String> {
    let (kid, secret) = config
        .keys
        .first()
        .ok_or_else(|| anyhow::anyhow!("no signing key configured"))?;
    let iat = now.unix_timestamp();
    let claims = Claims {
        sub: user_id.to_owned(),
        sid: session_id.to_owned(),
        purpose,
        iat,
        exp: iat + i64::try_from(ttl.as_secs()).unwrap_or(i64::MAX / 2),
    };
    let header = Header {
        kid: Some(kid.clone()),
        ..Header::new(Algorithm::HS256)
    };
    Ok(jsonwebtoken::encode(
        &header,
        &claims,
        &EncodingKey::from_secret(secret),
    )?)
}

/// Why a token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rejection {
    /// Well-formed and correctly signed, but past its expiry.
    Expired,
    /// Anything else: bad signature, unknown key, other algorithm, wrong purpose, garbage.
    Invalid,
}

/// Verifies a token for `purpose`.
pub fn verify(config: &AuthConfig, token: &str, purpose: Purpose) -> Result<Claims, Rejection> {
    let header = jsonwebtoken::decode_header(token).map_err(|_| Rejection::Invalid)?;
    if header.alg != Algorithm::HS256 {
        return Err(Rejection::Invalid);
    }
    let kid = header.kid.ok_or(Rejection::Invalid)?;
    let (_, secret) = config
        .keys
        .iter()
        .find(|(k, _)| *k == kid)
        .ok_or(Rejection::Invalid)?;
    let mut validation = Validation::new(Algorithm::HS256);
    validation.leeway = 0;
    validation.set_required_spec_claims(&["exp", "sub"]);
    let data =
        jsonwebtoken::decode::<Claims>(token, &DecodingKey::from_secret(secret), &validation)
            .map_err(|e| match e.kind() {
                jsonwebtoken::errors::ErrorKind::ExpiredSignature => Rejection::Expired,
                _ => Rejection::Invalid,
            })?;
    if data.claims.purpose == purpose {
        Ok(data.claims)
    } else {
        Err(Rejection::Invalid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    fn config(keys: &[(&str, &str)]) -> AuthConfig {
        AuthConfig {
            keys: keys
                .iter()
                .map(|(k, s)| ((*k).to_owned(), s.as_bytes().to_vec()))
                .collect(),
            access_ttl: Duration::from_secs(900),
            refresh_ttl: Duration::from_secs(3600),
            secure_cookies: true,
            refresh_grace: Duration::from_secs(10),
            login_free_failures: 3,
            login_per_ip: 30,
            signup_per_ip: 10,
            rate_window: Duration::from_secs(900),
            email_link_ttl: Duration::from_secs(3600),
            public_url: None,
            trust_forwarded_for: false,
        }
    }

    const K1: (&str, &str) = ("k1", "first-secret-of-at-least-32-bytes!!");
    const K2: (&str, &str) = ("k2", "second-secret-of-at-least-32-bytes!");

    fn now() -> time::OffsetDateTime {
        time::OffsetDateTime::now_utc()
    }

    #[test]
    fn round_trip_and_rotation() {
        let old = config(&[K1]);
        let token = sign(
            &old,
            "u1",
            "s1",
            Purpose::Access,
            Duration::from_secs(60),
            now(),
        )
        .expect("sign");
        let claims = verify(&old, &token, Purpose::Access).expect("valid");
        assert_eq!((claims.sub.as_str(), claims.sid.as_str()), ("u1", "s1"));
        // After rotation (k2 signs, k1 still verifies) the old token still works…
        let rotated = config(&[K2, K1]);
        assert!(verify(&rotated, &token, Purpose::Access).is_ok());
        // …and once k1 is retired it does not.
        assert_eq!(
            verify(&config(&[K2]), &token, Purpose::Access),
            Err(Rejection::Invalid)
        );
    }

    #[test]
    fn expiry_purpose_and_tampering_are_refused() {
        let c = config(&[K1]);
        let past = now() - time::Duration::minutes(20);
        let expired = sign(
            &c,
            "u1",
            "s1",
            Purpose::Access,
            Duration::from_secs(60),
            past,
        )
        .expect("sign");
        assert_eq!(
            verify(&c, &expired, Purpose::Access),
            Err(Rejection::Expired)
        );
        let step = sign(
            &c,
            "u1",
            "",
            Purpose::SecondFactor,
            Duration::from_secs(60),
            now(),
        )
        .expect("sign");
        assert_eq!(verify(&c, &step, Purpose::Access), Err(Rejection::Invalid));
        // Changing the subject breaks the signature.
        let token = sign(
            &c,
            "u1",
            "s1",
            Purpose::Access,
            Duration::from_secs(60),
            now(),
        )
        .expect("sign");
        let parts: Vec<&str> = token.split('.').collect();
        let payload = String::from_utf8(URL_SAFE_NO_PAD.decode(parts[1]).expect("b64"))
            .expect("utf8")
            .replace("\"u1\"", "\"u2\"");
        let forged = format!(
            "{}.{}.{}",
            parts[0],
            URL_SAFE_NO_PAD.encode(payload),
            parts[2]
        );
        assert_eq!(
            verify(&c, &forged, Purpose::Access),
            Err(Rejection::Invalid)
        );
    }

    #[test]
    fn the_algorithm_is_pinned() {
        let c = config(&[K1]);
        // alg "none" with a valid-looking payload.
        let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","kid":"k1","typ":"JWT"}"#);
        let exp = now().unix_timestamp() + 600;
        let payload = URL_SAFE_NO_PAD.encode(format!(
            r#"{{"sub":"u1","sid":"s1","purpose":"access","iat":0,"exp":{exp}}}"#
        ));
        assert_eq!(
            verify(&c, &format!("{header}.{payload}."), Purpose::Access),
            Err(Rejection::Invalid)
        );
        // HS384 signed with the same secret is refused too.
        let header = Header {
            kid: Some("k1".into()),
            ..Header::new(Algorithm::HS384)
        };
        let claims = Claims {
            sub: "u1".into(),
            sid: "s1".into(),
            purpose: Purpose::Access,
            iat: 0,
            exp,
        };
        let other =
            jsonwebtoken::encode(&header, &claims, &EncodingKey::from_secret(K1.1.as_bytes()))
                .expect("encode");
        assert_eq!(verify(&c, &other, Purpose::Access), Err(Rejection::Invalid));
    }
}
