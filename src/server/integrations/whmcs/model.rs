//! What the WHMCS adapter returns: the portal's view of a billing client, built from the
//! domain types (`Profile`, `Money`, `Lang`) plus the few WHMCS facts services need (ids,
//! status, currency, the users that can access a client).

use crate::domain::common::lang::Lang;
use crate::domain::common::money::{Currency, Money};
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

/// A currency of the WHMCS install (`GetCurrencies`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrencyInfo {
    /// WHMCS currency id (clients reference it).
    pub id: u32,
    /// ISO code as WHMCS has it.
    pub code: String,
    /// The portal's currency, when it supports this one.
    pub currency: Option<Currency>,
    /// Display prefix (`¥`).
    pub prefix: String,
    /// Display suffix.
    pub suffix: String,
    /// Whether it is the install's default currency.
    pub is_default: bool,
}

/// How amounts without their own currency code are read: WHMCS sends money as bare decimal
/// strings, and only `GetInvoices` names the currency. Built from `GetCurrencies`
/// ([`CurrencyContext::from_currencies`]) and passed to every money mapper.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurrencyContext {
    /// The install's default currency (what `GetInvoice` and `GetClientsProducts` amounts are
    /// in for a client in the default currency — every client of this reseller).
    pub default: Currency,
}

impl CurrencyContext {
    /// A context with this default.
    pub fn new(default: Currency) -> Self {
        CurrencyContext { default }
    }

    /// The default among `GetCurrencies`' answer: the one flagged default (see
    /// [`crate::server::integrations::whmcs::map::billing::currency`]), else the lowest id
    /// ([INFER]: the install's first currency, id 1, is its default unless changed). `None`
    /// when none is a supported currency.
    pub fn from_currencies(currencies: &[CurrencyInfo]) -> Option<Self> {
        let supported = || currencies.iter().filter(|c| c.currency.is_some());
        supported()
            .find(|c| c.is_default)
            .or_else(|| supported().min_by_key(|c| c.id))
            .and_then(|c| c.currency)
            .map(Self::new)
    }

    /// The currency for an ISO code as WHMCS sent it; blank → the default, unsupported →
    /// `None`.
    pub fn resolve(&self, code: &str) -> Option<Currency> {
        if code.trim().is_empty() {
            Some(self.default)
        } else {
            Currency::parse(code)
        }
    }
}

impl Default for CurrencyContext {
    fn default() -> Self {
        CurrencyContext::new(Currency::Jpy)
    }
}

/// Where a WHMCS single sign-on link lands the customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SsoDestination {
    /// The invoice's page with its payment button (`viewinvoice.php?id=`).
    InvoicePay(u32),
    /// The "add a payment method" form.
    AddPayMethod,
    /// The list of payment methods (remove, make default).
    PayMethods,
}
