//! `checkout-verify-server`: see [`checkout_verify_server::cli`] for the command line.
//!
//! Listens on `--bind` (127.0.0.1 unless said; the port defaults to `$PORT`, then 8080; 0 picks a
//! free one) and prints `listening on http://<address>:<port>/` once it accepts connections.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use checkout_verify_server::cli::{self, Options, StoreChoice};
use checkout_verify_server::serve::{self, CLIENT_DEADLINE};
use checkout_verify_server::store::{MemoryStore, RedisStore, Store};
use checkout_verify_server::{app, Operations, Settings, SystemClock};

/// The allocator (server/Cargo.toml says why).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let env = |name: &str| std::env::var(name).ok();
    let options = match cli::parse(std::env::args().skip(1)) {
        Ok(options) => options,
        // The help, or the mistake with the usage; exits 0 or 2.
        Err(said) => said.exit(),
    };
    let settings = match options.settings(env, cli::read_key_file) {
        Ok(setup) => {
            if let Some(key) = setup.made_up_redeem_key {
                // The one secret printed: made up for this dev run, and what a store's server
                // needs to redeem its proofs (`Authorization: Bearer <key>`).
                println!("dev redeem key (made up for this run): {key}");
            }
            setup.settings
        }
        Err(problem) => {
            eprintln!("{problem}");
            return ExitCode::from(2);
        }
    };
    for route in settings.gateways.describe() {
        println!("delivering {route}");
    }
    match &options.store {
        StoreChoice::Memory => {
            let store = MemoryStore::with_capacity(options.max_records);
            serve(&options, settings, store).await
        }
        StoreChoice::Redis(address) => {
            let address = address
                .clone()
                .with_password(env("CHECKOUT_VERIFY_REDIS_PASSWORD"));
            match RedisStore::connect_to(&address, "cv:").await {
                Ok(store) => serve(&options, settings, store).await,
                Err(e) => {
                    eprintln!("cannot use the store at {address}: {e}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}

async fn serve<S: Store>(options: &Options, settings: Settings, store: S) -> ExitCode {
    let backend = Arc::new(Operations::new(settings, store, SystemClock));
    let address = SocketAddr::new(options.bind, options.port);
    let listener = match tokio::net::TcpListener::bind(address).await {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("cannot listen on {address}: {e}");
            return ExitCode::FAILURE;
        }
    };
    match listener.local_addr() {
        Ok(addr) => println!("listening on http://{addr}/"),
        Err(e) => eprintln!("listening, address unknown: {e}"),
    }
    let site: Option<PathBuf> = options.site.clone();
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    serve::serve(listener, app(backend, site), CLIENT_DEADLINE, shutdown).await;
    ExitCode::SUCCESS
}
