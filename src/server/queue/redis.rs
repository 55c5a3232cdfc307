//! [`JobQueue`](super::JobQueue) on Redis (fred), for several instances without a shared SQL
//! queue table. Every operation is one Lua script, so each is atomic on the server.
//!
//! Layout (all keys share the `{q}` hash tag, so a cluster keeps them in one slot):
//! - `job:<id>`: a hash (kind, dedupe, payload, attempts, max, enq, state, holder, error);
//! - `ready`: sorted set of job ids by due time (ms); `running`: by lease expiry — a running
//!   job whose lease has passed is reclaimed by the next claim (stalled-job reclaim);
//! - `open:<dedupe key>`: the open job of a key (at most one); `dead`: dead-letter ids by
//!   time; `cp:<subscription>`: an event stream's checkpoint (hex).
//!
//! Why sorted sets rather than Streams with consumer groups: retries are *delayed* (backoff)
//! and enqueues are *deduplicated* per key; Streams do neither without a second structure,
//! while `XAUTOCLAIM`'s reclaim is what the `running` set's lease scores give here.

use super::{Checkpoint, DeadJob, Enqueued, Job, JobQueue, NewJob, QueueError, QueueStats};
use super::{ms, ms_after};
use async_trait::async_trait;
use fred::prelude::*;
use std::time::Duration;
use time::OffsetDateTime;

/// The Redis queue.
#[derive(Clone)]
pub struct RedisQueue {
    client: Client,
    prefix: String,
}

fn err(e: fred::error::Error) -> QueueError {
    QueueError::Backend(anyhow::anyhow!("redis queue: {e}"))
}

const ENQUEUE: &str = r"
local open, job, ready, cp = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
if cp ~= '' and ARGV[7] ~= '' then redis.call('SET', cp, ARGV[7]) end
if redis.call('EXISTS', open) == 1 then return 0 end
redis.call('HSET', job, 'kind', ARGV[2], 'dedupe', ARGV[3], 'payload', ARGV[4],
  'attempts', 0, 'max', ARGV[5], 'enq', ARGV[6], 'state', 'ready', 'holder', '', 'error', '')
redis.call('SET', open, ARGV[1])
redis.call('ZADD', ready, ARGV[6], ARGV[1])
return 1";

const CLAIM: &str = r"
local ready, running = KEYS[1], KEYS[2]
local now = tonumber(ARGV[1])
local id = redis.call('ZRANGEBYSCORE', running, '-inf', '(' .. now, 'LIMIT', 0, 1)[1]
if id then
  redis.call('ZREM', running, id)
else
  id = redis.call('ZRANGEBYSCORE', ready, '-inf', now, 'LIMIT', 0, 1)[1]
  if not id then return false end
  redis.call('ZREM', ready, id)
end
local job = ARGV[4] .. id
local attempts = redis.call('HINCRBY', job, 'attempts', 1)
redis.call('HSET', job, 'state', 'running', 'holder', ARGV[3])
redis.call('ZADD', running, ARGV[2], id)
local h = redis.call('HMGET', job, 'kind', 'dedupe', 'payload', 'max', 'enq')
return {id, h[1] or '', h[2] or '', h[3] or '', tostring(attempts), h[4] or '0', h[5] or '0'}";

/// Common guard: the job must be running and held by ARGV[1]; `job` is KEYS[1].
const HELD: &str = r"
local job = KEYS[1]
if redis.call('HGET', job, 'state') ~= 'running' or redis.call('HGET', job, 'holder') ~= ARGV[1] then
  return 0
end
";

const EXTEND: &str = r"
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3])
return 1";

const COMPLETE: &str = r"
redis.call('ZREM', KEYS[2], ARGV[3])
if redis.call('GET', KEYS[3]) == ARGV[3] then redis.call('DEL', KEYS[3]) end
redis.call('HSET', job, 'state', 'done', 'holder', '')
redis.call('PEXPIRE', job, 86400000)
return 1";

const RETRY: &str = r"
redis.call('ZREM', KEYS[2], ARGV[3])
redis.call('ZADD', KEYS[3], ARGV[2], ARGV[3])
redis.call('HSET', job, 'state', 'ready', 'holder', '', 'error', ARGV[4])
return 1";

const BURY: &str = r"
redis.call('ZREM', KEYS[2], ARGV[3])
if redis.call('GET', KEYS[3]) == ARGV[3] then redis.call('DEL', KEYS[3]) end
redis.call('ZADD', KEYS[4], ARGV[2], ARGV[3])
redis.call('HSET', job, 'state', 'dead', 'holder', '', 'error', ARGV[4])
return 1";

const RELEASE: &str = r"
redis.call('ZREM', KEYS[2], ARGV[3])
redis.call('ZADD', KEYS[3], ARGV[2], ARGV[3])
redis.call('HINCRBY', job, 'attempts', -1)
redis.call('HSET', job, 'state', 'ready', 'holder', '')
return 1";

const STATS: &str = r"
local first = redis.call('ZRANGE', KEYS[1], 0, 0)[1]
local enq = '0'
if first then enq = redis.call('HGET', ARGV[1] .. first, 'enq') or '0' end
return {tostring(redis.call('ZCARD', KEYS[1])), tostring(redis.call('ZCARD', KEYS[2])),
  tostring(redis.call('ZCARD', KEYS[3])), enq}";

const DEAD: &str = r"
local ids = redis.call('ZREVRANGE', KEYS[1], 0, tonumber(ARGV[2]) - 1)
local out = {}
for _, id in ipairs(ids) do
  local h = redis.call('HMGET', ARGV[1] .. id, 'dedupe', 'attempts', 'error')
  table.insert(out, id)
  table.insert(out, h[1] or '')
  table.insert(out, h[2] or '0')
  table.insert(out, h[3] or '')
end
return out";

impl RedisQueue {
    /// A queue on an already connected client (the cache's), keys under `prefix`.
    pub fn new(client: Client, prefix: &str) -> Self {
        RedisQueue {
            client,
            prefix: format!("{prefix}:{{q}}:"),
        }
    }

    fn key(&self, rest: &str) -> String {
        format!("{}{rest}", self.prefix)
    }

    fn job_key(&self, id: &str) -> String {
        self.key(&format!("job:{id}"))
    }

    async fn enqueue_inner(
        &self,
        job: &NewJob,
        checkpoint: Option<&Checkpoint<'_>>,
        now: OffsetDateTime,
    ) -> Result<Enqueued, QueueError> {
        let id = uuid::Uuid::new_v4().to_string();
        let (cp_key, cp_value) = match checkpoint {
            Some(c) => (
                self.key(&format!("cp:{}", c.subscription)),
                super::sql::to_hex(c.replay_id),
            ),
            None => (String::new(), String::new()),
        };
        let added: i64 = self
            .client
            .eval(
                ENQUEUE,
                vec![
                    self.key(&format!("open:{}", job.dedupe_key)),
                    self.job_key(&id),
                    self.key("ready"),
                    cp_key,
                ],
                vec![
                    id.clone(),
                    job.kind.clone(),
                    job.dedupe_key.clone(),
                    job.payload.clone(),
                    job.max_attempts.to_string(),
                    ms(now).to_string(),
                    cp_value,
                ],
            )
            .await
            .map_err(err)?;
        Ok(if added == 1 {
            Enqueued::Added(id)
        } else {
            Enqueued::Duplicate
        })
    }

    /// Runs a held-job script: `HELD` + `body` with KEYS `[job, running, third, fourth]` and
    /// ARGV `[holder, score, id, reason]`.
    async fn held_script(
        &self,
        body: &str,
        job: &Job,
        third: &str,
        score: i64,
        reason: &str,
    ) -> Result<(), QueueError> {
        let script = format!("{HELD}{body}");
        let done: i64 = self
            .client
            .eval(
                script,
                vec![
                    self.job_key(&job.id),
                    self.key("running"),
                    third.to_owned(),
                    self.key("dead"),
                ],
                vec![
                    job.holder.clone(),
                    score.to_string(),
                    job.id.clone(),
                    reason.to_owned(),
                ],
            )
            .await
            .map_err(err)?;
        super::sql::held(u64::try_from(done).unwrap_or(0))
    }
}

fn num<T: std::str::FromStr + Default>(text: &str) -> T {
    text.parse().unwrap_or_default()
}

#[async_trait]
impl JobQueue for RedisQueue {
    fn queue_backend(&self) -> &'static str {
        "redis"
    }

    async fn enqueue(&self, job: &NewJob, now: OffsetDateTime) -> Result<Enqueued, QueueError> {
        self.enqueue_inner(job, None, now).await
    }

    async fn enqueue_with_checkpoint(
        &self,
        job: &NewJob,
        checkpoint: &Checkpoint<'_>,
        now: OffsetDateTime,
    ) -> Result<Enqueued, QueueError> {
        self.enqueue_inner(job, Some(checkpoint), now).await
    }

    async fn save_checkpoint(
        &self,
        checkpoint: &Checkpoint<'_>,
        _now: OffsetDateTime,
    ) -> Result<(), QueueError> {
        self.client
            .set::<(), _, _>(
                self.key(&format!("cp:{}", checkpoint.subscription)),
                super::sql::to_hex(checkpoint.replay_id),
                None,
                None,
                false,
            )
            .await
            .map_err(err)
    }

    async fn checkpoint(&self, subscription: &str) -> Result<Option<Vec<u8>>, QueueError> {
        let hex: Option<String> = self
            .client
            .get(self.key(&format!("cp:{subscription}")))
            .await
            .map_err(err)?;
        Ok(hex.and_then(|h| super::sql::from_hex(&h)))
    }

    async fn clear_checkpoint(&self, subscription: &str) -> Result<(), QueueError> {
        self.client
            .del::<(), _>(self.key(&format!("cp:{subscription}")))
            .await
            .map_err(err)
    }

    async fn claim(
        &self,
        worker: &str,
        lease: Duration,
        now: OffsetDateTime,
    ) -> Result<Option<Job>, QueueError> {
        let row: Option<Vec<String>> = self
            .client
            .eval(
                CLAIM,
                vec![self.key("ready"), self.key("running")],
                vec![
                    ms(now).to_string(),
                    ms_after(now, lease).to_string(),
                    worker.to_owned(),
                    self.key("job:"),
                ],
            )
            .await
            .map_err(err)?;
        Ok(row.filter(|r| r.len() == 7).map(|r| Job {
            id: r[0].clone(),
            kind: r[1].clone(),
            dedupe_key: r[2].clone(),
            payload: r[3].clone(),
            attempts: num(&r[4]),
            max_attempts: num(&r[5]),
            enqueued_at_ms: num(&r[6]),
            holder: worker.to_owned(),
        }))
    }

    async fn extend(
        &self,
        job: &Job,
        lease: Duration,
        now: OffsetDateTime,
    ) -> Result<(), QueueError> {
        self.held_script(EXTEND, job, "", ms_after(now, lease), "")
            .await
    }

    async fn complete(&self, job: &Job, _now: OffsetDateTime) -> Result<(), QueueError> {
        let open = self.key(&format!("open:{}", job.dedupe_key));
        self.held_script(COMPLETE, job, &open, 0, "").await
    }

    async fn retry(&self, job: &Job, reason: &str, at: OffsetDateTime) -> Result<(), QueueError> {
        self.held_script(RETRY, job, &self.key("ready"), ms(at), reason)
            .await
    }

    async fn bury(&self, job: &Job, reason: &str, now: OffsetDateTime) -> Result<(), QueueError> {
        let open = self.key(&format!("open:{}", job.dedupe_key));
        self.held_script(BURY, job, &open, ms(now), reason).await
    }

    async fn release(&self, job: &Job) -> Result<(), QueueError> {
        self.held_script(RELEASE, job, &self.key("ready"), 0, "")
            .await
    }

    async fn stats(&self, now: OffsetDateTime) -> Result<QueueStats, QueueError> {
        let r: Vec<String> = self
            .client
            .eval(
                STATS,
                vec![self.key("ready"), self.key("running"), self.key("dead")],
                vec![self.key("job:")],
            )
            .await
            .map_err(err)?;
        let get = |i: usize| r.get(i).map(String::as_str).unwrap_or("0");
        let oldest: i64 = num(get(3));
        Ok(QueueStats {
            ready: num(get(0)),
            running: num(get(1)),
            dead: num(get(2)),
            oldest_ready_age_ms: if oldest > 0 {
                u64::try_from(ms(now) - oldest).unwrap_or(0)
            } else {
                0
            },
        })
    }

    async fn dead_jobs(&self, limit: u32) -> Result<Vec<DeadJob>, QueueError> {
        let r: Vec<String> = self
            .client
            .eval(
                DEAD,
                vec![self.key("dead")],
                vec![self.key("job:"), limit.max(1).to_string()],
            )
            .await
            .map_err(err)?;
        Ok(r.chunks(4)
            .filter(|c| c.len() == 4)
            .map(|c| DeadJob {
                id: c[0].clone(),
                dedupe_key: c[1].clone(),
                attempts: num(&c[2]),
                reason: c[3].clone(),
            })
            .collect())
    }
}
