//! OAuth 2.0 JWT bearer flow (reference §2): an RS256 assertion (`iss` = consumer key, `sub` =
//! integration user, `aud` = login URL, `exp` = now + 3 min) signed with the key whose
//! certificate is registered on the connected app, exchanged at
//! `POST {login_url}/services/oauth2/token` for an access token and the instance URL.
//!
//! The token is cached and reused for `token_reuse_secs`; minting holds a tokio mutex, so
//! concurrent callers wait for one mint instead of stampeding. A 401 from the REST API calls
//! [`TokenSource::renew`] with the token that failed: if another caller already replaced it,
//! the replacement is used; otherwise a new one is minted. Tokens are never logged.

use super::dto::{OAuthError, TokenResponse};
use super::error::SalesforceError;
use crate::server::integrations::http::backoff;
use backon::Retryable;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde::Serialize;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

/// The sandbox connected app's private key (sandbox only; production refuses an empty
/// `private_key_file`).
const SANDBOX_PRIVATE_KEY: &str =
    include_str!("../../../../sandbox/salesforce/jwt-private-key.pem");

/// Assertion lifetime: Salesforce accepts at most about three minutes.
const ASSERTION_TTL_SECS: u64 = 180;

/// The RS256 signing key.
pub fn signing_key(pem: Option<&[u8]>) -> Result<EncodingKey, SalesforceError> {
    EncodingKey::from_rsa_pem(pem.unwrap_or(SANDBOX_PRIVATE_KEY.as_bytes())).map_err(|_| {
        SalesforceError::Auth {
            error: "assertion".into(),
            description: "the private key is not an RSA key in PEM form".into(),
        }
    })
}

/// A minted token: value, instance URL, org id.
type Minted = (String, String, Option<String>);

/// The org id of an identity URL `https://login.salesforce.com/id/{orgId}/{userId}`.
pub fn org_id_from_identity_url(identity: &str) -> Option<String> {
    let mut segments = identity.trim_end_matches('/').rsplit('/');
    let _user = segments.next()?;
    let org = segments.next()?;
    let marker = segments.next()?;
    (marker == "id" && org.starts_with("00D") && org.bytes().all(|b| b.is_ascii_alphanumeric()))
        .then(|| org.to_owned())
}

#[derive(Serialize)]
struct Claims<'a> {
    iss: &'a str,
    sub: &'a str,
    aud: &'a str,
    exp: u64,
}

/// A minted access token.
pub struct AccessToken {
    /// The bearer value.
    pub value: String,
    /// REST base, without a trailing slash.
    pub instance_url: String,
    /// The org id (`00D…`), read from the token response's identity URL
    /// (`…/id/{orgId}/{userId}`); the Pub/Sub API needs it as `tenantid`.
    pub org_id: Option<String>,
    minted: Instant,
    generation: u64,
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessToken")
            .field("value", &"[redacted]")
            .field("instance_url", &self.instance_url)
            .field("org_id", &self.org_id)
            .field("generation", &self.generation)
            .finish()
    }
}

/// What the token source needs.
pub struct AuthConfig {
    /// Login server, without a trailing slash (also the `aud`).
    pub login_url: String,
    /// Consumer key.
    pub client_id: String,
    /// Integration user.
    pub username: String,
    /// Signing key.
    pub key: EncodingKey,
    /// How long a token is reused.
    pub reuse: Duration,
    /// Retries of transport faults and 503.
    pub max_retries: u32,
}

/// Mints, caches and renews access tokens.
pub struct TokenSource {
    http: reqwest::Client,
    config: AuthConfig,
    state: Mutex<(u64, Option<Arc<AccessToken>>)>,
}

impl TokenSource {
    /// A source that has not minted yet.
    pub fn new(http: reqwest::Client, config: AuthConfig) -> Self {
        TokenSource {
            http,
            config,
            state: Mutex::new((0, None)),
        }
    }

    /// The cached token while it is young enough, else a new one.
    pub async fn token(&self) -> Result<Arc<AccessToken>, SalesforceError> {
        let mut state = self.state.lock().await;
        if let Some(token) = &state.1
            && token.minted.elapsed() < self.config.reuse
        {
            return Ok(token.clone());
        }
        self.mint_into(&mut state).await
    }

    /// A token other than `stale` (which Salesforce just refused): the one another caller
    /// minted meanwhile, or a new one.
    pub async fn renew(&self, stale: &AccessToken) -> Result<Arc<AccessToken>, SalesforceError> {
        let mut state = self.state.lock().await;
        if let Some(token) = &state.1
            && token.generation != stale.generation
        {
            return Ok(token.clone());
        }
        self.mint_into(&mut state).await
    }

    async fn mint_into(
        &self,
        state: &mut (u64, Option<Arc<AccessToken>>),
    ) -> Result<Arc<AccessToken>, SalesforceError> {
        state.1 = None;
        let (value, instance_url, org_id) = self.mint().await?;
        state.0 += 1;
        let token = Arc::new(AccessToken {
            value,
            instance_url,
            org_id,
            minted: Instant::now(),
            generation: state.0,
        });
        state.1 = Some(token.clone());
        Ok(token)
    }

    /// A signed assertion valid for three minutes.
    pub fn assertion(&self) -> Result<String, SalesforceError> {
        let claims = Claims {
            iss: &self.config.client_id,
            sub: &self.config.username,
            aud: &self.config.login_url,
            exp: jsonwebtoken::get_current_timestamp() + ASSERTION_TTL_SECS,
        };
        jsonwebtoken::encode(&Header::new(Algorithm::RS256), &claims, &self.config.key).map_err(
            |_| SalesforceError::Auth {
                error: "assertion".into(),
                description: "could not sign the JWT assertion".into(),
            },
        )
    }

    async fn mint(&self) -> Result<Minted, SalesforceError> {
        let started = Instant::now();
        let result = (|| self.mint_once())
            .retry(backoff(self.config.max_retries))
            .when(|e| {
                matches!(
                    e,
                    SalesforceError::Transport(_) | SalesforceError::Timeout
                ) || matches!(e, SalesforceError::Api { status: 503, .. })
            })
            .notify(|err, delay| {
                tracing::warn!(error = %err, retry_in_ms = delay.as_millis() as u64, "Salesforce token request failed; retrying");
            })
            .await;
        metrics::histogram!(
            "provider_request_duration_seconds",
            "provider" => "salesforce",
            "operation" => "token"
        )
        .record(started.elapsed().as_secs_f64());
        match &result {
            Ok(_) => tracing::debug!("Salesforce access token minted"),
            Err(err) => tracing::warn!(error = %err, "Salesforce access token refused"),
        }
        result
    }

    async fn mint_once(&self) -> Result<Minted, SalesforceError> {
        let assertion = self.assertion()?;
        let response = self
            .http
            .post(format!("{}/services/oauth2/token", self.config.login_url))
            .form(&[
                ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
                ("assertion", assertion.as_str()),
            ])
            .send()
            .await
            .map_err(|e| SalesforceError::from_reqwest(&e))?;
        let status = response.status().as_u16();
        let body = response
            .bytes()
            .await
            .map_err(|e| SalesforceError::from_reqwest(&e))?;
        if status == 200 {
            let token: TokenResponse = serde_json::from_slice(&body)
                .map_err(|e| SalesforceError::decode("token response", &e))?;
            let instance_url = self.check_instance_url(&token.instance_url)?;
            let org_id = token.id.as_deref().and_then(org_id_from_identity_url);
            return Ok((token.access_token, instance_url, org_id));
        }
        match serde_json::from_slice::<OAuthError>(&body) {
            Ok(oauth) if !oauth.error.is_empty() && status < 500 => Err(SalesforceError::Auth {
                error: oauth.error,
                description: oauth.error_description,
            }),
            _ => Err(SalesforceError::from_response(status, &body)),
        }
    }

    /// The instance URL must be an absolute http(s) origin; plain http only when the login
    /// server itself is plain http (the sandbox), so a token never travels unencrypted to a
    /// host we reached over TLS.
    fn check_instance_url(&self, raw: &str) -> Result<String, SalesforceError> {
        let bad = || SalesforceError::Decode("token response: unusable instance_url".into());
        let url = url::Url::parse(raw).map_err(|_| bad())?;
        let login_is_http = self.config.login_url.starts_with("http://");
        let scheme_ok = url.scheme() == "https" || (url.scheme() == "http" && login_is_http);
        if !scheme_ok || url.host_str().is_none() || url.query().is_some() {
            return Err(bad());
        }
        Ok(raw.trim_end_matches('/').to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(login_url: &str) -> TokenSource {
        TokenSource::new(
            crate::server::integrations::http::client(Duration::from_secs(1)).expect("client"),
            AuthConfig {
                login_url: login_url.into(),
                client_id: "sandbox-connected-app".into(),
                username: "integration@portal.sandbox".into(),
                key: signing_key(None).expect("sandbox key"),
                reuse: Duration::from_secs(60),
                max_retries: 0,
            },
        )
    }

    #[test]
    fn the_assertion_is_rs256_with_the_four_claims() {
        let jwt = source("https://login.salesforce.com")
            .assertion()
            .expect("signed");
        let header = jsonwebtoken::decode_header(&jwt).expect("header");
        assert_eq!(header.alg, Algorithm::RS256);
        let claims: serde_json::Value = jsonwebtoken::dangerous::insecure_decode(&jwt)
            .expect("claims")
            .claims;
        assert_eq!(claims["iss"], "sandbox-connected-app");
        assert_eq!(claims["sub"], "integration@portal.sandbox");
        assert_eq!(claims["aud"], "https://login.salesforce.com");
        let exp = claims["exp"].as_u64().expect("exp");
        let now = jsonwebtoken::get_current_timestamp();
        assert!(exp > now && exp <= now + 180);
    }

    #[test]
    fn instance_urls_are_checked() {
        let tls = source("https://login.salesforce.com");
        assert_eq!(
            tls.check_instance_url("https://acme.my.salesforce.com/")
                .ok()
                .as_deref(),
            Some("https://acme.my.salesforce.com")
        );
        assert!(
            tls.check_instance_url("http://acme.my.salesforce.com")
                .is_err()
        );
        assert!(tls.check_instance_url("not a url").is_err());
        let sandbox = source("http://127.0.0.1:9");
        assert!(sandbox.check_instance_url("http://127.0.0.1:9").is_ok());
    }

    #[test]
    fn the_org_id_is_read_from_the_identity_url() {
        assert_eq!(
            org_id_from_identity_url(
                "https://login.salesforce.com/id/00Dxx0000001gPLEAY/005xx000001SwiUAAS"
            )
            .as_deref(),
            Some("00Dxx0000001gPLEAY")
        );
        assert_eq!(
            org_id_from_identity_url("https://x/other/00Dxx/005xx"),
            None
        );
        assert_eq!(org_id_from_identity_url("005xx"), None);
    }

    #[test]
    fn a_bad_key_is_an_auth_error() {
        assert!(matches!(
            signing_key(Some(
                b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"
            )),
            Err(SalesforceError::Auth { .. })
        ));
    }
}
