//! Each gateway against a real receiver on loopback: a webhook receiver that checks the
//! signature with its own HMAC, a server answering as Twilio's API does (recorded answers, its
//! test numbers), a real SMTP server (aiosmtpd) whose mailbox the test reads, and moto's server
//! standing in for AWS SNS, whose recording of requests the test reads (both from PyPI, installed

mod smtp;
mod sns;
mod twilio;
mod webhook;

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use checkout_verify_server::delivery::{
    DeliveryError, Gateway, GatewaySetup, Gateways, Outgoing, Texts,
};

const WEBHOOK_KEY: &[u8] = b"webhook-key-for-tests-0123456789abcdef";

fn message(to: &str, channel: &str, locale: &str) -> Outgoing {
    let texts = Texts {
        store_name: "Demo Store".into(),
        host: "shop.example".into(),
        ttl_s: 600,
    };
    texts.message(to, channel, Some(locale), "vrf_1", "482915")
}

/// The gateway `flag` configures, with `env` for its credentials.
fn gateway(flag: &str, env: &dyn Fn(&str) -> Option<String>) -> Arc<dyn Gateway> {
    let setup = GatewaySetup {
        webhook_key: Some(WEBHOOK_KEY),
        env,
    };
    let mut gateways = Gateways::default();
    gateways.add(flag, &setup).expect("a valid --deliver");
    let channel = flag.split_once('=').expect("CHANNEL=URI").0;
    gateways.route(channel).expect("routed")
}

/// Delivers on a blocking thread, as the server does.
async fn deliver(gateway: Arc<dyn Gateway>, message: Outgoing) -> Result<(), DeliveryError> {
    tokio::task::spawn_blocking(move || gateway.deliver(&message))
        .await
        .expect("no panic")
}

/// Serves `router` on a free loopback port.
async fn serve(router: Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, router).await });
    addr
}

/// A tool bootstrap installed under the repository.
fn installed(path: &str) -> PathBuf {
    let tool = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(path);
    assert!(
        tool.exists(),
        "{} is missing: run scripts/bootstrap.sh native",
        tool.display()
    );
    tool
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

fn wait_until_listening(port: u16, what: &str) {
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "{what} did not listen"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// An `application/x-www-form-urlencoded` body's pairs.
fn form_decode(body: &str) -> Vec<(String, String)> {
    let decode = |s: &str| {
        let bytes = s.replace('+', " ").into_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' && i + 2 < bytes.len() {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz");
                if let Ok(b) = u8::from_str_radix(hex, 16) {
                    out.push(b);
                    i += 3;
                    continue;
                }
            }
            out.push(bytes[i]);
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    };
    body.split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (decode(k), decode(v)))
        .collect()
}
