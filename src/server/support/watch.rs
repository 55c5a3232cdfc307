//! How the portal learns that a support agent answered: a light poll of the customer's cases,
//! only while the customer has a support page or the dashboard open (their live stream,
//! `super::live`, drives it), turned into [`CaseEvent`]s on the live channel.
//!
//! Why a poll and not a Salesforce event: CaseComment has no change events of its own, so an
//! event would need Apex in the org (a trigger publishing a platform event) — one more thing to
//! deploy and keep in step — and a second Pub/Sub subscription with its own checkpoint. The
//! poll needs nothing in the org, cannot lose an answer (it compares states, not deliveries),
//! and costs one scoped SOQL query per watched customer per `[support] live_poll_secs`, however
//! many tabs they have open on this instance. Nobody watching, nothing is asked.
//!
//! Each check reads the account's cases straight from Salesforce (not the portal cache, which
//! may hold the answer-less copy for `[cache] cases_fresh_secs`) and compares a stamp per case
//! (last update, status, whether the agent spoke last) with the previous check. On a
//! difference the customer's cached cases are dropped first, *then* the event goes out, so the
//! page that re-reads on the event sees the answer. The first check of a customer records the
//! baseline and drops the cache too: the page re-reads once its stream says `ready`, which
//! catches an answer that landed between the page's own read and that first check.

use super::{account, invalidate};
use crate::domain::support::{CaseStatus, CaseSummary};
use crate::error::AppError;
use crate::server::accounts::provider_errors;
use crate::server::auth::customer::Customer;
use crate::server::live::CaseEvent;
use crate::server::state::AppState;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use time::OffsetDateTime;

/// What a case looked like at the last check.
type Stamp = (OffsetDateTime, CaseStatus, bool);

/// A watched customer.
struct Watched {
    /// When the last check started (a check in flight counts, so tabs do not pile up calls).
    checked: Instant,
    /// The stamps of the last completed check; `None` before the first.
    stamps: Option<HashMap<String, Stamp>>,
}

/// The watch of one instance: per customer, when their cases were last read and how they were.
#[derive(Clone)]
pub struct CaseWatch {
    every: Duration,
    watched: Arc<Mutex<HashMap<String, Watched>>>,
}

impl CaseWatch {
    /// A watch checking each watched customer at most once per `every`.
    pub fn new(every: Duration) -> Self {
        CaseWatch {
            every,
            watched: Arc::new(Mutex::new(HashMap::new())),
        }
    }

    /// How often a stream asks for a check.
    pub fn every(&self) -> Duration {
        self.every
    }

    /// Checks the customer's cases unless another stream did within `every`; publishes one
    /// [`CaseEvent`] per changed case. Errors are the caller's to log (the stream stays open
    /// and tries again on its next tick).
    pub async fn check(&self, state: &AppState, customer: &Customer) -> Result<(), AppError> {
        let user = customer.user_id().to_owned();
        let now = Instant::now();
        {
            let mut watched = self.lock();
            // Forget customers nobody has looked at for a while (their streams are gone).
            let idle = self.every.saturating_mul(10).max(Duration::from_secs(600));
            watched.retain(|_, w| now.saturating_duration_since(w.checked) < idle);
            match watched.get_mut(&user) {
                Some(w) if now.saturating_duration_since(w.checked) < self.every => return Ok(()),
                Some(w) => w.checked = now,
                None => {
                    watched.insert(
                        user.clone(),
                        Watched {
                            checked: now,
                            stamps: None,
                        },
                    );
                }
            }
        }
        let account = account(customer)?;
        let cases = state
            .providers
            .cases
            .cases_for_account(&account)
            .await
            .map_err(provider_errors::salesforce)?;
        let fresh: HashMap<String, Stamp> = cases.iter().map(stamp).collect();
        let changed = {
            let mut watched = self.lock();
            let entry = watched.entry(user.clone()).or_insert(Watched {
                checked: now,
                stamps: None,
            });
            let baseline = entry.stamps.is_none();
            let changed = entry
                .stamps
                .as_ref()
                .map(|old| changed_cases(old, &fresh))
                .unwrap_or_default();
            entry.stamps = Some(fresh);
            (baseline, changed)
        };
        let (baseline, changed) = changed;
        if changed.is_empty() && !baseline {
            return Ok(());
        }
        // On a change, and on the baseline too: a page re-reads once its stream is up, and that
        // read must see this state, not an older cached copy (an answer may have landed since
        // the page loaded).
        invalidate(state, &user).await;
        for case_id in changed {
            state
                .live
                .publish(CaseEvent {
                    account_id: account.as_str().to_owned(),
                    case_id,
                })
                .await;
        }
        Ok(())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Watched>> {
        // A panic while holding the lock cannot leave the map inconsistent (plain inserts).
        self.watched
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

fn stamp(case: &CaseSummary) -> (String, Stamp) {
    (case.id.clone(), (case.updated, case.status, case.answered))
}

/// Cases that are new or whose stamp moved (sorted, for a stable order of events).
fn changed_cases(old: &HashMap<String, Stamp>, fresh: &HashMap<String, Stamp>) -> Vec<String> {
    let mut changed: Vec<String> = fresh
        .iter()
        .filter(|(id, stamp)| old.get(*id) != Some(stamp))
        .map(|(id, _)| id.clone())
        .collect();
    changed.sort();
    changed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: i64) -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp(1_790_000_000 + secs).expect("time")
    }

    #[test]
    fn only_new_or_moved_cases_count() {
        let old: HashMap<String, Stamp> = [
            ("500A".to_owned(), (at(0), CaseStatus::New, false)),
            ("500B".to_owned(), (at(5), CaseStatus::Working, true)),
        ]
        .into();
        let mut fresh = old.clone();
        assert!(changed_cases(&old, &fresh).is_empty());
        fresh.insert("500A".into(), (at(9), CaseStatus::Working, true));
        fresh.insert("500C".into(), (at(9), CaseStatus::New, false));
        assert_eq!(changed_cases(&old, &fresh), vec!["500A", "500C"]);
        let mut closed = old.clone();
        closed.insert("500B".into(), (at(5), CaseStatus::Closed, true));
        assert_eq!(changed_cases(&old, &closed), vec!["500B"]);
    }
}
