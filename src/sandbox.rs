//! The sandbox: faithful simulators of the three providers (Salesforce, WHMCS, Freebit) that
//! run on loopback ports, inside `portal serve` in embedded mode or alone with
//! `portal sandbox`, so that every journey works offline and every reliability test has
//! something to break.
//!
//! This module is the **host**: it seeds the simulators from a data file, gives each its own
//! listener (so real-world paths like `/includes/api.php` match exactly on its base URL), wraps
//! each in fault injection and a call log, and serves the control API tests drive:
//! reset, faults, calls. The simulators themselves implement [`Simulator`] and are added to
//! [`simulators`] by the provider issues.

mod call_log;
mod control;
mod faults;
mod freebit;
mod host;
mod salesforce;
mod seed;
mod simulator;
mod whmcs;

pub use call_log::{Call, CallLog};
pub use faults::{FaultBook, FaultKind, FaultRule, InjectedFault};
pub use host::{SandboxHandle, start};
pub use seed::{SeedCustomer, SeedData, SeedName, SeedSimLine, SeedSuspension, SeedTopUp};
pub use simulator::{EventTarget, Simulator};

use std::sync::Arc;

/// The simulators this build provides, in start order. Each provider issue registers its
/// simulator here; until then the host runs the control API alone.
pub fn simulators() -> Vec<Arc<dyn Simulator>> {
    vec![
        Arc::new(salesforce::SalesforceSimulator::new()),
        Arc::new(whmcs::WhmcsSimulator::new()),
        Arc::new(freebit::FreebitSimulator::new()),
    ]
}
