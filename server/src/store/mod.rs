//! Where the server's state lives between requests: verifications, per-destination counters,
//! send budgets and proofs waiting to be redeemed. One primitive, [`Store::update`], an atomic
//! read-modify-write of one record, carries every rule, so the in-memory store (one instance) and
//! the Redis store (many instances) enforce exactly the same policy.

pub mod memory;
mod redis;

use std::future::Future;

use serde::de::DeserializeOwned;
use serde::Serialize;

pub use memory::MemoryStore;
pub use redis::{redacted, RedisAddress, RedisStore};

/// A value kept in a store. Stores hold records as JSON, so a record's shape is its wire format.
pub trait Record: Serialize + DeserializeOwned + Send + 'static {
    /// Milliseconds since the Unix epoch after which nothing needs this record: stores forget it
    /// then (the memory store sweeps it, Redis expires it).
    fn keep_until_ms(&self) -> u64;
}

/// Why a store could not complete an update. Rendered as `503 Try again in a moment`.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The memory store holds as many records as it may.
    #[error("the store is full ({0} records)")]
    Full(usize),
    /// The shared store cannot be reached or answered with an error.
    #[error("the store is unavailable: {0}")]
    Unavailable(String),
    /// Other instances kept changing the record; the update gave up after several tries.
    #[error("the record {0} kept changing under concurrent updates")]
    Contended(String),
    /// A stored value is not a record of the expected shape (another program wrote it).
    #[error("the record {0} is not readable")]
    Corrupt(String),
}

/// Records by key, each updated atomically.
pub trait Store: Send + Sync + 'static {
    /// Reads the record under `key` (`None` when absent or past its `keep_until_ms` at
    /// `now_ms`), lets `change` edit it in place (setting it to `None` removes it) and writes the
    /// result back, atomically: no other update of `key`, in this process or another sharing
    /// the store, comes between the read and the write. `change` may run more than once, when a
    /// shared store must retry, so it must have no effect beyond its argument and its result.
    fn update<T, R, F>(
        &self,
        key: &str,
        now_ms: u64,
        change: F,
    ) -> impl Future<Output = Result<R, StoreError>> + Send
    where
        T: Record,
        R: Send,
        F: FnMut(&mut Option<T>) -> R + Send;
}

/// The JSON text of `record` if it should be kept at `now_ms`, with its deadline; `None` when it
/// should be removed (absent, or already past its deadline).
fn serialise<T: Record>(
    record: &Option<T>,
    now_ms: u64,
) -> Result<Option<(String, u64)>, StoreError> {
    match record {
        Some(record) if record.keep_until_ms() > now_ms => serde_json::to_string(record)
            .map(|json| Some((json, record.keep_until_ms())))
            .map_err(|e| StoreError::Corrupt(e.to_string())),
        _ => Ok(None),
    }
}

/// Reads a stored JSON text back into a record.
fn deserialise<T: Record>(key: &str, json: &str) -> Result<T, StoreError> {
    serde_json::from_str(json).map_err(|_| StoreError::Corrupt(key.to_string()))
}
