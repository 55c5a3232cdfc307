//! `[provisioning]`: the order provisioning pipeline — workers, retries, the reconciliation
//! sweep, and the WHMCS gateway new orders are placed with.

use serde::Deserialize;
use std::time::Duration;

/// `[provisioning]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct ProvisioningSettings {
    /// Run the queue workers in this process (`portal serve` in embedded mode, `portal
    /// worker` always). Web instances in production set it false and leave the work to
    /// `portal worker` processes.
    pub workers_in_serve: bool,
    /// Concurrent jobs per process.
    pub workers: u32,
    /// Attempts before a job goes to the dead-letter state.
    pub max_attempts: u32,
    /// How long a claimed job stays with its worker without a renewal.
    pub lease_secs: u64,
    /// First retry delay; doubled per attempt, with jitter.
    pub backoff_base_ms: u64,
    /// Longest retry delay.
    pub backoff_max_secs: u64,
    /// How often a worker with nothing to do looks again.
    pub poll_ms: u64,
    /// How often the reconciliation sweep asks the CRM for approved, unprovisioned orders.
    pub sweep_every_secs: u64,
    /// The WHMCS payment gateway (`paymentmethod`) orders are added with.
    pub payment_gateway: String,
    /// How long the one Pub/Sub subscriber's lease lasts without renewal: after a crash,
    /// another instance takes over within this time.
    pub subscriber_lease_secs: u64,
    /// Test only: a crash point (`server::provisioning::chaos::POINTS`) where this process
    /// kills itself. Empty (off) by default; refused in production.
    pub chaos_kill_at: String,
}

impl Default for ProvisioningSettings {
    fn default() -> Self {
        ProvisioningSettings {
            workers_in_serve: true,
            workers: 4,
            max_attempts: 8,
            lease_secs: 60,
            backoff_base_ms: 1000,
            backoff_max_secs: 300,
            poll_ms: 200,
            sweep_every_secs: 300,
            payment_gateway: "stripe".into(),
            subscriber_lease_secs: 30,
            chaos_kill_at: String::new(),
        }
    }
}

impl ProvisioningSettings {
    /// The job lease.
    pub fn lease(&self) -> Duration {
        Duration::from_secs(self.lease_secs.max(5))
    }

    /// The first retry delay.
    pub fn backoff_base(&self) -> Duration {
        Duration::from_millis(self.backoff_base_ms.max(1))
    }

    /// The longest retry delay.
    pub fn backoff_max(&self) -> Duration {
        Duration::from_secs(self.backoff_max_secs.max(1))
    }

    /// The idle poll interval.
    pub fn poll(&self) -> Duration {
        Duration::from_millis(self.poll_ms.max(10))
    }

    /// The subscriber lease.
    pub fn subscriber_lease(&self) -> Duration {
        Duration::from_secs(self.subscriber_lease_secs.max(2))
    }

    /// The sweep interval.
    pub fn sweep_every(&self) -> Duration {
        Duration::from_secs(self.sweep_every_secs.max(1))
    }
}
