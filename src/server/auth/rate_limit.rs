//! Rate limits on login, sign-up and reset, per IP and per account, counted in the cache
//! backend (Redis when configured, so every instance sees the same counts).
//!
//! Per account, the first few failures are free; after that each further attempt must wait
//! twice as long as the one before (2 s, 4 s, … up to the window). Keys are derived from the
//! normalised email whether or not an account exists, so the limiter reveals nothing.

use crate::error::AppError;
use crate::server::cache::CacheBackend;
use std::sync::Arc;
use std::time::Duration;

/// Checks and counts rate-limited actions.
#[derive(Clone)]
pub struct RateLimiter {
    backend: Arc<dyn CacheBackend>,
}

impl RateLimiter {
    /// Over a cache backend.
    pub fn new(backend: Arc<dyn CacheBackend>) -> Self {
        RateLimiter { backend }
    }

    /// Counts one `action` from `ip`; `RateLimited` once more than `limit` in `window`.
    /// A broken backend lets the request through (availability over strictness) and logs it.
    pub async fn hit_ip(
        &self,
        action: &str,
        ip: &str,
        limit: u32,
        window: Duration,
    ) -> Result<(), AppError> {
        let key = format!("rl:{action}:ip:{ip}");
        match self.backend.count_in_window(&key, window).await {
            Ok(n) if n > u64::from(limit) => Err(AppError::RateLimited {
                retry_after_secs: whole_secs(window),
            }),
            Ok(_) => Ok(()),
            Err(err) => {
                tracing::warn!(error = %err, "rate limiter unavailable");
                Ok(())
            }
        }
    }

    /// Refuses an account attempt while the account's back-off is running. `last_failure`
    /// is tracked by a second window whose length is the current delay.
    pub async fn check_account(&self, email: &str, free_failures: u32) -> Result<(), AppError> {
        let failures = self
            .backend
            .window_count(&failures_key(email))
            .await
            .unwrap_or(0);
        if failures < u64::from(free_failures) {
            return Ok(());
        }
        let waiting = self
            .backend
            .window_count(&cooldown_key(email))
            .await
            .unwrap_or(0);
        if waiting > 0 {
            return Err(AppError::RateLimited {
                retry_after_secs: whole_secs(delay(failures, free_failures)),
            });
        }
        Ok(())
    }

    /// Records a failed attempt on an account and starts its cool-down.
    pub async fn record_failure(&self, email: &str, free_failures: u32, window: Duration) {
        let failures = self
            .backend
            .count_in_window(&failures_key(email), window)
            .await
            .unwrap_or(0);
        if failures >= u64::from(free_failures) {
            let wait = delay(failures, free_failures).min(window);
            let _ = self
                .backend
                .count_in_window(&cooldown_key(email), wait)
                .await;
        }
    }

    /// Forgets an account's failures after a successful sign-in.
    pub async fn record_success(&self, email: &str) {
        let _ = self.backend.clear_window(&failures_key(email)).await;
        let _ = self.backend.clear_window(&cooldown_key(email)).await;
    }
}

fn whole_secs(d: Duration) -> u32 {
    u32::try_from(d.as_secs()).unwrap_or(u32::MAX)
}

fn failures_key(email: &str) -> String {
    format!("rl:login:acct:{}", super::secrets::hash_token(email))
}

fn cooldown_key(email: &str) -> String {
    format!("rl:login:wait:{}", super::secrets::hash_token(email))
}

/// The wait after `failures` failures: 2^(failures - free + 1) seconds, capped at 15 minutes.
pub fn delay(failures: u64, free_failures: u32) -> Duration {
    let over = failures.saturating_sub(u64::from(free_failures)).min(9);
    Duration::from_secs((2u64 << over).min(900))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::cache::MemoryBackend;

    #[test]
    fn delays_double_and_cap() {
        assert_eq!(delay(3, 3), Duration::from_secs(2));
        assert_eq!(delay(4, 3), Duration::from_secs(4));
        assert_eq!(delay(5, 3), Duration::from_secs(8));
        assert_eq!(delay(100, 3), Duration::from_secs(900));
    }

    #[tokio::test]
    async fn accounts_back_off_after_free_failures_and_reset_on_success() {
        let limiter = RateLimiter::new(Arc::new(MemoryBackend::new(100)));
        let window = Duration::from_secs(60);
        for _ in 0..2 {
            limiter.check_account("a@x.jp", 3).await.expect("free");
            limiter.record_failure("a@x.jp", 3, window).await;
        }
        limiter
            .check_account("a@x.jp", 3)
            .await
            .expect("third try is free");
        limiter.record_failure("a@x.jp", 3, window).await;
        assert!(matches!(
            limiter.check_account("a@x.jp", 3).await,
            Err(AppError::RateLimited { .. })
        ));
        // Another account is not affected.
        limiter
            .check_account("b@x.jp", 3)
            .await
            .expect("other account");
        limiter.record_success("a@x.jp").await;
        limiter.check_account("a@x.jp", 3).await.expect("reset");
    }

    #[tokio::test]
    async fn ips_are_limited_per_window() {
        let limiter = RateLimiter::new(Arc::new(MemoryBackend::new(100)));
        for _ in 0..3 {
            limiter
                .hit_ip("login", "1.2.3.4", 3, Duration::from_secs(60))
                .await
                .expect("under");
        }
        assert!(
            limiter
                .hit_ip("login", "1.2.3.4", 3, Duration::from_secs(60))
                .await
                .is_err()
        );
        assert!(
            limiter
                .hit_ip("login", "5.6.7.8", 3, Duration::from_secs(60))
                .await
                .is_ok()
        );
    }
}
