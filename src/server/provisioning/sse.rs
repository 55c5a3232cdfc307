//! `GET /orders/{id}/live`: a Server-Sent Events stream that says `changed` whenever the
//! provisioning pipeline moves the customer's order (any instance's worker, through
//! [`LiveUpdates`](crate::server::live::LiveUpdates)); the order page then reads the order again. The
//! stream is opened only for the signed-in owner (anyone else's order, or an unknown one, is
//! 404 — the same ownership-checked read as the order page), with keep-alive comments so
//! proxies keep it open.

use crate::error::AppError;
use crate::server::auth::customer::customer_of;
use crate::server::auth::middleware::MaybeIdentity;
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
use tokio::sync::broadcast::error::RecvError;

/// The handler.
pub async fn order_events(
    State(state): State<AppState>,
    Path(id): Path<String>,
    identity: Option<Extension<MaybeIdentity>>,
) -> Response {
    let identity = identity.and_then(|Extension(MaybeIdentity(identity))| identity);
    let checked = async {
        let identity = identity.ok_or(AppError::Unauthenticated)?;
        let customer = customer_of(&state, identity)
            .await?
            .ok_or(AppError::Unauthenticated)?;
        crate::server::orders::order(&state, &customer, &id).await?;
        Ok::<_, AppError>(())
    };
    if let Err(err) = checked.await {
        let status =
            StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        return (status, [(CACHE_CONTROL, "no-store")], err.to_string()).into_response();
    }
    let receiver = state.live.subscribe();
    let stream = futures::stream::unfold((receiver, id), |(mut receiver, id)| async move {
        loop {
            match receiver.recv().await {
                Ok(LiveEvent::Order(event)) if event.order_id == id => {
                    let sse = Event::default().event("order").data("changed");
                    return Some((Ok::<_, Infallible>(sse), (receiver, id)));
                }
                Ok(_) => continue,
                // Fell behind: something may have changed; let the page re-read.
                Err(RecvError::Lagged(_)) => {
                    let sse = Event::default().event("order").data("changed");
                    return Some((Ok(sse), (receiver, id)));
                }
                Err(RecvError::Closed) => return None,
            }
        }
    });
    (
        [(CACHE_CONTROL, "no-store")],
        Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))),
    )
        .into_response()
}
