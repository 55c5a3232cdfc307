//! What a failed Pub/Sub RPC means for a subscriber (reference §1.5): the gRPC code plus the
//! `error-code` trailer decide between renewing the token, abandoning a refused replay id, and
//! plain retrying. Transient failures never change the replay start (the Java sample's
//! fallback to LATEST on `service.unavailable` silently skips events; we resume CUSTOM).

use tonic::{Code, Status};

/// `error-code` of an authentication failure.
pub const AUTH_ERROR: &str = "sfdc.platform.eventbus.grpc.service.auth.error";
/// `error-code` of a refused auth refresh (handled like [`AUTH_ERROR`], as Camel does).
pub const AUTH_REFRESH_INVALID: &str = "sfdc.platform.eventbus.grpc.service.auth.refresh.invalid";
/// `error-code` of a replay id that is malformed, unknown or outside retention.
pub const REPLAY_CORRUPTED: &str =
    "sfdc.platform.eventbus.grpc.subscription.fetch.replayid.corrupted";
/// `error-code` the Java sample treats like [`REPLAY_CORRUPTED`].
pub const REPLAY_VALIDATION_FAILED: &str =
    "sfdc.platform.eventbus.grpc.subscription.fetch.replayid.validation.failed";
/// `error-code` of a temporary outage.
pub const SERVICE_UNAVAILABLE: &str = "sfdc.platform.eventbus.grpc.service.unavailable";

/// What to do after a failed RPC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recovery {
    /// Mint a new access token, then call again.
    Reauthenticate,
    /// The replay id was refused: never send it again.
    ReplayRejected,
    /// Call again after a backoff, from the same checkpoint.
    Retry,
    /// A configuration problem (unknown topic, bad request): retrying may not help, but a
    /// long-lived subscriber still retries slowly and logs at error level.
    Permanent,
}

/// The `error-code` trailer, if any.
pub fn error_code(status: &Status) -> Option<&str> {
    status
        .metadata()
        .get("error-code")
        .and_then(|v| v.to_str().ok())
}

/// The `rpc-id` trailer, if any (for logs and support cases).
pub fn rpc_id(status: &Status) -> Option<&str> {
    status
        .metadata()
        .get("rpc-id")
        .and_then(|v| v.to_str().ok())
}

/// Classifies a failed RPC.
pub fn classify(status: &Status) -> Recovery {
    match error_code(status) {
        Some(AUTH_ERROR | AUTH_REFRESH_INVALID) => return Recovery::Reauthenticate,
        Some(REPLAY_CORRUPTED | REPLAY_VALIDATION_FAILED) => return Recovery::ReplayRejected,
        _ => {}
    }
    match status.code() {
        Code::Unauthenticated => Recovery::Reauthenticate,
        Code::PermissionDenied | Code::InvalidArgument | Code::NotFound | Code::Unimplemented => {
            Recovery::Permanent
        }
        _ => Recovery::Retry,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tonic::metadata::{MetadataMap, MetadataValue};

    fn with_code(code: Code, error_code: &'static str) -> Status {
        let mut md = MetadataMap::new();
        md.insert("error-code", MetadataValue::from_static(error_code));
        Status::with_metadata(code, "x", md)
    }

    #[test]
    fn trailers_decide_before_codes() {
        assert_eq!(
            classify(&with_code(Code::Unauthenticated, AUTH_ERROR)),
            Recovery::Reauthenticate
        );
        assert_eq!(
            classify(&with_code(Code::Internal, AUTH_REFRESH_INVALID)),
            Recovery::Reauthenticate
        );
        assert_eq!(
            classify(&with_code(Code::InvalidArgument, REPLAY_CORRUPTED)),
            Recovery::ReplayRejected
        );
        assert_eq!(
            classify(&with_code(Code::InvalidArgument, REPLAY_VALIDATION_FAILED)),
            Recovery::ReplayRejected
        );
        assert_eq!(
            classify(&with_code(Code::Internal, SERVICE_UNAVAILABLE)),
            Recovery::Retry
        );
    }

    #[test]
    fn bare_codes() {
        assert_eq!(
            classify(&Status::unavailable("RST_STREAM")),
            Recovery::Retry
        );
        assert_eq!(classify(&Status::internal("")), Recovery::Retry);
        assert_eq!(
            classify(&Status::unauthenticated("")),
            Recovery::Reauthenticate
        );
        assert_eq!(
            classify(&Status::permission_denied("")),
            Recovery::Permanent
        );
        assert_eq!(classify(&Status::invalid_argument("")), Recovery::Permanent);
    }
}
