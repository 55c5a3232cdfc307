//! Freebit adapter: the MVNO platform's partner API for SIM lines (reference `freebit.md`).
//!
//! - `client`: transport — form `json=` encoding, OEM authentication with a cached `authKey`
//!   and one re-authentication on an auth error, the `resultCode` envelope, retries, time
//!   limits, metrics — [`FreebitClient`];
//! - `auth`: the `authKey` cache;
//! - `codes`: **every** vendor code in one place (result/status codes, flags, value sets);
//! - `error`: the closed error enum with customer-safe messages — [`FreebitError`];
//! - `dto` / `map`: raw wire shapes and pure conversions to `crate::domain::sim`;
//! - `reads`: account detail, traffic, quota history, eSIM profile;
//! - `changes`: top-up, plan change, cancellation, voice options, 4G/5G, speed mode,
//!   suspend/resume, eSIM reissue, MNP-out reservation;
//! - `cached`: detail and traffic through the portal's cache (never fresher than 5 minutes)
//!   — [`CachedLines`].
//!
//! Every method takes the line's [`Msisdn`](crate::domain::sim::Msisdn) (Freebit keys lines by
//! phone number) and returns domain types. Paths are `[freebit.paths]` settings. The simulator
//! in `crate::sandbox` (`freebit`) speaks the same protocol.

pub mod auth;
pub mod cached;
mod changes;
pub mod client;
pub mod codes;
pub mod dto;
pub mod error;
pub mod map;
mod reads;

pub use cached::CachedLines;
pub use client::FreebitClient;
pub use error::{FreebitError, VendorCode};
