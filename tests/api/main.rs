//! HTTP-level tests of the real application, started on a free port with a fresh SQLite
//! database and the sandbox (`helpers::spawn_app`).

mod accounts;
mod billing;
mod browser;
mod helpers;
mod operations;
mod pages;
mod preferences;
mod provisioning;
mod sandbox_host;
mod services;
mod shop;
mod sim_actions;
mod sim_alerts;
mod sim_topup;
mod sims;
mod stale;
mod support;
mod support_live;
mod webhooks;
mod whmcs_pages;
