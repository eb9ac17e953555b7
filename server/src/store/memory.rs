//! The store in this process's memory: right for one instance, for tests and for the demo.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Mutex, MutexGuard};

use super::{deserialise, serialise, Record, Store, StoreError};

/// How many records a [`MemoryStore`] holds by default: about 250 MiB of resident memory at the
/// ~500 bytes a record measured by `make bench-server` (a pending verification is two records).
pub const DEFAULT_CAPACITY: usize = 500_000;

/// How often, at most, the whole map is swept of expired records (milliseconds). Between
/// sweeps an expired record is still never read: reads check its deadline.
const SWEEP_EVERY_MS: u64 = 1_000;

/// Records in a map behind one lock, bounded: when full after a sweep, new keys are refused
/// ([`StoreError::Full`]) while existing ones can still be updated.
#[derive(Debug)]
pub struct MemoryStore {
    inner: Mutex<Inner>,
    capacity: usize,
}

#[derive(Debug, Default)]
struct Inner {
    records: HashMap<String, Entry>,
    swept_at_ms: u64,
}

#[derive(Debug)]
struct Entry {
    json: String,
    keep_until_ms: u64,
}

impl Default for MemoryStore {
    fn default() -> Self {
        Self::with_capacity(DEFAULT_CAPACITY)
    }
}

impl MemoryStore {
    /// An empty store that holds at most `capacity` records.
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            inner: Mutex::default(),
            capacity,
        }
    }

    /// How many records are held, expired ones not yet swept included.
    pub fn len(&self) -> usize {
        self.lock().records.len()
    }

    /// Whether no record is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The stored JSON text of every record, for tests that check what is (not) kept.
    pub fn dump(&self) -> Vec<(String, String)> {
        let inner = self.lock();
        let mut all: Vec<_> = inner
            .records
            .iter()
            .map(|(key, entry)| (key.clone(), entry.json.clone()))
            .collect();
        all.sort();
        all
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // Updates replace whole entries, so a panic elsewhere cannot leave one half-written:
        // a poisoned lock is still safe to use.
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn update_now<T: Record, R>(
        &self,
        key: &str,
        now_ms: u64,
        mut change: impl FnMut(&mut Option<T>) -> R,
    ) -> Result<R, StoreError> {
        let mut inner = self.lock();
        if now_ms >= inner.swept_at_ms + SWEEP_EVERY_MS {
            inner
                .records
                .retain(|_, entry| entry.keep_until_ms > now_ms);
            inner.swept_at_ms = now_ms;
        }
        let before = inner
            .records
            .get(key)
            .filter(|entry| entry.keep_until_ms > now_ms);
        let mut record = before
            .map(|entry| deserialise::<T>(key, &entry.json))
            .transpose()?;
        let existed = before.is_some();
        let result = change(&mut record);
        match serialise(&record, now_ms)? {
            Some((json, keep_until_ms)) => {
                if !existed
                    && !inner.records.contains_key(key)
                    && inner.records.len() >= self.capacity
                {
                    inner
                        .records
                        .retain(|_, entry| entry.keep_until_ms > now_ms);
                    if inner.records.len() >= self.capacity {
                        return Err(StoreError::Full(self.capacity));
                    }
                }
                inner.records.insert(
                    key.to_string(),
                    Entry {
                        json,
                        keep_until_ms,
                    },
                );
            }
            None => {
                inner.records.remove(key);
            }
        }
        Ok(result)
    }
}

impl Store for MemoryStore {
    fn update<T, R, F>(
        &self,
        key: &str,
        now_ms: u64,
        change: F,
    ) -> impl Future<Output = Result<R, StoreError>> + Send
    where
        T: Record,
        R: Send,
        F: FnMut(&mut Option<T>) -> R + Send,
    {
        std::future::ready(self.update_now(key, now_ms, change))
    }
}

#[cfg(test)]
mod tests {
    //! What only the memory store does: its sweep and its bound. What every store does is in
    //! `tests/store_contract.rs`.
    use serde::{Deserialize, Serialize};

    use super::*;

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct Note {
        text: String,
        until: u64,
    }

    impl Record for Note {
        fn keep_until_ms(&self) -> u64 {
            self.until
        }
    }

    fn note(text: &str, until: u64) -> Option<Note> {
        Some(Note {
            text: text.into(),
            until,
        })
    }

    async fn read(store: &MemoryStore, key: &str, now: u64) -> Option<Note> {
        store
            .update(key, now, |n: &mut Option<Note>| n.clone())
            .await
            .expect("readable")
    }

    #[tokio::test]
    async fn a_record_past_its_deadline_is_never_read_and_is_swept() {
        let store = MemoryStore::default();
        store
            .update("old", 0, |n| *n = note("x", 500))
            .await
            .expect("written");
        store
            .update("new", 0, |n| *n = note("y", 5_000))
            .await
            .expect("written");
        assert_eq!(
            read(&store, "old", 500).await,
            None,
            "expired at its deadline"
        );
        assert_eq!(store.len(), 1, "swept on the first update a second later");
        assert_eq!(read(&store, "new", 500).await, note("y", 5_000));
    }

    #[tokio::test]
    async fn a_full_store_refuses_new_keys_but_updates_old_ones() {
        let store = MemoryStore::with_capacity(2);
        store
            .update("a", 0, |n| *n = note("1", 10_000))
            .await
            .expect("a");
        store
            .update("b", 0, |n| *n = note("2", 10_000))
            .await
            .expect("b");
        let refused = store.update("c", 0, |n| *n = note("3", 10_000)).await;
        assert!(matches!(refused, Err(StoreError::Full(2))), "{refused:?}");
        store
            .update("a", 0, |n| *n = note("1b", 10_000))
            .await
            .expect("a again");
        store
            .update("d", 20_000, |n| *n = note("4", 30_000))
            .await
            .expect("room once a and b expired");
    }

    #[tokio::test]
    async fn a_record_already_past_its_deadline_is_not_written() {
        let store = MemoryStore::default();
        store
            .update("a", 100, |n| *n = note("x", 100))
            .await
            .expect("nothing to write");
        assert!(store.is_empty());
    }
}
