//! [`JobQueue`](super::JobQueue) on the SQL store's `jobs` and `event_checkpoints` tables, one
//! body for SQLite and PostgreSQL (only shared SQL), like the store's own `*_sql` modules.
//!
//! A claim is one `UPDATE … WHERE id = (SELECT … LIMIT 1) AND <still claimable>`: the repeated
//! condition makes a concurrent claimer that picked the same row update nothing (PostgreSQL
//! re-checks it after the row lock; SQLite serialises writers), so a job is never held twice.
//! Every later write on a held job names its holder, so a worker whose lease ran out cannot
//! overwrite the new holder's outcome.

/// Implements `JobQueue` for a store type with a `pool` field.
macro_rules! impl_job_queue {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::server::queue::JobQueue for $store {
            fn queue_backend(&self) -> &'static str {
                "sql"
            }

            async fn enqueue(
                &self,
                job: &$crate::server::queue::NewJob,
                now: time::OffsetDateTime,
            ) -> Result<$crate::server::queue::Enqueued, $crate::server::queue::QueueError> {
                let mut tx = self.pool.begin().await?;
                let outcome = insert_job(&mut tx, job, now).await?;
                tx.commit().await?;
                Ok(outcome)
            }

            async fn enqueue_with_checkpoint(
                &self,
                job: &$crate::server::queue::NewJob,
                checkpoint: &$crate::server::queue::Checkpoint<'_>,
                now: time::OffsetDateTime,
            ) -> Result<$crate::server::queue::Enqueued, $crate::server::queue::QueueError> {
                let mut tx = self.pool.begin().await?;
                let outcome = insert_job(&mut tx, job, now).await?;
                upsert_checkpoint(&mut tx, checkpoint, now).await?;
                tx.commit().await?;
                Ok(outcome)
            }

            async fn save_checkpoint(
                &self,
                checkpoint: &$crate::server::queue::Checkpoint<'_>,
                now: time::OffsetDateTime,
            ) -> Result<(), $crate::server::queue::QueueError> {
                let mut tx = self.pool.begin().await?;
                upsert_checkpoint(&mut tx, checkpoint, now).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn checkpoint(
                &self,
                subscription: &str,
            ) -> Result<Option<Vec<u8>>, $crate::server::queue::QueueError> {
                let row: Option<(String,)> = sqlx::query_as(
                    "SELECT replay_id FROM event_checkpoints WHERE subscription = $1",
                )
                .bind(subscription)
                .fetch_optional(&self.pool)
                .await?;
                Ok(row.and_then(|(hex,)| $crate::server::queue::sql::from_hex(&hex)))
            }

            async fn clear_checkpoint(
                &self,
                subscription: &str,
            ) -> Result<(), $crate::server::queue::QueueError> {
                sqlx::query("DELETE FROM event_checkpoints WHERE subscription = $1")
                    .bind(subscription)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn claim(
                &self,
                worker: &str,
                lease: std::time::Duration,
                now: time::OffsetDateTime,
            ) -> Result<Option<$crate::server::queue::Job>, $crate::server::queue::QueueError>
            {
                use $crate::server::queue::{ms, ms_after};
                let now_ms = ms(now);
                let row: Option<(String, String, String, String, i64, i64, i64)> =
                    sqlx::query_as(
                        "UPDATE jobs SET state = 'running', lease_holder = $1, \
                         lease_until_ms = $2, attempts = attempts + 1 \
                         WHERE id = (SELECT id FROM jobs \
                           WHERE (state = 'ready' AND run_at_ms <= $3) \
                              OR (state = 'running' AND lease_until_ms < $3) \
                           ORDER BY run_at_ms, enqueued_at_ms LIMIT 1) \
                         AND ((state = 'ready' AND run_at_ms <= $3) \
                              OR (state = 'running' AND lease_until_ms < $3)) \
                         RETURNING id, kind, dedupe_key, payload, attempts, max_attempts, \
                           enqueued_at_ms",
                    )
                    .bind(worker)
                    .bind(ms_after(now, lease))
                    .bind(now_ms)
                    .fetch_optional(&self.pool)
                    .await?;
                Ok(row.map(
                    |(id, kind, dedupe_key, payload, attempts, max_attempts, enqueued_at_ms)| {
                        $crate::server::queue::Job {
                            id,
                            kind,
                            dedupe_key,
                            payload,
                            attempts: u32::try_from(attempts).unwrap_or(u32::MAX),
                            max_attempts: u32::try_from(max_attempts).unwrap_or(0),
                            enqueued_at_ms,
                            holder: worker.to_owned(),
                        }
                    },
                ))
            }

            async fn extend(
                &self,
                job: &$crate::server::queue::Job,
                lease: std::time::Duration,
                now: time::OffsetDateTime,
            ) -> Result<(), $crate::server::queue::QueueError> {
                let done = sqlx::query(
                    "UPDATE jobs SET lease_until_ms = $1 \
                     WHERE id = $2 AND state = 'running' AND lease_holder = $3",
                )
                .bind($crate::server::queue::ms_after(now, lease))
                .bind(&job.id)
                .bind(&job.holder)
                .execute(&self.pool)
                .await?;
                $crate::server::queue::sql::held(done.rows_affected())
            }

            async fn complete(
                &self,
                job: &$crate::server::queue::Job,
                now: time::OffsetDateTime,
            ) -> Result<(), $crate::server::queue::QueueError> {
                let done = sqlx::query(
                    "UPDATE jobs SET state = 'done', finished_at_ms = $1, lease_holder = NULL, \
                     lease_until_ms = NULL WHERE id = $2 AND state = 'running' \
                     AND lease_holder = $3",
                )
                .bind($crate::server::queue::ms(now))
                .bind(&job.id)
                .bind(&job.holder)
                .execute(&self.pool)
                .await?;
                $crate::server::queue::sql::held(done.rows_affected())
            }

            async fn retry(
                &self,
                job: &$crate::server::queue::Job,
                reason: &str,
                at: time::OffsetDateTime,
            ) -> Result<(), $crate::server::queue::QueueError> {
                let done = sqlx::query(
                    "UPDATE jobs SET state = 'ready', run_at_ms = $1, last_error = $2, \
                     lease_holder = NULL, lease_until_ms = NULL \
                     WHERE id = $3 AND state = 'running' AND lease_holder = $4",
                )
                .bind($crate::server::queue::ms(at))
                .bind(reason)
                .bind(&job.id)
                .bind(&job.holder)
                .execute(&self.pool)
                .await?;
                $crate::server::queue::sql::held(done.rows_affected())
            }

            async fn bury(
                &self,
                job: &$crate::server::queue::Job,
                reason: &str,
                now: time::OffsetDateTime,
            ) -> Result<(), $crate::server::queue::QueueError> {
                let done = sqlx::query(
                    "UPDATE jobs SET state = 'dead', last_error = $1, finished_at_ms = $2, \
                     lease_holder = NULL, lease_until_ms = NULL \
                     WHERE id = $3 AND state = 'running' AND lease_holder = $4",
                )
                .bind(reason)
                .bind($crate::server::queue::ms(now))
                .bind(&job.id)
                .bind(&job.holder)
                .execute(&self.pool)
                .await?;
                $crate::server::queue::sql::held(done.rows_affected())
            }

            async fn release(
                &self,
                job: &$crate::server::queue::Job,
            ) -> Result<(), $crate::server::queue::QueueError> {
                let done = sqlx::query(
                    "UPDATE jobs SET state = 'ready', attempts = attempts - 1, \
                     lease_holder = NULL, lease_until_ms = NULL \
                     WHERE id = $1 AND state = 'running' AND lease_holder = $2",
                )
                .bind(&job.id)
                .bind(&job.holder)
                .execute(&self.pool)
                .await?;
                $crate::server::queue::sql::held(done.rows_affected())
            }

            async fn stats(
                &self,
                now: time::OffsetDateTime,
            ) -> Result<$crate::server::queue::QueueStats, $crate::server::queue::QueueError>
            {
                let rows: Vec<(String, i64, Option<i64>)> = sqlx::query_as(
                    "SELECT state, COUNT(*), MIN(enqueued_at_ms) FROM jobs \
                     WHERE state IN ('ready', 'running', 'dead') GROUP BY state",
                )
                .fetch_all(&self.pool)
                .await?;
                let mut stats = $crate::server::queue::QueueStats::default();
                for (state, count, oldest) in rows {
                    let count = u64::try_from(count).unwrap_or(0);
                    match state.as_str() {
                        "ready" => {
                            stats.ready = count;
                            stats.oldest_ready_age_ms = oldest
                                .map(|o| {
                                    u64::try_from($crate::server::queue::ms(now) - o)
                                        .unwrap_or(0)
                                })
                                .unwrap_or(0);
                        }
                        "running" => stats.running = count,
                        _ => stats.dead = count,
                    }
                }
                Ok(stats)
            }

            async fn dead_jobs(
                &self,
                limit: u32,
            ) -> Result<Vec<$crate::server::queue::DeadJob>, $crate::server::queue::QueueError>
            {
                let rows: Vec<(String, String, i64, Option<String>)> = sqlx::query_as(
                    "SELECT id, dedupe_key, attempts, last_error FROM jobs \
                     WHERE state = 'dead' ORDER BY finished_at_ms DESC LIMIT $1",
                )
                .bind(i64::from(limit))
                .fetch_all(&self.pool)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|(id, dedupe_key, attempts, reason)| $crate::server::queue::DeadJob {
                        id,
                        dedupe_key,
                        attempts: u32::try_from(attempts).unwrap_or(0),
                        reason: reason.unwrap_or_default(),
                    })
                    .collect())
            }
        }

        async fn insert_job(
            tx: &mut sqlx::Transaction<'_, <$store as $crate::server::queue::sql::HasDb>::Db>,
            job: &$crate::server::queue::NewJob,
            now: time::OffsetDateTime,
        ) -> Result<$crate::server::queue::Enqueued, $crate::server::queue::QueueError> {
            let id = uuid::Uuid::new_v4().to_string();
            let now_ms = $crate::server::queue::ms(now);
            // The partial unique index on open jobs makes a duplicate a no-op.
            let added = sqlx::query(
                "INSERT INTO jobs (id, kind, dedupe_key, payload, state, attempts, max_attempts, \
                 run_at_ms, enqueued_at_ms) VALUES ($1, $2, $3, $4, 'ready', 0, $5, $6, $6) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(&id)
            .bind(&job.kind)
            .bind(&job.dedupe_key)
            .bind(&job.payload)
            .bind(i64::from(job.max_attempts))
            .bind(now_ms)
            .execute(&mut **tx)
            .await?
            .rows_affected();
            Ok(if added == 1 {
                $crate::server::queue::Enqueued::Added(id)
            } else {
                $crate::server::queue::Enqueued::Duplicate
            })
        }

        async fn upsert_checkpoint(
            tx: &mut sqlx::Transaction<'_, <$store as $crate::server::queue::sql::HasDb>::Db>,
            checkpoint: &$crate::server::queue::Checkpoint<'_>,
            now: time::OffsetDateTime,
        ) -> Result<(), $crate::server::queue::QueueError> {
            sqlx::query(
                "INSERT INTO event_checkpoints (subscription, replay_id, updated_at_ms) \
                 VALUES ($1, $2, $3) ON CONFLICT (subscription) DO UPDATE \
                 SET replay_id = excluded.replay_id, updated_at_ms = excluded.updated_at_ms",
            )
            .bind(checkpoint.subscription)
            .bind($crate::server::queue::sql::to_hex(checkpoint.replay_id))
            .bind($crate::server::queue::ms(now))
            .execute(&mut **tx)
            .await?;
            Ok(())
        }
    };
}

pub(crate) use impl_job_queue;

/// The sqlx database type of a store, so one macro body names its transactions.
pub trait HasDb {
    /// The database.
    type Db: sqlx::Database;
}

impl HasDb for crate::server::store::SqliteStore {
    type Db = sqlx::Sqlite;
}

impl HasDb for crate::server::store::PostgresStore {
    type Db = sqlx::Postgres;
}

/// Ok when a conditional write on a held job touched it; otherwise the lease was lost.
pub fn held(rows: u64) -> Result<(), super::QueueError> {
    if rows == 1 {
        Ok(())
    } else {
        Err(super::QueueError::LeaseLost)
    }
}

/// Lowercase hex of opaque bytes.
pub fn to_hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// Bytes from [`to_hex`]'s form; `None` when malformed.
pub fn from_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips_and_refuses_garbage() {
        let bytes = [0u8, 1, 0xab, 0xff, 0x10];
        assert_eq!(to_hex(&bytes), "0001abff10");
        assert_eq!(from_hex("0001abff10").as_deref(), Some(&bytes[..]));
        assert_eq!(from_hex("abc"), None);
        assert_eq!(from_hex("zz"), None);
        assert_eq!(from_hex(""), Some(Vec::new()));
    }
}
