//! The Pub/Sub API over real gRPC (h2c) against the Salesforce simulator: raw Subscribe
//! semantics (order, CUSTOM exclusive, flow control, errors with trailers) and the
//! subscription runner under faults (dropped streams, a silent hang, refused replay ids,
//! revoked tokens, a schema change mid-stream), plus the approval → event path.

use portal::server::integrations::salesforce::pubsub::errors;
use portal::server::integrations::salesforce::pubsub::proto::{FetchRequest, ReplayPreset};
use portal::server::integrations::salesforce::pubsub::{
    EventHandler, ProvisionRequested, PubSubClient, SubscribeOptions, TOPIC, run_subscription,
};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio_util::sync::CancellationToken;

use crate::sandbox::SalesforceEnv as Env;

/// What the test handler saw and stored.
#[derive(Default)]
struct Seen {
    checkpoint: Option<Vec<u8>>,
    events: Vec<(ProvisionRequested, Vec<u8>)>,
    idles: Vec<Vec<u8>>,
    rejected: usize,
}

/// An [`EventHandler`] that records in memory.
#[derive(Default)]
struct Recorder {
    seen: Mutex<Seen>,
}

impl Recorder {
    fn with_checkpoint(id: Vec<u8>) -> Arc<Self> {
        let r = Recorder::default();
        r.seen.lock().expect("lock").checkpoint = Some(id);
        Arc::new(r)
    }

    fn orders(&self) -> Vec<String> {
        self.seen
            .lock()
            .expect("lock")
            .events
            .iter()
            .map(|(e, _)| e.order_id.clone().unwrap_or_default())
            .collect()
    }

    fn with<T>(&self, f: impl FnOnce(&Seen) -> T) -> T {
        f(&self.seen.lock().expect("lock"))
    }
}

#[async_trait::async_trait]
impl EventHandler for Recorder {
    async fn checkpoint(&self) -> anyhow::Result<Option<Vec<u8>>> {
        Ok(self.seen.lock().expect("lock").checkpoint.clone())
    }
    async fn deliver(&self, event: ProvisionRequested, replay_id: &[u8]) -> anyhow::Result<()> {
        let mut seen = self.seen.lock().expect("lock");
        seen.checkpoint = Some(replay_id.to_vec());
        seen.events.push((event, replay_id.to_vec()));
        Ok(())
    }
    async fn idle(&self, latest_replay_id: &[u8]) -> anyhow::Result<()> {
        let mut seen = self.seen.lock().expect("lock");
        seen.checkpoint = Some(latest_replay_id.to_vec());
        seen.idles.push(latest_replay_id.to_vec());
        Ok(())
    }
    async fn replay_rejected(&self) -> anyhow::Result<()> {
        self.seen.lock().expect("lock").rejected += 1;
        Ok(())
    }
}

impl Env {
    fn pubsub(&self) -> PubSubClient {
        PubSubClient::new(&self.base(), self.client()).expect("pubsub client")
    }

    async fn post(&self, path: &str, body: Value) -> reqwest::Response {
        let response = self
            .http
            .post(format!("{}{path}", self.base()))
            .json(&body)
            .send()
            .await
            .expect("sandbox call");
        assert!(
            response.status().is_success(),
            "{path}: {}",
            response.status()
        );
        response
    }

    async fn publish(&self, order: &str) {
        self.post(
            "/_sandbox/pubsub/publish",
            json!({"order_id": order, "idem_key": format!("{order}:1")}),
        )
        .await;
    }

    fn subscribe_calls(&self) -> usize {
        self.sandbox
            .handle
            .calls
            .list(Some("salesforce"))
            .iter()
            .filter(|c| c.path == "/eventbus.v1.PubSub/Subscribe")
            .count()
    }

    /// Starts the runner with small timings; returns its stop token and task.
    fn run(
        &self,
        handler: Arc<Recorder>,
        liveness: Duration,
    ) -> (
        CancellationToken,
        tokio::task::JoinHandle<anyhow::Result<()>>,
    ) {
        let client = self.pubsub();
        let stop = CancellationToken::new();
        let token = stop.clone();
        let options = SubscribeOptions {
            batch: 10,
            liveness_timeout: liveness,
            backoff_min: Duration::from_millis(20),
            backoff_max: Duration::from_millis(200),
        };
        let task = tokio::spawn(async move {
            run_subscription(&client, TOPIC, handler.as_ref(), options, token).await
        });
        (stop, task)
    }
}

/// A running subscriber with fast keepalives, already positioned on the stream.
struct Running {
    handler: Arc<Recorder>,
    stop: CancellationToken,
    task: tokio::task::JoinHandle<anyhow::Result<()>>,
}

impl Running {
    async fn start(env: &Env, handler: Arc<Recorder>, liveness: Duration) -> Running {
        fast_keepalives(env).await;
        let (stop, task) = env.run(handler.clone(), liveness);
        wait_subscribed(&handler).await;
        Running {
            handler,
            stop,
            task,
        }
    }

    async fn stop(self) {
        self.stop.cancel();
        self.task.await.expect("joined").expect("clean stop");
    }
}

fn event(order: &str) -> ProvisionRequested {
    ProvisionRequested {
        event_id: String::new(),
        order_id: Some(order.into()),
        idem_key: None,
        created_ms: 1_775_086_025_169,
        created_by: "005000000000001AAA".into(),
    }
}

async fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    for _ in 0..250 {
        if done() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("timed out waiting for {what}");
}

/// Waits until the runner's stream is open (it has stored a keepalive position).
async fn wait_subscribed(handler: &Recorder) {
    wait_for("a keepalive", || handler.with(|s| !s.idles.is_empty())).await;
}

async fn fast_keepalives(env: &Env) {
    env.post(
        "/_sandbox/settings",
        json!({"pubsub_keepalive_ms": 100, "pubsub_idle_close_ms": 60_000}),
    )
    .await;
}

fn first(preset: ReplayPreset, replay_id: Vec<u8>, n: i32) -> FetchRequest {
    FetchRequest {
        topic_name: TOPIC.into(),
        replay_preset: preset as i32,
        replay_id,
        num_requested: n,
        auth_refresh: String::new(),
    }
}

#[tokio::test]
async fn pubsub_topic_schema_and_ordered_delivery_with_exclusive_custom_resume() {
    let env = Env::start().await;
    let client = env.pubsub();
    let topic = client.get_topic(TOPIC).await.expect("topic");
    assert_eq!(topic.schema_id, "qAZU0hHax7ZKzpJYaguztA");
    assert!(topic.can_subscribe);
    let unknown = client
        .get_topic("/event/Nope__e")
        .await
        .expect_err("unknown topic");
    let status = unknown.downcast_ref::<tonic::Status>().expect("a status");
    assert_eq!(status.code(), tonic::Code::PermissionDenied);

    let events: Vec<ProvisionRequested> = (1..=4).map(|i| event(&format!("O{i}"))).collect();
    let ids = client.publish(TOPIC, &events).await.expect("published");
    assert_eq!(ids.len(), 4);
    assert!(ids.iter().all(|id| id.len() == 8));
    assert!(ids.windows(2).all(|w| w[0] < w[1]));

    let (_tx, mut stream) = client
        .subscribe(first(ReplayPreset::Custom, ids[1].clone(), 10))
        .await
        .expect("subscribed");
    let response = stream.message().await.expect("ok").expect("a response");
    let got: Vec<Vec<u8>> = response
        .events
        .iter()
        .map(|e| e.replay_id.clone())
        .collect();
    assert_eq!(got, ids[2..].to_vec(), "CUSTOM resumes after the given id");
    let decoded = client
        .decode(response.events[0].event.as_ref().expect("event"))
        .await
        .expect("decodes");
    assert_eq!(decoded.order_id.as_deref(), Some("O3"));
    assert_eq!(response.pending_num_requested, 8);
}

/// The next response that carries events (keepalives skipped).
async fn next_events(
    stream: &mut tonic::Streaming<
        portal::server::integrations::salesforce::pubsub::proto::FetchResponse,
    >,
) -> portal::server::integrations::salesforce::pubsub::proto::FetchResponse {
    loop {
        let r = stream.message().await.expect("ok").expect("response");
        if !r.events.is_empty() {
            return r;
        }
    }
}

#[tokio::test]
async fn pubsub_flow_control_delivers_only_what_was_requested() {
    let env = Env::start().await;
    fast_keepalives(&env).await;
    let client = env.pubsub();
    let (tx, mut stream) = client
        .subscribe(first(ReplayPreset::Latest, Vec::new(), 2))
        .await
        .expect("subscribed");
    // The first keepalive proves the stream is positioned (LATEST) before we publish.
    let keepalive = stream.message().await.expect("ok").expect("keepalive");
    assert!(keepalive.events.is_empty());
    assert_eq!(keepalive.latest_replay_id.len(), 8);
    assert_eq!(keepalive.pending_num_requested, 2);
    let events: Vec<ProvisionRequested> = (1..=5).map(|i| event(&format!("F{i}"))).collect();
    client.publish(TOPIC, &events).await.expect("published");
    let r = next_events(&mut stream).await;
    assert_eq!(r.events.len(), 2);
    assert_eq!(r.pending_num_requested, 0);
    // Nothing more arrives without credit (keepalives at most).
    let quiet = tokio::time::timeout(Duration::from_millis(400), next_events(&mut stream)).await;
    assert!(quiet.is_err(), "no credit, no events");
    tx.send(FetchRequest {
        num_requested: 500,
        ..FetchRequest::default()
    })
    .await
    .expect("top up");
    let r = next_events(&mut stream).await;
    assert_eq!(r.events.len(), 3);
    // 500 counts as 100 (the cap), of which 3 are used.
    assert_eq!(r.pending_num_requested, 97);
    // A later request naming another topic fails the stream.
    tx.send(FetchRequest {
        topic_name: "/event/Other__e".into(),
        num_requested: 1,
        ..FetchRequest::default()
    })
    .await
    .expect("send");
    let status = loop {
        match stream.message().await {
            Ok(Some(_)) => continue,
            Ok(None) => panic!("closed without an error"),
            Err(status) => break status,
        }
    };
    assert_eq!(status.code(), tonic::Code::InvalidArgument);
}

#[tokio::test]
async fn pubsub_bad_replay_id_and_bad_token_carry_error_code_trailers() {
    let env = Env::start().await;
    let client = env.pubsub();
    let (_tx, mut stream) = client
        .subscribe(first(ReplayPreset::Custom, b"12907414".to_vec(), 1))
        .await
        .expect("subscribed");
    let status = stream.message().await.expect_err("refused");
    assert_eq!(status.code(), tonic::Code::InvalidArgument);
    assert_eq!(errors::error_code(&status), Some(errors::REPLAY_CORRUPTED));
    assert!(errors::rpc_id(&status).is_some());

    // A raw call with a made-up token.
    let channel = tonic::transport::Endpoint::from_shared(env.base())
        .expect("endpoint")
        .connect_lazy();
    let mut raw =
        portal::server::integrations::salesforce::pubsub::proto::pub_sub_client::PubSubClient::new(
            channel,
        );
    let mut request = tonic::Request::new(
        portal::server::integrations::salesforce::pubsub::proto::TopicRequest {
            topic_name: TOPIC.into(),
        },
    );
    request
        .metadata_mut()
        .insert("accesstoken", "00Dforged!token".parse().expect("ascii"));
    let status = raw.get_topic(request).await.expect_err("unauthenticated");
    assert_eq!(status.code(), tonic::Code::Unauthenticated);
    assert_eq!(errors::error_code(&status), Some(errors::AUTH_ERROR));
}

#[tokio::test]
async fn pubsub_runner_stores_keepalives_and_resumes_after_dropped_streams() {
    let env = Env::start().await;
    let running = Running::start(&env, Arc::new(Recorder::default()), Duration::from_secs(5)).await;
    let handler = running.handler.clone();
    for i in 1..=3 {
        env.publish(&format!("D{i}")).await;
    }
    wait_for("3 events", || handler.orders().len() == 3).await;
    env.post("/_sandbox/pubsub/drop-streams", json!({})).await;
    for i in 4..=6 {
        env.publish(&format!("D{i}")).await;
    }
    wait_for("6 events", || handler.orders().len() >= 6).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(handler.orders(), ["D1", "D2", "D3", "D4", "D5", "D6"]);
    assert!(env.subscribe_calls() >= 2, "the runner resubscribed");
    running.stop().await;
}

#[tokio::test]
async fn pubsub_runner_rebuilds_a_silent_stream() {
    let env = Env::start().await;
    let running = Running::start(
        &env,
        Arc::new(Recorder::default()),
        Duration::from_millis(400),
    )
    .await;
    let handler = running.handler.clone();
    let before = env.subscribe_calls();
    env.post("/_sandbox/pubsub/hang", json!({"on": true})).await;
    env.publish("H1").await;
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert!(
        handler.orders().is_empty(),
        "a hung stream delivers nothing"
    );
    assert!(
        env.subscribe_calls() > before,
        "the watchdog rebuilt the stream"
    );
    env.post("/_sandbox/pubsub/hang", json!({"on": false}))
        .await;
    wait_for("the event after the hang", || handler.orders() == ["H1"]).await;
    running.stop().await;
}

#[tokio::test]
async fn pubsub_expired_replay_id_is_rejected_once_then_latest() {
    let env = Env::start().await;
    fast_keepalives(&env).await;
    let client = env.pubsub();
    let ids = client
        .publish(TOPIC, &[event("E1"), event("E2")])
        .await
        .expect("published");
    // Everything falls out of retention, then retention is normal again.
    env.post("/_sandbox/settings", json!({"pubsub_retention_secs": 0}))
        .await;
    env.post(
        "/_sandbox/settings",
        json!({"pubsub_retention_secs": 259_200}),
    )
    .await;
    let handler = Recorder::with_checkpoint(ids[0].clone());
    let running = Running::start(&env, handler.clone(), Duration::from_secs(5)).await;
    assert_eq!(handler.with(|s| s.rejected), 1);
    env.publish("E3").await;
    wait_for("the new event", || handler.orders() == ["E3"]).await;
    // A stream drop resumes CUSTOM from the new checkpoint, not the refused id.
    env.post("/_sandbox/pubsub/drop-streams", json!({})).await;
    env.publish("E4").await;
    wait_for("E4", || handler.orders() == ["E3", "E4"]).await;
    assert_eq!(handler.with(|s| s.rejected), 1, "no loop on the refused id");
    running.stop().await;
}

#[tokio::test]
async fn pubsub_corrupt_replay_id_is_rejected_once() {
    let env = Env::start().await;
    let handler = Recorder::with_checkpoint(b"12907414".to_vec());
    let running = Running::start(&env, handler.clone(), Duration::from_secs(5)).await;
    env.publish("C1").await;
    wait_for("C1", || handler.orders() == ["C1"]).await;
    assert_eq!(handler.with(|s| s.rejected), 1);
    running.stop().await;
}

#[tokio::test]
async fn pubsub_runner_reauthenticates_after_tokens_are_revoked() {
    let env = Env::start().await;
    let running = Running::start(&env, Arc::new(Recorder::default()), Duration::from_secs(5)).await;
    let handler = running.handler.clone();
    env.post("/_sandbox/revoke-tokens", json!({})).await;
    env.post("/_sandbox/pubsub/drop-streams", json!({})).await;
    env.publish("A1").await;
    wait_for("A1 after re-authentication", || handler.orders() == ["A1"]).await;
    running.stop().await;
}

#[tokio::test]
async fn pubsub_schema_change_mid_stream_still_decodes() {
    let env = Env::start().await;
    let running = Running::start(&env, Arc::new(Recorder::default()), Duration::from_secs(5)).await;
    let handler = running.handler.clone();
    env.publish("S1").await;
    wait_for("S1", || handler.orders() == ["S1"]).await;
    let changed: Value = env
        .post("/_sandbox/pubsub/schema", json!({"add_field": "Note__c"}))
        .await
        .json()
        .await
        .expect("json");
    assert_ne!(changed["schema_id"], "qAZU0hHax7ZKzpJYaguztA");
    env.publish("S2").await;
    wait_for("S2", || handler.orders() == ["S1", "S2"]).await;
    assert_eq!(
        handler.with(|s| s.events[1].0.idem_key.clone()).as_deref(),
        Some("S2:1")
    );
    running.stop().await;
}

#[tokio::test]
async fn pubsub_duplicate_fault_redelivers_after_reconnect() {
    let env = Env::start().await;
    fast_keepalives(&env).await;
    let client = env.pubsub();
    let ids = client
        .publish(TOPIC, &[event("R1"), event("R2"), event("R3")])
        .await
        .expect("published");
    env.post("/_sandbox/pubsub/duplicate", json!({"count": 2}))
        .await;
    let (_tx, mut stream) = client
        .subscribe(first(ReplayPreset::Custom, ids[2].clone(), 10))
        .await
        .expect("subscribed");
    let r = stream.message().await.expect("ok").expect("response");
    let got: Vec<Vec<u8>> = r.events.iter().map(|e| e.replay_id.clone()).collect();
    assert_eq!(got, ids[1..].to_vec(), "the last 2 events come again");
}

#[tokio::test]
async fn pubsub_an_approval_publishes_exactly_one_event() {
    use portal::domain::orders::{NewOrder, NewOrderLine};
    use portal::server::integrations::salesforce::{
        SalesforceCatalog, SalesforceId, SalesforceOrders,
    };
    let env = Env::start().await;
    let running = Running::start(&env, Arc::new(Recorder::default()), Duration::from_secs(5)).await;
    let handler = running.handler.clone();

    let client = env.client();
    let catalog = SalesforceCatalog::new(client.clone(), &env.settings()).expect("catalog");
    let orders = SalesforceOrders::new(client, catalog.clone(), &env.settings()).expect("orders");
    let products = catalog.products().await.expect("catalog");
    let line = |sku: &str| NewOrderLine {
        product_id: products
            .iter()
            .find(|p| p.sku == sku)
            .expect("sku")
            .id
            .clone(),
        quantity: 1,
    };
    let order = NewOrder {
        lines: vec![line("SIM-D-3G"), line("SIM-ACT")],
    };
    let priced = order.validate(&products).expect("valid");
    let account = SalesforceId::parse("001J5000003HanAIAS").expect("id");
    let placed = orders
        .create_order(
            &account,
            &priced,
            time::macros::date!(2026 - 12 - 01),
            "pubsub-1",
        )
        .await
        .expect("created");
    let approved = env
        .http
        .post(format!(
            "{}/_sandbox/orders/{}/approve",
            env.base(),
            placed.id
        ))
        .send()
        .await
        .expect("approve");
    assert_eq!(approved.status(), 200);
    wait_for("the approval event", || handler.orders().len() == 1).await;
    let again = env
        .http
        .post(format!(
            "{}/_sandbox/orders/{}/approve",
            env.base(),
            placed.id
        ))
        .send()
        .await
        .expect("approve again");
    assert_eq!(again.status(), 409);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (event, _) = handler.with(|s| s.events[0].clone());
    assert_eq!(handler.orders().len(), 1, "exactly one event");
    assert_eq!(event.order_id.as_deref(), Some(placed.id.as_str()));
    let key = event.idem_key.expect("idem key");
    assert!(key.starts_with(&format!("{}:", placed.id)), "{key}");

    // Automatic approval publishes on its own timer, with no REST call.
    let second = orders
        .create_order(
            &account,
            &priced,
            time::macros::date!(2026 - 12 - 01),
            "pubsub-2",
        )
        .await
        .expect("created");
    env.post("/_sandbox/settings", json!({"auto_approve_after_secs": 0}))
        .await;
    wait_for("the automatic approval event", || {
        handler.orders().len() == 2
    })
    .await;
    assert_eq!(handler.orders()[1], second.id.as_str());
    running.stop().await;
}

#[tokio::test]
async fn pubsub_a_stream_without_credit_closes_after_the_idle_window() {
    let env = Env::start().await;
    env.post(
        "/_sandbox/settings",
        json!({"pubsub_keepalive_ms": 100, "pubsub_idle_close_ms": 300}),
    )
    .await;
    let client = env.pubsub();
    let (_tx, mut stream) = client
        .subscribe(first(ReplayPreset::Latest, Vec::new(), 0))
        .await
        .expect("subscribed");
    let closed = tokio::time::timeout(Duration::from_secs(3), async {
        loop {
            match stream.message().await {
                Ok(Some(r)) => assert!(r.events.is_empty()),
                Ok(None) => return true,
                Err(status) => panic!("closed with an error: {status}"),
            }
        }
    })
    .await;
    assert_eq!(closed.ok(), Some(true), "the idle stream was closed");
}
