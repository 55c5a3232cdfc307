//! Salesforce Pub/Sub API (gRPC, reference `salesforce.md` §1): the portal subscribes to the
//! `OrderProvisionRequested__e` platform event that the org publishes when an order is
//! approved.
//!
//! - [`proto`] — messages and stubs generated from our own `proto/pubsub_api.proto`;
//! - [`schema_id`] — Salesforce's schema id (MD5 of the Avro parsing canonical form);
//! - [`event`] — the event's Avro schema and the typed [`ProvisionRequested`] codec;
//! - [`metadata`] — the interceptor adding `accesstoken`, `instanceurl`, `tenantid`;
//! - [`client`] — [`PubSubClient`]: channel, GetTopic, GetSchema (cached), Publish, Subscribe;
//! - [`errors`] — what a failed RPC means for the subscriber (the `error-code` trailer);
//! - [`flow`] — flow-control bookkeeping (`num_requested` top-ups);
//! - [`backoff`] — reconnect delays (exponential, jitter, cap);
//! - [`subscription`] — [`run_subscription`], the long-lived subscriber with checkpoints.

pub mod backoff;
pub mod client;
pub mod errors;
pub mod event;
pub mod flow;
pub mod metadata;
pub mod proto;
pub mod schema_id;
pub mod subscription;

pub use client::PubSubClient;
pub use event::{ProvisionRequested, TOPIC};
pub use subscription::{EventHandler, SubscribeOptions, run_subscription};
