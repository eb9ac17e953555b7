//! A real `redis-server` for tests, on a free loopback port, gone when the tests are.
//!
//! Include it in a test file with
//!
//! ```ignore
//! #[path = "support/redis_server.rs"]
//! mod redis_server;
//! ```
//!
//! then `redis_server::store().await` gives a [`RedisStore`] on the process-wide server with a
//! prefix no other call gets, so tests running in parallel never see each other's keys.
//! [`RedisServer::start`] starts a private server, for a test that must stop or restart one.
//!
//! Debian's `redis-server` must be installed (`scripts/bootstrap.sh redis`): without it these
//! tests fail, saying so, rather than skip, so a green run always means Redis was tested.

#![allow(dead_code)] // Each test file uses the part it needs.

use std::io::{ErrorKind, Read, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use checkout_verify_server::store::RedisStore;

/// How long a starting server may take to answer PING (it takes milliseconds).
const START_TIMEOUT: Duration = Duration::from_secs(10);

/// How often a port is tried again when another process took it before the server bound it.
const START_TRIES: u32 = 5;

/// Runs redis-server as a child of `sh`, which kills it as soon as its standard input ends: when
/// [`RedisServer`] drops it, or when the test process exits without dropping it (statics such as
/// the shared server never drop). Then it removes the server's log. Exits with the server's
/// status, so an early exit (port taken) shows, and keeps the log then. `$1` is the log file,
/// the rest are the server's arguments.
const SUPERVISOR: &str = r#"
log=$1; shift
exec 3<&0 </dev/null
redis-server "$@" --logfile "$log" &
server=$!
{ read -r line <&3; kill "$server" 2>/dev/null; } &
wait "$server"
status=$?
[ "$status" -ne 0 ] || rm -f "$log"
exit "$status"
"#;

/// A `redis-server` bound to 127.0.0.1 on its own port, without persistence, killed on drop.
#[derive(Debug)]
pub struct RedisServer {
    port: u16,
    supervisor: Child,
    /// Held open for the server's lifetime: closing it tells the supervisor to stop the server.
    lifeline: Option<ChildStdin>,
}

impl RedisServer {
    /// Starts a server on a free port and returns once it answers PING.
    ///
    /// Panics, saying how to install it, when `redis-server` is not installed, and with the
    /// server's log when it does not start.
    pub fn start() -> Self {
        Self::start_with(&[])
    }

    /// Like [`RedisServer::start`], with more of the server's arguments (`--tls-port …`,
    /// `--cluster-enabled yes`…); it still listens in plain text on [`RedisServer::port`].
    pub fn start_with(extra: &[String]) -> Self {
        require_redis_server();
        let mut last_failure = String::new();
        for _ in 0..START_TRIES {
            match Self::start_on(free_port(), extra) {
                Ok(server) => return server,
                Err(failure) => last_failure = failure,
            }
        }
        panic!("redis-server did not start in {START_TRIES} tries; last: {last_failure}");
    }

    /// The server's port on 127.0.0.1.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The URL to connect to, `redis://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    fn start_on(port: u16, extra: &[String]) -> Result<Self, String> {
        let log = log_path(port);
        let port_arg = port.to_string();
        // Never written (no saves); only a name to tell this server from one that took the
        // port first, such as another test process's.
        let tag = format!("checkout-verify-{}-{port}.rdb", std::process::id());
        let supervisor = Command::new("sh")
            .args(["-c", SUPERVISOR, "sh"])
            .arg(&log)
            .args(["--bind", "127.0.0.1", "--port", &port_arg])
            .args(["--save", "", "--appendonly", "no", "--dbfilename", &tag])
            .args(extra)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot run sh: {e}"))?;
        let mut server = Self {
            port,
            lifeline: None,
            supervisor,
        };
        server.lifeline = server.supervisor.stdin.take();
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            if answers_ping(port, &tag) {
                return Ok(server);
            }
            if let Ok(Some(status)) = server.supervisor.try_wait() {
                return Err(format!(
                    "redis-server on port {port} exited ({status}): {}",
                    take_log(&log)
                ));
            }
            if Instant::now() > deadline {
                let log = take_log(&log);
                drop(server);
                return Err(format!(
                    "redis-server on port {port} did not answer PING within {START_TIMEOUT:?}: {log}"
                ));
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// Stops the server and waits until it is gone; its port then refuses connections.
    fn stop(&mut self) -> Option<ExitStatus> {
        drop(self.lifeline.take());
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            match self.supervisor.try_wait() {
                Ok(Some(status)) => return Some(status),
                Ok(None) => std::thread::sleep(Duration::from_millis(5)),
                Err(_) => break,
            }
        }
        let _ = self.supervisor.kill();
        self.supervisor.wait().ok()
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The server every test in this process shares, started by the first caller.
pub fn shared() -> &'static RedisServer {
    static SHARED: OnceLock<RedisServer> = OnceLock::new();
    SHARED.get_or_init(RedisServer::start)
}

/// A key prefix that no other call in any test process gets: `test:PID:N:`.
pub fn unique_prefix() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    format!(
        "test:{}:{}:",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// A store on the shared server whose keys no other store from here shares.
pub async fn store() -> RedisStore {
    store_with_prefix().await.0
}

/// Like [`store`], with the prefix, for tests that read or write its keys directly.
pub async fn store_with_prefix() -> (RedisStore, String) {
    let prefix = unique_prefix();
    let store = RedisStore::connect(&shared().url(), &prefix)
        .await
        .unwrap_or_else(|e| panic!("connecting to the test redis-server: {e}"));
    (store, prefix)
}

/// A plain connection to the shared server, to play another program writing its keys.
pub async fn raw_connection() -> redis::aio::MultiplexedConnection {
    redis::Client::open(shared().url())
        .expect("a valid URL")
        .get_multiplexed_async_connection()
        .await
        .expect("connecting to the test redis-server")
}

/// A port on 127.0.0.1 that was free a moment ago (the kernel picks it; it may be taken again
/// before the server binds it, which [`RedisServer::start`] retries).
pub fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .expect("binding a free loopback port")
}

fn require_redis_server() {
    match Command::new("redis-server")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
    {
        Ok(_) => {}
        Err(e) if e.kind() == ErrorKind::NotFound => panic!(
            "redis-server is not installed, and the Redis store's tests need a real one: \
             run `apt-get install -y redis-server` (or scripts/bootstrap.sh redis)"
        ),
        Err(e) => panic!("cannot run redis-server: {e}"),
    }
}

/// Whether the server on `port` answers `PING` and is the one started with `tag` as its
/// `dbfilename`.
fn answers_ping(port: u16, tag: &str) -> bool {
    let Ok(mut stream) = TcpStream::connect((Ipv4Addr::LOCALHOST, port)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(1)));
    if stream
        .write_all(b"PING\r\nCONFIG GET dbfilename\r\n")
        .is_err()
    {
        return false;
    }
    // `+PONG`, then the array [`dbfilename`, its value]: a few dozen bytes.
    let expected_end = format!("{tag}\r\n");
    let mut answer = Vec::new();
    let mut chunk = [0u8; 256];
    while !answer.ends_with(expected_end.as_bytes()) && answer.len() < 4096 {
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return false,
            Ok(n) => answer.extend_from_slice(&chunk[..n]),
        }
    }
    answer.starts_with(b"+PONG\r\n") && answer.ends_with(expected_end.as_bytes())
}

fn log_path(port: u16) -> PathBuf {
    std::env::temp_dir().join(format!(
        "checkout-verify-redis-{}-{port}.log",
        std::process::id()
    ))
}

/// The log of a server that failed to start, removed once read.
fn take_log(path: &PathBuf) -> String {
    let log = std::fs::read_to_string(path).unwrap_or_else(|_| "(no log)".to_string());
    let _ = std::fs::remove_file(path);
    log
}
