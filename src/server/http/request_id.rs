//! Request ids: accepted from a well-formed incoming `x-request-id` (so a load balancer's id
//! follows the request), generated otherwise, returned on the response and recorded on the
//! request's tracing span.

use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use tower_http::request_id::{MakeRequestId, RequestId};

/// Header name.
pub const HEADER: &str = "x-request-id";

/// Generates UUIDv4 ids.
#[derive(Clone, Copy, Default)]
pub struct MakeUuid;

impl MakeRequestId for MakeUuid {
    fn make_request_id<B>(&mut self, _req: &axum::http::Request<B>) -> Option<RequestId> {
        HeaderValue::from_str(&uuid::Uuid::new_v4().to_string())
            .ok()
            .map(RequestId::new)
    }
}

/// Drops an incoming id that is too long or has characters a log line should not carry, so
/// the id layer replaces it (ids are written into logs and error references).
pub async fn sanitize(mut req: Request, next: Next) -> Response {
    let bad = req
        .headers()
        .get(HEADER)
        .is_some_and(|v| !is_acceptable(v.as_bytes()));
    if bad {
        req.headers_mut().remove(HEADER);
    }
    next.run(req).await
}

fn is_acceptable(id: &[u8]) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

#[cfg(test)]
mod tests {
    use super::is_acceptable;

    #[test]
    fn only_short_plain_ids_are_kept() {
        assert!(is_acceptable(b"3f1c-9a_b.7"));
        assert!(!is_acceptable(b""));
        assert!(!is_acceptable(b"a b"));
        assert!(!is_acceptable(b"id\ninjected=1"));
        assert!(!is_acceptable(&[b'a'; 65]));
    }
}
