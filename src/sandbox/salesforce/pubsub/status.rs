//! Pub/Sub error statuses as Salesforce sends them (reference §1.5): the message ends in
//! `rpcId: <uuid>`, and the trailers carry `error-code` (when there is one) and `rpc-id`.

use crate::server::integrations::salesforce::pubsub::errors;
use tonic::metadata::{MetadataMap, MetadataValue};
use tonic::{Code, Status};

/// A status with `rpc-id` and, if given, `error-code` trailers.
pub fn status(code: Code, message: &str, error_code: Option<&'static str>) -> Status {
    let rpc_id = uuid::Uuid::new_v4().to_string();
    let mut md = MetadataMap::new();
    if let Some(error_code) = error_code {
        md.insert("error-code", MetadataValue::from_static(error_code));
    }
    if let Ok(value) = MetadataValue::try_from(rpc_id.as_str()) {
        md.insert("rpc-id", value);
    }
    Status::with_metadata(code, format!("{message} rpcId: {rpc_id}"), md)
}

/// UNAUTHENTICATED `…service.auth.error`.
pub fn auth_error() -> Status {
    status(
        Code::Unauthenticated,
        "An authentication exception occurred. Provide valid authentication via metadata headers.",
        Some(errors::AUTH_ERROR),
    )
}

/// INVALID_ARGUMENT `…replayid.corrupted`.
pub fn replay_corrupted() -> Status {
    status(
        Code::InvalidArgument,
        "The Replay ID validation failed. Ensure that the Replay ID is valid and refers to an event within the retention window.",
        Some(errors::REPLAY_CORRUPTED),
    )
}

/// INTERNAL `…service.unavailable`.
pub fn service_unavailable() -> Status {
    status(
        Code::Internal,
        "The service is unavailable. Try again later.",
        Some(errors::SERVICE_UNAVAILABLE),
    )
}

/// PERMISSION_DENIED for an unknown or inaccessible topic.
pub fn topic_denied(topic: &str) -> Status {
    status(
        Code::PermissionDenied,
        &format!("The topic {topic:?} does not exist or you do not have access to it."),
        None,
    )
}
