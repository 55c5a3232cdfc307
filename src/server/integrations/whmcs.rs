//! WHMCS adapter (billing clients, users; invoices, services and pay methods follow).
//!
//! - `client`: transport, authentication, envelope, retries, metrics — [`WhmcsClient`];
//! - `error`: the closed error enum and message classification — [`WhmcsError`];
//! - `dto`: raw wire shapes and the quirk-tolerant serde helpers (`dto::de`);
//! - `map`: pure raw ↔ domain conversions;
//! - `model`: what the adapter returns — [`ClientDetails`], [`ClientSummary`]…;
//! - `clients`: the client and user actions, as methods on [`WhmcsClient`].
//!
//! Facts come from `reference/whmcs.md`; the simulator in `crate::sandbox` speaks the same
//! protocol.

pub mod client;
mod clients;
pub mod dto;
pub mod error;
pub mod map;
pub mod model;

pub use client::{Params, WhmcsClient};
pub use error::WhmcsError;
pub use model::{
    ClientAccess, ClientDetails, ClientStatus, ClientSummary, ClientUser, UserAccess,
    ValidatedLogin,
};
