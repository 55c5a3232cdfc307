//! The support pages' live streams (Server-Sent Events over the live channel,
//! [`LiveUpdates`](crate::server::live::LiveUpdates)):
//!
//! - `GET /support/{id}/live` — the case page: `case` whenever that case changes (an agent
//!   answered, its status moved). Opened only for the signed-in owner: another customer's
//!   case, or an unknown one, is 404, through the same ownership-checked read as the page.
//! - `GET /support/live` — the dashboard's open cases and the case list: `case` (data: the
//!   case id) whenever any of the customer's cases changes.
//!
//! Each open stream ticks the [`CaseWatch`](super::watch::CaseWatch), which reads the
//! customer's cases at most once per interval however many streams they hold, and passes on
//! only events of the signed-in customer's own Account — never another customer's. The first
//! event is `ready` (after the first check has recorded the baseline), which the pages use to
//! know the stream is up. Keep-alive comments keep proxies from closing the stream.

use crate::error::AppError;
use crate::server::auth::customer::{Customer, customer_of};
use crate::server::auth::middleware::MaybeIdentity;
use crate::server::integrations::salesforce::SalesforceId;
use crate::server::live::LiveEvent;
use crate::server::state::AppState;
use axum::Extension;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::header::CACHE_CONTROL;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use std::convert::Infallible;
use std::time::Duration;
use tokio::sync::broadcast::{Receiver, error::RecvError};
use tokio::time::{Interval, MissedTickBehavior};

/// `GET /support/{id}/live`.
pub async fn case_events(
    State(state): State<AppState>,
    Path(id): Path<String>,
    identity: Option<Extension<MaybeIdentity>>,
) -> Response {
    let identity = identity.and_then(|Extension(MaybeIdentity(identity))| identity);
    let checked = async {
        let customer = signed_in(&state, identity).await?;
        let case = super::case_id(&id)?;
        // 404 unless it is this customer's case.
        super::read::case(&state, &customer, &id).await?;
        Ok::<_, AppError>((customer, Some(case)))
    };
    match checked.await {
        Ok((customer, case)) => stream(state, customer, case),
        Err(err) => refused(&err),
    }
}

/// `GET /support/live`.
pub async fn all_case_events(
    State(state): State<AppState>,
    identity: Option<Extension<MaybeIdentity>>,
) -> Response {
    let identity = identity.and_then(|Extension(MaybeIdentity(identity))| identity);
    let checked = async {
        let customer = signed_in(&state, identity).await?;
        // A customer without an Account has no cases to follow.
        customer.sf_account_id()?;
        Ok::<_, AppError>(customer)
    };
    match checked.await {
        Ok(customer) => stream(state, customer, None),
        Err(err) => refused(&err),
    }
}

async fn signed_in(
    state: &AppState,
    identity: Option<crate::server::auth::Identity>,
) -> Result<Customer, AppError> {
    let identity = identity.ok_or(AppError::Unauthenticated)?;
    customer_of(state, identity)
        .await?
        .ok_or(AppError::Unauthenticated)
}

fn refused(err: &AppError) -> Response {
    let status = StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, [(CACHE_CONTROL, "no-store")], err.to_string()).into_response()
}

/// What a stream carries between events.
struct Follow {
    state: AppState,
    customer: Customer,
    account: String,
    case: Option<SalesforceId>,
    receiver: Receiver<LiveEvent>,
    tick: Interval,
    ready: bool,
}

impl Follow {
    /// Whether `event` is for this stream: the customer's account, and the case if one.
    fn wants(&self, event: &LiveEvent) -> Option<String> {
        let LiveEvent::Case(event) = event else {
            return None;
        };
        if event.account_id != self.account {
            return None;
        }
        match &self.case {
            Some(case) if SalesforceId::parse(&event.case_id).ok().as_ref() != Some(case) => None,
            _ => Some(event.case_id.clone()),
        }
    }

    async fn check(&self) {
        if let Err(e) = self
            .state
            .case_watch
            .check(&self.state, &self.customer)
            .await
        {
            tracing::warn!(error = %e, "could not check the customer's cases; trying again on the next tick");
        }
    }

    /// The next event to send.
    async fn next(mut self) -> Option<(Result<Event, Infallible>, Self)> {
        if !self.ready {
            // The baseline first, so a change after `ready` is always noticed.
            self.tick.tick().await;
            self.check().await;
            self.ready = true;
            return Some((Ok(Event::default().event("ready").data("ok")), self));
        }
        loop {
            tokio::select! {
                _ = self.tick.tick() => self.check().await,
                received = self.receiver.recv() => match received {
                    Ok(event) => {
                        if let Some(case) = self.wants(&event) {
                            return Some((Ok(Event::default().event("case").data(case)), self));
                        }
                    }
                    // Fell behind: something may have changed; let the page re-read.
                    Err(RecvError::Lagged(_)) => {
                        return Some((Ok(Event::default().event("case").data("")), self));
                    }
                    Err(RecvError::Closed) => return None,
                },
            }
        }
    }
}

fn stream(state: AppState, customer: Customer, case: Option<SalesforceId>) -> Response {
    let account = customer
        .sf_account_id()
        .ok()
        .and_then(|a| SalesforceId::parse(a).ok())
        .map(|a| a.as_str().to_owned())
        .unwrap_or_default();
    let mut tick = tokio::time::interval(state.case_watch.every());
    tick.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let follow = Follow {
        receiver: state.live.subscribe(),
        state,
        customer,
        account,
        case,
        tick,
        ready: false,
    };
    let events = futures::stream::unfold(follow, Follow::next);
    (
        [(CACHE_CONTROL, "no-store")],
        Sse::new(events).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))),
    )
        .into_response()
}
