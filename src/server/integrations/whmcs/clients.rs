//! Clients and users: the WHMCS actions the accounts service needs — create, read, search and
//! update a billing client, check a WHMCS login, and find which clients a user owns (8.x user
//! model: one login user can own or access several clients).

use super::client::{Params, WhmcsClient};
use super::dto::{
    ClientIdResponse, GetClientsResponse, GetUsersResponse, RawClient, ValidateLoginResponse,
};
use super::error::WhmcsError;
use super::map;
use super::model::{ClientDetails, ClientSummary, UserAccess, ValidatedLogin};
use crate::domain::common::lang::Lang;
use crate::domain::customer::Profile;

/// Page size for searches.
const PAGE: u32 = 100;
/// Searches stop after this many pages (a prefix search for an email rarely fills one).
const MAX_PAGES: u32 = 10;
/// ValidateLogin's answer for a wrong email or password.
const LOGIN_INVALID: &str = "Email or Password Invalid";

impl WhmcsClient {
    /// Creates a billing client and its owning user (`AddClient`), returning the client id.
    ///
    /// `password` becomes the WHMCS user's password (`password2`, required by WHMCS); the
    /// portal owns sign-in, so it passes a random one. WHMCS's welcome email is suppressed.
    /// An email already in use is a [`WhmcsError::Validation`] whose `field()` is `email`.
    pub async fn add_client(
        &self,
        profile: &Profile,
        password: &str,
        language: Lang,
    ) -> Result<u32, WhmcsError> {
        let mut params = map::profile_params(profile)
            .with("password2", password)
            .with("language", map::language_param(language))
            .flag("noemail", true);
        params.push("marketingoptin", "0");
        let response: ClientIdResponse = self.call_as("AddClient", &params).await?;
        response
            .clientid
            .ok_or_else(|| WhmcsError::Decode("AddClient succeeded without a clientid".into()))
    }

    /// A client's details (`GetClientsDetails` by id). Unknown id → [`WhmcsError::NotFound`].
    pub async fn client_details(&self, client_id: u32) -> Result<ClientDetails, WhmcsError> {
        self.details(Params::new().with("clientid", client_id))
            .await
    }

    /// A client's details by exact email (`GetClientsDetails` by email); `None` if no client
    /// has it.
    pub async fn client_by_email(&self, email: &str) -> Result<Option<ClientDetails>, WhmcsError> {
        match self
            .details(Params::new().with("email", email.trim()))
            .await
        {
            Ok(details) => Ok(Some(details)),
            Err(WhmcsError::NotFound { .. }) => Ok(None),
            Err(other) => Err(other),
        }
    }

    async fn details(&self, params: Params) -> Result<ClientDetails, WhmcsError> {
        let response = self.call("GetClientsDetails", &params).await?;
        let raw = RawClient::from_details_response(response)
            .map_err(|e| WhmcsError::Decode(format!("GetClientsDetails response: {e}")))?;
        map::client_details(&raw)
    }

    /// Clients whose email is exactly `email` (case-insensitive), via `GetClients`' prefix
    /// search (which also matches names and other emails, so hits are filtered here).
    pub async fn search_clients(&self, email: &str) -> Result<Vec<ClientSummary>, WhmcsError> {
        let wanted = email.trim().to_lowercase();
        let mut found = Vec::new();
        let mut start = 0u32;
        for _ in 0..MAX_PAGES {
            let params = Params::new()
                .with("search", email.trim())
                .with("limitstart", start)
                .with("limitnum", PAGE);
            let page: GetClientsResponse = self.call_as("GetClients", &params).await?;
            let returned = u32::try_from(page.clients.len()).unwrap_or(u32::MAX);
            for raw in &page.clients {
                if raw.email.trim().to_lowercase() == wanted {
                    found.push(map::client_summary(raw)?);
                }
            }
            start = start.saturating_add(returned);
            if returned == 0 || start >= page.totalresults {
                break;
            }
        }
        Ok(found)
    }

    /// Replaces a client's name, email, phone and address (`UpdateClient`). Unknown id →
    /// [`WhmcsError::NotFound`]; an email another client uses → [`WhmcsError::Validation`].
    pub async fn update_client(&self, client_id: u32, profile: &Profile) -> Result<(), WhmcsError> {
        let mut params = Params::new().with("clientid", client_id);
        for (key, value) in map::profile_params(profile).iter() {
            params.push(key, value);
        }
        self.call("UpdateClient", &params).await.map(|_| ())
    }

    /// Checks a WHMCS login (`ValidateLogin`); `None` for a wrong email or password.
    pub async fn validate_login(
        &self,
        email: &str,
        password: &str,
    ) -> Result<Option<ValidatedLogin>, WhmcsError> {
        let params = Params::new()
            .with("email", email.trim())
            .with("password2", password);
        match self
            .call_as::<ValidateLoginResponse>("ValidateLogin", &params)
            .await
        {
            Ok(raw) => map::validated_login(&raw).map(Some),
            Err(err) if err.message_is(LOGIN_INVALID) => Ok(None),
            Err(err) => Err(err),
        }
    }

    /// WHMCS users whose email is exactly `email`, with the clients each can access
    /// (`GetUsers`, WHMCS 8.1+).
    pub async fn users_by_email(&self, email: &str) -> Result<Vec<UserAccess>, WhmcsError> {
        let wanted = email.trim().to_lowercase();
        let params = Params::new()
            .with("search", email.trim())
            .with("limitnum", PAGE);
        let response: GetUsersResponse = self.call_as("GetUsers", &params).await?;
        Ok(response
            .users
            .iter()
            .filter_map(map::user_access)
            .filter(|u| u.email.to_lowercase() == wanted)
            .collect())
    }

    /// The clients user `user_id` (whose email is `email`) owns, lowest id first.
    pub async fn owned_client_ids(
        &self,
        user_id: u32,
        email: &str,
    ) -> Result<Vec<u32>, WhmcsError> {
        let mut ids: Vec<u32> = self
            .users_by_email(email)
            .await?
            .into_iter()
            .filter(|u| u.user_id == user_id)
            .flat_map(|u| u.clients)
            .filter(|c| c.is_owner)
            .map(|c| c.client_id)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        Ok(ids)
    }

    /// Proves that whoever knows `email` and `password` owns a WHMCS client: validates the
    /// login, then maps the user to the clients they own. Returns the owned client (the
    /// oldest, i.e. lowest id, if they own several), or `None` for a wrong login or a user who
    /// owns no client. A user with two-factor authentication still proves ownership: the
    /// password was right.
    pub async fn verify_owner(
        &self,
        email: &str,
        password: &str,
    ) -> Result<Option<u32>, WhmcsError> {
        let Some(login) = self.validate_login(email, password).await? else {
            return Ok(None);
        };
        let owned = self.owned_client_ids(login.user_id, email).await?;
        Ok(owned.first().copied())
    }
}
