//! The services pages' server functions: the customer's services, one of them, and a
//! cancellation request. Every one starts from `require_customer`, so it only ever touches the
//! signed-in customer's own services.

mod cancel;
mod read;

pub use cancel::{RequestCancellation, request_cancellation};
pub use read::{GetService, ListServices, get_service, list_services};
