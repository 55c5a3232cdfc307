//! Services (WHMCS subscriptions) for the signed-in customer: their list, one service (only
//! their own), and the cancellation request they can make.
//!
//! Reads go through the cache under `user:{id}:services`: fresh for 120 s (DESIGN §6), and for
//! an hour after that a stale copy is served — marked with its age — when WHMCS fails. A
//! cancellation request clears the namespace so the next read is WHMCS's current answer.

mod cancel;
mod read;

pub use cancel::request_cancellation;
pub use read::{namespace, service, services};
