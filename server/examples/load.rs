//! `make bench-server`: load figures for the reference server, a benchmark and not a test.
//!
//! On loopback, for `DURATION` seconds each at `CONCURRENCY` connections (keep-alive, one
//! request at a time per connection), it measures:
//! 1. the axum hello-world route (`examples/hello.rs`): requests a second, p50 and p99;
//! 2. the reference server on the memory store, then on Redis: send-then-check flows a second
//!    (each a new number, the code read from the server's dev-mode output, then the right code
//!    checked), with p50 and p99 of each request, and each figure as a ratio to the hello route's;
//!    and the CPU time a request took in the server (with redis-server) and in this generator
//!    (the ratios depend on how the cores are shared with the generator; CPU per request does
//!    not);
//! 3. resident memory of the server after 100,000 pending verifications (memory store).
//!
//! Usage: `load SERVER HELLO [REDIS_SERVER]` with `DURATION` (default 10) and `CONCURRENCY`
//! (default 32) in the environment.

use std::collections::HashMap;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::client::conn::http1::SendRequest;
use hyper::Request;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use tokio::sync::oneshot;

type Error = Box<dyn std::error::Error + Send + Sync>;

/// Codes as the server prints them, by destination, for the flows waiting on them.
#[derive(Default)]
struct Codes(Mutex<HashMap<String, oneshot::Sender<String>>>);

impl Codes {
    fn expect(&self, destination: &str) -> oneshot::Receiver<String> {
        let (tx, rx) = oneshot::channel();
        self.lock().insert(destination.to_string(), tx);
        rx
    }

    fn deliver(&self, destination: &str, code: String) {
        if let Some(tx) = self.lock().remove(destination) {
            let _ = tx.send(code);
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, oneshot::Sender<String>>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// A process started for the run, with the address it printed; killed when dropped.
struct Running {
    child: Child,
    addr: String,
}

/// Starts `program args`, waits for its `listening on http://ADDR/` line, and hands every later
/// line of its output to `codes` (the server's dev-mode messages).
async fn start(program: &str, args: &[&str], codes: Option<Arc<Codes>>) -> Result<Running, Error> {
    let mut child = Command::new(program)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| format!("cannot start {program}: {e}"))?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let mut lines = BufReader::new(stdout).lines();
    let addr = loop {
        let line = lines
            .next_line()
            .await?
            .ok_or(format!("{program} exited before listening"))?;
        if let Some(url) = line.strip_prefix("listening on http://") {
            break url.trim_end_matches('/').to_string();
        }
    };
    tokio::spawn(async move {
        let mut to = String::new();
        while let Ok(Some(line)) = lines.next_line().await {
            // `--- sms to +14155550300 ---`, the message, then `@host #code`.
            let heading = line
                .strip_prefix("--- ")
                .and_then(|rest| rest.split_once(" to "));
            if let Some((_, rest)) = heading {
                to = rest.trim_end_matches(" ---").to_string();
            } else if let (Some(codes), Some((_, code))) = (&codes, line.rsplit_once(" #")) {
                if line.starts_with('@') {
                    codes.deliver(&to, code.to_string());
                }
            }
        }
    });
    Ok(Running { child, addr })
}

async fn connect(addr: &str) -> Result<SendRequest<Full<Bytes>>, Error> {
    let stream = tokio::net::TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(connection);
    Ok(sender)
}

/// One request; its status, body and how long it took.
async fn request(
    sender: &mut SendRequest<Full<Bytes>>,
    method: &str,
    path: &str,
    body: Option<String>,
) -> Result<(u16, Bytes, Duration), Error> {
    let began = Instant::now();
    sender.ready().await?;
    let request = Request::builder()
        .method(method)
        .uri(path)
        .header("host", "127.0.0.1")
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from(body.unwrap_or_default())))?;
    let response = sender.send_request(request).await?;
    let status = response.status().as_u16();
    let bytes = response.into_body().collect().await?.to_bytes();
    Ok((status, bytes, began.elapsed()))
}

/// Latencies of one kind of request.
#[derive(Default)]
struct Samples(Vec<Duration>);

impl Samples {
    fn percentile(&self, p: f64) -> Duration {
        let mut sorted = self.0.clone();
        sorted.sort();
        let index = ((sorted.len() as f64 * p).ceil() as usize).saturating_sub(1);
        sorted.get(index).copied().unwrap_or_default()
    }
}

/// The hello route: requests a second and latencies.
async fn hello(
    addr: &str,
    concurrency: usize,
    duration: Duration,
) -> Result<(f64, Samples), Error> {
    let deadline = Instant::now() + duration;
    let mut workers = Vec::new();
    for _ in 0..concurrency {
        let addr = addr.to_string();
        workers.push(tokio::spawn(async move {
            let mut sender = connect(&addr).await?;
            let mut samples = Vec::new();
            while Instant::now() < deadline {
                let (status, _, took) = request(&mut sender, "GET", "/", None).await?;
                if status != 200 {
                    return Err(format!("hello answered {status}").into());
                }
                samples.push(took);
            }
            Ok::<_, Error>(samples)
        }));
    }
    let mut all = Samples::default();
    for worker in workers {
        all.0.extend(worker.await??);
    }
    Ok((all.0.len() as f64 / duration.as_secs_f64(), all))
}

/// A distinct valid number for flow `n` (San Francisco, exchanges 200–999).
fn number(n: u64) -> String {
    format!("+1415{:03}{:04}", 200 + (n / 10_000) % 800, n % 10_000)
}

/// Send-then-check flows: flows a second, and latencies of sends and of checks.
async fn flows(
    addr: &str,
    codes: Arc<Codes>,
    concurrency: usize,
    duration: Duration,
    first: u64,
) -> Result<(f64, Samples, Samples), Error> {
    let deadline = Instant::now() + duration;
    let next = Arc::new(std::sync::atomic::AtomicU64::new(first));
    let mut workers = Vec::new();
    for _ in 0..concurrency {
        let (addr, codes, next) = (addr.to_string(), codes.clone(), next.clone());
        workers.push(tokio::spawn(async move {
            let mut sender = connect(&addr).await?;
            let (mut sends, mut checks) = (Vec::new(), Vec::new());
            while Instant::now() < deadline {
                let destination = number(next.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
                let code = codes.expect(&destination);
                let body = format!(r#"{{"destination":"{destination}","channel":"sms"}}"#);
                let (status, bytes, took) =
                    request(&mut sender, "POST", "/api/verification", Some(body)).await?;
                if status != 202 {
                    return Err(format!(
                        "send answered {status}: {}",
                        String::from_utf8_lossy(&bytes)
                    )
                    .into());
                }
                sends.push(took);
                let answer: serde_json::Value = serde_json::from_slice(&bytes)?;
                let id = answer["verification_id"]
                    .as_str()
                    .ok_or("no id")?
                    .to_string();
                let code = tokio::time::timeout(Duration::from_secs(5), code).await??;
                let body = format!(r#"{{"verification_id":"{id}","code":"{code}"}}"#);
                let (status, _, took) =
                    request(&mut sender, "POST", "/api/verification/check", Some(body)).await?;
                if status != 200 {
                    return Err(format!("check answered {status}").into());
                }
                checks.push(took);
            }
            Ok::<_, Error>((sends, checks))
        }));
    }
    let (mut sends, mut checks) = (Samples::default(), Samples::default());
    for worker in workers {
        let (s, c) = worker.await??;
        sends.0.extend(s);
        checks.0.extend(c);
    }
    Ok((
        checks.0.len() as f64 / duration.as_secs_f64(),
        sends,
        checks,
    ))
}

/// Flags that take the send budgets out of the way of a load test.
const UNTHROTTLED: [&str; 7] = [
    "--dev",
    "--port",
    "0",
    "--client-sends-per-hour",
    "4000000000",
    "--sends-per-hour",
    "4000000000",
];

fn resident_kb(pid: u32) -> Result<u64, Error> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let line = status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .ok_or("no VmRSS")?;
    Ok(line.split_whitespace().nth(1).ok_or("no number")?.parse()?)
}

/// CPU time process `pid` has used, user and system, in seconds (`/proc/PID/stat` counts it in
/// USER_HZ ticks, 100 a second on Linux). The run's ratios depend on how the two cores are shared
/// with the load generator; CPU per request does not.
fn cpu_seconds(pid: u32) -> Result<f64, Error> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
    let after = stat.rsplit_once(')').ok_or("unreadable stat")?.1;
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks: u64 = fields.get(11).ok_or("no utime")?.parse::<u64>()?
        + fields.get(12).ok_or("no stime")?.parse::<u64>()?;
    Ok(ticks as f64 / 100.0)
}

fn child_id(child: &Child) -> Result<u32, Error> {
    Ok(child.id().ok_or("the process has exited")?)
}

/// CPU seconds used during one measurement: by the measured processes (the server, and
/// redis-server whose work is the server's moved elsewhere) and by this generator.
#[derive(Clone, Copy)]
struct CpuUse {
    measured: f64,
    generator: f64,
}

impl CpuUse {
    /// Runs `work` and measures what `pids` and this process used meanwhile.
    async fn of<T>(
        pids: &[u32],
        work: impl std::future::Future<Output = Result<T, Error>>,
    ) -> Result<(T, CpuUse), Error> {
        let total =
            |pids: &[u32]| -> Result<f64, Error> { pids.iter().map(|&pid| cpu_seconds(pid)).sum() };
        let (measured, generator) = (total(pids)?, cpu_seconds(std::process::id())?);
        let result = work.await?;
        let used = CpuUse {
            measured: total(pids)? - measured,
            generator: cpu_seconds(std::process::id())? - generator,
        };
        Ok((result, used))
    }

    /// Microseconds of CPU a request: the measured processes', then the generator's.
    fn per_request(&self, requests: usize) -> String {
        let per = |seconds: f64| seconds * 1e6 / requests.max(1) as f64;
        format!(
            "server {:.0} µs + generator {:.0} µs CPU a request",
            per(self.measured),
            per(self.generator)
        )
    }
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

fn print_flows(
    name: &str,
    hello_rps: f64,
    hello_p50: Duration,
    hello_p99: Duration,
    result: &(f64, Samples, Samples),
    cpu: CpuUse,
) {
    let (rate, sends, checks) = result;
    let requests = rate * 2.0;
    println!(
        "{name:<8} {rate:>8.0} flows/s ({requests:.0} requests/s, {:.2}× hello, {})   send p50 {} ({:.1}×) p99 {} ({:.1}×)   check p50 {} ({:.1}×) p99 {} ({:.1}×)",
        requests / hello_rps,
        cpu.per_request(sends.0.len() + checks.0.len()),
        ms(sends.percentile(0.5)),
        sends.percentile(0.5).as_secs_f64() / hello_p50.as_secs_f64(),
        ms(sends.percentile(0.99)),
        sends.percentile(0.99).as_secs_f64() / hello_p99.as_secs_f64(),
        ms(checks.percentile(0.5)),
        checks.percentile(0.5).as_secs_f64() / hello_p50.as_secs_f64(),
        ms(checks.percentile(0.99)),
        checks.percentile(0.99).as_secs_f64() / hello_p99.as_secs_f64(),
    );
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (server, hello_bin) = match args.as_slice() {
        [server, hello, ..] => (server.clone(), hello.clone()),
        _ => return Err("usage: load SERVER HELLO [REDIS_SERVER]".into()),
    };
    let redis_bin = args.get(2).cloned();
    let env = |name: &str, default: u64| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let duration = Duration::from_secs(env("DURATION", 10));
    let concurrency = env("CONCURRENCY", 32) as usize;
    println!(
        "loopback, {concurrency} connections, {} s per measurement",
        duration.as_secs()
    );

    let hello_process = start(&hello_bin, &[], None).await?;
    let ((hello_rps, samples), hello_cpu) = CpuUse::of(
        &[child_id(&hello_process.child)?],
        hello(&hello_process.addr, concurrency, duration),
    )
    .await?;
    let (hello_p50, hello_p99) = (samples.percentile(0.5), samples.percentile(0.99));
    drop(hello_process);
    println!(
        "hello    {hello_rps:>8.0} requests/s ({})   p50 {}   p99 {}",
        hello_cpu.per_request(samples.0.len()),
        ms(hello_p50),
        ms(hello_p99)
    );

    let codes = Arc::new(Codes::default());
    let memory = start(&server, &UNTHROTTLED, Some(codes.clone())).await?;
    let (result, cpu) = CpuUse::of(
        &[child_id(&memory.child)?],
        flows(&memory.addr, codes.clone(), concurrency, duration, 0),
    )
    .await?;
    print_flows("memory", hello_rps, hello_p50, hello_p99, &result, cpu);
    drop(memory);

    if let Some(redis_bin) = redis_bin {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let port_text = port.to_string();
        let mut redis = Command::new(&redis_bin)
            .args([
                "--port",
                &port_text,
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ])
            .stdout(Stdio::null())
            .kill_on_drop(true)
            .spawn()?;
        let url = format!("redis://127.0.0.1:{port}");
        let mut flags = UNTHROTTLED.to_vec();
        flags.extend(["--store", &url]);
        // The server connects once at start; wait for Redis to take connections.
        let began = Instant::now();
        while tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_err()
        {
            if began.elapsed() > Duration::from_secs(10) {
                return Err("redis-server did not start".into());
            }
            tokio::task::yield_now().await;
        }
        let shared = start(&server, &flags, Some(codes.clone())).await?;
        let (result, cpu) = CpuUse::of(
            &[child_id(&shared.child)?, child_id(&redis)?],
            flows(
                &shared.addr,
                codes.clone(),
                concurrency,
                duration,
                5_000_000,
            ),
        )
        .await?;
        print_flows("redis", hello_rps, hello_p50, hello_p99, &result, cpu);
        drop(shared);
        redis.kill().await?;
    }

    let mut flags = UNTHROTTLED.to_vec();
    flags.extend(["--max-records", "1000000"]);
    let mut pending = start(&server, &flags, None).await?;
    let pid = pending.child.id().ok_or("no pid")?;
    let before = resident_kb(pid)?;
    let next = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let mut workers = Vec::new();
    for _ in 0..concurrency {
        let (addr, next) = (pending.addr.clone(), next.clone());
        workers.push(tokio::spawn(async move {
            let mut sender = connect(&addr).await?;
            loop {
                let n = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if n >= 100_000 {
                    return Ok::<_, Error>(());
                }
                let body = format!(r#"{{"destination":"{}","channel":"sms"}}"#, number(n));
                let (status, _, _) =
                    request(&mut sender, "POST", "/api/verification", Some(body)).await?;
                if status != 202 {
                    return Err(format!("send answered {status}").into());
                }
            }
        }));
    }
    for worker in workers {
        worker.await??;
    }
    let after = resident_kb(pid)?;
    println!(
        "memory   resident {:.1} MiB at start, {:.1} MiB after 100,000 pending verifications ({:.0} bytes each)",
        before as f64 / 1024.0,
        after as f64 / 1024.0,
        (after - before) as f64 * 1024.0 / 100_000.0
    );
    pending.child.kill().await?;
    Ok(())
}
