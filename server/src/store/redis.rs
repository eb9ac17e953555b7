//! The store shared by many server instances: Redis. Each update is an optimistic
//! compare-and-set: read the record, change it in this process, then write it back with one Lua
//! script that first checks nobody changed it in between, retrying the whole update when
//! somebody did. Redis never needs to understand a record, and no lock is ever held across a
//! network round trip, so an instance that dies mid-update blocks nobody.

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use redis::aio::{ConnectionLike, ConnectionManager, ConnectionManagerConfig};
use redis::cluster::ClusterClient;
use redis::cluster_async::ClusterConnection;
use redis::{Client, IntoConnectionInfo, RedisError, RedisFuture, Script, Value};

use super::{deserialise, serialise, Record, Store, StoreError};

/// How many times one update reads, changes and tries to write before giving up with
/// [`StoreError::Contended`]. Each failed try means another update of the same key succeeded, so
/// this bounds the wait of the unluckiest of many concurrent updates of one key.
const MAX_TRIES: u32 = 64;

/// The password of a `redis://user:password@host` URL, if it has one.
fn password(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let userinfo = rest.split(['/', '?', '#']).next()?.rsplit_once('@')?.0;
    userinfo.split_once(':').map(|(_, password)| password)
}

/// `url` fit to print: its password, if any, as `***`.
pub fn redacted(url: &str) -> String {
    match password(url) {
        Some(secret) if !secret.is_empty() => {
            let at = url.find(&format!(":{secret}@")).map_or(0, |i| i + 1);
            format!("{}***{}", &url[..at], &url[at + secret.len()..])
        }
        _ => url.to_string(),
    }
}

/// Where the shared store is, as `--store` names it: one Redis (`redis://HOST:PORT`, or
/// `rediss://` over TLS) or a Redis Cluster (`redis-cluster://HOST:PORT,HOST:PORT,…`, or
/// `rediss-cluster://` over TLS), with the password, if any, before the first host.
#[derive(Clone, PartialEq, Eq)]
pub struct RedisAddress {
    /// Each node as the driver takes it: `redis://…` or `rediss://…`, the password in the first
    /// (a single Redis) or apart (a cluster).
    nodes: Vec<String>,
    cluster: bool,
    password: Option<String>,
}

impl fmt::Debug for RedisAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_string())
    }
}

/// Printed without its password.
impl fmt::Display for RedisAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.cluster {
            false => f.write_str(&redacted(&self.nodes.join(","))),
            true => {
                let hosts: Vec<&str> = self
                    .nodes
                    .iter()
                    .filter_map(|node| node.split_once("://").map(|(_, host)| host))
                    .collect();
                let tls = self.nodes.iter().any(|node| node.starts_with("rediss:"));
                let scheme = if tls {
                    "rediss-cluster"
                } else {
                    "redis-cluster"
                };
                let secret = if self.password.is_some() { ":***@" } else { "" };
                write!(f, "{scheme}://{secret}{}", hosts.join(","))
            }
        }
    }
}

impl RedisAddress {
    /// Reads a `--store` value other than `memory`; says what is wrong otherwise.
    pub fn parse(text: &str) -> Result<Self, String> {
        let problem = || {
            format!(
                "--store must be memory, redis://HOST:PORT, rediss://HOST:PORT, \
                 redis-cluster://HOST:PORT,HOST:PORT,… or rediss-cluster://…, got {:?}",
                redacted(text)
            )
        };
        let (scheme, rest) = text.split_once("://").ok_or_else(problem)?;
        let (node_scheme, cluster) = match scheme {
            "redis" => ("redis", false),
            "rediss" => ("rediss", false),
            "redis-cluster" => ("redis", true),
            "rediss-cluster" => ("rediss", true),
            _ => return Err(problem()),
        };
        if rest.is_empty() {
            return Err(problem());
        }
        if !cluster {
            return Ok(Self {
                nodes: vec![text.to_string()],
                cluster,
                password: None,
            });
        }
        let (userinfo, hosts) = match rest.rsplit_once('@') {
            Some((userinfo, hosts)) => (Some(userinfo), hosts),
            None => (None, rest),
        };
        let password = userinfo
            .and_then(|info| info.split_once(':'))
            .map(|(_, password)| password.to_string())
            .filter(|password| !password.is_empty());
        let nodes: Vec<String> = hosts
            .split(',')
            .map(|host| format!("{node_scheme}://{}", host.trim()))
            .collect();
        if hosts
            .split(',')
            .any(|host| host.trim().is_empty() || host.contains('/'))
        {
            return Err(problem());
        }
        Ok(Self {
            nodes,
            cluster,
            password,
        })
    }

    /// The same address with `password` (`CHECKOUT_VERIFY_REDIS_PASSWORD`) unless the URL gave
    /// one.
    pub fn with_password(mut self, password: Option<String>) -> Self {
        let Some(password) = password.filter(|p| !p.is_empty()) else {
            return self;
        };
        match self.cluster {
            true => {
                self.password.get_or_insert(password);
            }
            false => {
                if password_of(&self.nodes[0]).is_none() {
                    self.password = Some(password);
                }
            }
        }
        self
    }

    /// Every secret this address holds, to scrub from the driver's messages.
    fn secrets(&self) -> Vec<&str> {
        let in_url = self.nodes.iter().filter_map(|node| password_of(node));
        in_url.chain(self.password.as_deref()).collect()
    }
}

/// The non-empty password of a node URL.
fn password_of(url: &str) -> Option<&str> {
    password(url).filter(|p| !p.is_empty())
}

/// One connection to a single Redis or to a cluster, re-opened by the driver when lost.
#[derive(Clone)]
enum Connection {
    One(ConnectionManager),
    Cluster(ClusterConnection),
}

impl ConnectionLike for Connection {
    fn req_packed_command<'a>(&'a mut self, cmd: &'a redis::Cmd) -> RedisFuture<'a, Value> {
        match self {
            Self::One(connection) => connection.req_packed_command(cmd),
            Self::Cluster(connection) => connection.req_packed_command(cmd),
        }
    }

    fn req_packed_commands<'a>(
        &'a mut self,
        pipeline: &'a redis::Pipeline,
        offset: usize,
        count: usize,
    ) -> RedisFuture<'a, Vec<Value>> {
        match self {
            Self::One(connection) => connection.req_packed_commands(pipeline, offset, count),
            Self::Cluster(connection) => connection.req_packed_commands(pipeline, offset, count),
        }
    }

    fn get_db(&self) -> i64 {
        match self {
            Self::One(connection) => connection.get_db(),
            Self::Cluster(connection) => connection.get_db(),
        }
    }
}

/// The longest pause between two tries of one update. Pauses are random, up to a bound that
/// doubles with each failed try from [`FIRST_BACKOFF_US`], so that updates colliding once do
/// not collide again in lockstep. With 200 concurrent updates of one key the unluckiest
/// needed at most ~60 tries with a 5 ms bound, ~30 with 20 ms and ~19 with this one (the whole
/// burst took ~0.3 s each time); the worst wait before giving up stays about 3 s.
const MAX_BACKOFF_US: u64 = 50_000;

/// The bound of the random pause after the first failed try (microseconds).
const FIRST_BACKOFF_US: u64 = 100;

/// How long one attempt to open the connection may take. Redis answers in well under a
/// millisecond on a healthy network; much longer means it is down or unreachable.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);

/// How long one command may wait for its answer before the update fails as unavailable.
const RESPONSE_TIMEOUT: Duration = Duration::from_secs(2);

/// How many times a lost connection is re-opened (with a short random backoff) before the
/// commands waiting on it fail. Small, so that a Redis that is down fails requests in seconds.
const RECONNECT_RETRIES: usize = 2;

/// The shortest pause before re-opening a lost connection.
const RECONNECT_MIN_DELAY: Duration = Duration::from_millis(50);

/// Writes `KEYS[1]` only if it still holds what the update expected; otherwise answers what it
/// holds, so the update can try again without reading it first. Redis runs a script atomically,
/// so nothing can come between the check and the write.
///
/// ARGV: `[1]` `1` if the update expects a value, `0` if it expects none; `[2]` that value; `[3]`
/// `1` to set, `0` to delete, `2` to leave as it is (the update only read); `[4]` the new value;
/// `[5]` its time to live in milliseconds. Returns `{1}` when done, `{0}` when the key holds
/// nothing but a value was expected, `{0, current}` when it holds another value.
const COMPARE_AND_SET: &str = r"
local current = redis.call('GET', KEYS[1])
if ARGV[1] == '1' then
  if current ~= ARGV[2] then return {0, current} end
elseif current then
  return {0, current}
end
if ARGV[3] == '1' then
  redis.call('SET', KEYS[1], ARGV[4], 'PX', ARGV[5])
elseif ARGV[3] == '0' then
  redis.call('DEL', KEYS[1])
end
return {1}
";

/// How many keys' last known values a store remembers (a few MiB); when full it forgets them
/// all and learns again.
const KNOWN_CAPACITY: usize = 10_000;

/// Records as JSON strings in Redis, one key each (`prefix` + the record's key), each expiring
/// with the record's `keep_until_ms`. Any number of server instances can share one Redis and
/// still enforce every rule exactly once: [`Store::update`] is atomic across all of them.
///
/// Cheap to share: one multiplexed connection carries every concurrent update, and re-opens
/// itself after Redis restarts or the network drops.
pub struct RedisStore {
    connection: Connection,
    prefix: String,
    compare_and_set: Script,
    conflicts: AtomicU64,
    /// The value each key held when this store last read or wrote it. An update starts from
    /// it (or from no record, for a key not known) and sends its write at once, instead of
    /// reading first: one round trip instead of two whenever nobody else changed the key
    /// (a new verification, a budget this instance used last). A wrong guess costs what the
    /// read would have, since the script answers the current value. On loopback make
    /// bench-server is bound by CPU and shows no gain; over a network, where a round trip is
    /// 0.2–1 ms, a send waits for about half as many.
    known: Mutex<HashMap<String, Vec<u8>>>,
}

impl fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisStore")
            .field("prefix", &self.prefix)
            .field("conflicts", &self.conflicts())
            .finish_non_exhaustive()
    }
}

impl RedisStore {
    /// Connects to the Redis or Redis Cluster at `url` (any form [`RedisAddress::parse`] reads)
    /// and checks that it answers. Every key this store uses starts with `prefix` (such as
    /// `cv:`), so one Redis can serve other programs, or parallel tests, without collisions.
    ///
    /// Fails with [`StoreError::Unavailable`] within a few seconds when Redis cannot be reached,
    /// refuses the connection or does not answer.
    pub async fn connect(url: &str, prefix: &str) -> Result<Self, StoreError> {
        let address = RedisAddress::parse(url).map_err(StoreError::Unavailable)?;
        Self::connect_to(&address, prefix).await
    }

    /// [`RedisStore::connect`] to an address already read.
    pub async fn connect_to(address: &RedisAddress, prefix: &str) -> Result<Self, StoreError> {
        // What goes wrong is said without a password, whatever the driver's words.
        let unavailable = |what: &str, e: RedisError| {
            let said = address
                .secrets()
                .iter()
                .fold(e.to_string(), |said, secret| said.replace(secret, "***"));
            StoreError::Unavailable(format!("{what}: {said}"))
        };
        if address.nodes.iter().any(|node| node.starts_with("rediss:")) {
            // Two TLS libraries are linked (the AWS SDK's and ring); rustls needs one chosen.
            // Failing only means one was chosen already.
            let _ = rustls::crypto::ring::default_provider().install_default();
        }
        let mut connection = match address.cluster {
            false => {
                let mut info = address.nodes[0]
                    .as_str()
                    .into_connection_info()
                    .map_err(|e| unavailable("not a usable Redis URL", e))?;
                if let Some(password) = &address.password {
                    let settings = info.redis_settings().clone().set_password(password);
                    info = info.set_redis_settings(settings);
                }
                let client =
                    Client::open(info).map_err(|e| unavailable("not a usable Redis URL", e))?;
                let config = ConnectionManagerConfig::new()
                    .set_connection_timeout(Some(CONNECT_TIMEOUT))
                    .set_response_timeout(Some(RESPONSE_TIMEOUT))
                    .set_number_of_retries(RECONNECT_RETRIES)
                    .set_min_delay(RECONNECT_MIN_DELAY);
                let manager = ConnectionManager::new_with_config(client, config)
                    .await
                    .map_err(|e| unavailable("cannot connect to Redis", e))?;
                Connection::One(manager)
            }
            true => {
                let mut builder = ClusterClient::builder(address.nodes.iter().map(String::as_str))
                    .connection_timeout(CONNECT_TIMEOUT)
                    .response_timeout(RESPONSE_TIMEOUT)
                    .retries(RECONNECT_RETRIES as u32)
                    .min_retry_wait(RECONNECT_MIN_DELAY.as_millis() as u64);
                if let Some(password) = &address.password {
                    builder = builder.password(password);
                }
                let client = builder
                    .build()
                    .map_err(|e| unavailable("not a usable Redis Cluster address", e))?;
                let cluster = client
                    .get_async_connection()
                    .await
                    .map_err(|e| unavailable("cannot connect to the Redis Cluster", e))?;
                Connection::Cluster(cluster)
            }
        };
        // Opening the connection does not prove commands work (a password may be missing).
        let _: String = redis::cmd("PING")
            .query_async(&mut connection)
            .await
            .map_err(|e| unavailable("Redis does not answer PING", e))?;
        Ok(Self {
            connection,
            prefix: prefix.to_string(),
            compare_and_set: Script::new(COMPARE_AND_SET),
            conflicts: AtomicU64::new(0),
            known: Mutex::new(HashMap::new()),
        })
    }

    /// How many times an update found its record changed by another update between its read and
    /// its write, and tried again. A measure of contention, for tests and diagnostics.
    pub fn conflicts(&self) -> u64 {
        self.conflicts.load(Ordering::Relaxed)
    }

    /// [`Store::update`]: change the value last known (or none), compare-and-set, and with the
    /// value the script answers when it differed, again; until a write goes through or
    /// [`MAX_TRIES`] tries have all found the record changed under them.
    async fn update_now<T, R, F>(
        &self,
        key: &str,
        now_ms: u64,
        mut change: F,
    ) -> Result<R, StoreError>
    where
        T: Record,
        F: FnMut(&mut Option<T>) -> R,
    {
        let key = format!("{}{}", self.prefix, key);
        let mut connection = self.connection.clone();
        let mut read = self.recall(&key);
        // Whether `read` came from Redis just now: only then is a mismatch a conflict.
        let mut fresh = false;
        let mut conflicts = 0;
        for _ in 0..MAX_TRIES {
            let mut record = match &read {
                None => None,
                Some(bytes) => {
                    let json =
                        std::str::from_utf8(bytes).map_err(|_| StoreError::Corrupt(key.clone()))?;
                    let record: T = deserialise(&key, json)?;
                    // The caller's clock decides, not Redis's: past its deadline at `now_ms`, a
                    // record is gone even if Redis has not expired it yet.
                    (record.keep_until_ms() > now_ms).then_some(record)
                }
            };
            let result = change(&mut record);
            let write = serialise(&record, now_ms)?;
            let unchanged = match (&read, &write) {
                (None, None) => true,
                (Some(old), Some((new, _))) => old.as_slice() == new.as_bytes(),
                _ => false,
            };
            let mut invocation = self.compare_and_set.key(&key);
            match &read {
                Some(old) => invocation.arg("1").arg(old.as_slice()),
                None => invocation.arg("0").arg(""),
            };
            match (&write, unchanged) {
                (_, true) => invocation.arg("2").arg("").arg(0),
                // `serialise` keeps only records whose deadline is after `now_ms`: at least 1 ms.
                (Some((json, keep_until_ms)), false) => invocation
                    .arg("1")
                    .arg(json)
                    .arg(keep_until_ms.saturating_sub(now_ms).max(1)),
                (None, false) => invocation.arg("0").arg("").arg(0),
            };
            let answer: Vec<Value> = invocation
                .invoke_async(&mut connection)
                .await
                .map_err(|e| failure(&key, e))?;
            match answer.as_slice() {
                [Value::Int(1)] => {
                    let now_held = match unchanged {
                        true => read,
                        false => write.map(|(json, _)| json.into_bytes()),
                    };
                    self.remember(key, now_held);
                    return Ok(result);
                }
                [Value::Int(0), rest @ ..] if !fresh => {
                    // The guess was wrong: go on from what the key holds, at once.
                    read = match rest {
                        [Value::BulkString(current)] => Some(current.clone()),
                        _ => None,
                    };
                    fresh = true;
                }
                [Value::Int(0), ..] => {
                    // Another update came between: pause, then read again (what the script
                    // answered is as old as the pause by then).
                    conflicts += 1;
                    self.conflicts.fetch_add(1, Ordering::Relaxed);
                    back_off(conflicts).await;
                    read = redis::cmd("GET")
                        .arg(&key)
                        .query_async(&mut connection)
                        .await
                        .map_err(|e| failure(&key, e))?;
                }
                _ => return Err(StoreError::Corrupt(key)),
            }
        }
        self.remember(key.clone(), None);
        Err(StoreError::Contended(key))
    }

    /// The value `key` held when this store last saw it, if it remembers one.
    fn recall(&self, key: &str) -> Option<Vec<u8>> {
        self.known_values().get(key).cloned()
    }

    /// Remembers what `key` holds now (`None`: nothing, or not known).
    fn remember(&self, key: String, value: Option<Vec<u8>>) {
        let mut known = self.known_values();
        match value {
            Some(value) => {
                if known.len() >= KNOWN_CAPACITY && !known.contains_key(&key) {
                    known.clear();
                }
                known.insert(key, value);
            }
            None => {
                known.remove(&key);
            }
        }
    }

    fn known_values(&self) -> std::sync::MutexGuard<'_, HashMap<String, Vec<u8>>> {
        self.known.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl Store for RedisStore {
    fn update<T, R, F>(
        &self,
        key: &str,
        now_ms: u64,
        change: F,
    ) -> impl std::future::Future<Output = Result<R, StoreError>> + Send
    where
        T: Record,
        R: Send,
        F: FnMut(&mut Option<T>) -> R + Send,
    {
        self.update_now(key, now_ms, change)
    }
}

/// A Redis error as a store error: a key of another type (a list, a hash…) was written by
/// another program, so the record is corrupt; anything else means Redis is not usable now.
fn failure(key: &str, error: RedisError) -> StoreError {
    if error.code() == Some("WRONGTYPE") {
        StoreError::Corrupt(key.to_string())
    } else {
        StoreError::Unavailable(error.to_string())
    }
}

/// Pauses before try number `attempt` (1 or more) of an update: a random time up to a bound
/// that doubles with each try, from [`FIRST_BACKOFF_US`] to [`MAX_BACKOFF_US`].
async fn back_off(attempt: u32) {
    let bound_us = FIRST_BACKOFF_US
        .saturating_mul(1 << attempt.saturating_sub(1).min(16))
        .min(MAX_BACKOFF_US);
    // Without OS randomness (never seen in practice) every update waits the full bound: slower,
    // still correct.
    let pause_us = getrandom::u64().map_or(bound_us, |r| r % (bound_us + 1));
    if pause_us == 0 {
        tokio::task::yield_now().await;
    } else {
        tokio::time::sleep(Duration::from_micros(pause_us)).await;
    }
}
