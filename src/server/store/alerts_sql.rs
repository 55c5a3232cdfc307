//! [`AlertStore`](super::AlertStore) for both SQL backends from one body (the queries use only
//! what SQLite and PostgreSQL share: `ON CONFLICT`, `UPDATE … RETURNING`), like
//! [`cart_sql`](super::cart_sql).

/// Implements `AlertStore` for a store type with a `pool` field.
macro_rules! impl_alert_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::server::store::AlertStore for $store {
            async fn usage_alert(
                &self,
                user_id: &str,
                msisdn: &str,
            ) -> Result<Option<u32>, $crate::server::store::StoreError> {
                let row: Option<(i64,)> = sqlx::query_as(
                    "SELECT threshold_mb FROM usage_alerts WHERE user_id = $1 AND msisdn = $2",
                )
                .bind(user_id)
                .bind(msisdn)
                .fetch_optional(&self.pool)
                .await?;
                Ok(row.and_then(|(mb,)| u32::try_from(mb).ok()))
            }

            async fn usage_alerts_of(
                &self,
                user_id: &str,
            ) -> Result<Vec<(String, u32)>, $crate::server::store::StoreError> {
                let rows: Vec<(String, i64)> = sqlx::query_as(
                    "SELECT msisdn, threshold_mb FROM usage_alerts WHERE user_id = $1 ORDER BY msisdn",
                )
                .bind(user_id)
                .fetch_all(&self.pool)
                .await?;
                Ok(rows
                    .into_iter()
                    .filter_map(|(msisdn, mb)| Some((msisdn, u32::try_from(mb).ok()?)))
                    .collect())
            }

            async fn set_usage_alert(
                &self,
                user_id: &str,
                msisdn: &str,
                threshold_mb: Option<u32>,
                now_ms: i64,
            ) -> Result<(), $crate::server::store::StoreError> {
                match threshold_mb {
                    Some(mb) => {
                        sqlx::query(
                            "INSERT INTO usage_alerts (user_id, msisdn, threshold_mb, updated_at_ms) \
                             VALUES ($1, $2, $3, $4) ON CONFLICT (user_id, msisdn) DO UPDATE \
                             SET threshold_mb = excluded.threshold_mb, updated_at_ms = excluded.updated_at_ms",
                        )
                        .bind(user_id)
                        .bind(msisdn)
                        .bind(i64::from(mb))
                        .bind(now_ms)
                        .execute(&self.pool)
                        .await?;
                    }
                    None => {
                        sqlx::query("DELETE FROM usage_alerts WHERE user_id = $1 AND msisdn = $2")
                            .bind(user_id)
                            .bind(msisdn)
                            .execute(&self.pool)
                            .await?;
                    }
                }
                Ok(())
            }

            async fn record_alert_event(
                &self,
                event: &$crate::server::store::AlertEvent,
                notice: &$crate::server::store::NoticeRecord,
                now_ms: i64,
            ) -> Result<bool, $crate::server::store::StoreError> {
                let mut tx = self.pool.begin().await?;
                // The primary key decides: only the first of any number of racing inserts
                // affects a row, and only that one creates the notice.
                let inserted = sqlx::query(
                    "INSERT INTO usage_alert_events \
                     (user_id, msisdn, month, threshold_mb, used_bytes, created_at_ms) \
                     VALUES ($1, $2, $3, $4, $5, $6) \
                     ON CONFLICT (user_id, msisdn, month, threshold_mb) DO NOTHING",
                )
                .bind(&event.user_id)
                .bind(&event.msisdn)
                .bind(&event.month)
                .bind(i64::from(event.threshold_mb))
                .bind(i64::try_from(event.used_bytes).unwrap_or(i64::MAX))
                .bind(now_ms)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if inserted != 1 {
                    tx.rollback().await?;
                    return Ok(false);
                }
                sqlx::query(
                    "INSERT INTO notifications (id, user_id, kind, subject, payload, created_at_ms) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(&notice.id)
                .bind(&event.user_id)
                .bind(&notice.kind)
                .bind(&notice.subject)
                .bind(&notice.payload)
                .bind(notice.created_at_ms)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn claim_alert_mails(
                &self,
                user_id: &str,
                msisdn: &str,
                now_ms: i64,
                claim_until_ms: i64,
            ) -> Result<Vec<$crate::server::store::AlertEvent>, $crate::server::store::StoreError>
            {
                // One statement: the condition is checked on the row being updated, so two
                // claimers never both get an event.
                let rows: Vec<(String, i64, i64)> = sqlx::query_as(
                    "UPDATE usage_alert_events SET mail_claimed_until_ms = $1 \
                     WHERE user_id = $2 AND msisdn = $3 AND mailed_at_ms IS NULL \
                     AND (mail_claimed_until_ms IS NULL OR mail_claimed_until_ms <= $4) \
                     RETURNING month, threshold_mb, used_bytes",
                )
                .bind(claim_until_ms)
                .bind(user_id)
                .bind(msisdn)
                .bind(now_ms)
                .fetch_all(&self.pool)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|(month, threshold_mb, used_bytes)| {
                        $crate::server::store::AlertEvent {
                            user_id: user_id.to_owned(),
                            msisdn: msisdn.to_owned(),
                            month,
                            threshold_mb: u32::try_from(threshold_mb).unwrap_or(u32::MAX),
                            used_bytes: u64::try_from(used_bytes).unwrap_or(0),
                        }
                    })
                    .collect())
            }

            async fn finish_alert_mail(
                &self,
                event: &$crate::server::store::AlertEvent,
                mailed_at_ms: Option<i64>,
            ) -> Result<(), $crate::server::store::StoreError> {
                sqlx::query(
                    "UPDATE usage_alert_events SET mailed_at_ms = $1, mail_claimed_until_ms = NULL \
                     WHERE user_id = $2 AND msisdn = $3 AND month = $4 AND threshold_mb = $5",
                )
                .bind(mailed_at_ms)
                .bind(&event.user_id)
                .bind(&event.msisdn)
                .bind(&event.month)
                .bind(i64::from(event.threshold_mb))
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn open_notices(
                &self,
                user_id: &str,
                limit: u32,
            ) -> Result<Vec<$crate::server::store::NoticeRecord>, $crate::server::store::StoreError>
            {
                let rows: Vec<(String, String, String, String, i64)> = sqlx::query_as(
                    "SELECT id, kind, subject, payload, created_at_ms FROM notifications \
                     WHERE user_id = $1 AND dismissed_at_ms IS NULL \
                     ORDER BY created_at_ms DESC, id LIMIT $2",
                )
                .bind(user_id)
                .bind(i64::from(limit))
                .fetch_all(&self.pool)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|(id, kind, subject, payload, created_at_ms)| {
                        $crate::server::store::NoticeRecord {
                            id,
                            kind,
                            subject,
                            payload,
                            created_at_ms,
                        }
                    })
                    .collect())
            }

            async fn dismiss_notice(
                &self,
                user_id: &str,
                id: &str,
                now_ms: i64,
            ) -> Result<bool, $crate::server::store::StoreError> {
                let done = sqlx::query(
                    "UPDATE notifications SET dismissed_at_ms = $1 \
                     WHERE id = $2 AND user_id = $3 AND dismissed_at_ms IS NULL",
                )
                .bind(now_ms)
                .bind(id)
                .bind(user_id)
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() == 1)
            }
        }
    };
}

pub(super) use impl_alert_store;
