//! WHMCS adapter: billing clients and users, invoices, pay methods, services.
//!
//! - `client`: transport, authentication, envelope, retries, metrics — [`WhmcsClient`];
//! - `error`: the closed error enum and message classification — [`WhmcsError`];
//! - `dto`: raw wire shapes and the quirk-tolerant serde helpers (`dto::de`);
//! - `map`: pure raw ↔ domain conversions;
//! - `model`: what the adapter returns — [`ClientDetails`], [`ClientSummary`]…;
//! - `clients`: the client and user actions, as methods on [`WhmcsClient`];
//! - `billing`: invoices, pay methods, currencies, SSO links; `services`: client products and
//!   cancellation requests (methods on [`WhmcsClient`], mappers in `map::billing`);
//! - `orders`: AddOrder / AcceptOrder / GetOrders / GetProducts for provisioning, with `php`
//!   (PHP `serialize()` for the base64 configuration options);
//! - `invoicing`: CreateInvoice / CapturePayment for charges outside orders (SIM top-ups).
//!
//! Facts come from `reference/whmcs.md`; the simulator in `crate::sandbox` speaks the same
//! protocol.

pub mod billing;
pub mod client;
mod clients;
pub mod dto;
pub mod error;
pub mod invoicing;
pub mod map;
pub mod model;
pub mod orders;
pub mod php;
pub mod services;

pub use client::{Params, WhmcsClient};
pub use error::WhmcsError;
pub use model::{
    ClientAccess, ClientDetails, ClientStatus, ClientSummary, ClientUser, CurrencyContext,
    CurrencyInfo, SsoDestination, UserAccess, ValidatedLogin,
};
pub use services::{CANCEL_REQUEST_EXISTS, CancelOutcome};
