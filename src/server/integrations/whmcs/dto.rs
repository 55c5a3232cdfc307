//! Raw WHMCS response shapes, exactly as the wire has them (field names included), tolerant of
//! every typing quirk through the [`de`] helpers: each field has a default, so a missing key
//! never fails a response; only the mappers decide what is required.

pub mod billing;
pub mod de;
pub mod orders;

use serde::Deserialize;
use serde_json::Value;
use time::Date;

/// `AddClient` / `UpdateClient`: `{"result":"success","clientid":"17"}`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ClientIdResponse {
    /// The client id, a string in the documented examples.
    #[serde(default, deserialize_with = "de::opt_id")]
    pub clientid: Option<u32>,
}

/// `GetClientsDetails`'s client, read from the `client` object or — for installs that only
/// return the deprecated flattened form — from the top level (see
/// [`RawClient::from_details_response`]).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RawClient {
    /// Client id (8.x: `client_id`, `userid` and `id` all carry it).
    #[serde(default, deserialize_with = "de::opt_id")]
    pub id: Option<u32>,
    /// Client id, 8.x name.
    #[serde(default, deserialize_with = "de::opt_id")]
    pub client_id: Option<u32>,
    /// Client id, legacy name (not a user id despite the name).
    #[serde(default, deserialize_with = "de::opt_id")]
    pub userid: Option<u32>,
    /// The owning user (8.0+).
    #[serde(default, deserialize_with = "de::opt_id")]
    pub owner_user_id: Option<u32>,
    /// Given name (WHMCS "first name").
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub firstname: String,
    /// Family name (WHMCS "last name").
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub lastname: String,
    /// Company.
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub companyname: String,
    /// Email.
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub email: String,
    /// Street and number.
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub address1: String,
    /// Building and room.
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub address2: String,
    /// City.
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub city: String,
    /// State / prefecture as entered.
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub state: String,
    /// State's full name.
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub fullstate: String,
    /// Postal code.
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub postcode: String,
    /// ISO country code.
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub countrycode: String,
    /// ISO country code (older name).
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub country: String,
    /// Phone country calling code, e.g. `81`.
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub phonecc: String,
    /// Phone number as stored.
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub phonenumber: String,
    /// `Active`, `Inactive` or `Closed`.
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub status: String,
    /// Currency id.
    #[serde(default, deserialize_with = "de::opt_id")]
    pub currency: Option<u32>,
    /// Currency ISO code.
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub currency_code: String,
    /// Credit balance, a decimal string.
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub credit: String,
    /// Client-area language (`japanese`, `english`, `""` = the system default).
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub language: String,
    /// Whether the client allows single sign-on.
    #[serde(
        default,
        rename = "allowSingleSignOn",
        deserialize_with = "de::boolish"
    )]
    pub allow_single_sign_on: bool,
    /// Email verified.
    #[serde(default, deserialize_with = "de::boolish")]
    pub email_verified: bool,
    /// Users with access to the client (8.0+), `{"user": [...]}`.
    #[serde(default, deserialize_with = "de::list_or_empty")]
    pub users: Vec<RawClientUser>,
}

impl RawClient {
    /// Reads a `GetClientsDetails` response: the `client` object when present, else the
    /// deprecated top-level copy.
    pub fn from_details_response(mut response: Value) -> Result<RawClient, String> {
        let client = match response.get_mut("client").map(Value::take) {
            Some(client @ Value::Object(_)) => client,
            _ => response,
        };
        serde_json::from_value(client).map_err(|e| e.to_string())
    }

    /// The client id, whichever key carries it.
    pub fn any_id(&self) -> Option<u32> {
        self.client_id.or(self.id).or(self.userid)
    }
}

/// An entry of `client.users.user` in `GetClientsDetails`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RawClientUser {
    /// User id.
    #[serde(default, deserialize_with = "de::opt_id")]
    pub id: Option<u32>,
    /// Full name.
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub name: String,
    /// Email.
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub email: String,
    /// Whether this user owns the client.
    #[serde(default, deserialize_with = "de::boolish")]
    pub is_owner: bool,
}

/// `GetClients`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct GetClientsResponse {
    /// Matches in total.
    #[serde(default, deserialize_with = "de::u32_or_zero")]
    pub totalresults: u32,
    /// Offset of this page.
    #[serde(default, deserialize_with = "de::u32_or_zero")]
    pub startnumber: u32,
    /// Entries in this page.
    #[serde(default, deserialize_with = "de::u32_or_zero")]
    pub numreturned: u32,
    /// `{"client": [...]}`.
    #[serde(default, deserialize_with = "de::list_or_empty")]
    pub clients: Vec<RawClientSummary>,
}

/// An entry of `clients.client` in `GetClients`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RawClientSummary {
    /// Client id.
    #[serde(default, deserialize_with = "de::opt_id")]
    pub id: Option<u32>,
    /// Given name.
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub firstname: String,
    /// Family name.
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub lastname: String,
    /// Company.
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub companyname: String,
    /// Email.
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub email: String,
    /// Creation date.
    #[serde(default, deserialize_with = "de::zero_date")]
    pub datecreated: Option<Date>,
    /// `Active`, `Inactive` or `Closed`.
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub status: String,
}

/// `ValidateLogin`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ValidateLoginResponse {
    /// The **user** id (8.0+), not a client id.
    #[serde(default, deserialize_with = "de::opt_id")]
    pub userid: Option<u32>,
    /// Session token, absent when two-factor authentication is required.
    #[serde(default, deserialize_with = "de::opt_string")]
    pub passwordhash: Option<String>,
    /// `"true"` / `"false"` (a string in the documented example).
    #[serde(default, rename = "twoFactorEnabled", deserialize_with = "de::boolish")]
    pub two_factor_enabled: bool,
}

/// `GetUsers` (8.1+).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct GetUsersResponse {
    /// Matches in total.
    #[serde(default, deserialize_with = "de::u32_or_zero")]
    pub totalresults: u32,
    /// Offset of this page.
    #[serde(default, deserialize_with = "de::u32_or_zero")]
    pub startnumber: u32,
    /// Entries in this page.
    #[serde(default, deserialize_with = "de::u32_or_zero")]
    pub numreturned: u32,
    /// A plain array (no wrapper) in the docs.
    #[serde(default, deserialize_with = "de::list_or_empty")]
    pub users: Vec<RawUser>,
}

/// An entry of `users` in `GetUsers`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RawUser {
    /// User id.
    #[serde(default, deserialize_with = "de::opt_id")]
    pub id: Option<u32>,
    /// Given name.
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub firstname: String,
    /// Family name.
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub lastname: String,
    /// Email.
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub email: String,
    /// The clients this user can access.
    #[serde(default, deserialize_with = "de::list_or_empty")]
    pub clients: Vec<RawUserClient>,
}

/// An entry of `users[].clients` in `GetUsers`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RawUserClient {
    /// Client id.
    #[serde(default, deserialize_with = "de::opt_id")]
    pub id: Option<u32>,
    /// Whether the user owns the client.
    #[serde(default, rename = "isOwner", deserialize_with = "de::boolish")]
    pub is_owner: bool,
}
