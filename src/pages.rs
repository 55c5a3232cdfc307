//! Routed pages, one per file. A page composes components and calls server functions; it holds
//! no business rules.

mod home_page;
mod not_found_page;
mod status_page;

pub use home_page::HomePage;
pub use not_found_page::NotFoundPage;
pub use status_page::StatusPage;
