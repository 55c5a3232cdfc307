//! The health of the portal's parts as shown to people on the status page and to machines on
//! `/ready`: one vocabulary for both.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// A part of the system whose health is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Component {
    /// The portal's own database (SQLite or PostgreSQL).
    Database,
    /// The shared cache (Redis, or in-process).
    Cache,
    /// The built-in provider simulators (embedded mode only).
    Sandbox,
    /// The order provisioning queue: degraded when orders wait long or some gave up.
    OrderQueue,
    /// The SIM platform (Freebit), probed by its authentication exchange.
    SimPlatform,
}

/// How a component is doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Health {
    /// Answering normally.
    Operational,
    /// Answering slowly: over the latency budget of its check.
    Degraded,
    /// Not answering or answering with errors.
    Down,
}

/// One component's latest check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComponentStatus {
    /// Which component.
    pub component: Component,
    /// Its health.
    pub health: Health,
    /// Which backend answered, for operators (e.g. `sqlite`, `postgres`, `redis`, `in-process`).
    pub backend: String,
    /// How long the check took, in milliseconds.
    pub latency_ms: u64,
}

/// The whole system's status at one instant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SystemStatus {
    /// When the checks ran.
    #[serde(with = "time::serde::rfc3339")]
    pub checked_at: OffsetDateTime,
    /// Whether the portal runs on its built-in simulators (embedded mode).
    pub sandbox: bool,
    /// The components, in display order.
    pub components: Vec<ComponentStatus>,
}

impl SystemStatus {
    /// The overall health: the worst of its components.
    pub fn overall(&self) -> Health {
        let worst = |a: Health, b: Health| match (a, b) {
            (Health::Down, _) | (_, Health::Down) => Health::Down,
            (Health::Degraded, _) | (_, Health::Degraded) => Health::Degraded,
            _ => Health::Operational,
        };
        self.components
            .iter()
            .map(|c| c.health)
            .fold(Health::Operational, worst)
    }

    /// Ready to serve traffic: nothing is down (degraded still serves).
    pub fn is_ready(&self) -> bool {
        self.overall() != Health::Down
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(healths: &[Health]) -> SystemStatus {
        SystemStatus {
            checked_at: OffsetDateTime::UNIX_EPOCH,
            sandbox: true,
            components: healths
                .iter()
                .map(|&health| ComponentStatus {
                    component: Component::Database,
                    health,
                    backend: "sqlite".into(),
                    latency_ms: 1,
                })
                .collect(),
        }
    }

    #[test]
    fn overall_is_the_worst_component() {
        assert_eq!(status(&[]).overall(), Health::Operational);
        assert_eq!(
            status(&[Health::Operational, Health::Degraded]).overall(),
            Health::Degraded
        );
        assert_eq!(
            status(&[Health::Degraded, Health::Down]).overall(),
            Health::Down
        );
        assert!(status(&[Health::Degraded]).is_ready());
        assert!(!status(&[Health::Operational, Health::Down]).is_ready());
    }
}
