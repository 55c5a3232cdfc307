//! The Salesforce REST client: authentication (through [`TokenSource`]), the
//! `/services/data/{version}/` resources the portal uses (query with queryMore, sObject create,
//! update, read), retries and typed errors.
//!
//! - A 401 (`INVALID_SESSION_ID`) mints a new token and retries the call exactly once.
//! - Transport faults and 503 are retried with exponential backoff and jitter (`max_retries`);
//!   for a create (not idempotent) only faults that happened before the request was sent, and
//!   503, are retried, so a timed-out create is never sent twice.
//! - Every call records `provider_request_duration_seconds{provider="salesforce",operation}`.
//!   Logs carry the operation, status and error code; never tokens, queries or record data.

use super::auth::{AccessToken, AuthConfig, TokenSource, signing_key};
use super::dto::{CreateResponse, QueryPage, TreeResponse};
use super::error::SalesforceError;
use super::id::SalesforceId;
use super::soql::{Soql, SoqlError, is_field_path, is_object_name};
use crate::server::config::SalesforceSettings;
use crate::server::integrations::http::{backoff, client};
use anyhow::{Context, bail};
use backon::Retryable;
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A runaway `nextRecordsUrl` chain stops here (2,000 rows a page: 2 million rows).
const MAX_PAGES: usize = 1000;

/// The Salesforce REST client; cheap to clone.
#[derive(Clone)]
pub struct SalesforceClient {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    auth: TokenSource,
    api_version: String,
    max_retries: u32,
}

/// Where a call goes.
enum Target<'a> {
    /// Below `/services/data/{version}/`.
    Data(String),
    /// A server-given path such as a `nextRecordsUrl`.
    Path(&'a str),
}

struct Call<'a> {
    operation: &'static str,
    method: Method,
    target: Target<'a>,
    query: Vec<(&'static str, String)>,
    body: Option<&'a Value>,
    idempotent: bool,
}

/// The operation name of a blob read: the one call whose answer is not JSON.
const BLOB_OPERATION: &str = "get_blob";

impl Call<'_> {
    /// What the call accepts: binary for a blob read, else JSON.
    fn accept(&self) -> &'static str {
        if self.operation == BLOB_OPERATION {
            "*/*"
        } else {
            "application/json"
        }
    }
}

/// An attempt's failure and whether the request certainly never left.
struct Failed {
    error: SalesforceError,
    unsent: bool,
}

impl From<SoqlError> for SalesforceError {
    fn from(err: SoqlError) -> Self {
        SalesforceError::Validation {
            code: "MALFORMED_QUERY".into(),
            message: err.to_string(),
            fields: Vec::new(),
        }
    }
}

fn check_sobject(sobject: &str) -> Result<(), SalesforceError> {
    if is_object_name(sobject) {
        Ok(())
    } else {
        Err(SalesforceError::Validation {
            code: "INVALID_TYPE".into(),
            message: format!("{sobject:?} is not an sObject name"),
            fields: Vec::new(),
        })
    }
}

fn is_api_version(v: &str) -> bool {
    v.strip_prefix('v')
        .and_then(|rest| rest.split_once('.'))
        .is_some_and(|(major, minor)| {
            !major.is_empty()
                && !minor.is_empty()
                && major.bytes().all(|b| b.is_ascii_digit())
                && minor.bytes().all(|b| b.is_ascii_digit())
        })
}

impl SalesforceClient {
    /// Builds the client from `[salesforce]`; `login_url` is the resolved OAuth server (the
    /// sandbox's URL in embedded mode). Fails on an unreadable key or bad settings.
    pub fn from_settings(settings: &SalesforceSettings, login_url: &str) -> anyhow::Result<Self> {
        let login_url = login_url.trim().trim_end_matches('/');
        let parsed = url::Url::parse(login_url)
            .with_context(|| format!("salesforce.login_url {login_url:?} is not a URL"))?;
        if !matches!(parsed.scheme(), "https" | "http") {
            bail!("salesforce.login_url must be an https URL");
        }
        if !is_api_version(&settings.api_version) {
            bail!(
                "salesforce.api_version {:?} is not like v62.0",
                settings.api_version
            );
        }
        let pem = if settings.private_key_file.as_os_str().is_empty() {
            None
        } else {
            Some(std::fs::read(&settings.private_key_file).with_context(|| {
                format!(
                    "could not read salesforce.private_key_file {}",
                    settings.private_key_file.display()
                )
            })?)
        };
        let key = signing_key(pem.as_deref()).context("salesforce.private_key_file")?;
        let http = client(Duration::from_millis(settings.timeout_ms.max(1)))
            .context("could not build the Salesforce HTTP client")?;
        let auth = TokenSource::new(
            http.clone(),
            AuthConfig {
                login_url: login_url.to_owned(),
                client_id: settings.client_id.clone(),
                username: settings.username.clone(),
                key,
                reuse: Duration::from_secs(settings.token_reuse_secs),
                max_retries: settings.max_retries,
            },
        );
        Ok(SalesforceClient {
            inner: Arc::new(Inner {
                http,
                auth,
                api_version: settings.api_version.clone(),
                max_retries: settings.max_retries,
            }),
        })
    }

    /// The current access token (cached, or newly minted): for the Pub/Sub API client, which
    /// sends it as gRPC metadata.
    pub async fn access_token(&self) -> Result<Arc<AccessToken>, SalesforceError> {
        self.inner.auth.token().await
    }

    /// A token other than `stale`, which Salesforce refused (see [`TokenSource::renew`]).
    pub async fn renew_access_token(
        &self,
        stale: &AccessToken,
    ) -> Result<Arc<AccessToken>, SalesforceError> {
        self.inner.auth.renew(stale).await
    }

    /// Makes sure a token can be had (minting one if none is cached): a readiness check.
    pub async fn authenticate(&self) -> Result<(), SalesforceError> {
        self.inner.auth.token().await.map(|_| ())
    }

    /// Runs a query and follows `nextRecordsUrl` until `done`, decoding every record as `T`.
    pub async fn query<T: DeserializeOwned>(&self, soql: &Soql) -> Result<Vec<T>, SalesforceError> {
        let first = self
            .execute(Call {
                operation: "query",
                method: Method::GET,
                target: Target::Data("query".into()),
                query: vec![("q", soql.as_str().to_owned())],
                body: None,
                idempotent: true,
            })
            .await?;
        let mut page: QueryPage =
            serde_json::from_slice(&first).map_err(|e| SalesforceError::decode("query", &e))?;
        let mut out = Vec::with_capacity(usize::try_from(page.total_size).unwrap_or(0).min(2000));
        for pages in 1.. {
            for record in std::mem::take(&mut page.records) {
                out.push(
                    serde_json::from_value(record)
                        .map_err(|e| SalesforceError::decode("query record", &e))?,
                );
            }
            if page.done {
                break;
            }
            let Some(next) = page.next_records_url.take() else {
                return Err(SalesforceError::Decode(
                    "query: not done but no nextRecordsUrl".into(),
                ));
            };
            if pages >= MAX_PAGES {
                return Err(SalesforceError::Decode(format!(
                    "query: more than {MAX_PAGES} pages"
                )));
            }
            if !next.starts_with("/services/data/") || next.contains("..") || next.contains("//") {
                return Err(SalesforceError::Decode(
                    "query: unexpected nextRecordsUrl".into(),
                ));
            }
            let body = self
                .execute(Call {
                    operation: "query_more",
                    method: Method::GET,
                    target: Target::Path(&next),
                    query: Vec::new(),
                    body: None,
                    idempotent: true,
                })
                .await?;
            page = serde_json::from_slice(&body)
                .map_err(|e| SalesforceError::decode("query more", &e))?;
        }
        Ok(out)
    }

    /// Creates a record (`POST sobjects/{sobject}/`), returning its id.
    pub async fn create(
        &self,
        sobject: &str,
        fields: &Value,
    ) -> Result<SalesforceId, SalesforceError> {
        check_sobject(sobject)?;
        let body = self
            .execute(Call {
                operation: "create",
                method: Method::POST,
                target: Target::Data(format!("sobjects/{sobject}/")),
                query: Vec::new(),
                body: Some(fields),
                idempotent: false,
            })
            .await?;
        let created: CreateResponse =
            serde_json::from_slice(&body).map_err(|e| SalesforceError::decode("create", &e))?;
        if !created.success {
            let first = created.errors.into_iter().next().unwrap_or_default();
            return Err(SalesforceError::Validation {
                code: first.error_code.unwrap_or_default(),
                message: first.message.unwrap_or_default(),
                fields: first.fields.unwrap_or_default(),
            });
        }
        SalesforceId::parse(&created.id)
            .map_err(|_| SalesforceError::Decode("create: the new id is not a record id".into()))
    }

    /// Inserts records with their nested children all or nothing (`POST
    /// composite/tree/{sobject}`, reference §3.1), returning `(referenceId, id)` for every
    /// record created. A refused record is [`SalesforceError::Validation`] whose message starts
    /// with its `referenceId`; nothing is kept then. Not retried after it may have been sent.
    pub async fn create_tree(
        &self,
        sobject: &str,
        body: &Value,
    ) -> Result<Vec<(String, SalesforceId)>, SalesforceError> {
        check_sobject(sobject)?;
        let body = self
            .execute(Call {
                operation: "create_tree",
                method: Method::POST,
                target: Target::Data(format!("composite/tree/{sobject}")),
                query: Vec::new(),
                body: Some(body),
                idempotent: false,
            })
            .await?;
        let tree: TreeResponse =
            serde_json::from_slice(&body).map_err(|e| SalesforceError::decode("tree", &e))?;
        if let Some(err) = tree.first_error() {
            return Err(err);
        }
        tree.results
            .into_iter()
            .map(|r| {
                let id = r.id.as_deref().and_then(|id| SalesforceId::parse(id).ok());
                match id {
                    Some(id) => Ok((r.reference_id, id)),
                    None => Err(SalesforceError::Decode(
                        "tree: a result has no record id".into(),
                    )),
                }
            })
            .collect()
    }

    /// Updates the given fields of a record (`PATCH sobjects/{sobject}/{id}` → 204); fields not
    /// sent are unchanged.
    pub async fn update(
        &self,
        sobject: &str,
        id: &SalesforceId,
        fields: &Value,
    ) -> Result<(), SalesforceError> {
        check_sobject(sobject)?;
        self.execute(Call {
            operation: "update",
            method: Method::PATCH,
            target: Target::Data(format!("sobjects/{sobject}/{id}")),
            query: Vec::new(),
            body: Some(fields),
            idempotent: true,
        })
        .await
        .map(|_| ())
    }

    /// Reads a record's fields (`GET sobjects/{sobject}/{id}?fields=…`); 404 is
    /// [`SalesforceError::NotFound`].
    pub async fn get<T: DeserializeOwned>(
        &self,
        sobject: &str,
        id: &SalesforceId,
        fields: &[&str],
    ) -> Result<T, SalesforceError> {
        check_sobject(sobject)?;
        if let Some(bad) = fields.iter().find(|f| !is_field_path(f)) {
            return Err(SalesforceError::Validation {
                code: "INVALID_FIELD".into(),
                message: format!("{bad:?} is not a field name"),
                fields: vec![(*bad).to_owned()],
            });
        }
        let query = if fields.is_empty() {
            Vec::new()
        } else {
            vec![("fields", fields.join(","))]
        };
        let body = self
            .execute(Call {
                operation: "get",
                method: Method::GET,
                target: Target::Data(format!("sobjects/{sobject}/{id}")),
                query,
                body: None,
                idempotent: true,
            })
            .await?;
        serde_json::from_slice(&body).map_err(|e| SalesforceError::decode("get", &e))
    }

    /// A blob field's bytes (`GET sobjects/{sobject}/{id}/{field}`, the sObject Blob Get
    /// resource, e.g. `ContentVersion.VersionData`): the raw file, not JSON.
    pub async fn get_blob(
        &self,
        sobject: &str,
        id: &SalesforceId,
        field: &str,
    ) -> Result<Vec<u8>, SalesforceError> {
        check_sobject(sobject)?;
        if !is_field_path(field) || field.contains('.') {
            return Err(SalesforceError::Validation {
                code: "INVALID_FIELD".into(),
                message: format!("{field:?} is not a field name"),
                fields: vec![field.to_owned()],
            });
        }
        self.execute(Call {
            operation: BLOB_OPERATION,
            method: Method::GET,
            target: Target::Data(format!("sobjects/{sobject}/{id}/{field}")),
            query: Vec::new(),
            body: None,
            idempotent: true,
        })
        .await
    }

    /// One logical call: token, retries of transient faults, one re-mint on 401.
    async fn execute(&self, call: Call<'_>) -> Result<Vec<u8>, SalesforceError> {
        let started = Instant::now();
        let result = self.execute_inner(&call).await;
        metrics::histogram!(
            "provider_request_duration_seconds",
            "provider" => "salesforce",
            "operation" => call.operation
        )
        .record(started.elapsed().as_secs_f64());
        let elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        match &result {
            Ok(_) => tracing::debug!(operation = call.operation, elapsed_ms, "Salesforce call"),
            Err(err) => tracing::warn!(
                operation = call.operation,
                elapsed_ms,
                error = %err,
                "Salesforce call failed"
            ),
        }
        result
    }

    async fn execute_inner(&self, call: &Call<'_>) -> Result<Vec<u8>, SalesforceError> {
        let token = self.inner.auth.token().await?;
        match self.with_retries(call, &token).await {
            Err(SalesforceError::SessionExpired) => {
                tracing::info!(
                    operation = call.operation,
                    "Salesforce session refused; minting a new token and retrying once"
                );
                let fresh = self.inner.auth.renew(&token).await?;
                self.with_retries(call, &fresh).await
            }
            other => other,
        }
    }

    async fn with_retries(
        &self,
        call: &Call<'_>,
        token: &AccessToken,
    ) -> Result<Vec<u8>, SalesforceError> {
        (|| self.attempt(call, token))
            .retry(backoff(self.inner.max_retries))
            .when(|f: &Failed| match &f.error {
                SalesforceError::Api { status: 503, .. } => true,
                SalesforceError::Transport(_) | SalesforceError::Timeout => {
                    call.idempotent || f.unsent
                }
                _ => false,
            })
            .notify(|f: &Failed, delay: Duration| {
                tracing::warn!(
                    operation = call.operation,
                    error = %f.error,
                    retry_in_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                    "Salesforce call failed; retrying"
                );
            })
            .await
            .map_err(|f| f.error)
    }

    async fn attempt(&self, call: &Call<'_>, token: &AccessToken) -> Result<Vec<u8>, Failed> {
        let url = match &call.target {
            Target::Data(rest) => format!(
                "{}/services/data/{}/{rest}",
                token.instance_url, self.inner.api_version
            ),
            Target::Path(path) => format!("{}{path}", token.instance_url),
        };
        let mut request = self
            .inner
            .http
            .request(call.method.clone(), url)
            .bearer_auth(&token.value)
            .header(reqwest::header::ACCEPT, call.accept());
        if !call.query.is_empty() {
            request = request.query(&call.query);
        }
        if let Some(body) = call.body {
            request = request.json(body);
        }
        let response = request.send().await.map_err(|e| Failed {
            unsent: e.is_connect(),
            error: SalesforceError::from_reqwest(&e),
        })?;
        let status = response.status().as_u16();
        if let Some(usage) = response
            .headers()
            .get("sforce-limit-info")
            .and_then(|v| v.to_str().ok())
        {
            tracing::trace!(operation = call.operation, usage, "Salesforce API usage");
        }
        let body = response.bytes().await.map_err(|e| Failed {
            unsent: false,
            error: SalesforceError::from_reqwest(&e),
        })?;
        if (200..300).contains(&status) {
            Ok(body.to_vec())
        } else {
            Err(Failed {
                unsent: false,
                error: SalesforceError::from_response(status, &body),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_versions_are_checked() {
        assert!(is_api_version("v62.0"));
        assert!(!is_api_version("62.0"));
        assert!(!is_api_version("v62"));
        assert!(!is_api_version("v62.0/../x"));
    }
}
