//! The store in this process's memory: right for one instance, for tests and for the demo.

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::future::Future;
use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, TryLockError};

use super::{deserialise, serialise, Record, Store, StoreError};

/// How many records a [`MemoryStore`] holds by default: about 250 MiB of resident memory at the
/// ~500 bytes a record measured by `make bench-server` (a pending verification is two records).
pub const DEFAULT_CAPACITY: usize = 500_000;

/// How often, at most, each shard is swept of expired records (milliseconds). Between sweeps an
/// expired record is still never read: reads check its deadline.
const SWEEP_EVERY_MS: u64 = 1_000;

/// How many independently locked parts the map is cut into, by key. One lock for the whole map
/// made concurrent sends wait on each other's JSON and on a sweep of every record at once (the
/// sweep, under one lock, set the p99 of `make bench-server`).
const SHARDS: usize = 16;

/// Records in maps behind one lock per shard, bounded: a new key is refused
/// ([`StoreError::Full`]) when the store is still full after sweeping the shards it could lock at
/// once; existing keys can always be updated.
#[derive(Debug)]
pub struct MemoryStore {
    shards: [Mutex<Shard>; SHARDS],
    /// Records held in all shards, expired ones not yet swept included, plus new keys being
    /// admitted at this instant.
    held: AtomicUsize,
    capacity: usize,
}

#[derive(Debug, Default)]
struct Shard {
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
            shards: Default::default(),
            held: AtomicUsize::new(0),
            capacity,
        }
    }

    /// How many records are held, expired ones not yet swept included (and, for an instant,
    /// new keys being admitted).
    pub fn len(&self) -> usize {
        self.held.load(Ordering::Relaxed)
    }

    /// Whether no record is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The stored JSON text of every record, for tests that check what is (not) kept.
    pub fn dump(&self) -> Vec<(String, String)> {
        let mut all: Vec<_> = (0..SHARDS)
            .flat_map(|index| {
                let shard = self.lock(index);
                shard
                    .records
                    .iter()
                    .map(|(key, entry)| (key.clone(), entry.json.clone()))
                    .collect::<Vec<_>>()
            })
            .collect();
        all.sort();
        all
    }

    fn shard_of(key: &str) -> usize {
        let mut hasher = DefaultHasher::new();
        key.hash(&mut hasher);
        (hasher.finish() % SHARDS as u64) as usize
    }

    fn lock(&self, index: usize) -> MutexGuard<'_, Shard> {
        // Updates replace whole entries, so a panic elsewhere cannot leave one half-written:
        // a poisoned lock is still safe to use.
        self.shards[index]
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Forgets the records of `shard` expired at `now_ms`, and no longer counts them.
    fn sweep(&self, shard: &mut Shard, now_ms: u64) {
        let before = shard.records.len();
        shard
            .records
            .retain(|_, entry| entry.keep_until_ms > now_ms);
        shard.swept_at_ms = now_ms;
        self.held
            .fetch_sub(before - shard.records.len(), Ordering::Relaxed);
    }

    fn update_now<T: Record, R>(
        &self,
        key: &str,
        now_ms: u64,
        mut change: impl FnMut(&mut Option<T>) -> R,
    ) -> Result<R, StoreError> {
        let index = Self::shard_of(key);
        let mut shard = self.lock(index);
        if now_ms >= shard.swept_at_ms + SWEEP_EVERY_MS {
            self.sweep(&mut shard, now_ms);
        }
        let before = shard
            .records
            .get(key)
            .filter(|entry| entry.keep_until_ms > now_ms);
        let mut record = before
            .map(|entry| deserialise::<T>(key, &entry.json))
            .transpose()?;
        let result = change(&mut record);
        match serialise(&record, now_ms)? {
            Some((json, keep_until_ms)) => {
                let entry = Entry {
                    json,
                    keep_until_ms,
                };
                if let Some(existing) = shard.records.get_mut(key) {
                    *existing = entry;
                } else {
                    self.reserve_room(index, &mut shard, now_ms)?;
                    shard.records.insert(key.to_string(), entry);
                }
            }
            None => {
                if shard.records.remove(key).is_some() {
                    self.held.fetch_sub(1, Ordering::Relaxed);
                }
            }
        }
        Ok(result)
    }

    /// Counts one more record, sweeping the shards first when the store is full; refuses when
    /// it is still full. `shard` (number `index`) is the one the caller holds; the others are
    /// only tried, so no update waits for a second lock while holding one (no deadlock). So a
    /// new key can be refused while room could be made (expired records in a busy shard, or
    /// several new keys counted at once): a 503 asks to try again, and the bound always holds.
    fn reserve_room(&self, index: usize, shard: &mut Shard, now_ms: u64) -> Result<(), StoreError> {
        if self.held.fetch_add(1, Ordering::Relaxed) < self.capacity {
            return Ok(());
        }
        self.sweep(shard, now_ms);
        for other in (0..SHARDS).filter(|&other| other != index) {
            let mut guard = match self.shards[other].try_lock() {
                Ok(guard) => guard,
                Err(TryLockError::Poisoned(poisoned)) => poisoned.into_inner(),
                // Busy: skipped, swept on its own schedule (waiting could deadlock).
                Err(TryLockError::WouldBlock) => continue,
            };
            self.sweep(&mut guard, now_ms);
        }
        if self.held.load(Ordering::Relaxed) <= self.capacity {
            return Ok(());
        }
        self.held.fetch_sub(1, Ordering::Relaxed);
        Err(StoreError::Full(self.capacity))
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

    async fn write(store: &MemoryStore, key: &str, now: u64, text: &str, until: u64) {
        store
            .update(key, now, |n| *n = note(text, until))
            .await
            .expect("written");
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
        write(&store, "old", 0, "x", 500).await;
        write(&store, "new", 0, "y", 5_000).await;
        assert_eq!(
            read(&store, "old", 500).await,
            None,
            "expired at its deadline"
        );
        assert_eq!(store.len(), 1, "removed when read past its deadline");
        assert_eq!(read(&store, "new", 500).await, note("y", 5_000));
    }

    #[tokio::test]
    async fn a_shard_sweeps_its_expired_records_once_a_second() {
        let store = MemoryStore::default();
        write(&store, "old", 0, "x", 500).await;
        let neighbour = (0..)
            .map(|n| format!("k{n}"))
            .find(|key| MemoryStore::shard_of(key) == MemoryStore::shard_of("old"))
            .expect("some key shares the shard");
        read(&store, &neighbour, 999).await;
        assert_eq!(store.len(), 1, "not swept before its second is up");
        read(&store, &neighbour, 1_000).await;
        assert_eq!(store.len(), 0, "swept by another key's update in its shard");
    }

    #[tokio::test]
    async fn a_full_store_refuses_new_keys_but_updates_old_ones() {
        let store = MemoryStore::with_capacity(2);
        write(&store, "a", 0, "1", 10_000).await;
        write(&store, "b", 0, "2", 10_000).await;
        let refused = store.update("c", 0, |n| *n = note("3", 10_000)).await;
        assert!(matches!(refused, Err(StoreError::Full(2))), "{refused:?}");
        write(&store, "a", 0, "1b", 10_000).await; // an existing key is still updated
        write(&store, "d", 20_000, "4", 30_000).await; // room once a and b expired
    }

    #[test]
    fn the_bound_holds_across_shards_under_concurrent_writers() {
        let store = std::sync::Arc::new(MemoryStore::with_capacity(50));
        let writers: Vec<_> = (0..8)
            .map(|writer| {
                let store = store.clone();
                std::thread::spawn(move || {
                    (0..100)
                        .filter(|n| {
                            let key = format!("{writer}-{n}");
                            store
                                .update_now(&key, 0, |slot| *slot = note("x", 10_000))
                                .is_ok()
                        })
                        .count()
                })
            })
            .collect();
        let written: usize = writers
            .into_iter()
            .map(|writer| writer.join().expect("writer"))
            .sum();
        assert_eq!(written, 50, "exactly the capacity was admitted");
        assert_eq!(store.len(), 50);
        assert_eq!(store.dump().len(), 50, "the count matches what is held");
    }

    #[tokio::test]
    async fn a_record_already_past_its_deadline_is_not_written() {
        let store = MemoryStore::default();
        write(&store, "a", 100, "x", 100).await;
        assert!(store.is_empty());
    }
}
