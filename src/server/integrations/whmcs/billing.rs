//! Billing actions: invoices (`GetInvoices`, `GetInvoice`), pay methods (`GetPayMethods`),
//! currencies (`GetCurrencies`) and single sign-on links into the WHMCS client area
//! (`CreateSsoToken`) for paying an invoice or managing cards.

use super::client::{Params, WhmcsClient};
use super::dto::billing::{
    GetCurrenciesResponse, GetInvoicesResponse, GetPayMethodsResponse, RawInvoice, SsoTokenResponse,
};
use super::error::WhmcsError;
use super::map::billing as map;
use super::model::{CurrencyContext, CurrencyInfo, SsoDestination};
use crate::domain::billing::{Invoice, InvoicePage, InvoiceStatus, PayMethod};
use crate::domain::common::date::JST;
use time::{Date, OffsetDateTime};

/// Largest page the adapter asks for (WHMCS documents no maximum).
pub const MAX_PER_PAGE: u32 = 100;

/// `CreateSsoToken` parameter naming where the simulator's landing page sends the browser back
/// to after paying or adding a card. [DESIGN]: not a WHMCS parameter (a real install ignores
/// it; there, the return path is configured in the client-area theme).
pub const RETURN_URL_PARAM: &str = "return_url";

/// Today in Japan, the calendar invoices are due by.
pub fn today() -> Date {
    OffsetDateTime::now_utc().to_offset(JST).date()
}

impl WhmcsClient {
    /// The install's currencies (`GetCurrencies`).
    pub async fn currencies(&self) -> Result<Vec<CurrencyInfo>, WhmcsError> {
        let response: GetCurrenciesResponse = self.call_as("GetCurrencies", &Params::new()).await?;
        Ok(response
            .currencies
            .iter()
            .filter_map(map::currency)
            .collect())
    }

    /// The currency context for the money mappers, from `GetCurrencies`' default currency.
    /// Callers cache it (it changes only when an administrator edits currencies).
    pub async fn currency_context(&self) -> Result<CurrencyContext, WhmcsError> {
        let currencies = self.currencies().await?;
        CurrencyContext::from_currencies(&currencies)
            .ok_or_else(|| WhmcsError::Decode("GetCurrencies: no supported currency".into()))
    }

    /// One page (from 1) of a client's invoices, newest first, optionally only those with
    /// `status` (`Overdue` = unpaid and past due, computed by WHMCS). `per_page` is clamped to
    /// 1..=[`MAX_PER_PAGE`].
    pub async fn invoices(
        &self,
        ctx: &CurrencyContext,
        client_id: u32,
        status: Option<InvoiceStatus>,
        page: u32,
        per_page: u32,
    ) -> Result<InvoicePage, WhmcsError> {
        let page = page.max(1);
        let per_page = per_page.clamp(1, MAX_PER_PAGE);
        let mut params = Params::new()
            .with("userid", client_id)
            .with("limitstart", (page - 1).saturating_mul(per_page))
            .with("limitnum", per_page)
            .with("orderby", "date")
            .with("order", "desc");
        if let Some(status) = status {
            params.push("status", map::invoice_status_param(status));
        }
        let response: GetInvoicesResponse = self.call_as("GetInvoices", &params).await?;
        let today = today();
        let items = response
            .invoices
            .iter()
            .map(|raw| map::invoice_summary(raw, ctx, today))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(InvoicePage {
            items,
            total: response.totalresults,
            page,
            per_page,
        })
    }

    /// An invoice with its lines and payments (`GetInvoice`), and the id of the client that
    /// owns it: the caller must compare it with the signed-in customer's and answer "not
    /// found" for someone else's. Unknown id → [`WhmcsError::NotFound`].
    pub async fn invoice(
        &self,
        ctx: &CurrencyContext,
        invoice_id: u32,
    ) -> Result<(u32, Invoice), WhmcsError> {
        let params = Params::new().with("invoiceid", invoice_id);
        let raw: RawInvoice = self.call_as("GetInvoice", &params).await?;
        map::invoice(&raw, ctx, today())
    }

    /// A client's stored payment methods (`GetPayMethods`), the default marked.
    pub async fn pay_methods(&self, client_id: u32) -> Result<Vec<PayMethod>, WhmcsError> {
        let params = Params::new().with("clientid", client_id);
        let response: GetPayMethodsResponse = self.call_as("GetPayMethods", &params).await?;
        Ok(map::pay_methods(&response.paymethods))
    }

    /// A one-time (60 s) single sign-on URL that logs the client into WHMCS at `destination`
    /// (`CreateSsoToken`). Mint it on the customer's click and redirect at once; never cache
    /// or log it. `return_url` is where the landing page sends the browser afterwards
    /// ([`RETURN_URL_PARAM`]).
    pub async fn create_sso_token(
        &self,
        client_id: u32,
        destination: SsoDestination,
        return_url: Option<&str>,
    ) -> Result<String, WhmcsError> {
        let mut params = map::sso_params(client_id, destination);
        if let Some(url) = return_url {
            params.push(RETURN_URL_PARAM, url);
        }
        let response: SsoTokenResponse = self.call_as("CreateSsoToken", &params).await?;
        let url = response.redirect_url.trim();
        if url.starts_with("http://") || url.starts_with("https://") {
            Ok(url.to_owned())
        } else {
            Err(WhmcsError::Decode(
                "CreateSsoToken succeeded without a redirect_url".into(),
            ))
        }
    }
}
