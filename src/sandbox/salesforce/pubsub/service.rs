//! The tonic `PubSub` service of the simulator: metadata auth on every RPC, GetTopic,
//! GetSchema, Publish, PublishStream, Subscribe (in [`super::subscribe`]); ManagedSubscribe
//! (an open beta the portal does not use) answers UNIMPLEMENTED.
//!
//! Provider fault codes of the control API also reach gRPC calls (the fault layer puts them in
//! the request extensions): `pubsub_unavailable` → INTERNAL `…service.unavailable`,
//! `pubsub_auth_error` → UNAUTHENTICATED `…auth.error`. Give such rules
//! `"path_prefix": "/eventbus.v1.PubSub/"`.

use super::status;
use super::subscribe;
use crate::sandbox::InjectedFault;
use crate::sandbox::salesforce::SimState;
use crate::server::integrations::salesforce::pubsub::proto::pub_sub_server::PubSub;
use crate::server::integrations::salesforce::pubsub::proto::{
    FetchRequest, FetchResponse, ManagedFetchRequest, ManagedFetchResponse, PublishRequest,
    PublishResponse, PublishResult, SchemaInfo, SchemaRequest, TopicInfo, TopicRequest,
};
use futures::Stream;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;
use tonic::{Code, Request, Response, Status, Streaming};

/// A boxed response stream.
pub type BoxStream<T> = Pin<Box<dyn Stream<Item = Result<T, Status>> + Send + 'static>>;

/// PublishStream closes after this long without a publish (reference §1.2).
const PUBLISH_STREAM_IDLE: Duration = Duration::from_secs(70);

/// The service; holds the simulator's state (tokens, settings, bus).
#[derive(Clone)]
pub struct PubSubService {
    pub(super) state: Arc<SimState>,
}

impl PubSubService {
    /// The service over the simulator's state.
    pub fn new(state: Arc<SimState>) -> Self {
        PubSubService { state }
    }

    /// Injected faults first, then `accesstoken` must be a live token of this org and
    /// `tenantid` its org id.
    pub(super) fn check<T>(&self, request: &Request<T>) -> Result<(), Status> {
        match request
            .extensions()
            .get::<InjectedFault>()
            .map(|f| f.0.as_str())
        {
            Some("pubsub_unavailable") => return Err(status::service_unavailable()),
            Some("pubsub_auth_error") => return Err(status::auth_error()),
            _ => {}
        }
        let md = request.metadata();
        let header = |k: &str| md.get(k).and_then(|v| v.to_str().ok()).map(str::trim);
        let token_ok = header("accesstoken").is_some_and(|t| self.state.access_token_valid(t));
        let tenant_ok = header("tenantid") == Some(self.state.org_id.as_str());
        if token_ok && tenant_ok && header("instanceurl").is_some_and(|u| !u.is_empty()) {
            Ok(())
        } else {
            Err(status::auth_error())
        }
    }
}

/// A stream over a channel receiver.
pub fn channel_stream<T: Send + 'static>(
    mut rx: mpsc::Receiver<Result<T, Status>>,
) -> BoxStream<T> {
    Box::pin(futures::stream::poll_fn(move |cx| rx.poll_recv(cx)))
}

#[tonic::async_trait]
impl PubSub for PubSubService {
    type SubscribeStream = BoxStream<FetchResponse>;
    type PublishStreamStream = BoxStream<PublishResponse>;
    type ManagedSubscribeStream = BoxStream<ManagedFetchResponse>;

    async fn subscribe(
        &self,
        request: Request<Streaming<FetchRequest>>,
    ) -> Result<Response<Self::SubscribeStream>, Status> {
        self.check(&request)?;
        let (tx, rx) = mpsc::channel(16);
        tokio::spawn(subscribe::run(self.state.clone(), request.into_inner(), tx));
        Ok(Response::new(channel_stream(rx)))
    }

    async fn get_schema(
        &self,
        request: Request<SchemaRequest>,
    ) -> Result<Response<SchemaInfo>, Status> {
        self.check(&request)?;
        let id = request.into_inner().schema_id;
        let json = self.state.lock().pubsub.schema_json(&id).map(str::to_owned);
        match json {
            Some(schema_json) => Ok(Response::new(SchemaInfo {
                schema_json,
                schema_id: id,
                rpc_id: uuid::Uuid::new_v4().to_string(),
            })),
            // Not documented (reference §6); NOT_FOUND is the natural answer.
            None => Err(status::status(
                Code::NotFound,
                &format!("Unknown schema id {id:?}."),
                None,
            )),
        }
    }

    async fn get_topic(
        &self,
        request: Request<TopicRequest>,
    ) -> Result<Response<TopicInfo>, Status> {
        self.check(&request)?;
        let name = request.into_inner().topic_name;
        let schema_id = self
            .state
            .lock()
            .pubsub
            .topic(&name)
            .map(|t| t.schema_id.clone());
        let Some(schema_id) = schema_id else {
            return Err(status::topic_denied(&name));
        };
        Ok(Response::new(TopicInfo {
            topic_name: name,
            tenant_guid: self.state.org_id.clone(),
            can_publish: true,
            can_subscribe: true,
            schema_id,
            rpc_id: uuid::Uuid::new_v4().to_string(),
        }))
    }

    async fn publish(
        &self,
        request: Request<PublishRequest>,
    ) -> Result<Response<PublishResponse>, Status> {
        self.check(&request)?;
        publish_one(&self.state, request.into_inner()).map(Response::new)
    }

    async fn publish_stream(
        &self,
        request: Request<Streaming<PublishRequest>>,
    ) -> Result<Response<Self::PublishStreamStream>, Status> {
        self.check(&request)?;
        let mut requests = request.into_inner();
        let state = self.state.clone();
        let (tx, rx) = mpsc::channel(16);
        tokio::spawn(async move {
            loop {
                let next = tokio::time::timeout(PUBLISH_STREAM_IDLE, requests.message()).await;
                let reply = match next {
                    Ok(Ok(Some(req))) => publish_one(&state, req),
                    // Idle for 70 s, client gone, or a broken stream: close.
                    _ => return,
                };
                let failed = reply.is_err();
                if tx.send(reply).await.is_err() || failed {
                    return;
                }
            }
        });
        Ok(Response::new(channel_stream(rx)))
    }

    async fn managed_subscribe(
        &self,
        request: Request<Streaming<ManagedFetchRequest>>,
    ) -> Result<Response<Self::ManagedSubscribeStream>, Status> {
        self.check(&request)?;
        Err(Status::unimplemented("ManagedSubscribe is not simulated"))
    }
}

/// Stores a publish request's events (payloads must name a registered schema).
fn publish_one(state: &SimState, req: PublishRequest) -> Result<PublishResponse, Status> {
    let mut inner = state.lock();
    let bus = &mut inner.pubsub;
    let Some(topic) = bus.topic(&req.topic_name) else {
        return Err(status::topic_denied(&req.topic_name));
    };
    let schema_id = topic.schema_id.clone();
    if let Some(bad) = req
        .events
        .iter()
        .find(|e| bus.schema_json(&e.schema_id).is_none())
    {
        return Err(status::status(
            Code::InvalidArgument,
            &format!("Unknown schema id {:?}.", bad.schema_id),
            None,
        ));
    }
    let keys: Vec<String> = req.events.iter().map(|e| e.id.clone()).collect();
    let ids = bus
        .publish(&req.topic_name, req.events)
        .map_err(|e| status::status(Code::Internal, &e.to_string(), None))?;
    Ok(PublishResponse {
        results: ids
            .into_iter()
            .zip(keys)
            .map(|(id, key)| PublishResult {
                replay_id: super::bus::replay_bytes(id),
                error: None,
                correlation_key: key,
            })
            .collect(),
        schema_id,
        rpc_id: uuid::Uuid::new_v4().to_string(),
    })
}
