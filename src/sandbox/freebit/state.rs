//! The simulator's state: the virtual clock, tunable settings, the lines, OEM `authKey`s,
//! rate-limit windows and the decoded request log, and the catch-up that moves every line
//! forward to the clock's "now" — closing days, opening months, finishing asynchronous orders
//! and scheduled cancellations — before each request is answered.

use super::calendar::{jst_date, midnight};
use super::line::{Bucket, Line, Order, Profile};
use crate::domain::sim::{first_of_next_month, last_of_month};
use crate::sandbox::SeedSimLine;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::time::Instant;
use time::{Date, Duration, OffsetDateTime};

/// Decoded requests kept for `GET /_sandbox/requests`.
const REQUEST_LOG: usize = 1000;

/// Tunables (`GET`/`POST /_sandbox/settings`), reset with the seed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// `authKey` lifetime (reference: 60 min).
    pub auth_ttl_secs: i64,
    /// Voice option orders take this long.
    pub voice_delay_secs: i64,
    /// 4G/5G orders take this long (reference: about 30 min).
    pub contract_line_delay_secs: i64,
    /// eSIM reissues are released after this long.
    pub esim_delay_secs: i64,
    /// A cancellation lands this long after its date's 00:00 (reference: up to 10 min).
    pub cancel_delay_secs: i64,
    /// Enforce the rate limits: `requests_per_second` in all (wall clock); per account on
    /// the simulator clock, detail and traffic 6/min each, writes 1 per 10 s, speed changes 1
    /// per 60 s.
    pub rate_limits: bool,
    /// The overall limit (reference: 10 requests/s per OEM).
    pub requests_per_second: u32,
    /// Throttled speed, kbit/s.
    pub throttle_kbps: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            auth_ttl_secs: 3600,
            voice_delay_secs: 300,
            contract_line_delay_secs: 1800,
            esim_delay_secs: 600,
            cancel_delay_secs: 600,
            rate_limits: true,
            requests_per_second: 10,
            throttle_kbps: 200,
        }
    }
}

/// The virtual clock: the wall clock shifted by an offset, or frozen at an instant.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    offset: Duration,
    frozen: Option<OffsetDateTime>,
}

impl Clock {
    /// The simulator's now.
    pub fn now(&self) -> OffsetDateTime {
        self.frozen
            .unwrap_or_else(|| OffsetDateTime::now_utc() + self.offset)
    }

    /// Whether time stands still between `advance` calls.
    pub fn is_frozen(&self) -> bool {
        self.frozen.is_some()
    }

    /// Sets now (`frozen`: stays there; else runs on from there).
    pub fn set(&mut self, now: OffsetDateTime, frozen: bool) {
        if frozen {
            self.frozen = Some(now);
        } else {
            self.frozen = None;
            self.offset = now - OffsetDateTime::now_utc();
        }
    }

    /// Moves now forward.
    pub fn advance(&mut self, by: Duration) {
        match &mut self.frozen {
            Some(at) => *at += by,
            None => self.offset += by,
        }
    }
}

/// The simulator's state.
pub struct FreebitState {
    /// Tunables.
    pub settings: Settings,
    /// The virtual clock.
    pub clock: Clock,
    /// Lines by number (digits).
    pub lines: BTreeMap<String, Line>,
    /// Issued `authKey`s and when they expire.
    pub keys: HashMap<String, OffsetDateTime>,
    /// The seed, for re-seeding when the clock is set.
    seed: Vec<SeedSimLine>,
    next_key: u64,
    next_order: u64,
    /// Bucket numbering.
    pub seq: u64,
    /// Everything before this instant has been simulated.
    simulated_until: OffsetDateTime,
    /// Recent requests (wall clock) for the overall limit.
    recent: VecDeque<Instant>,
    /// Decoded requests, newest last (`authKey`/`oemKey` removed).
    pub requests: VecDeque<Value>,
}

impl FreebitState {
    /// The seeded lines as of `now`, with a clock running from `now` (`frozen`: standing).
    pub fn seeded(seed: &[SeedSimLine], now: OffsetDateTime, frozen: bool) -> Self {
        let mut clock = Clock {
            offset: Duration::ZERO,
            frozen: None,
        };
        clock.set(now, frozen);
        let mut state = FreebitState {
            settings: Settings::default(),
            clock,
            lines: BTreeMap::new(),
            keys: HashMap::new(),
            seed: seed.to_vec(),
            next_key: 0,
            next_order: 0,
            seq: 0,
            simulated_until: now,
            recent: VecDeque::new(),
            requests: VecDeque::new(),
        };
        for line in seed {
            if let Some(built) = super::seed::build(line, now, &mut state.seq) {
                state.lines.insert(built.account.clone(), built);
            }
        }
        state
    }

    /// Re-seeds as of `now`, keeping the settings.
    pub fn reseed_at(&mut self, now: OffsetDateTime, frozen: bool) {
        let settings = self.settings.clone();
        let seed = std::mem::take(&mut self.seed);
        *self = FreebitState::seeded(&seed, now, frozen);
        self.settings = settings;
    }

    /// The simulator's now.
    pub fn now(&self) -> OffsetDateTime {
        self.clock.now()
    }

    /// Today in Japan.
    pub fn today(&self) -> Date {
        jst_date(self.now())
    }

    /// A new order id.
    pub fn order_id(&mut self) -> String {
        self.next_order += 1;
        format!("ORD-{:06}", self.next_order)
    }

    /// Issues an `authKey`.
    pub fn issue_key(&mut self) -> (String, OffsetDateTime) {
        self.next_key += 1;
        let key = format!(
            "AK{:08X}{:08X}",
            self.next_key,
            self.next_key.wrapping_mul(2_654_435_761) & 0xFFFF_FFFF
        );
        let expires = self.now() + Duration::seconds(self.settings.auth_ttl_secs);
        self.keys.insert(key.clone(), expires);
        (key, expires)
    }

    /// The overall limit: false when the request must be refused (429-900).
    pub fn admit(&mut self) -> bool {
        if !self.settings.rate_limits {
            return true;
        }
        let now = Instant::now();
        while self
            .recent
            .front()
            .is_some_and(|t| now.duration_since(*t).as_secs_f64() >= 1.0)
        {
            self.recent.pop_front();
        }
        if self.recent.len() >= self.settings.requests_per_second as usize {
            return false;
        }
        self.recent.push_back(now);
        true
    }

    /// Keeps a decoded request for the log.
    pub fn log_request(&mut self, entry: Value) {
        if self.requests.len() == REQUEST_LOG {
            self.requests.pop_front();
        }
        self.requests.push_back(entry);
    }

    /// Simulates everything up to now.
    pub fn catch_up(&mut self) {
        let now = self.now();
        loop {
            let day = jst_date(self.simulated_until);
            let next_midnight = midnight(day.next_day().unwrap_or(day));
            let stop = next_midnight.min(now);
            self.finish_due(stop);
            if next_midnight > now {
                self.simulated_until = self.simulated_until.max(now);
                return;
            }
            let next_day = jst_date(next_midnight);
            let mut seq = self.seq;
            for line in self.lines.values_mut() {
                line.close_day(day);
                line.start_day(next_day, &mut seq);
            }
            self.seq = seq;
            self.simulated_until = next_midnight;
        }
    }

    /// Finishes the orders and cancellations due by `until`.
    fn finish_due(&mut self, until: OffsetDateTime) {
        let cancel_delay = Duration::seconds(self.settings.cancel_delay_secs);
        let esim_valid = Duration::days(30);
        for line in self.lines.values_mut() {
            let (due, running): (Vec<Order>, Vec<Order>) =
                line.orders.drain(..).partition(|o| o.due <= until);
            line.orders = running;
            for order in due {
                complete(line, &order, esim_valid);
            }
            if let Some(on) = line.cancel_on
                && midnight(on) + cancel_delay <= until
            {
                line.cancel_on = None;
                line.cancelled_on = Some(on);
                line.reserved_plan = None;
                line.orders.clear();
                line.suspended = None;
            }
        }
    }

    /// Whether a line answers at all: cancelled lines disappear 90 days after the fact.
    pub fn visible(&self, line: &Line) -> bool {
        line.cancelled_on
            .is_none_or(|on| self.today() <= on + Duration::days(90))
    }
}

/// Applies a finished order.
fn complete(line: &mut Line, order: &Order, esim_valid: Duration) {
    match order.kind {
        "CONTRACT_LINE" => line.contract_line = order.target.clone(),
        "TALK_OPTION" => {
            if let (Some(talk), Ok(Value::Object(change))) = (
                line.talk.as_mut(),
                serde_json::from_str::<Value>(&order.target),
            ) {
                for (i, name) in super::line::TALK_OPTIONS.iter().enumerate() {
                    if let Some(v) = change.get(*name).and_then(Value::as_str) {
                        talk[i] = v == "10";
                    }
                }
            }
        }
        "ESIM_REISSUE" => {
            let matching: String = order
                .id
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .collect();
            line.eid = Some(order.target.clone());
            line.sim_form = "20";
            line.product_number = None;
            let digits: String = order.id.chars().filter(char::is_ascii_digit).collect();
            let keep = line.iccid.len().saturating_sub(6);
            line.iccid = format!("{}{digits:0>6}", &line.iccid[..keep]);
            line.profile = Some(Profile {
                state: "RELEASED",
                activation_code: Some(format!(
                    "LPA:1$smdp.sandbox.example${matching}-{}",
                    line.account
                )),
                expires_at: Some(order.due + esim_valid),
            });
        }
        _ => {}
    }
}

/// A bucket added by a top-up on `at`, expiring on `expire` (default: end of next month).
pub fn top_up_bucket(
    code: Option<&str>,
    mb: u32,
    at: OffsetDateTime,
    expire: Option<Date>,
    seq: u64,
) -> Bucket {
    let today = jst_date(at);
    Bucket {
        kind: "TOPUP",
        code: code.map(str::to_owned),
        quota_mb: mb,
        remaining_kb: u64::from(mb) * 1024,
        expire: expire.unwrap_or_else(|| last_of_month(first_of_next_month(today))),
        added_at: at,
        seq,
    }
}
