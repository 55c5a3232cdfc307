//! The chaos test of order provisioning: N approved orders go through real `portal worker`
//! processes (two at a time, subscribing to the simulator's Pub/Sub over gRPC) while
//!
//! - workers are killed with SIGKILL at **every step boundary** (each process is armed with one
//!   crash point, `server::provisioning::chaos::POINTS`, in turn, and dies there);
//! - the simulators fail about 5 % of calls (WHMCS: 503s before the action and replies lost
//!   after it; Salesforce REST: 503s);
//! - events are duplicated (the simulator's redelivery fault and re-publishing earlier orders'
//!   events, out of order) and the streams are dropped;
//! - every worker is stopped while events expire from the retention window, so the stored
//!   replay id is refused and only the reconciliation sweep can find those orders;
//!
//! then it asserts **from the simulators' state** that every order was provisioned exactly
//! once: N CRM orders "Provisioned", each naming the one WHMCS order carrying its
//! `sfOrderId=` note, accepted; no other WHMCS order for them.
//!
//! Sizes: `CHAOS_ORDERS` (default 24, what the test command runs); `CHAOS_ROUNDS` (default 1)
//! times through every crash point. `CHAOS_CALM=1` turns the
//! kills and faults off (the throughput/latency benchmark). Figures are printed; run with
//! `--nocapture` (`scripts/chaos.sh` does) to read them. SQLite + the in-process queue always;
//! Postgres + Redis when the test command's throwaway services are there.

use crate::sandbox::RunningSandbox;
use crate::services::{fresh_postgres, service_url};
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use portal::domain::orders::{NewOrder, NewOrderLine};
use portal::domain::provisioning::order_note;
use portal::server::integrations::salesforce::SalesforceId;
use portal::server::integrations::salesforce::orders::parse_datetime;
use portal::server::integrations::whmcs::Params;
use portal::server::provisioning::chaos::POINTS;
use serde_json::{Value, json};
use std::collections::{BTreeMap, VecDeque};
use std::os::unix::process::ExitStatusExt;
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use time::OffsetDateTime;
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

const HANAKO_ACCOUNT: &str = "001J5000003HanAIAS";
const HANAKO_CLIENT: u32 = 1001;
/// Worker processes running at once.
const SLOTS: usize = 2;
/// Orders placed but approved only while crash points are left to hit.
const SPARES: usize = 16;

/// Where the workers keep their state.
struct Backend {
    name: &'static str,
    database_url: String,
    redis_url: Option<String>,
}

/// The run's knobs.
struct Plan {
    orders: usize,
    calm: bool,
    rounds: usize,
}

impl Plan {
    fn from_env() -> Plan {
        Plan {
            orders: std::env::var("CHAOS_ORDERS")
                .ok()
                .and_then(|n| n.parse().ok())
                .unwrap_or(24),
            calm: std::env::var("CHAOS_CALM").as_deref() == Ok("1"),
            rounds: std::env::var("CHAOS_ROUNDS")
                .ok()
                .and_then(|n| n.parse().ok())
                .unwrap_or(1usize)
                .max(1),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chaos_on_sqlite_with_the_in_process_queue() {
    let dir = logs_dir();
    let backend = Backend {
        name: "SQLite + SQL queue",
        database_url: format!("sqlite://{}/chaos.db", dir.path().display()),
        redis_url: None,
    };
    chaos(&backend, dir.path().into()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chaos_on_postgres_and_redis() {
    let (Some(database_url), Some(redis_url)) = (
        fresh_postgres("chaos").await,
        service_url("PORTAL_TEST_REDIS_URL"),
    ) else {
        return;
    };
    let dir = logs_dir();
    let backend = Backend {
        name: "Postgres + Redis queue",
        database_url,
        redis_url: Some(redis_url),
    };
    chaos(&backend, dir.path().into()).await;
}

/// Where the workers' logs (and the SQLite file) go: `CHAOS_LOGS` to keep them, else a
/// temporary directory.
fn logs_dir() -> tempfile::TempDir {
    match std::env::var("CHAOS_LOGS") {
        Ok(base) if !base.is_empty() => {
            std::fs::create_dir_all(&base).expect("CHAOS_LOGS");
            tempfile::Builder::new()
                .prefix("chaos-")
                .disable_cleanup(true)
                .tempdir_in(base)
                .expect("tempdir")
        }
        _ => tempfile::tempdir().expect("tempdir"),
    }
}

async fn chaos(backend: &Backend, dir: PathBuf) {
    let plan = Plan::from_env();
    let sandbox = RunningSandbox::start().await;
    let sf = sandbox.url("salesforce");
    let http = reqwest::Client::new();
    let settings = portal::server::config::load_from(None, &[]).expect("settings");
    let providers =
        portal::server::startup::providers(&settings, Some(&sandbox.handle)).expect("providers");

    // The schema before any worker starts (two migrating at once is not what we test).
    let db = portal::server::config::DatabaseSettings {
        url: backend.database_url.clone().into(),
        max_connections: 2,
    };
    portal::server::store::connect(&db)
        .await
        .expect("store migrates");

    // Spares are approved only if the crash plan outlives the planned orders.
    let mut placed = place_orders(&providers, plan.orders + SPARES).await;
    let mut spares = placed.split_off(plan.orders);
    let mut orders = placed;
    let control = sandbox.handle.control_url.clone();
    let mut fault_ids = Vec::new();
    if !plan.calm {
        for rule in [
            json!({"provider": "whmcs", "path_prefix": "/includes/api.php", "kind": {"type": "status", "status": 503}, "every": 37}),
            json!({"provider": "whmcs", "path_prefix": "/includes/api.php", "kind": {"type": "provider", "code": "lost_reply"}, "every": 41}),
            json!({"provider": "salesforce", "path_prefix": "/services/data", "kind": {"type": "status", "status": 503}, "every": 20}),
        ] {
            let added: Value = http
                .post(format!("{control}/faults"))
                .json(&rule)
                .send()
                .await
                .expect("fault")
                .json()
                .await
                .expect("fault id");
            fault_ids.push(added["id"].clone());
        }
    }

    // Keepalives every half second (Salesforce's are minutes apart), so the subscriber's stored
    // replay id keeps up while nothing is published.
    sim_post(&http, &sf, "settings", json!({"pubsub_keepalive_ms": 500})).await;
    let kills = if plan.calm {
        Vec::new()
    } else {
        // Every crash point, in turn, `CHAOS_ROUNDS` times.
        (0..plan.rounds)
            .flat_map(|_| POINTS.iter().copied())
            .collect()
    };
    let planned = kills.len();
    let workers = Workers::start(backend, &sandbox, &dir, kills);
    let started = Instant::now();
    let deadline = Duration::from_secs(120) + Duration::from_millis(300) * plan.orders as u32;

    // Approvals in waves, shuffled; between waves the event stream misbehaves.
    let mut order_ids = orders.clone();
    shuffle(&mut order_ids, 0x5eed);
    let waves: Vec<Vec<String>> = order_ids
        .chunks(order_ids.len().div_ceil(4).max(1))
        .map(<[String]>::to_vec)
        .collect();
    for (n, wave) in waves.iter().enumerate() {
        if n == 2 && !plan.calm {
            // No subscriber while this wave's events expire: the stored replay id is refused
            // on restart, and the sweep is what finds these orders.
            // The subscriber must have stored a replay id for it to expire: a stream is open
            // and a keepalive has gone by.
            let settings = sim_get(&http, &sf, "settings").await;
            let keepalive = settings["settings"]["pubsub_keepalive_ms"]
                .as_u64()
                .unwrap_or(1000);
            for _ in 0..200 {
                let bus = sim_get(&http, &sf, "pubsub").await;
                if bus["live_streams"].as_u64().unwrap_or(0) > 0 {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            tokio::time::sleep(Duration::from_millis(keepalive + 500)).await;
            debug("pausing");
            workers.pause().await;
            let before: Value = sim_get(&http, &sf, "settings").await;
            sim_post(&http, &sf, "settings", json!({"pubsub_retention_secs": 1})).await;
            for id in wave {
                approve(&http, &sf, id).await;
            }
            tokio::time::sleep(Duration::from_millis(2500)).await;
            // Setting the retention purges what is older: this wave's events are gone.
            sim_post(&http, &sf, "settings", json!({"pubsub_retention_secs": 1})).await;
            sim_post(
                &http,
                &sf,
                "settings",
                json!({"pubsub_retention_secs": before["settings"]["pubsub_retention_secs"]}),
            )
            .await;
            debug(&format!(
                "resuming; bus {}",
                sim_get(&http, &sf, "pubsub").await
            ));
            workers.resume();
            continue;
        }
        for id in wave {
            approve(&http, &sf, id).await;
        }
        if !plan.calm {
            // Reordered duplicates: earlier orders' events again, newest first.
            for id in order_ids.iter().take(wave.len().min(5)).rev() {
                sim_post(&http, &sf, "pubsub/publish", json!({"order_id": id})).await;
            }
            sim_post(&http, &sf, "pubsub/duplicate", json!({"count": 3})).await;
            tokio::time::sleep(Duration::from_millis(300)).await;
            sim_post(&http, &sf, "pubsub/drop-streams", json!({})).await;
        }
        // The next wave starts once this one is through, so the subscriber has stored a
        // checkpoint before the pause and every phase sees work.
        let approved: Vec<String> = waves[..=n].concat();
        wait_provisioned(&http, &sf, &approved, &workers, started + deadline).await;
    }

    // Wait for the CRM to say every order is done.
    let records = loop {
        let records = crm_orders(&http, &sf, &orders).await;
        let done = records
            .values()
            .filter(|r| r["Provisioning_Status__c"] == "Provisioned")
            .count();
        if done == orders.len() {
            if workers.hits() == planned || spares.is_empty() {
                break records;
            }
            // The crash plan is not used up: more work for the armed workers to die on.
            workers.armed_only();
            let spare = spares.remove(0);
            approve(&http, &sf, &spare).await;
            orders.push(spare);
            continue;
        }
        if let Some(failure) = workers.failure() {
            panic!("{failure}");
        }
        assert!(
            started.elapsed() < deadline,
            "{done}/{} provisioned after {:?} ({}); worker logs in {}",
            orders.len(),
            started.elapsed(),
            backend.name,
            dir.display()
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    };
    let elapsed = started.elapsed();
    let hit = workers.stop().await;

    // Faults off, then read the billing side.
    let faults: Value = http
        .get(format!("{control}/faults"))
        .send()
        .await
        .expect("faults")
        .json()
        .await
        .expect("json");
    let injected: u64 = faults
        .as_array()
        .map(|rules| rules.iter().filter_map(|r| r["applied"].as_u64()).sum())
        .unwrap_or(0);
    for id in &fault_ids {
        http.delete(format!("{control}/faults/{id}"))
            .send()
            .await
            .expect("remove fault");
    }
    let billing = whmcs_orders(&providers).await;

    // Exactly once: one accepted WHMCS order per CRM order, the one the CRM names.
    let mut duplicates = 0;
    let mut lost = 0;
    for id in &orders {
        let marked: Vec<&Value> = billing
            .iter()
            .filter(|o| o["notes"].as_str() == Some(order_note(id).as_str()))
            .collect();
        match marked.as_slice() {
            [] => lost += 1,
            [one] => {
                assert_eq!(
                    records[id]["WHMCS_Order_Id__c"].as_str(),
                    Some(one["id"].to_string().trim_matches('"')),
                    "the CRM names the billing order of {id}"
                );
                assert_eq!(one["status"], "Active", "{one}");
            }
            more => duplicates += more.len() - 1,
        }
    }
    let latencies = latencies(&records);
    println!(
        "chaos [{}]: {} orders in {:.1} s ({:.1} orders/s); kills {} at {:?}; faults injected {}; \
         duplicates {duplicates}, lost {lost}; approval → CRM updated p50 {} ms, p95 {} ms, max {} ms",
        backend.name,
        orders.len(),
        elapsed.as_secs_f64(),
        orders.len() as f64 / elapsed.as_secs_f64(),
        hit.len(),
        hit,
        injected,
        percentile(&latencies, 50),
        percentile(&latencies, 95),
        latencies.last().copied().unwrap_or(0),
    );
    assert_eq!((duplicates, lost), (0, 0), "exactly once");
    if !plan.calm {
        for point in POINTS {
            assert!(hit.contains(point), "never killed at {point}: {hit:?}");
        }
        assert!(injected > 0, "faults were injected");
        let logs: String = (0..SLOTS)
            .filter_map(|n| std::fs::read_to_string(dir.join(format!("worker-{n}.log"))).ok())
            .collect();
        assert!(
            logs.contains("the stored replay id was refused"),
            "the expired replay id was exercised (logs in {})",
            dir.display()
        );
    }
}

/// Creates `n` Draft orders for Hanako: alternately a router, and a data SIM with its
/// activation fee and a config option.
async fn place_orders(providers: &portal::server::accounts::Providers, n: usize) -> Vec<String> {
    let products = providers.catalog.products().await.expect("catalog");
    let by_sku = |sku: &str| {
        products
            .iter()
            .find(|p| p.sku == sku)
            .unwrap_or_else(|| panic!("{sku} in the catalog"))
    };
    let router = by_sku("OPT-ROUTER");
    let sim = by_sku("SIM-D-3G");
    let line = |id: &str| NewOrderLine {
        product_id: id.to_owned(),
        quantity: 1,
    };
    let mut sim_lines = vec![line(&sim.id)];
    if let Some(fee) = &sim.activation_product_id {
        sim_lines.push(line(fee));
    }
    let account = SalesforceId::parse(HANAKO_ACCOUNT).expect("account id");
    let today = OffsetDateTime::now_utc().date();
    let mut ids = Vec::with_capacity(n);
    for i in 0..n {
        let lines = if i % 2 == 0 {
            vec![line(&router.id)]
        } else {
            sim_lines.clone()
        };
        let new = NewOrder { lines };
        let priced = new.validate(&products).expect("valid order");
        let placed = providers
            .orders
            .create_order(&account, &priced, today, &format!("chaos-{i}"))
            .await
            .expect("order placed");
        ids.push(placed.id.as_str().to_owned());
    }
    ids
}

/// Waits until the CRM says every order of `ids` is provisioned (or panics at `deadline`, or
/// when a worker died unexpectedly).
async fn wait_provisioned(
    http: &reqwest::Client,
    sf: &str,
    ids: &[String],
    workers: &Workers,
    deadline: Instant,
) {
    loop {
        let records = crm_orders(http, sf, ids).await;
        let done = records
            .values()
            .filter(|r| r["Provisioning_Status__c"] == "Provisioned")
            .count();
        if done == ids.len() {
            return;
        }
        if let Some(failure) = workers.failure() {
            panic!("{failure}");
        }
        assert!(
            Instant::now() < deadline,
            "{done}/{} provisioned in time",
            ids.len()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn approve(http: &reqwest::Client, sf: &str, id: &str) {
    let answer = http
        .post(format!("{sf}/_sandbox/orders/{id}/approve"))
        .send()
        .await
        .expect("approve");
    assert!(
        answer.status().is_success(),
        "approve {id}: {}",
        answer.status()
    );
}

async fn sim_get(http: &reqwest::Client, sf: &str, path: &str) -> Value {
    http.get(format!("{sf}/_sandbox/{path}"))
        .send()
        .await
        .expect("simulator")
        .json()
        .await
        .expect("json")
}

async fn sim_post(http: &reqwest::Client, sf: &str, path: &str, body: Value) {
    let answer = http
        .post(format!("{sf}/_sandbox/{path}"))
        .json(&body)
        .send()
        .await
        .expect("simulator");
    assert!(answer.status().is_success(), "{path}: {}", answer.status());
}

/// The CRM records of `ids`, by id.
async fn crm_orders(http: &reqwest::Client, sf: &str, ids: &[String]) -> BTreeMap<String, Value> {
    let all = sim_get(http, sf, "records/Order").await;
    all.as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| {
            let id = r["Id"].as_str()?;
            ids.iter()
                .any(|wanted| wanted == id)
                .then(|| (id.to_owned(), r.clone()))
        })
        .collect()
}

/// Every WHMCS order of Hanako's client.
async fn whmcs_orders(providers: &portal::server::accounts::Providers) -> Vec<Value> {
    let mut all = Vec::new();
    loop {
        let page = providers
            .whmcs
            .call(
                "GetOrders",
                &Params::new()
                    .with("userid", HANAKO_CLIENT)
                    .with("limitstart", all.len())
                    .with("limitnum", 250),
            )
            .await
            .expect("GetOrders");
        let orders = page["orders"]["order"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        if orders.is_empty() {
            return all;
        }
        all.extend(orders);
    }
}

/// Approval (`ActivatedDate`) to "Provisioned" written (`Provisioned_At__c`), sorted, in ms.
fn latencies(records: &BTreeMap<String, Value>) -> Vec<i64> {
    let mut out: Vec<i64> = records
        .values()
        .filter_map(|r| {
            let from = parse_datetime(r["ActivatedDate"].as_str()?)?;
            let to = parse_datetime(r["Provisioned_At__c"].as_str()?)?;
            i64::try_from((to - from).whole_milliseconds()).ok()
        })
        .collect();
    out.sort_unstable();
    out
}

fn percentile(sorted: &[i64], p: usize) -> i64 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = (sorted.len() * p).div_ceil(100).max(1) - 1;
    sorted[rank.min(sorted.len() - 1)]
}

/// A deterministic Fisher–Yates shuffle (xorshift), so a failing run can be repeated.
fn shuffle<T>(items: &mut [T], mut seed: u64) {
    for i in (1..items.len()).rev() {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let j = usize::try_from(seed % (i as u64 + 1)).unwrap_or(0);
        items.swap(i, j);
    }
}

/// The worker processes: `SLOTS` at a time, restarted whenever one dies; the first slot's
/// processes are each armed with the next planned crash point until the plan is used up.
struct Workers {
    stop: CancellationToken,
    /// Bumped to kill every running worker (and keep them down while `paused`).
    generation: watch::Sender<(u64, bool)>,
    hit: Arc<Mutex<Vec<&'static str>>>,
    /// Set when a worker exits in a way nothing here caused (a crash, a bad configuration).
    failed: Arc<Mutex<Option<String>>>,
    /// Set for the spare orders: only the armed slot runs, so the crash points still owed are
    /// reached (otherwise the clean slot may win every spare job — seen in a full run).
    solo: Arc<AtomicBool>,
    slots: Vec<tokio::task::JoinHandle<()>>,
}

impl Workers {
    fn start(
        backend: &Backend,
        sandbox: &RunningSandbox,
        dir: &std::path::Path,
        kills: Vec<&'static str>,
    ) -> Workers {
        let plan = Arc::new(Mutex::new(VecDeque::from(kills)));
        let hit = Arc::new(Mutex::new(Vec::new()));
        let failed = Arc::new(Mutex::new(None));
        let solo = Arc::new(AtomicBool::new(false));
        let stop = CancellationToken::new();
        let (generation, _) = watch::channel((0, false));
        let env = worker_env(backend, sandbox);
        let slots = (0..SLOTS)
            .map(|slot| {
                let ctx = Slot {
                    // One slot crashes on plan; the other runs clean, as a fleet's healthy
                    // instances would, and holds the subscriber lease most of the time.
                    armed: slot == 0,
                    env: env.clone(),
                    log: dir.join(format!("worker-{slot}.log")),
                    plan: plan.clone(),
                    hit: hit.clone(),
                    failed: failed.clone(),
                    solo: solo.clone(),
                    stop: stop.clone(),
                    generation: generation.subscribe(),
                };
                tokio::spawn(ctx.run())
            })
            .collect();
        Workers {
            stop,
            generation,
            hit,
            failed,
            solo,
            slots,
        }
    }

    /// From now on only the armed slot runs (the clean slot's worker is killed and stays down).
    fn armed_only(&self) {
        self.solo.store(true, Ordering::SeqCst);
    }

    /// Kills every worker and keeps them down until [`resume`].
    async fn pause(&self) {
        self.generation.send_modify(|(n, paused)| {
            *n += 1;
            *paused = true;
        });
        // Give the slots time to see it and reap their children.
        tokio::time::sleep(Duration::from_millis(300)).await;
    }

    fn resume(&self) {
        self.generation.send_modify(|(n, paused)| {
            *n += 1;
            *paused = false;
        });
    }

    /// Why a worker died unexpectedly, if one did.
    fn failure(&self) -> Option<String> {
        self.failed.lock().expect("lock").clone()
    }

    /// How many planned crashes happened so far.
    fn hits(&self) -> usize {
        self.hit.lock().expect("lock").len()
    }

    /// Stops the workers gracefully; the crash points that killed one.
    async fn stop(self) -> Vec<&'static str> {
        self.stop.cancel();
        for slot in self.slots {
            let _ = slot.await;
        }
        self.hit.lock().expect("lock").clone()
    }
}

/// One worker slot's loop.
struct Slot {
    armed: bool,
    env: Vec<(String, String)>,
    log: PathBuf,
    plan: Arc<Mutex<VecDeque<&'static str>>>,
    hit: Arc<Mutex<Vec<&'static str>>>,
    failed: Arc<Mutex<Option<String>>>,
    solo: Arc<AtomicBool>,
    stop: CancellationToken,
    generation: watch::Receiver<(u64, bool)>,
}

impl Slot {
    /// Whether this slot must stay down (spare orders are for the armed slot).
    fn benched(&self) -> bool {
        !self.armed && self.solo.load(Ordering::SeqCst)
    }

    async fn run(mut self) {
        while !self.stop.is_cancelled() {
            if self.benched() {
                tokio::select! {
                    () = self.stop.cancelled() => break,
                    () = tokio::time::sleep(Duration::from_millis(100)) => continue,
                }
            }
            if self.generation.borrow().1 {
                tokio::select! {
                    () = self.stop.cancelled() => break,
                    _ = self.generation.changed() => continue,
                }
            }
            let point = if self.armed {
                self.plan.lock().expect("lock").pop_front()
            } else {
                None
            };
            let mut child = self.spawn(point.unwrap_or(""));
            self.generation.mark_unchanged();
            debug(&format!(
                "{} started pid {} armed {point:?}",
                self.log.display(),
                child.id()
            ));
            let ended = loop {
                if let Some(status) = child.try_wait().expect("wait") {
                    break Ended::Exited(status);
                }
                if self.benched() {
                    break Ended::Paused;
                }
                tokio::select! {
                    () = tokio::time::sleep(Duration::from_millis(20)) => {}
                    _ = self.generation.changed() => break Ended::Paused,
                    () = self.stop.cancelled() => break Ended::Stopping,
                }
            };
            match (ended, point) {
                (Ended::Exited(status), Some(p))
                    if status.signal() == Some(Signal::SIGKILL as i32) =>
                {
                    self.hit.lock().expect("lock").push(p);
                }
                (Ended::Exited(status), point) => {
                    // Nothing here stops a worker this way: report it and stop this slot.
                    *self.failed.lock().expect("lock") = Some(format!(
                        "a worker (crash point {point:?}) exited with {status}; log {}",
                        self.log.display()
                    ));
                    return;
                }
                (ended, point) => {
                    match ended {
                        // Paused: SIGKILL, not at its crash point.
                        Ended::Paused => {
                            debug(&format!("pause kills pid {}", child.id()));
                            let _ = child.kill();
                            let _ = child.wait();
                        }
                        Ended::Stopping => graceful(&mut child).await,
                        Ended::Exited(_) => {}
                    }
                    if let Some(p) = point {
                        self.plan.lock().expect("lock").push_front(p);
                    }
                }
            }
        }
    }

    fn spawn(&self, point: &str) -> Child {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)
            .expect("worker log");
        let err = log.try_clone().expect("log");
        Command::new(env!("CARGO_BIN_EXE_portal"))
            .arg("worker")
            .envs(self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .env("PORTAL__PROVISIONING__CHAOS_KILL_AT", point)
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(err)
            .spawn()
            .expect("portal worker starts")
    }
}

/// A progress line on stderr with `CHAOS_DEBUG` set.
fn debug(line: &str) {
    if std::env::var("CHAOS_DEBUG").is_ok() {
        eprintln!("{} chaos: {line}", OffsetDateTime::now_utc());
    }
}

/// How a worker process's run ended.
enum Ended {
    Exited(ExitStatus),
    Paused,
    Stopping,
}

/// SIGTERM, then SIGKILL if it has not stopped within the shutdown grace.
async fn graceful(child: &mut Child) {
    if let Ok(pid) = i32::try_from(child.id()) {
        let _ = kill(Pid::from_raw(pid), Signal::SIGTERM);
    }
    let deadline = Instant::now() + Duration::from_secs(15);
    while child.try_wait().ok().flatten().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// What every worker process is started with: the backend, the simulators' URLs, and
/// settings that make a dead worker's jobs and leases come back within seconds.
fn worker_env(backend: &Backend, sandbox: &RunningSandbox) -> Vec<(String, String)> {
    let sf = sandbox.url("salesforce");
    let whmcs = sandbox.url("whmcs");
    let mut env: Vec<(String, String)> = [
        ("DATABASE_URL", backend.database_url.clone()),
        (
            "PORTAL__WHMCS__API_URL",
            format!("{whmcs}/includes/api.php"),
        ),
        ("PORTAL__SALESFORCE__LOGIN_URL", sf.clone()),
        ("PORTAL__SALESFORCE__PUBSUB_URL", sf),
        ("PORTAL__SANDBOX__ENABLED", "false".into()),
        (
            "PORTAL__LOG__FILTER",
            std::env::var("CHAOS_LOG_FILTER")
                .unwrap_or_else(|_| "warn,portal::server::provisioning=info".into()),
        ),
        ("PORTAL__PROVISIONING__WORKERS", "4".into()),
        ("PORTAL__PROVISIONING__LEASE_SECS", "5".into()),
        ("PORTAL__PROVISIONING__MAX_ATTEMPTS", "40".into()),
        ("PORTAL__PROVISIONING__BACKOFF_BASE_MS", "100".into()),
        ("PORTAL__PROVISIONING__BACKOFF_MAX_SECS", "2".into()),
        ("PORTAL__PROVISIONING__POLL_MS", "50".into()),
        ("PORTAL__PROVISIONING__SWEEP_EVERY_SECS", "5".into()),
        ("PORTAL__PROVISIONING__SUBSCRIBER_LEASE_SECS", "3".into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    if let Some(freebit) = sandbox.handle.provider_urls.get("freebit") {
        env.push((
            "PORTAL__FREEBIT__BASE_URL".into(),
            format!("{freebit}/emptool/api"),
        ));
    }
    if let Some(redis) = &backend.redis_url {
        env.push(("PORTAL__REDIS__URL".into(), redis.clone()));
        env.push((
            "PORTAL__REDIS__KEY_PREFIX".into(),
            format!("chaos-{}", crate::store_story::uuid_like()),
        ));
    }
    env
}
