//! `Snapshot`: data read from a provider through the cache, with how current it is, as the
//! pages receive it (they show "as of …" when the provider failed and an older copy is served).

use serde::{Deserialize, Serialize};

/// A value and how current it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshot<T> {
    /// The data.
    pub value: T,
    /// When it was fetched from the provider (Unix ms).
    pub as_of: i64,
    /// True when the provider failed and this is an older copy.
    pub stale: bool,
}

#[cfg(feature = "ssr")]
impl<T> From<crate::server::cache::Cached<T>> for Snapshot<T> {
    fn from(cached: crate::server::cache::Cached<T>) -> Self {
        Snapshot {
            value: cached.value,
            as_of: crate::server::store::unix_ms(cached.as_of),
            stale: cached.stale,
        }
    }
}
