//! The simulator's Pub/Sub API (gRPC), served on the Salesforce simulator's own port (h2c: the
//! sandbox's axum listener speaks HTTP/2 with prior knowledge), so embedded mode needs no
//! extra URL: the portal's `salesforce.pubsub_url` falls back to the simulator's base URL.
//!
//! - [`bus`] — topics, events, replay ids, retention, schemas, fault switches;
//! - [`service`] — the tonic service (auth, GetTopic, GetSchema, Publish, PublishStream);
//! - [`subscribe`] — one Subscribe stream (flow control, keepalive, idle close, faults);
//! - [`status`] — error statuses with Salesforce's `error-code` / `rpc-id` trailers;
//! - [`admin`] — the `/_sandbox/pubsub/…` control endpoints.

pub mod admin;
pub mod bus;
pub mod service;
pub mod status;
pub mod subscribe;

pub use bus::Bus;
pub use service::PubSubService;
