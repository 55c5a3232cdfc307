//! Single-flight: while one caller loads a key, the others for the same key wait for it instead
//! of calling upstream too. Per process; across instances the shared cache absorbs the rest.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, Weak};
use tokio::sync::{Mutex as AsyncMutex, OwnedMutexGuard};

/// A map of per-key async locks that forgets keys nobody holds.
#[derive(Default)]
pub struct SingleFlight {
    locks: Mutex<HashMap<String, Weak<AsyncMutex<()>>>>,
}

impl SingleFlight {
    /// Waits for the flight of `key`; the guard ends it.
    pub async fn enter(&self, key: &str) -> OwnedMutexGuard<()> {
        let lock = {
            let mut locks = self
                .locks
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if locks.len() > 1024 {
                locks.retain(|_, weak| weak.strong_count() > 0);
            }
            match locks.get(key).and_then(Weak::upgrade) {
                Some(lock) => lock,
                None => {
                    let lock = Arc::new(AsyncMutex::new(()));
                    locks.insert(key.to_owned(), Arc::downgrade(&lock));
                    lock
                }
            }
        };
        lock.lock_owned().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    #[tokio::test]
    async fn one_key_runs_one_at_a_time_and_others_run_alongside() {
        let flights = Arc::new(SingleFlight::default());
        let inside = Arc::new(AtomicUsize::new(0));
        let max_inside = Arc::new(AtomicUsize::new(0));
        let mut tasks = Vec::new();
        for _ in 0..10 {
            let (flights, inside, max_inside) =
                (flights.clone(), inside.clone(), max_inside.clone());
            tasks.push(tokio::spawn(async move {
                let _g = flights.enter("k").await;
                let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
                max_inside.fetch_max(now, Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(2)).await;
                inside.fetch_sub(1, Ordering::SeqCst);
            }));
        }
        // A different key is not blocked by the flight of "k".
        let other = tokio::time::timeout(Duration::from_millis(500), flights.enter("other")).await;
        assert!(other.is_ok());
        for t in tasks {
            t.await.ok();
        }
        assert_eq!(max_inside.load(Ordering::SeqCst), 1);
    }
}
