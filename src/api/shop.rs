//! The shop's server functions: the catalog (public, so visitors can browse), the signed-in
//! customer's cart and checkout, and their orders. Forms redirect to the page that shows their
//! result, so every one works as a plain form post without JavaScript.

mod cart;
mod catalog;
mod checkout;
mod orders;

pub use cart::{AddToCart, GetCart, UpdateCart, add_to_cart, get_cart, update_cart};
pub use catalog::{CatalogView, GetProduct, ListProducts, get_product, list_products};
pub use checkout::{Checkout, checkout};
pub use orders::{GetOrder, ListOrders, get_order, list_orders};
