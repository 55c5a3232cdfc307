//! Crash points for the chaos test (`tests/integration/provisioning_chaos.rs`). With
//! `[provisioning] chaos_kill_at` naming one of [`POINTS`], the process sends itself SIGKILL the
//! first time provisioning reaches that point: a real crash at an exact step boundary — no
//! destructors, no flushes, claimed jobs and leases left to expire — which is how the test
//! proves that every boundary is safe to die at. Off (empty) by default and refused in
//! production by the settings check; reaching a point costs one atomic load when off.

use std::sync::OnceLock;

/// Every crash point, in the order a job passes them.
///
/// - `claimed`: a worker holds the job, nothing done yet;
/// - `crm:in-progress`: the CRM order says "In progress", no billing order yet;
/// - `step:<stage>`: the step's provider call succeeded but the ledger does not know yet
///   (`step:added` is the classic one: WHMCS has the order, nobody recorded it);
/// - `recorded:<stage>`: the ledger has the step, the next has not started.
pub const POINTS: &[&str] = &[
    "claimed",
    "crm:in-progress",
    "step:added",
    "recorded:added",
    "step:accepted",
    "recorded:accepted",
    "step:completed",
    "recorded:completed",
];

static KILL_AT: OnceLock<String> = OnceLock::new();

/// Arms the crash point named by the settings (nothing when empty). The first call wins.
pub fn arm(point: &str) {
    if !point.is_empty() {
        let _ = KILL_AT.set(point.to_owned());
        tracing::warn!(
            point,
            "chaos: this process will kill itself at a crash point"
        );
    }
}

/// Provisioning reached `name`: dies there if it is the armed point.
pub fn reached(name: &str) {
    if KILL_AT.get().is_some_and(|armed| armed == name) {
        tracing::warn!(point = name, "chaos: SIGKILL");
        // Only fails if the signal is invalid; SIGKILL is not.
        let _ = nix::sys::signal::raise(nix::sys::signal::Signal::SIGKILL);
    }
}

/// Provisioning reached `{kind}:{stage}` (e.g. `step:added`), without building the name.
pub fn reached_stage(kind: &str, stage: &str) {
    if let Some(armed) = KILL_AT.get()
        && armed.strip_prefix(kind).and_then(|r| r.strip_prefix(':')) == Some(stage)
    {
        reached(armed);
    }
}

/// Is `name` a crash point?
pub fn is_point(name: &str) -> bool {
    POINTS.contains(&name)
}
