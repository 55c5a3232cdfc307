//! What the WHMCS adapter returns: the portal's view of a billing client, built from the
//! domain types (`Profile`, `Money`, `Lang`) plus the few WHMCS facts services need (ids,
//! status, currency, the users that can access a client).

use crate::domain::common::lang::Lang;
use crate::domain::common::money::Money;
use crate::domain::customer::{PersonName, Profile};
use serde::{Deserialize, Serialize};
use time::Date;

/// A billing client's status (reference §3.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ClientStatus {
    /// In good standing.
    Active,
    /// No active services.
    Inactive,
    /// Closed: no SSO, no new orders.
    Closed,
}

impl ClientStatus {
    /// WHMCS's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ClientStatus::Active => "Active",
            ClientStatus::Inactive => "Inactive",
            ClientStatus::Closed => "Closed",
        }
    }
}

/// A billing client (`GetClientsDetails`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientDetails {
    /// WHMCS client id.
    pub id: u32,
    /// The user who owns the client (WHMCS 8.0+).
    pub owner_user_id: Option<u32>,
    /// Name, email, phone and address.
    pub profile: Profile,
    /// Company name, empty for individuals.
    pub company: String,
    /// Status.
    pub status: ClientStatus,
    /// WHMCS currency id.
    pub currency_id: Option<u32>,
    /// ISO currency code, e.g. `JPY`.
    pub currency_code: Option<String>,
    /// Credit balance, when the currency is one the portal knows.
    pub credit: Option<Money>,
    /// Client-area language, when set and one the portal speaks.
    pub language: Option<Lang>,
    /// Whether the client allows single sign-on into the WHMCS client area.
    pub allow_sso: bool,
    /// Users with access to the client.
    pub users: Vec<ClientUser>,
}

/// A user with access to a client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientUser {
    /// WHMCS user id.
    pub id: u32,
    /// Full name as WHMCS shows it.
    pub name: String,
    /// Email.
    pub email: String,
    /// Whether the user owns the client.
    pub is_owner: bool,
}

/// A search hit (`GetClients`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientSummary {
    /// WHMCS client id.
    pub id: u32,
    /// Name.
    pub name: PersonName,
    /// Company name.
    pub company: String,
    /// Email.
    pub email: String,
    /// Status.
    pub status: ClientStatus,
    /// Creation date.
    pub created: Option<Date>,
}

/// A successful `ValidateLogin`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidatedLogin {
    /// WHMCS **user** id (not a client id; see [`UserAccess`]).
    pub user_id: u32,
    /// The user has two-factor authentication on (WHMCS then withholds its session token;
    /// the password itself was right).
    pub two_factor: bool,
}

/// A WHMCS user and the clients they can access (`GetUsers`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserAccess {
    /// WHMCS user id.
    pub user_id: u32,
    /// Email.
    pub email: String,
    /// Clients, with ownership.
    pub clients: Vec<ClientAccess>,
}

/// One client a user can access.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientAccess {
    /// WHMCS client id.
    pub client_id: u32,
    /// Whether the user owns it.
    pub is_owner: bool,
}
