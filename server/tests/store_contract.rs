//! The store contract: what every [`Store`] promises, checked against each implementation by the
//! same code. Each behaviour is one generic function; `contract!` runs it on a fresh
//! [`MemoryStore`] (`memory::…`) and on a [`RedisStore`] over a real redis-server
//! (`redis::…`). `redis_only` covers what only a shared store can meet: values written by other
//! programs, key prefixes, expiry in Redis itself and a Redis that cannot be reached.

#[path = "support/redis_server.rs"]
mod redis_server;

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use checkout_verify_server::store::{MemoryStore, Record, RedisStore, Store, StoreError};
use serde::{Deserialize, Serialize};

/// How many updates race in the concurrency behaviours.
const RACERS: u64 = 200;

/// A bound on any one behaviour, so that a lost update fails the test instead of hanging it.
const BEHAVIOUR_TIMEOUT: Duration = Duration::from_secs(60);

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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Counter {
    n: u64,
    until: u64,
}

impl Record for Counter {
    fn keep_until_ms(&self) -> u64 {
        self.until
    }
}

/// A record of another shape: a [`Note`] is not one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Digits {
    digits: Vec<u8>,
    until: u64,
}

impl Record for Digits {
    fn keep_until_ms(&self) -> u64 {
        self.until
    }
}

/// The real time, so that the deadlines the Redis store turns into expiries are sane.
fn now_ms() -> u64 {
    let since_epoch = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("the clock is after 1970");
    u64::try_from(since_epoch.as_millis()).expect("milliseconds fit in u64")
}

fn note(text: &str, until: u64) -> Option<Note> {
    Some(Note {
        text: text.into(),
        until,
    })
}

async fn read<S: Store>(store: &S, key: &str, now: u64) -> Option<Note> {
    store
        .update(key, now, |n: &mut Option<Note>| n.clone())
        .await
        .expect("readable")
}

async fn write<S: Store>(store: &S, key: &str, now: u64, value: Option<Note>) {
    store
        .update(key, now, move |n: &mut Option<Note>| *n = value.clone())
        .await
        .expect("written");
}

async fn updates_see_earlier_writes<S: Store>(store: Arc<S>) {
    let t = now_ms();
    let until = t + 60_000;
    write(&*store, "a", t, note("x", until)).await;
    assert_eq!(read(&*store, "a", t + 1).await, note("x", until));
    let previous = store
        .update("a", t + 2, |n: &mut Option<Note>| {
            let previous = n.clone();
            *n = note("y", until);
            previous
        })
        .await
        .expect("rewritten");
    assert_eq!(previous, note("x", until), "the update saw the first write");
    assert_eq!(read(&*store, "a", t + 3).await, note("y", until));
    assert_eq!(
        read(&*store, "b", t + 3).await,
        None,
        "other keys untouched"
    );
}

async fn none_removes<S: Store>(store: Arc<S>) {
    let t = now_ms();
    write(&*store, "a", t, note("x", t + 60_000)).await;
    write(&*store, "b", t, note("y", t + 60_000)).await;
    write(&*store, "a", t + 1, None).await;
    assert_eq!(read(&*store, "a", t + 2).await, None);
    assert_eq!(read(&*store, "b", t + 2).await, note("y", t + 60_000));
    write(&*store, "a", t + 3, note("z", t + 60_000)).await;
    assert_eq!(
        read(&*store, "a", t + 4).await,
        note("z", t + 60_000),
        "a removed key can be written again"
    );
}

async fn a_record_past_its_deadline_is_never_read<S: Store>(store: Arc<S>) {
    let t = now_ms();
    // Far enough ahead that Redis itself keeps it: only the time passed in can expire it.
    let until = t + 60_000;
    write(&*store, "a", t, note("x", until)).await;
    assert_eq!(read(&*store, "a", until - 1).await, note("x", until));
    assert_eq!(
        read(&*store, "a", until).await,
        None,
        "gone at its deadline"
    );
    assert_eq!(read(&*store, "a", until + 1).await, None);
    let seen = store
        .update("a", until + 1, |n: &mut Option<Note>| {
            let seen = n.clone();
            *n = note("new", until + 60_000);
            seen
        })
        .await
        .expect("written over");
    assert_eq!(seen, None, "an update after the deadline finds nothing");
    assert_eq!(
        read(&*store, "a", until + 2).await,
        note("new", until + 60_000)
    );
}

async fn a_record_already_past_its_deadline_is_not_written<S: Store>(store: Arc<S>) {
    let t = now_ms();
    write(&*store, "a", t, note("x", t)).await;
    assert_eq!(read(&*store, "a", t - 1).await, None, "nothing was kept");
}

async fn concurrent_increments_are_all_counted<S: Store>(store: Arc<S>) {
    let until = now_ms() + 60_000;
    let racers: Vec<_> = (0..RACERS)
        .map(|_| {
            let store = Arc::clone(&store);
            tokio::spawn(async move {
                store
                    .update("counter", now_ms(), |c: &mut Option<Counter>| {
                        let n = c.as_ref().map_or(0, |c| c.n) + 1;
                        *c = Some(Counter { n, until });
                        n
                    })
                    .await
            })
        })
        .collect();
    let mut seen = BTreeSet::new();
    for racer in racers {
        let n = racer.await.expect("no panic").expect("counted");
        assert!(seen.insert(n), "two increments both counted to {n}");
    }
    assert_eq!(
        seen,
        (1..=RACERS).collect(),
        "each increment saw the one before"
    );
    let total = store
        .update("counter", now_ms(), |c: &mut Option<Counter>| {
            c.as_ref().map(|c| c.n)
        })
        .await
        .expect("readable");
    assert_eq!(total, Some(RACERS));
}

async fn a_record_taken_concurrently_is_taken_once<S: Store>(store: Arc<S>) {
    let t = now_ms();
    write(&*store, "proof", t, note("redeem me", t + 60_000)).await;
    let racers: Vec<_> = (0..RACERS)
        .map(|_| {
            let store = Arc::clone(&store);
            tokio::spawn(async move {
                store
                    .update("proof", now_ms(), |n: &mut Option<Note>| n.take().is_some())
                    .await
            })
        })
        .collect();
    let mut taken = 0;
    for racer in racers {
        if racer.await.expect("no panic").expect("answered") {
            taken += 1;
        }
    }
    assert_eq!(taken, 1, "exactly one update took the record");
    assert_eq!(read(&*store, "proof", now_ms()).await, None);
}

async fn a_record_of_another_shape_is_corrupt<S: Store>(store: Arc<S>) {
    let t = now_ms();
    write(&*store, "a", t, note("x", t + 60_000)).await;
    let result = store
        .update("a", t + 1, |d: &mut Option<Digits>| {
            *d = None;
        })
        .await;
    assert!(
        matches!(&result, Err(StoreError::Corrupt(key)) if key.ends_with('a')),
        "{result:?}"
    );
    assert_eq!(
        read(&*store, "a", t + 2).await,
        note("x", t + 60_000),
        "an unreadable update changes nothing"
    );
}

/// Runs each behaviour on both stores, each call with a store of its own.
macro_rules! contract {
    ($($behaviour:ident),* $(,)?) => {
        mod memory {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $behaviour() {
                    let store = std::sync::Arc::new(super::MemoryStore::default());
                    tokio::time::timeout(super::BEHAVIOUR_TIMEOUT, super::$behaviour(store))
                        .await
                        .expect("finished in time");
                }
            )*
        }

        mod redis {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $behaviour() {
                    let store = std::sync::Arc::new(super::redis_server::store().await);
                    let run = super::$behaviour(std::sync::Arc::clone(&store));
                    tokio::time::timeout(super::BEHAVIOUR_TIMEOUT, run)
                        .await
                        .expect("finished in time");
                    eprintln!("{}: {} conflicts retried", stringify!($behaviour), store.conflicts());
                }
            )*
        }
    };
}

contract!(
    updates_see_earlier_writes,
    none_removes,
    a_record_past_its_deadline_is_never_read,
    a_record_already_past_its_deadline_is_not_written,
    concurrent_increments_are_all_counted,
    a_record_taken_concurrently_is_taken_once,
    a_record_of_another_shape_is_corrupt,
);

mod redis_only {
    use std::time::{Duration, Instant};

    use ::redis::AsyncCommands;

    use super::*;

    /// What another program left under `key`, whatever it is, makes updates fail as corrupt,
    /// and is left as it was.
    async fn assert_corrupt(prefix: &str, store: &RedisStore, key: &str) {
        let result = store
            .update(key, now_ms(), |n: &mut Option<Note>| *n = None)
            .await;
        assert!(
            matches!(&result, Err(StoreError::Corrupt(k)) if *k == format!("{prefix}{key}")),
            "{key}: {result:?}"
        );
        let mut raw = redis_server::raw_connection().await;
        let exists: bool = raw.exists(format!("{prefix}{key}")).await.expect("EXISTS");
        assert!(exists, "{key} was left alone");
    }

    #[tokio::test]
    async fn a_value_written_by_another_program_is_corrupt_not_a_panic() {
        let (store, prefix) = redis_server::store_with_prefix().await;
        let mut raw = redis_server::raw_connection().await;
        let _: () = raw
            .set(format!("{prefix}text"), "not json")
            .await
            .expect("SET");
        let _: () = raw
            .set(format!("{prefix}binary"), &[0xff_u8, 0xfe, b'{'][..])
            .await
            .expect("SET");
        let _: () = raw.set(format!("{prefix}number"), "42").await.expect("SET");
        let _: () = raw
            .hset(format!("{prefix}hash"), "field", "value")
            .await
            .expect("HSET");
        for key in ["text", "binary", "number", "hash"] {
            assert_corrupt(&prefix, &store, key).await;
        }
    }

    #[tokio::test]
    async fn keys_are_prefixed_and_expire_in_redis_at_the_deadline() {
        let (store, prefix) = redis_server::store_with_prefix().await;
        let t = now_ms();
        write(&store, "a", t, note("x", t + 5_000)).await;
        let mut raw = redis_server::raw_connection().await;
        let json: String = raw.get(format!("{prefix}a")).await.expect("GET");
        assert_eq!(
            serde_json::from_str::<Note>(&json).expect("a note"),
            Note {
                text: "x".into(),
                until: t + 5_000
            }
        );
        let ttl: i64 = raw.pttl(format!("{prefix}a")).await.expect("PTTL");
        assert!(0 < ttl && ttl <= 5_000, "expires at the deadline: {ttl} ms");

        let other = redis_server::store().await;
        assert_eq!(
            read(&other, "a", t).await,
            None,
            "another prefix, another key"
        );

        write(&store, "a", t + 1, None).await;
        let exists: bool = raw.exists(format!("{prefix}a")).await.expect("EXISTS");
        assert!(!exists, "removing a record deletes its key");
    }

    #[tokio::test]
    async fn a_value_changed_behind_the_stores_back_is_never_used_stale() {
        // The store starts each update from the value it last saw, to save a read: another
        // instance's write in between must still be what the update changes.
        let (store, prefix) = redis_server::store_with_prefix().await;
        let t = now_ms();
        write(&store, "a", t, note("mine", t + 60_000)).await;
        assert_eq!(read(&store, "a", t).await, note("mine", t + 60_000));
        let mut raw = redis_server::raw_connection().await;
        let theirs = serde_json::to_string(&note("theirs", t + 60_000)).expect("JSON");
        let _: () = raw.set(format!("{prefix}a"), theirs).await.expect("SET");
        assert_eq!(
            read(&store, "a", t).await,
            note("theirs", t + 60_000),
            "a read"
        );
        let _: () = raw.del(format!("{prefix}a")).await.expect("DEL");
        assert_eq!(read(&store, "a", t).await, None, "gone is gone");
        let _: () = raw
            .set(
                format!("{prefix}a"),
                serde_json::to_string(&note("back", t + 60_000)).expect("JSON"),
            )
            .await
            .expect("SET");
        let before = store
            .update("a", t, |n: &mut Option<Note>| {
                let before = n.clone();
                *n = note("changed", t + 60_000);
                before
            })
            .await
            .expect("updated");
        assert_eq!(
            before,
            note("back", t + 60_000),
            "a write changes what is there"
        );
        assert_eq!(store.conflicts(), 0, "a stale guess is not a conflict");
    }

    #[tokio::test]
    async fn an_update_that_changes_nothing_writes_nothing() {
        let (store, prefix) = redis_server::store_with_prefix().await;
        let t = now_ms();
        write(&store, "a", t, note("x", t + 5_000)).await;
        let mut raw = redis_server::raw_connection().await;
        // Only a write (a SET with the record's own expiry) would bring this back under 5 s.
        let _: bool = raw
            .pexpire(format!("{prefix}a"), 600_000)
            .await
            .expect("PEXPIRE");
        assert_eq!(read(&store, "a", t + 1).await, note("x", t + 5_000));
        write(&store, "a", t + 2, note("x", t + 5_000)).await;
        let ttl: i64 = raw.pttl(format!("{prefix}a")).await.expect("PTTL");
        assert!(ttl > 5_000, "not rewritten: {ttl} ms left");
    }

    #[tokio::test]
    async fn a_redis_password_is_never_said() {
        assert_eq!(
            checkout_verify_server::store::redacted("redis://:s3cret-pass@127.0.0.1:6379/0"),
            "redis://:***@127.0.0.1:6379/0"
        );
        assert_eq!(
            checkout_verify_server::store::redacted("redis://app:s3cret@cache.internal:6380"),
            "redis://app:***@cache.internal:6380"
        );
        assert_eq!(
            checkout_verify_server::store::redacted("redis://127.0.0.1:6379"),
            "redis://127.0.0.1:6379"
        );
        let closed = redis_server::free_port();
        let url = format!("redis://:s3cret-pass@127.0.0.1:{closed}");
        let Err(StoreError::Unavailable(said)) = RedisStore::connect(&url, "cv:").await else {
            panic!("a closed port connected");
        };
        assert!(!said.contains("s3cret-pass"), "{said}");
        // A server that wants no password is told one: refused, and the answer hides it too.
        let url = format!(
            "redis://:s3cret-pass@127.0.0.1:{}",
            redis_server::shared().port()
        );
        if let Err(StoreError::Unavailable(said)) = RedisStore::connect(&url, "cv:").await {
            assert!(!said.contains("s3cret-pass"), "{said}");
        }
    }

    #[tokio::test]
    async fn an_unreachable_redis_is_unavailable_promptly() {
        let closed = redis_server::free_port();
        let started = Instant::now();
        let result = tokio::time::timeout(
            Duration::from_secs(20),
            RedisStore::connect(&format!("redis://127.0.0.1:{closed}"), "cv:"),
        )
        .await
        .expect("gave up by itself");
        assert!(
            matches!(result, Err(StoreError::Unavailable(_))),
            "{result:?}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "took {:?}",
            started.elapsed()
        );
    }

    #[tokio::test]
    async fn a_url_that_is_not_redis_is_unavailable() {
        let result = RedisStore::connect("http://127.0.0.1:1", "cv:").await;
        assert!(
            matches!(result, Err(StoreError::Unavailable(_))),
            "{result:?}"
        );
    }

    #[tokio::test]
    async fn a_redis_that_stops_makes_updates_unavailable_promptly() {
        let server = redis_server::RedisServer::start();
        let store = RedisStore::connect(&server.url(), "cv:")
            .await
            .expect("connected");
        let t = now_ms();
        write(&store, "a", t, note("x", t + 60_000)).await;
        drop(server);
        let started = Instant::now();
        let result = tokio::time::timeout(
            Duration::from_secs(20),
            store.update("a", t + 1, |n: &mut Option<Note>| n.clone()),
        )
        .await
        .expect("gave up by itself");
        assert!(
            matches!(result, Err(StoreError::Unavailable(_))),
            "{result:?}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "took {:?}",
            started.elapsed()
        );
    }
}
