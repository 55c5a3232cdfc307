//! Server functions: the seam between the UI and the server. One per file, thin: read the
//! state, turn wire arguments into domain types, call a `server::` service, map the error.

pub mod account;
pub mod auth;
pub mod billing;
pub mod dashboard;
pub mod preferences;
pub mod sandbox;
pub mod services;
pub mod shop;
pub mod sims;
mod snapshot;
pub mod support;
pub mod system;

pub use snapshot::Snapshot;
