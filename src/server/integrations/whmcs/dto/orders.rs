//! Raw shapes of the order actions (reference `whmcs.md` §2.4, §2.5): `AddOrder`'s answer,
//! `GetOrders`' orders and `GetProducts`' configuration options.

use super::de;
use serde::Deserialize;

/// `AddOrder`: `{"orderid":"31","serviceids":"57,58","invoiceid":"1207",…}`; before 7.8 the
/// services were `productids`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AddOrderResponse {
    /// The new order.
    #[serde(default, deserialize_with = "de::opt_id")]
    pub orderid: Option<u32>,
    /// Comma-separated service ids (possibly empty).
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub serviceids: String,
    /// The pre-7.8 name of `serviceids`.
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub productids: String,
    /// The order's invoice (absent or 0 when none was made).
    #[serde(default, deserialize_with = "de::opt_id")]
    pub invoiceid: Option<u32>,
}

/// `GetOrders`: `{"totalresults":…,"orders":{"order":[…]}}`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct GetOrdersResponse {
    /// All matching orders.
    #[serde(default, deserialize_with = "de::u32_or_zero")]
    pub totalresults: u32,
    /// This page.
    #[serde(default, deserialize_with = "de::list_or_empty")]
    pub orders: Vec<RawOrder>,
}

/// One order of `GetOrders`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RawOrder {
    /// Order id.
    #[serde(default, deserialize_with = "de::opt_id")]
    pub id: Option<u32>,
    /// Owning client.
    #[serde(default, deserialize_with = "de::opt_id")]
    pub userid: Option<u32>,
    /// `Pending`, `Active`, `Cancelled`, `Fraud`.
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub status: String,
    /// Admin notes (ours carry `sfOrderId=…`).
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub notes: String,
    /// The order's invoice.
    #[serde(default, deserialize_with = "de::opt_id")]
    pub invoiceid: Option<u32>,
}

/// `GetProducts`: `{"products":{"product":[…]}}`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct GetProductsResponse {
    /// Products.
    #[serde(default, deserialize_with = "de::list_or_empty")]
    pub products: Vec<RawProduct>,
}

/// A product, as far as ordering needs it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RawProduct {
    /// Product id.
    #[serde(default, deserialize_with = "de::opt_id")]
    pub pid: Option<u32>,
    /// Name.
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub name: String,
    /// `{"configoption":[…]}`.
    #[serde(default, deserialize_with = "de::list_or_empty")]
    pub configoptions: Vec<RawConfigOption>,
}

/// A configuration option of a product.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RawConfigOption {
    /// Option id.
    #[serde(default, deserialize_with = "de::opt_id")]
    pub id: Option<u32>,
    /// Name.
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub name: String,
    /// `1` dropdown, `2` radio, `3` yes/no, `4` quantity ([INFER] in the reference).
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub r#type: String,
    /// `{"option":[…]}`.
    #[serde(default, deserialize_with = "de::list_or_empty")]
    pub options: Vec<RawConfigChoice>,
}

/// One choice of an option.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RawConfigChoice {
    /// Choice id.
    #[serde(default, deserialize_with = "de::opt_id")]
    pub id: Option<u32>,
    /// Display name.
    #[serde(default, deserialize_with = "de::string_or_number")]
    pub name: String,
    /// The name without pricing decorations.
    #[serde(default, deserialize_with = "de::string_or_number")]
    #[serde(rename = "rawName")]
    pub raw_name: String,
}
