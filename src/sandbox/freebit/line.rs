//! One simulated line and the data rules of reference §2.4:
//!
//! - quota in buckets (plan, carry-over, top-up), used **earliest expiry first**;
//! - on the 1st at 00:00 JST a booked plan change takes effect, the old plan allowance's rest
//!   carries over once (to the end of the new month) and the month's allowance is granted;
//!   buckets past their expiry are dropped;
//! - a day's traffic is drawn from the seeded generator when the day closes (midnight): at
//!   high speed it uses quota, and what quota cannot cover — or all of it in saving mode —
//!   runs throttled (counted as low-speed traffic, a tenth as much); suspended and cancelled
//!   lines use nothing. Today is shown provisional, pro rata; day D is final at D+1 06:00.

use super::calendar::{daily_kb, jst_date, midnight, plan};
use crate::domain::sim::last_of_month;
use std::collections::{BTreeMap, HashMap, VecDeque};
use time::{Date, Duration, OffsetDateTime};

/// A quota bucket.
#[derive(Debug, Clone)]
pub struct Bucket {
    /// `PLAN`, `CARRYOVER`, `TOPUP`, `GIFT`.
    pub kind: &'static str,
    /// The `quotaCode` it came with.
    pub code: Option<String>,
    /// Granted, MB.
    pub quota_mb: u32,
    /// Left, KB.
    pub remaining_kb: u64,
    /// Last day of use.
    pub expire: Date,
    /// When it was added.
    pub added_at: OffsetDateTime,
    /// Addition order (ties in expiry go oldest first).
    pub seq: u64,
}

/// An asynchronous order still running.
#[derive(Debug, Clone)]
pub struct Order {
    /// `ORD-…`.
    pub id: String,
    /// `CONTRACT_LINE`, `TALK_OPTION`, `ESIM_REISSUE`.
    pub kind: &'static str,
    /// What it sets (`5G`; the new EID; the talk options as JSON).
    pub target: String,
    /// When it takes effect.
    pub due: OffsetDateTime,
}

/// An eSIM profile.
#[derive(Debug, Clone)]
pub struct Profile {
    /// `PREPARING`, `RELEASED`, `DOWNLOADED`, `INSTALLED`.
    pub state: &'static str,
    /// `LPA:1$…` once released.
    pub activation_code: Option<String>,
    /// Until when the code works.
    pub expires_at: Option<OffsetDateTime>,
}

/// Voice options, in wire order: voiceMail, callWaiting, callTransfer, intlCall, intlRoaming.
pub const TALK_OPTIONS: [&str; 5] = [
    "voiceMail",
    "callWaiting",
    "callTransfer",
    "intlCall",
    "intlRoaming",
];

/// A line.
#[derive(Debug, Clone)]
pub struct Line {
    /// The number, digits.
    pub account: String,
    pub iccid: String,
    pub imsi: String,
    pub product_number: Option<String>,
    pub eid: Option<String>,
    /// `"10"` card, `"20"` eSIM.
    pub sim_form: &'static str,
    /// `E0`, `E2`, `E3`.
    pub sim_kind: String,
    /// `4G`, `5G`.
    pub contract_line: String,
    pub plan_code: String,
    pub start_date: Date,
    /// `Some(reason)` while suspended.
    pub suspended: Option<String>,
    /// Scheduled cancellation date.
    pub cancel_on: Option<Date>,
    /// When the cancellation took effect.
    pub cancelled_on: Option<Date>,
    /// The share group this SIM is inside (traffic and top-ups refuse it: 409-337).
    pub share_group: Option<String>,
    /// Saving mode chosen.
    pub speed_low: bool,
    /// Mean daily usage of the generator, MB.
    pub daily_mb: u32,
    pub buckets: Vec<Bucket>,
    /// Every quota addition (history), oldest first; remaining is read from `buckets`.
    pub additions: Vec<Bucket>,
    /// Talk options on/off (voice lines).
    pub talk: Option<[bool; 5]>,
    /// A booked plan change: code and date.
    pub reserved_plan: Option<(String, Date)>,
    pub orders: Vec<Order>,
    /// Closed days: (high-speed KB, low-speed KB).
    pub usage: BTreeMap<Date, (u64, u64)>,
    /// Applied top-ups by `quotaCode`: their original answer.
    pub applied_codes: HashMap<String, serde_json::Value>,
    pub profile: Option<Profile>,
    /// An MNP-out reservation: number, last valid day.
    pub mnp: Option<(String, Date)>,
    /// Per-account rate limiting (simulator clock).
    pub reads: HashMap<&'static str, VecDeque<OffsetDateTime>>,
    pub last_write: Option<OffsetDateTime>,
    pub last_speed_change: Option<OffsetDateTime>,
}

fn rank(kind: &str) -> u8 {
    match kind {
        "CARRYOVER" => 0,
        "PLAN" => 1,
        "GIFT" => 2,
        _ => 3,
    }
}

impl Line {
    /// KB left over all buckets.
    pub fn remaining_kb(&self) -> u64 {
        self.buckets.iter().map(|b| b.remaining_kb).sum()
    }

    /// Throttled now: saving mode or no quota.
    pub fn throttled(&self) -> bool {
        self.speed_low || self.remaining_kb() == 0
    }

    /// Uses data: not suspended, not cancelled.
    pub fn in_service(&self) -> bool {
        self.suspended.is_none() && self.cancelled_on.is_none()
    }

    /// The wire `state`.
    pub fn state_code(&self) -> &'static str {
        if self.cancelled_on.is_some() {
            "40"
        } else if self.suspended.is_some() {
            "20"
        } else if self.cancel_on.is_some() {
            "30"
        } else {
            "10"
        }
    }

    /// A voice line (`E0`).
    pub fn is_voice(&self) -> bool {
        self.sim_kind == "E0"
    }

    /// An order is running (most writes are refused: 409-331).
    pub fn locked(&self) -> bool {
        !self.orders.is_empty()
    }

    /// Adds a bucket (and its history entry).
    pub fn add_bucket(&mut self, bucket: Bucket) {
        self.additions.push(bucket.clone());
        self.buckets.push(bucket);
        self.sort_buckets();
    }

    fn sort_buckets(&mut self) {
        self.buckets
            .sort_by_key(|b| (b.expire, rank(b.kind), b.seq));
    }

    /// Uses `kb` of quota, earliest expiry first; returns what quota could not cover.
    pub fn consume(&mut self, mut kb: u64) -> u64 {
        self.sort_buckets();
        for bucket in &mut self.buckets {
            let used = bucket.remaining_kb.min(kb);
            bucket.remaining_kb -= used;
            kb -= used;
        }
        kb
    }

    /// The split of a day's drawn traffic into (high, low) given the quota now.
    fn split(&self, drawn: u64) -> (u64, u64) {
        if self.speed_low {
            return (0, drawn / 10);
        }
        let high = drawn.min(self.remaining_kb());
        (high, (drawn - high) / 10)
    }

    /// Closes `date`: draws its traffic and uses quota for it.
    pub fn close_day(&mut self, date: Date) {
        if !self.in_service() || date < self.start_date {
            self.usage.insert(date, (0, 0));
            return;
        }
        let (high, low) = self.split(daily_kb(&self.account, date, self.daily_mb));
        self.consume(high);
        self.usage.insert(date, (high, low));
        let oldest = date - Duration::days(200);
        self.usage.retain(|d, _| *d >= oldest);
    }

    /// Today's traffic so far (provisional): the day's draw pro rata.
    pub fn today_so_far(&self, now: OffsetDateTime) -> (u64, u64) {
        let today = jst_date(now);
        if !self.in_service() || today < self.start_date {
            return (0, 0);
        }
        let elapsed = (now - midnight(today)).whole_seconds().clamp(0, 86_400);
        let drawn = daily_kb(&self.account, today, self.daily_mb);
        let so_far = drawn * u64::try_from(elapsed).unwrap_or(0) / 86_400;
        self.split(so_far)
    }

    /// Opens `date` (00:00 JST): a booked plan change, the month's allowance with carry-over
    /// on the 1st, and expiry of old buckets. `seq` numbers new buckets.
    pub fn start_day(&mut self, date: Date, seq: &mut u64) {
        if self.cancelled_on.is_some() {
            return;
        }
        if let Some((code, on)) = self.reserved_plan.clone()
            && on <= date
        {
            self.plan_code = code;
            self.reserved_plan = None;
        }
        if date.day() == 1 {
            let end = last_of_month(date);
            let mut carried = 0;
            for b in &mut self.buckets {
                if b.kind == "PLAN" {
                    carried += b.remaining_kb;
                    b.remaining_kb = 0;
                }
            }
            self.buckets
                .retain(|b| b.kind != "CARRYOVER" && b.kind != "PLAN");
            if carried > 0 {
                *seq += 1;
                self.add_bucket(Bucket {
                    kind: "CARRYOVER",
                    code: None,
                    quota_mb: u32::try_from(carried / 1024).unwrap_or(u32::MAX),
                    remaining_kb: carried,
                    expire: end,
                    added_at: midnight(date),
                    seq: *seq,
                });
            }
            self.grant_plan(date, seq);
        }
        self.buckets.retain(|b| b.expire >= date);
    }

    /// Grants the plan's allowance for `date`'s month.
    pub fn grant_plan(&mut self, date: Date, seq: &mut u64) {
        let Some(plan) = plan(&self.plan_code) else {
            return;
        };
        *seq += 1;
        self.add_bucket(Bucket {
            kind: "PLAN",
            code: None,
            quota_mb: plan.quota_mb,
            remaining_kb: u64::from(plan.quota_mb) * 1024,
            expire: last_of_month(date),
            added_at: midnight(date),
            seq: *seq,
        });
    }
}
