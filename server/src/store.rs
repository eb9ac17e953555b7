//! Where verifications live between requests. A trait, so that a shared store (Redis, a database)
//! can replace the in-memory one when the server runs as several instances.

use std::collections::HashMap;
use std::sync::Mutex;

use crate::policy::Verification;

/// Verifications by id. `update` is atomic per id: two checks of the same verification cannot
/// both spend the same attempt.
pub trait Store: Send + Sync + 'static {
    /// Stores a new verification under `id`.
    fn insert(&self, id: String, verification: Verification);

    /// Runs `f` on the verification under `id` (`None` when unknown). Setting it to `None`
    /// removes it.
    fn update<R>(&self, id: &str, f: impl FnOnce(&mut Option<Verification>) -> R) -> R;

    /// Forgets every verification that `is_stale` at `now_ms`.
    fn sweep(&self, now_ms: u64);
}

/// A store in this process's memory: right for one instance and for tests.
#[derive(Debug, Default)]
pub struct MemoryStore(Mutex<HashMap<String, Verification>>);

impl MemoryStore {
    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<String, Verification>> {
        // A panic while holding the lock cannot leave a verification half-written (updates
        // replace whole values), so a poisoned lock is still safe to use.
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Store for MemoryStore {
    fn insert(&self, id: String, verification: Verification) {
        self.map().insert(id, verification);
    }

    fn update<R>(&self, id: &str, f: impl FnOnce(&mut Option<Verification>) -> R) -> R {
        let mut map = self.map();
        let mut slot = map.remove(id);
        let result = f(&mut slot);
        if let Some(v) = slot {
            map.insert(id.to_string(), v);
        }
        result
    }

    fn sweep(&self, now_ms: u64) {
        self.map().retain(|_, v| !v.is_stale(now_ms));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Policy;

    fn verification(now: u64) -> Verification {
        Verification::new("+1".into(), "123456".into(), now, &Policy::default())
    }

    #[test]
    fn update_sees_inserts_and_can_remove() {
        let store = MemoryStore::default();
        store.insert("a".into(), verification(0));
        assert!(store.update("a", |v| v.is_some()));
        assert!(!store.update("b", |v| v.is_some()));
        store.update("a", |v| *v = None);
        assert!(!store.update("a", |v| v.is_some()));
    }

    #[test]
    fn sweep_forgets_expired_verifications() {
        let store = MemoryStore::default();
        store.insert("old".into(), verification(0));
        store.insert("new".into(), verification(500_000));
        store.sweep(600_000);
        assert!(!store.update("old", |v| v.is_some()));
        assert!(store.update("new", |v| v.is_some()));
    }
}
