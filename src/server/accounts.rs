//! Accounts: sign-up, linking an existing billing customer, sign-in with optional second
//! factor, email verification, password reset, profile, and the security page — each flow in
//! its own file, all built on the store, the auth core and the two provider adapters.
//!
//! Cross-system writes (sign-up creates records in WHMCS and Salesforce) are made resumable:
//! each created id is recorded as soon as it exists and every step looks up before it creates,
//! so a retry after a provider fault continues where the last attempt stopped.

pub mod demo;
pub mod email_links;
pub mod link;
pub mod login;
pub mod profile;
pub mod provider_errors;
pub mod provisioning;
pub mod security;
pub mod sessions;
pub mod signup;

use crate::server::integrations::salesforce::SalesforceAccounts;
use crate::server::integrations::whmcs::WhmcsClient;

/// The provider adapters the account flows use.
#[derive(Clone)]
pub struct Providers {
    /// Billing.
    pub whmcs: WhmcsClient,
    /// CRM.
    pub salesforce: SalesforceAccounts,
    /// The CRM's catalog.
    pub catalog: crate::server::integrations::salesforce::SalesforceCatalog,
    /// The CRM's orders.
    pub orders: crate::server::integrations::salesforce::SalesforceOrders,
    /// The CRM's provisioning reads and writes.
    pub provisioning: crate::server::integrations::salesforce::SalesforceProvisioning,
    /// The CRM's support cases.
    pub cases: crate::server::integrations::salesforce::SalesforceCases,
    /// The SIM platform (Freebit).
    pub freebit: crate::server::integrations::freebit::FreebitClient,
}
