//! Integration tests below the HTTP surface, in one test binary (each binary links the whole
//! server: one link instead of five keeps builds quick and the target directory small):
//! the store and the cache against their real backends, and the provider adapters against the
//! sandbox simulators over real HTTP.

mod alert_store_story;
mod cache_contract;
mod freebit_adapter;
mod freebit_rules;
mod live_updates;
mod provisioning_chaos;
mod queue_contract;
mod salesforce_adapter;
mod salesforce_cases;
mod salesforce_catalog;
mod salesforce_pubsub;
mod sandbox;
mod services;
mod store_story;
mod store_topups;
mod whmcs_adapter;
mod whmcs_invoicing;
