//! [`AccountStore`](super::AccountStore) for both SQL backends from one body: these queries use
//! only what SQLite and PostgreSQL share (`$n` placeholders, `RETURNING`, `ON CONFLICT`,
//! BIGINT/INTEGER millisecond timestamps), so one macro instantiated per pool type keeps the
//! two implementations identical by construction; `tests/integration/store_story.rs` runs both.

/// Row shape of `users`.
#[derive(sqlx::FromRow)]
pub(super) struct UserRow {
    pub id: String,
    pub email: String,
    pub password_hash: String,
    pub status: String,
    pub locale: String,
    pub email_verified_at_ms: Option<i64>,
    pub totp_secret: Option<String>,
    pub totp_enabled_at_ms: Option<i64>,
    pub totp_last_step: Option<i64>,
    pub whmcs_client_id: Option<i64>,
    pub sf_account_id: Option<String>,
    pub sf_contact_id: Option<String>,
    pub created_at_ms: i64,
}

impl From<UserRow> for super::UserRecord {
    fn from(r: UserRow) -> Self {
        super::UserRecord {
            id: r.id,
            email: r.email,
            password_hash: r.password_hash,
            status: r.status,
            locale: r.locale,
            email_verified_at_ms: r.email_verified_at_ms,
            totp_secret: r.totp_secret,
            totp_enabled_at_ms: r.totp_enabled_at_ms,
            totp_last_step: r.totp_last_step,
            whmcs_client_id: r.whmcs_client_id,
            sf_account_id: r.sf_account_id,
            sf_contact_id: r.sf_contact_id,
            created_at_ms: r.created_at_ms,
        }
    }
}

/// Row shape of `sessions`.
#[derive(sqlx::FromRow)]
pub(super) struct SessionRow {
    pub id: String,
    pub user_id: String,
    pub user_agent: String,
    pub ip: String,
    pub created_at_ms: i64,
    pub last_seen_at_ms: i64,
    pub expires_at_ms: i64,
    pub revoked_at_ms: Option<i64>,
    pub revoked_reason: Option<String>,
}

impl From<SessionRow> for super::SessionRecord {
    fn from(r: SessionRow) -> Self {
        super::SessionRecord {
            id: r.id,
            user_id: r.user_id,
            user_agent: r.user_agent,
            ip: r.ip,
            created_at_ms: r.created_at_ms,
            last_seen_at_ms: r.last_seen_at_ms,
            expires_at_ms: r.expires_at_ms,
            revoked: r
                .revoked_at_ms
                .map(|at| (at, r.revoked_reason.unwrap_or_default())),
        }
    }
}

/// Row shape of `audit_events`.
#[derive(sqlx::FromRow)]
pub(super) struct AuditRow {
    pub id: String,
    pub user_id: String,
    pub kind: String,
    pub ip: String,
    pub user_agent: String,
    pub at_ms: i64,
}

pub(super) const USER_COLUMNS: &str = "id, email, password_hash, status, locale, \
    email_verified_at_ms, totp_secret, totp_enabled_at_ms, totp_last_step, whmcs_client_id, \
    sf_account_id, sf_contact_id, created_at_ms";

pub(super) const SESSION_COLUMNS: &str = "id, user_id, user_agent, ip, created_at_ms, \
    last_seen_at_ms, expires_at_ms, revoked_at_ms, revoked_reason";

/// Implements `AccountStore` for a store type with a `pool` field.
macro_rules! impl_account_store {
    ($store:ty) => {
        #[async_trait::async_trait]
        impl $crate::server::store::AccountStore for $store {
            async fn create_user(
                &self,
                u: &$crate::server::store::UserRecord,
            ) -> Result<(), $crate::server::store::StoreError> {
                sqlx::query(
                    "INSERT INTO users (id, email, password_hash, status, locale, \
                     email_verified_at_ms, totp_secret, totp_enabled_at_ms, totp_last_step, \
                     whmcs_client_id, sf_account_id, sf_contact_id, created_at_ms, updated_at_ms) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)",
                )
                .bind(&u.id)
                .bind(&u.email)
                .bind(&u.password_hash)
                .bind(&u.status)
                .bind(&u.locale)
                .bind(u.email_verified_at_ms)
                .bind(&u.totp_secret)
                .bind(u.totp_enabled_at_ms)
                .bind(u.totp_last_step)
                .bind(u.whmcs_client_id)
                .bind(&u.sf_account_id)
                .bind(&u.sf_contact_id)
                .bind(u.created_at_ms)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn user_by_email(
                &self,
                email: &str,
            ) -> Result<Option<$crate::server::store::UserRecord>, $crate::server::store::StoreError>
            {
                let sql = format!(
                    "SELECT {} FROM users WHERE email = $1",
                    $crate::server::store::accounts_sql::USER_COLUMNS
                );
                let row: Option<$crate::server::store::accounts_sql::UserRow> =
                    sqlx::query_as(sqlx::AssertSqlSafe(sql))
                        .bind(email)
                        .fetch_optional(&self.pool)
                        .await?;
                Ok(row.map(Into::into))
            }

            async fn user_by_id(
                &self,
                id: &str,
            ) -> Result<Option<$crate::server::store::UserRecord>, $crate::server::store::StoreError>
            {
                let sql = format!(
                    "SELECT {} FROM users WHERE id = $1",
                    $crate::server::store::accounts_sql::USER_COLUMNS
                );
                let row: Option<$crate::server::store::accounts_sql::UserRow> =
                    sqlx::query_as(sqlx::AssertSqlSafe(sql))
                        .bind(id)
                        .fetch_optional(&self.pool)
                        .await?;
                Ok(row.map(Into::into))
            }

            async fn user_by_whmcs_client(
                &self,
                client_id: i64,
            ) -> Result<Option<$crate::server::store::UserRecord>, $crate::server::store::StoreError>
            {
                let sql = format!(
                    "SELECT {} FROM users WHERE whmcs_client_id = $1",
                    $crate::server::store::accounts_sql::USER_COLUMNS
                );
                let row: Option<$crate::server::store::accounts_sql::UserRow> =
                    sqlx::query_as(sqlx::AssertSqlSafe(sql))
                        .bind(client_id)
                        .fetch_optional(&self.pool)
                        .await?;
                Ok(row.map(Into::into))
            }

            async fn all_users(
                &self,
            ) -> Result<Vec<(String, String)>, $crate::server::store::StoreError> {
                Ok(sqlx::query_as("SELECT id, email FROM users ORDER BY created_at_ms")
                    .fetch_all(&self.pool)
                    .await?)
            }

            async fn delete_user(&self, id: &str) -> Result<(), $crate::server::store::StoreError> {
                sqlx::query("DELETE FROM users WHERE id = $1")
                    .bind(id)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn set_user_link(
                &self,
                id: &str,
                link: &$crate::server::store::UserLink,
                now_ms: i64,
            ) -> Result<(), $crate::server::store::StoreError> {
                use $crate::server::store::UserLink;
                let query = match link {
                    UserLink::WhmcsClient(client) => sqlx::query(
                        "UPDATE users SET whmcs_client_id = $1, updated_at_ms = $2 WHERE id = $3",
                    )
                    .bind(*client),
                    UserLink::SalesforceAccount(sf) => sqlx::query(
                        "UPDATE users SET sf_account_id = $1, updated_at_ms = $2 WHERE id = $3",
                    )
                    .bind(sf.clone()),
                    UserLink::SalesforceContact(sf) => sqlx::query(
                        "UPDATE users SET sf_contact_id = $1, updated_at_ms = $2 WHERE id = $3",
                    )
                    .bind(sf.clone()),
                };
                let done = query.bind(now_ms).bind(id).execute(&self.pool).await?;
                if done.rows_affected() == 0 {
                    return Err($crate::server::store::StoreError::NotFound);
                }
                Ok(())
            }

            async fn set_user_status(
                &self,
                id: &str,
                status: &str,
                now_ms: i64,
            ) -> Result<(), $crate::server::store::StoreError> {
                sqlx::query("UPDATE users SET status = $1, updated_at_ms = $2 WHERE id = $3")
                    .bind(status)
                    .bind(now_ms)
                    .bind(id)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn set_password_hash(
                &self,
                id: &str,
                hash: &str,
                now_ms: i64,
            ) -> Result<(), $crate::server::store::StoreError> {
                sqlx::query(
                    "UPDATE users SET password_hash = $1, updated_at_ms = $2 WHERE id = $3",
                )
                .bind(hash)
                .bind(now_ms)
                .bind(id)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn set_email(
                &self,
                id: &str,
                email: &str,
                now_ms: i64,
            ) -> Result<(), $crate::server::store::StoreError> {
                sqlx::query(
                    "UPDATE users SET email = $1, email_verified_at_ms = $2, updated_at_ms = $2 \
                     WHERE id = $3",
                )
                .bind(email)
                .bind(now_ms)
                .bind(id)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn mark_email_verified(
                &self,
                id: &str,
                now_ms: i64,
            ) -> Result<(), $crate::server::store::StoreError> {
                sqlx::query(
                    "UPDATE users SET email_verified_at_ms = COALESCE(email_verified_at_ms, $1), \
                     updated_at_ms = $1 WHERE id = $2",
                )
                .bind(now_ms)
                .bind(id)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn set_locale(
                &self,
                id: &str,
                locale: &str,
                now_ms: i64,
            ) -> Result<(), $crate::server::store::StoreError> {
                sqlx::query("UPDATE users SET locale = $1, updated_at_ms = $2 WHERE id = $3")
                    .bind(locale)
                    .bind(now_ms)
                    .bind(id)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn set_totp(
                &self,
                id: &str,
                secret: Option<&str>,
                enabled_at_ms: Option<i64>,
                now_ms: i64,
            ) -> Result<(), $crate::server::store::StoreError> {
                sqlx::query(
                    "UPDATE users SET totp_secret = $1, totp_enabled_at_ms = $2, \
                     updated_at_ms = $3 WHERE id = $4",
                )
                .bind(secret)
                .bind(enabled_at_ms)
                .bind(now_ms)
                .bind(id)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn advance_totp_step(
                &self,
                id: &str,
                step: i64,
            ) -> Result<bool, $crate::server::store::StoreError> {
                let done = sqlx::query(
                    "UPDATE users SET totp_last_step = $1 WHERE id = $2 \
                     AND (totp_last_step IS NULL OR totp_last_step < $1)",
                )
                .bind(step)
                .bind(id)
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn replace_recovery_codes(
                &self,
                user_id: &str,
                hashes: &[String],
            ) -> Result<(), $crate::server::store::StoreError> {
                let mut tx = self.pool.begin().await?;
                sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await?;
                for hash in hashes {
                    sqlx::query("INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)")
                        .bind(user_id)
                        .bind(hash)
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                Ok(())
            }

            async fn use_recovery_code(
                &self,
                user_id: &str,
                hash: &str,
                now_ms: i64,
            ) -> Result<bool, $crate::server::store::StoreError> {
                let done = sqlx::query(
                    "UPDATE recovery_codes SET used_at_ms = $1 \
                     WHERE user_id = $2 AND code_hash = $3 AND used_at_ms IS NULL",
                )
                .bind(now_ms)
                .bind(user_id)
                .bind(hash)
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn unused_recovery_codes(
                &self,
                user_id: &str,
            ) -> Result<i64, $crate::server::store::StoreError> {
                let (n,): (i64,) = sqlx::query_as(
                    "SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at_ms IS NULL",
                )
                .bind(user_id)
                .fetch_one(&self.pool)
                .await?;
                Ok(n)
            }

            async fn create_session(
                &self,
                s: &$crate::server::store::SessionRecord,
                refresh_hash: &str,
            ) -> Result<(), $crate::server::store::StoreError> {
                let mut tx = self.pool.begin().await?;
                sqlx::query(
                    "INSERT INTO sessions (id, user_id, user_agent, ip, created_at_ms, \
                     last_seen_at_ms, expires_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(&s.id)
                .bind(&s.user_id)
                .bind(&s.user_agent)
                .bind(&s.ip)
                .bind(s.created_at_ms)
                .bind(s.last_seen_at_ms)
                .bind(s.expires_at_ms)
                .execute(&mut *tx)
                .await?;
                sqlx::query(
                    "INSERT INTO refresh_tokens (token_hash, session_id, expires_at_ms) \
                     VALUES ($1, $2, $3)",
                )
                .bind(refresh_hash)
                .bind(&s.id)
                .bind(s.expires_at_ms)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn rotate_refresh(
                &self,
                old_hash: &str,
                new_hash: &str,
                new_expires_at_ms: i64,
                now_ms: i64,
                grace_ms: i64,
            ) -> Result<$crate::server::store::RefreshOutcome, $crate::server::store::StoreError>
            {
                use $crate::server::store::{RefreshOutcome, SessionRecord};
                let mut tx = self.pool.begin().await?;
                let token: Option<(String, i64, Option<i64>)> = sqlx::query_as(
                    "SELECT session_id, expires_at_ms, used_at_ms FROM refresh_tokens \
                     WHERE token_hash = $1",
                )
                .bind(old_hash)
                .fetch_optional(&mut *tx)
                .await?;
                let Some((session_id, token_expires, used_at)) = token else {
                    return Ok(RefreshOutcome::Invalid);
                };
                let sql = format!(
                    "SELECT {} FROM sessions WHERE id = $1",
                    $crate::server::store::accounts_sql::SESSION_COLUMNS
                );
                let row: Option<$crate::server::store::accounts_sql::SessionRow> =
                    sqlx::query_as(sqlx::AssertSqlSafe(sql))
                        .bind(&session_id)
                        .fetch_optional(&mut *tx)
                        .await?;
                let Some(session) = row.map(SessionRecord::from) else {
                    return Ok(RefreshOutcome::Invalid);
                };
                if !session.is_live(now_ms) || token_expires <= now_ms {
                    return Ok(RefreshOutcome::Invalid);
                }
                if let Some(used) = used_at {
                    if now_ms - used < grace_ms {
                        return Ok(RefreshOutcome::RecentlyRotated(session));
                    }
                    sqlx::query(
                        "UPDATE sessions SET revoked_at_ms = $1, revoked_reason = $2 \
                         WHERE id = $3 AND revoked_at_ms IS NULL",
                    )
                    .bind(now_ms)
                    .bind("refresh_replay")
                    .bind(&session.id)
                    .execute(&mut *tx)
                    .await?;
                    tx.commit().await?;
                    return Ok(RefreshOutcome::Replayed {
                        session_id: session.id,
                        user_id: session.user_id,
                    });
                }
                let claimed = sqlx::query(
                    "UPDATE refresh_tokens SET used_at_ms = $1 \
                     WHERE token_hash = $2 AND used_at_ms IS NULL",
                )
                .bind(now_ms)
                .bind(old_hash)
                .execute(&mut *tx)
                .await?;
                if claimed.rows_affected() != 1 {
                    // A parallel request rotated it between our read and write.
                    return Ok(RefreshOutcome::RecentlyRotated(session));
                }
                sqlx::query(
                    "INSERT INTO refresh_tokens (token_hash, session_id, expires_at_ms) \
                     VALUES ($1, $2, $3)",
                )
                .bind(new_hash)
                .bind(&session.id)
                .bind(new_expires_at_ms.min(session.expires_at_ms))
                .execute(&mut *tx)
                .await?;
                sqlx::query("UPDATE sessions SET last_seen_at_ms = $1 WHERE id = $2")
                    .bind(now_ms)
                    .bind(&session.id)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(RefreshOutcome::Rotated(SessionRecord {
                    last_seen_at_ms: now_ms,
                    ..session
                }))
            }

            async fn session(
                &self,
                id: &str,
            ) -> Result<Option<$crate::server::store::SessionRecord>, $crate::server::store::StoreError>
            {
                let sql = format!(
                    "SELECT {} FROM sessions WHERE id = $1",
                    $crate::server::store::accounts_sql::SESSION_COLUMNS
                );
                let row: Option<$crate::server::store::accounts_sql::SessionRow> =
                    sqlx::query_as(sqlx::AssertSqlSafe(sql))
                        .bind(id)
                        .fetch_optional(&self.pool)
                        .await?;
                Ok(row.map(Into::into))
            }

            async fn touch_session(
                &self,
                id: &str,
                ip: &str,
                now_ms: i64,
            ) -> Result<(), $crate::server::store::StoreError> {
                sqlx::query("UPDATE sessions SET last_seen_at_ms = $1, ip = $2 WHERE id = $3")
                    .bind(now_ms)
                    .bind(ip)
                    .bind(id)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn live_sessions(
                &self,
                user_id: &str,
                now_ms: i64,
            ) -> Result<Vec<$crate::server::store::SessionRecord>, $crate::server::store::StoreError>
            {
                let sql = format!(
                    "SELECT {} FROM sessions WHERE user_id = $1 AND revoked_at_ms IS NULL \
                     AND expires_at_ms > $2 ORDER BY last_seen_at_ms DESC",
                    $crate::server::store::accounts_sql::SESSION_COLUMNS
                );
                let rows: Vec<$crate::server::store::accounts_sql::SessionRow> =
                    sqlx::query_as(sqlx::AssertSqlSafe(sql))
                        .bind(user_id)
                        .bind(now_ms)
                        .fetch_all(&self.pool)
                        .await?;
                Ok(rows.into_iter().map(Into::into).collect())
            }

            async fn revoke_session(
                &self,
                user_id: &str,
                session_id: &str,
                reason: &str,
                now_ms: i64,
            ) -> Result<bool, $crate::server::store::StoreError> {
                let done = sqlx::query(
                    "UPDATE sessions SET revoked_at_ms = $1, revoked_reason = $2 \
                     WHERE id = $3 AND user_id = $4 AND revoked_at_ms IS NULL",
                )
                .bind(now_ms)
                .bind(reason)
                .bind(session_id)
                .bind(user_id)
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected() == 1)
            }

            async fn revoke_sessions(
                &self,
                user_id: &str,
                keep: Option<&str>,
                reason: &str,
                now_ms: i64,
            ) -> Result<u64, $crate::server::store::StoreError> {
                let done = sqlx::query(
                    "UPDATE sessions SET revoked_at_ms = $1, revoked_reason = $2 \
                     WHERE user_id = $3 AND revoked_at_ms IS NULL AND id <> $4",
                )
                .bind(now_ms)
                .bind(reason)
                .bind(user_id)
                .bind(keep.unwrap_or(""))
                .execute(&self.pool)
                .await?;
                Ok(done.rows_affected())
            }

            async fn create_email_token(
                &self,
                hash: &str,
                user_id: &str,
                purpose: $crate::server::store::EmailPurpose,
                new_email: Option<&str>,
                expires_at_ms: i64,
            ) -> Result<(), $crate::server::store::StoreError> {
                sqlx::query(
                    "INSERT INTO email_tokens (token_hash, user_id, purpose, new_email, \
                     expires_at_ms) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(hash)
                .bind(user_id)
                .bind(purpose.as_str())
                .bind(new_email)
                .bind(expires_at_ms)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn consume_email_token(
                &self,
                hash: &str,
                purpose: $crate::server::store::EmailPurpose,
                now_ms: i64,
            ) -> Result<Option<(String, Option<String>)>, $crate::server::store::StoreError> {
                let row: Option<(String, Option<String>)> = sqlx::query_as(
                    "UPDATE email_tokens SET used_at_ms = $1 WHERE token_hash = $2 \
                     AND purpose = $3 AND used_at_ms IS NULL AND expires_at_ms > $1 \
                     RETURNING user_id, new_email",
                )
                .bind(now_ms)
                .bind(hash)
                .bind(purpose.as_str())
                .fetch_optional(&self.pool)
                .await?;
                Ok(row)
            }

            async fn add_audit(
                &self,
                e: &$crate::server::store::AuditRecord,
            ) -> Result<(), $crate::server::store::StoreError> {
                sqlx::query(
                    "INSERT INTO audit_events (id, user_id, kind, ip, user_agent, at_ms) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(&e.id)
                .bind(&e.user_id)
                .bind(&e.kind)
                .bind(&e.ip)
                .bind(&e.user_agent)
                .bind(e.at_ms)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn audit_events(
                &self,
                user_id: &str,
                limit: i64,
            ) -> Result<Vec<$crate::server::store::AuditRecord>, $crate::server::store::StoreError>
            {
                let rows: Vec<$crate::server::store::accounts_sql::AuditRow> = sqlx::query_as(
                    "SELECT id, user_id, kind, ip, user_agent, at_ms FROM audit_events \
                     WHERE user_id = $1 ORDER BY at_ms DESC, id DESC LIMIT $2",
                )
                .bind(user_id)
                .bind(limit)
                .fetch_all(&self.pool)
                .await?;
                Ok(rows
                    .into_iter()
                    .map(|r| $crate::server::store::AuditRecord {
                        id: r.id,
                        user_id: r.user_id,
                        kind: r.kind,
                        ip: r.ip,
                        user_agent: r.user_agent,
                        at_ms: r.at_ms,
                    })
                    .collect())
            }
        }
    };
}

pub(super) use impl_account_store;
