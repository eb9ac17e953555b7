//! `checkout-verify-server [--dev] [--port N] [--site DIR] [--public-host HOST]`
//!
//! Listens on 127.0.0.1 (the port defaults to `$PORT`, then 8080; 0 picks a free one) and prints
//! `listening on http://127.0.0.1:<port>/` once it accepts connections.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use checkout_verify::core::url::host::HostPattern;
use checkout_verify_server::outbox::Outbox;
use checkout_verify_server::policy::Policy;
use checkout_verify_server::reports::Reports;
use checkout_verify_server::store::MemoryStore;
use checkout_verify_server::{app, Backend, SystemClock};

const USAGE: &str =
    "usage: checkout-verify-server [--dev] [--port N] [--site DIR] [--public-host HOST]";

struct Options {
    dev: bool,
    port: u16,
    site: Option<PathBuf>,
    public_host: Option<String>,
}

fn parse(args: impl Iterator<Item = String>) -> Result<Options, String> {
    let default_port = std::env::var("PORT").ok();
    let mut options = Options {
        dev: false,
        port: 8080,
        site: None,
        public_host: None,
    };
    let mut port = default_port;
    let mut args = args.skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--dev" => options.dev = true,
            "--port" => port = Some(value("--port")?),
            "--site" => options.site = Some(value("--site")?.into()),
            "--public-host" => options.public_host = Some(value("--public-host")?),
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    if let Some(port) = port {
        options.port = port
            .parse()
            .map_err(|_| format!("port must be a number from 0 to 65535, got {port}"))?;
    }
    Ok(options)
}

/// The store's own hosts, against which clone reports are graded: the public host, and in dev
/// mode the loopback names the demo runs on.
fn store_hosts(options: &Options) -> Vec<HostPattern> {
    let dev_hosts: &[&str] = if options.dev {
        &["localhost", "127.0.0.1"]
    } else {
        &[]
    };
    options
        .public_host
        .iter()
        .map(String::as_str)
        .chain(dev_hosts.iter().copied())
        .filter_map(HostPattern::parse)
        .collect()
}

#[tokio::main]
async fn main() -> ExitCode {
    let options = match parse(std::env::args()) {
        Ok(options) => options,
        Err(problem) => {
            if !problem.is_empty() {
                eprintln!("{problem}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    if !options.dev {
        eprintln!(
            "note: without --dev, codes are not delivered anywhere (no SMS provider configured)"
        );
    }
    let backend = Arc::new(Backend {
        store: MemoryStore::default(),
        outbox: Outbox::new(options.dev),
        reports: Reports::new(store_hosts(&options), options.dev),
        clock: SystemClock,
        policy: Policy::default(),
        starts: Default::default(),
        public_host: options.public_host,
        dev: options.dev,
    });
    let listener = match tokio::net::TcpListener::bind(("127.0.0.1", options.port)).await {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("cannot listen on 127.0.0.1:{}: {e}", options.port);
            return ExitCode::FAILURE;
        }
    };
    match listener.local_addr() {
        Ok(addr) => println!("listening on http://{addr}/"),
        Err(e) => eprintln!("listening, address unknown: {e}"),
    }
    let service = app(backend, options.site).into_make_service_with_connect_info::<SocketAddr>();
    let served = axum::serve(listener, service)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await;
    match served {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("server stopped: {e}");
            ExitCode::FAILURE
        }
    }
}
