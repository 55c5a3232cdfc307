//! The simulated WHMCS database: clients, the users who log in and own them (8.x model), and
//! the currency. Seeded from the sandbox seed on every reset.
//!
//! Everything a client owns is keyed by its client id so that billing data (invoices,
//! services, pay methods, orders) can be added as further maps here, each record carrying its
//! `client_id`, without touching the client or user records.

use super::billing_state::{self, Billing};
use crate::sandbox::SeedData;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// Currency id 1, the only one the sandbox install has.
pub const CURRENCY_ID: u32 = 1;
/// Its code.
pub const CURRENCY_CODE: &str = "JPY";

/// A billing client (`tblclients`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Client {
    /// Client id.
    pub id: u32,
    /// The owning user.
    pub owner_user_id: u32,
    /// Given name.
    pub firstname: String,
    /// Family name.
    pub lastname: String,
    /// Company.
    pub companyname: String,
    /// Email (unique among clients, case-insensitively).
    pub email: String,
    /// Street.
    pub address1: String,
    /// Building.
    pub address2: String,
    /// City.
    pub city: String,
    /// Prefecture.
    pub state: String,
    /// Postal code.
    pub postcode: String,
    /// ISO country code.
    pub country: String,
    /// Phone as entered.
    pub phonenumber: String,
    /// `Active`, `Inactive` or `Closed`.
    pub status: String,
    /// Currency id.
    pub currency: u32,
    /// Client-area language name (`japanese`, `english`, `""`).
    pub language: String,
    /// Credit balance, a decimal string.
    pub credit: String,
    /// Creation date `YYYY-MM-DD`, or `0000-00-00` for records imported without one.
    pub datecreated: String,
    /// Admin notes.
    pub notes: String,
    /// Marketing opt-in.
    pub marketing_opt_in: bool,
    /// Whether SSO into the client area is allowed.
    pub allow_sso: bool,
}

/// A login user (`tblusers`, 8.0+).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// User id.
    pub id: u32,
    /// Given name.
    pub firstname: String,
    /// Family name.
    pub lastname: String,
    /// Email (unique among users).
    pub email: String,
    /// Salted SHA-256 of the password (hex).
    pub password_hash: String,
    /// Whether two-factor authentication is on.
    pub two_factor: bool,
    /// Creation datetime.
    pub datecreated: String,
    /// Clients the user can access, with ownership.
    pub clients: Vec<(u32, bool)>,
}

impl User {
    /// Sets the password.
    pub fn set_password(&mut self, password: &str) {
        self.password_hash = hash_password(self.id, password);
    }

    /// Checks a password.
    pub fn password_matches(&self, password: &str) -> bool {
        !password.is_empty() && hash_password(self.id, password) == self.password_hash
    }

    /// The 40-character "login session token" ValidateLogin returns.
    pub fn session_token(&self) -> String {
        let mut hex = hex(&Sha256::digest(format!("session:{}", self.password_hash)));
        hex.truncate(40);
        hex
    }
}

fn hash_password(user_id: u32, password: &str) -> String {
    hex(&Sha256::digest(format!(
        "whmcs-sandbox:{user_id}:{password}"
    )))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// The whole simulated install.
#[derive(Debug, Default)]
pub struct WhmcsState {
    /// Clients by id.
    pub clients: BTreeMap<u32, Client>,
    /// Users by id.
    pub users: BTreeMap<u32, User>,
    /// Invoices, pay methods, services, SSO and events.
    pub billing: Billing,
    /// Orders (`AddOrder`, `AcceptOrder`).
    pub orders: super::orders::OrderBook,
    /// Outbound deliveries of the events, by event (see `delivery`).
    pub deliveries: Vec<super::delivery::Delivery>,
    next_client_id: u32,
    next_user_id: u32,
}

impl WhmcsState {
    /// The install as the seed describes it: one client per demo customer (with the seed's
    /// client id), owned by one user per customer (user ids 1, 2, … in seed order) whose
    /// password is the seed's demo password.
    pub fn seeded(seed: &SeedData) -> Self {
        let mut state = WhmcsState::default();
        for (index, customer) in seed.customers.iter().enumerate() {
            let user_id = u32::try_from(index)
                .unwrap_or(u32::MAX - 1)
                .saturating_add(1);
            let client_id = customer.whmcs_client_id;
            let language = if customer.locale.starts_with("ja") {
                "japanese"
            } else {
                "english"
            };
            state.clients.insert(
                client_id,
                Client {
                    id: client_id,
                    owner_user_id: user_id,
                    firstname: customer.name.given.clone(),
                    lastname: customer.name.family.clone(),
                    companyname: String::new(),
                    email: customer.email.clone(),
                    address1: customer.street.clone(),
                    address2: customer.building.clone(),
                    city: customer.city.clone(),
                    state: customer.prefecture.clone(),
                    postcode: customer.postal_code.clone(),
                    country: "JP".into(),
                    phonenumber: customer.phone.clone(),
                    status: "Active".into(),
                    currency: CURRENCY_ID,
                    language: language.into(),
                    credit: "0.00".into(),
                    // Imported from the previous billing system, which kept no creation date.
                    datecreated: "0000-00-00".into(),
                    notes: String::new(),
                    marketing_opt_in: false,
                    allow_sso: true,
                },
            );
            let mut user = User {
                id: user_id,
                firstname: customer.name.given.clone(),
                lastname: customer.name.family.clone(),
                email: customer.email.clone(),
                password_hash: String::new(),
                two_factor: false,
                datecreated: "2024-04-01 09:00:00".into(),
                clients: vec![(client_id, true)],
            };
            user.set_password(&seed.demo_password);
            state.users.insert(user_id, user);
        }
        state.next_client_id = state
            .clients
            .keys()
            .max()
            .map_or(1, |m| m.saturating_add(1));
        state.next_user_id = state.users.keys().max().map_or(1, |m| m.saturating_add(1));
        state.billing = Billing::seeded(seed, billing_state::today());
        state
    }

    /// Allocates a client id.
    pub fn new_client_id(&mut self) -> u32 {
        let id = self.next_client_id.max(1);
        self.next_client_id = id.saturating_add(1);
        id
    }

    /// Allocates a user id.
    pub fn new_user_id(&mut self) -> u32 {
        let id = self.next_user_id.max(1);
        self.next_user_id = id.saturating_add(1);
        id
    }

    /// The client with this email (case-insensitive).
    pub fn client_by_email(&self, email: &str) -> Option<&Client> {
        self.clients
            .values()
            .find(|c| c.email.eq_ignore_ascii_case(email.trim()))
    }

    /// The user with this email (case-insensitive).
    pub fn user_by_email(&self, email: &str) -> Option<&User> {
        self.users
            .values()
            .find(|u| u.email.eq_ignore_ascii_case(email.trim()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_customers_have_clients_and_owning_users() {
        let seed = SeedData::built_in().expect("seed");
        let state = WhmcsState::seeded(&seed);
        let kenji = state.client_by_email("KENJI@example.jp").expect("kenji");
        assert_eq!(kenji.id, 1003);
        let user = state.users.get(&kenji.owner_user_id).expect("owner");
        assert!(user.password_matches(&seed.demo_password));
        assert!(!user.password_matches("wrong"));
        assert_eq!(user.clients, vec![(1003, true)]);
        assert_eq!(user.session_token().len(), 40);
        let mut state = state;
        assert!(state.new_client_id() > 1003);
    }
}
