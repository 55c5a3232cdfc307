//! Server-only code (feature `ssr`): configuration, start-up, persistence, cache, HTTP
//! endpoints outside the UI, telemetry, and the services that server functions call.
//!
//! Gated once, in `lib.rs`; nothing below carries a `cfg`.

pub mod accounts;
pub mod auth;
pub mod billing;
pub mod cache;
pub mod cart;
pub mod catalog;
pub mod cli;
pub mod config;
pub mod context;
pub mod dashboard;
pub mod errors;
pub mod housekeeping;
pub mod http;
pub mod integrations;
pub mod live;
pub mod mail;
pub mod orders;
pub mod preferences;
pub mod provisioning;
pub mod queue;
pub mod services;
pub mod sims;
pub mod startup;
pub mod state;
pub mod status;
pub mod store;
pub mod support;
pub mod telemetry;
pub mod webhooks;
