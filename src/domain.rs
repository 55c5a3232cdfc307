//! Pure domain types and rules, compiled for both the browser and the server with no `cfg`.
//!
//! Nothing here does I/O. Provider field names never appear here: integrations map their wire
//! shapes into these types (`server::integrations::<provider>::map`).

pub mod account;
pub mod billing;
pub mod cart;
pub mod catalog;
pub mod common;
pub mod customer;
pub mod dashboard;
pub mod order_timeline;
pub mod orders;
pub mod preferences;
pub mod provisioning;
pub mod services;
pub mod sim;
pub mod support;
pub mod system;
