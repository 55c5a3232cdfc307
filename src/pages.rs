//! Routed pages, one per file. A page composes components and calls server functions; it holds
//! no business rules.

pub mod account;
pub mod auth;
pub mod billing;
mod dashboard;
mod home_page;
mod not_found_page;
pub mod orders;
mod sandbox_mailbox_page;
pub mod services;
pub mod shop;
pub mod sims;
mod status_page;
pub mod support;

pub use home_page::HomePage;
pub use not_found_page::NotFoundPage;
pub use sandbox_mailbox_page::SandboxMailboxPage;
pub use status_page::StatusPage;
