//! Services (client products): `GetClientsProducts` and `AddCancelRequest`.
//!
//! `AddCancelRequest` is not in the fact sheet; its shape here is WHMCS's documented action
//! as recalled, marked [INFER]: request `serviceid`, `type` (`Immediate` | `End of Billing
//! Period`), `reason`; answer `{"result":"success","serviceid":…,"userid":…}`; errors
//! `Service ID Not Found` and `Existing Cancellation Request Exists`.

use super::client::{Params, WhmcsClient};
use super::dto::billing::{CancelRequestResponse, GetClientsProductsResponse};
use super::error::WhmcsError;
use super::map::billing as map;
use super::model::CurrencyContext;
use crate::domain::services::{CancellationType, Service};

/// Page size for listing a client's services.
const PAGE: u32 = 100;
/// At most this many pages (10 000 services) are read.
const MAX_PAGES: u32 = 100;
/// `AddCancelRequest`'s answer when one is already open ([INFER]).
pub const CANCEL_REQUEST_EXISTS: &str = "Existing Cancellation Request Exists";
/// The answer for an unknown service id.
const SERVICE_NOT_FOUND: &str = "Service ID Not Found";

/// What a cancellation request came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CancelOutcome {
    /// Recorded now.
    Requested,
    /// One was already open for the service; nothing changed.
    AlreadyRequested,
}

impl WhmcsClient {
    /// All of a client's services (`GetClientsProducts`, every page), in WHMCS's order.
    pub async fn services(
        &self,
        ctx: &CurrencyContext,
        client_id: u32,
    ) -> Result<Vec<Service>, WhmcsError> {
        let mut out = Vec::new();
        let mut start = 0u32;
        for _ in 0..MAX_PAGES {
            let params = Params::new()
                .with("clientid", client_id)
                .with("limitstart", start)
                .with("limitnum", PAGE);
            let page: GetClientsProductsResponse =
                self.call_as("GetClientsProducts", &params).await?;
            let returned = u32::try_from(page.products.len()).unwrap_or(u32::MAX);
            for raw in &page.products {
                out.push(map::service(raw, ctx)?.1);
            }
            start = start.saturating_add(returned);
            if returned == 0 || start >= page.totalresults {
                break;
            }
        }
        Ok(out)
    }

    /// One service and the id of the client that owns it (check it against the signed-in
    /// customer). Unknown id → [`WhmcsError::NotFound`].
    pub async fn service(
        &self,
        ctx: &CurrencyContext,
        service_id: u32,
    ) -> Result<(u32, Service), WhmcsError> {
        let params = Params::new().with("serviceid", service_id);
        let page: GetClientsProductsResponse = self.call_as("GetClientsProducts", &params).await?;
        let raw = page
            .products
            .iter()
            .find(|p| p.id == Some(service_id))
            .ok_or_else(|| WhmcsError::NotFound {
                message: SERVICE_NOT_FOUND.into(),
            })?;
        map::service(raw, ctx)
    }

    /// Asks WHMCS to cancel a service (`AddCancelRequest`); staff or automation act on it.
    /// Unknown id → [`WhmcsError::NotFound`].
    pub async fn add_cancel_request(
        &self,
        service_id: u32,
        kind: CancellationType,
        reason: &str,
    ) -> Result<CancelOutcome, WhmcsError> {
        let params = Params::new()
            .with("serviceid", service_id)
            .with("type", map::cancellation_type_param(kind))
            .with("reason", reason.trim());
        match self
            .call_as::<CancelRequestResponse>("AddCancelRequest", &params)
            .await
        {
            Ok(_) => Ok(CancelOutcome::Requested),
            Err(err) if err.message_is(CANCEL_REQUEST_EXISTS) => {
                Ok(CancelOutcome::AlreadyRequested)
            }
            Err(err) => Err(err),
        }
    }
}
