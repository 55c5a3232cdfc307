//! Adapters for the providers. Each has a `client` (transport, auth, retries, typed errors),
//! `dto` (raw wire shapes, tolerant of the provider's quirks), `map` (pure raw → domain), and
//! entity services. Nothing outside this module sees a provider's field names.

pub mod freebit;
pub mod http;
pub mod salesforce;
pub mod whmcs;
