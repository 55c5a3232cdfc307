//! HTTP endpoints outside the UI and the middleware every request passes through.

pub mod health;
pub mod metrics;
pub mod request_id;
pub mod security_headers;
