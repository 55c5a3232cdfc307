//! Salesforce adapter: the CRM (Accounts, Contacts; later catalog, orders and cases).
//!
//! - [`id`] — record ids (15/18 characters, checksum);
//! - [`soql`] — the injection-proof query builder;
//! - [`auth`] — OAuth 2.0 JWT bearer token minting and caching;
//! - [`client`] — the REST client (query/queryMore, create, update, get; retries, re-mint on 401);
//! - [`error`] — [`SalesforceError`];
//! - [`dto`] / [`map`] — wire shapes and pure conversions to the portal's domain types;
//! - [`accounts`] — the Account/Contact service used by sign-up, linking and the profile page;
//! - [`catalog`] — the portal's products and prices (Product2 + the portal price book);
//! - [`orders`] — Orders with their OrderItems: create (one all-or-none sObject Tree call,
//!   idempotent by key), list an account's, read one;
//! - [`provisioning`] — what the provisioning pipeline reads (an order with its billing ids)
//!   and writes (status, WHMCS order id, time, error), and the reconciliation sweep's query.
//! - [`pubsub`] — the Pub/Sub API (gRPC) client and the `OrderProvisionRequested__e`
//!   subscriber with replay checkpoints.
//! - [`cases`] — support Cases with their public CaseComments and files (ContentVersion).

pub mod accounts;
pub mod auth;
pub mod cases;
pub mod catalog;
pub mod client;
pub mod dto;
pub mod error;
pub mod id;
pub mod map;
pub mod orders;
pub mod provisioning;
pub mod pubsub;
pub mod soql;

pub use accounts::SalesforceAccounts;
pub use cases::SalesforceCases;
pub use catalog::SalesforceCatalog;
pub use client::SalesforceClient;
pub use error::SalesforceError;
pub use id::SalesforceId;
pub use orders::SalesforceOrders;
pub use provisioning::{ProvisioningUpdate, SalesforceProvisioning};
pub use soql::{Condition, Direction, Like, Literal, Soql};
