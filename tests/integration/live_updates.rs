//! The "order changed" fan-out (`server::live`): in one process, and across
//! instances through Redis pub/sub — a worker process's event reaches the order pages another
//! instance serves, and a deployment with another key prefix hears nothing.

use crate::services::service_url;
use portal::server::live::{LiveEvent, LiveUpdates, OrderEvent};
use std::time::Duration;
use tokio::sync::broadcast::Receiver;
use tokio_util::sync::CancellationToken;

fn event(id: &str) -> LiveEvent {
    LiveEvent::Order(OrderEvent {
        order_id: id.to_owned(),
    })
}

async fn next(rx: &mut Receiver<LiveEvent>) -> Option<LiveEvent> {
    tokio::time::timeout(Duration::from_secs(3), rx.recv())
        .await
        .ok()
        .and_then(Result::ok)
}

#[tokio::test]
async fn live_updates_in_one_process() {
    let live = LiveUpdates::local();
    let mut page = live.subscribe();
    live.publish(event("801A")).await;
    assert_eq!(next(&mut page).await, Some(event("801A")));
}

#[tokio::test]
async fn live_updates_cross_instances_through_redis() {
    let Some(url) = service_url("PORTAL_TEST_REDIS_URL") else {
        return;
    };
    let backend = portal::server::cache::RedisBackend::connect(&url, "t")
        .await
        .expect("redis");
    let client = backend.client().clone();
    let stop = CancellationToken::new();
    let prefix = format!("live-{}", crate::store_story::uuid_like());
    let worker = LiveUpdates::redis(client.clone(), &prefix, stop.clone())
        .await
        .expect("worker side");
    let web = LiveUpdates::redis(client.clone(), &prefix, stop.clone())
        .await
        .expect("web side");
    let other = LiveUpdates::redis(client, &format!("{prefix}-other"), stop.clone())
        .await
        .expect("another deployment");
    let mut page = web.subscribe();
    let mut own = worker.subscribe();
    let mut elsewhere = other.subscribe();
    // The subscriptions are set up before `redis` returns; publish at once.
    worker.publish(event("801B")).await;
    assert_eq!(
        next(&mut page).await,
        Some(event("801B")),
        "the other instance heard it"
    );
    assert_eq!(
        next(&mut own).await,
        Some(event("801B")),
        "and the publisher's own pages"
    );
    assert!(
        tokio::time::timeout(Duration::from_millis(300), elsewhere.recv())
            .await
            .is_err(),
        "another prefix hears nothing"
    );
    stop.cancel();
}
