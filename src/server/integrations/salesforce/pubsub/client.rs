//! [`PubSubClient`]: a tonic channel to the Pub/Sub endpoint plus the org's credentials (from
//! the REST client's JWT [`TokenSource`](super::super::auth::TokenSource)), with the RPCs the
//! portal uses: GetTopic, GetSchema (cached by schema id, verified against the id), Publish
//! (tests and tools) and Subscribe (driven by [`super::subscription`]).
//!
//! Unary calls that fail with an auth error renew the token and are retried once (§5.2).
//! `http://` endpoints are plaintext h2c (the sandbox); `https://` uses TLS with the webpki
//! roots compiled in, so no system certificate store or download is needed.

use super::errors::{self, Recovery};
use super::event::{self, ProvisionRequested};
use super::metadata::AuthInterceptor;
use super::proto::pub_sub_client::PubSubClient as Grpc;
use super::proto::{
    FetchRequest, FetchResponse, ProducerEvent, PublishRequest, SchemaRequest, TopicInfo,
    TopicRequest,
};
use super::schema_id;
use crate::server::config::SalesforceSettings;
use crate::server::integrations::salesforce::SalesforceClient;
use crate::server::integrations::salesforce::auth::AccessToken;
use anyhow::{Context, anyhow, bail};
use apache_avro::Schema;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tokio::sync::mpsc;
use tonic::codec::Streaming;
use tonic::service::interceptor::InterceptedService;
use tonic::transport::{Channel, ClientTlsConfig, Endpoint};
use tonic::{Request, Response, Status};

/// Salesforce's public Pub/Sub endpoint (reference §1.1).
pub const PUBLIC_ENDPOINT: &str = "https://api.pubsub.salesforce.com:7443";

type Authed = Grpc<InterceptedService<Channel, AuthInterceptor>>;

/// The Pub/Sub API client; cheap to clone.
#[derive(Clone)]
pub struct PubSubClient {
    inner: Arc<Inner>,
}

struct Inner {
    channel: Channel,
    salesforce: SalesforceClient,
    /// Writer schemas by schema id: ids are content hashes, so entries never go stale.
    schemas: Mutex<HashMap<String, Arc<Schema>>>,
    /// The token of the latest call, so an auth failure renews exactly that one.
    last_token: Mutex<Option<Arc<AccessToken>>>,
}

/// The endpoint to use: the configured one, else the sandbox simulator's (embedded mode: the
/// gRPC service shares the Salesforce simulator's port), else Salesforce's public endpoint.
pub fn resolve_url(settings: &SalesforceSettings, sandbox_salesforce_url: Option<&str>) -> String {
    match (settings.pubsub_url.trim(), sandbox_salesforce_url) {
        ("", Some(sandbox)) => sandbox.trim_end_matches('/').to_owned(),
        ("", None) => PUBLIC_ENDPOINT.to_owned(),
        (url, _) => url.trim_end_matches('/').to_owned(),
    }
}

impl PubSubClient {
    /// A client of `url` (`http://` = h2c, `https://` = TLS) authenticating with
    /// `salesforce`'s tokens. Connects lazily, and reconnects by itself after a failure.
    pub fn new(url: &str, salesforce: SalesforceClient) -> anyhow::Result<Self> {
        let parsed = url::Url::parse(url).with_context(|| format!("pubsub URL {url:?}"))?;
        let mut endpoint = Endpoint::from_shared(url.to_owned())
            .with_context(|| format!("pubsub URL {url:?}"))?
            .connect_timeout(Duration::from_secs(10))
            // HTTP/2 pings find a dead connection even while the stream is idle.
            .http2_keep_alive_interval(Duration::from_secs(30))
            .keep_alive_timeout(Duration::from_secs(10))
            .keep_alive_while_idle(true);
        match parsed.scheme() {
            "https" => {
                endpoint = endpoint
                    .tls_config(ClientTlsConfig::new().with_webpki_roots())
                    .context("pubsub TLS configuration")?;
            }
            "http" => {}
            other => bail!("pubsub URL scheme {other:?} is neither https nor http"),
        }
        Ok(PubSubClient {
            inner: Arc::new(Inner {
                channel: endpoint.connect_lazy(),
                salesforce,
                schemas: Mutex::new(HashMap::new()),
                last_token: Mutex::new(None),
            }),
        })
    }

    /// [`PubSubClient::new`] on the URL [`resolve_url`] picks.
    pub fn from_settings(
        settings: &SalesforceSettings,
        sandbox_salesforce_url: Option<&str>,
        salesforce: SalesforceClient,
    ) -> anyhow::Result<Self> {
        Self::new(&resolve_url(settings, sandbox_salesforce_url), salesforce)
    }

    /// A stub carrying the current token's metadata.
    async fn authed(&self) -> anyhow::Result<Authed> {
        let token = self
            .inner
            .salesforce
            .access_token()
            .await
            .context("no Salesforce access token for the Pub/Sub API")?;
        let interceptor = AuthInterceptor::new(&token)?;
        *self
            .inner
            .last_token
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(token);
        Ok(Grpc::with_interceptor(
            self.inner.channel.clone(),
            interceptor,
        ))
    }

    /// Replaces the token that the server refused (single-flight in the token source).
    pub async fn reauthenticate(&self) -> anyhow::Result<()> {
        let stale = self
            .inner
            .last_token
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        match stale {
            Some(stale) => self.inner.salesforce.renew_access_token(&stale).await,
            None => self.inner.salesforce.access_token().await,
        }
        .map(|_| ())
        .context("could not renew the Salesforce access token")
    }

    /// A unary call, retried once with a new token after an auth failure.
    async fn unary<Req, Resp, F, Fut>(
        &self,
        op: &'static str,
        req: Req,
        call: F,
    ) -> anyhow::Result<Resp>
    where
        Req: Clone,
        F: Fn(Authed, Req) -> Fut,
        Fut: Future<Output = Result<Response<Resp>, Status>>,
    {
        for attempt in 0..2 {
            match call(self.authed().await?, req.clone()).await {
                Ok(response) => return Ok(response.into_inner()),
                Err(status)
                    if attempt == 0 && errors::classify(&status) == Recovery::Reauthenticate =>
                {
                    tracing::info!(op, "Pub/Sub call refused its token; renewing");
                    self.reauthenticate().await?;
                }
                Err(status) => {
                    let rpc_id = errors::rpc_id(&status).unwrap_or_default().to_owned();
                    return Err(anyhow::Error::new(status)
                        .context(format!("Pub/Sub {op} failed (rpc-id {rpc_id:?})")));
                }
            }
        }
        Err(anyhow!("Pub/Sub {op}: refused after a token renewal"))
    }

    /// `GetTopic`: permissions and the current schema id of `topic`.
    pub async fn get_topic(&self, topic: &str) -> anyhow::Result<TopicInfo> {
        let req = TopicRequest {
            topic_name: topic.to_owned(),
        };
        self.unary(
            "GetTopic",
            req,
            |mut c, r| async move { c.get_topic(r).await },
        )
        .await
    }

    /// `GetSchema`, cached by id. The answer is checked against the id (the id is the schema's
    /// fingerprint), so a wrong schema can never be cached under it.
    pub async fn get_schema(&self, id: &str) -> anyhow::Result<Arc<Schema>> {
        if let Some(schema) = self
            .inner
            .schemas
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(id)
        {
            return Ok(schema.clone());
        }
        let req = SchemaRequest {
            schema_id: id.to_owned(),
        };
        let info = self
            .unary(
                "GetSchema",
                req,
                |mut c, r| async move { c.get_schema(r).await },
            )
            .await?;
        let schema = Schema::parse_str(&info.schema_json)
            .with_context(|| format!("schema {id} is not an Avro schema"))?;
        let computed = schema_id::of_schema(&schema);
        if computed != id {
            bail!("GetSchema({id}) answered a schema whose id is {computed}");
        }
        let schema = Arc::new(schema);
        self.inner
            .schemas
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(id.to_owned(), schema.clone());
        Ok(schema)
    }

    /// Decodes one event's payload with the schema named by **its own** schema id.
    pub async fn decode(&self, event: &ProducerEvent) -> anyhow::Result<ProvisionRequested> {
        let schema = self.get_schema(&event.schema_id).await?;
        event::decode(&schema, &event.id, &event.payload)
    }

    /// `Publish`: encodes `events` with the topic's current schema; returns their replay ids.
    /// An event without an `event_id` gets a UUID.
    pub async fn publish(
        &self,
        topic: &str,
        events: &[ProvisionRequested],
    ) -> anyhow::Result<Vec<Vec<u8>>> {
        let schema_id = self.get_topic(topic).await?.schema_id;
        let schema = self.get_schema(&schema_id).await?;
        let mut producer_events = Vec::with_capacity(events.len());
        for ev in events {
            let id = if ev.event_id.is_empty() {
                uuid::Uuid::new_v4().to_string()
            } else {
                ev.event_id.clone()
            };
            producer_events.push(ProducerEvent {
                id,
                schema_id: schema_id.clone(),
                payload: event::encode(&schema, ev)?,
                headers: Vec::new(),
            });
        }
        let req = PublishRequest {
            topic_name: topic.to_owned(),
            events: producer_events,
            auth_refresh: String::new(),
        };
        let response = self
            .unary("Publish", req, |mut c, r| async move { c.publish(r).await })
            .await?;
        response
            .results
            .into_iter()
            .map(|r| match r.error {
                Some(e) => Err(anyhow!("Pub/Sub publish refused an event: {}", e.msg)),
                None => Ok(r.replay_id),
            })
            .collect()
    }

    /// Opens a Subscribe stream whose requests are `first` and then whatever is sent on the
    /// returned sender. A refused call is an error wrapping the [`Status`].
    pub async fn subscribe(
        &self,
        first: FetchRequest,
    ) -> anyhow::Result<(mpsc::Sender<FetchRequest>, Streaming<FetchResponse>)> {
        let (tx, mut rx) = mpsc::channel::<FetchRequest>(8);
        tx.send(first)
            .await
            .map_err(|_| anyhow!("the request channel closed"))?;
        let requests = futures::stream::poll_fn(move |cx| rx.poll_recv(cx));
        let mut grpc = self.authed().await?;
        let stream = grpc
            .subscribe(Request::new(requests))
            .await
            .map_err(|status| anyhow::Error::new(status).context("Pub/Sub Subscribe refused"))?
            .into_inner();
        Ok((tx, stream))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(url: &str) -> SalesforceSettings {
        let raw = format!(
            r#"{{"login_url":"","client_id":"c","username":"u","private_key_file":"",
            "api_version":"v62.0","timeout_ms":1,"max_retries":0,"token_reuse_secs":1,
            "whmcs_client_id_field":"","contact_family_kana_field":"",
            "contact_given_kana_field":"","pubsub_url":"{url}"}}"#
        );
        serde_json::from_str(&raw).expect("settings")
    }

    #[test]
    fn the_url_falls_back_to_the_sandbox_then_the_public_endpoint() {
        assert_eq!(
            resolve_url(&settings(""), Some("http://127.0.0.1:5000/")),
            "http://127.0.0.1:5000"
        );
        assert_eq!(resolve_url(&settings(""), None), PUBLIC_ENDPOINT);
        assert_eq!(
            resolve_url(&settings("https://pubsub.example:7443"), Some("http://x")),
            "https://pubsub.example:7443"
        );
    }
}
