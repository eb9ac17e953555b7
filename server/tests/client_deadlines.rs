//! A slow or idle client cannot hold a connection open: the server is served with a one-second
//! deadline here (thirty in production) and raw TCP clients trickle a header byte by byte, stop
//! halfway through a body, or sit idle after a request; each connection is closed.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};

use checkout_verify_server::store::MemoryStore;
use checkout_verify_server::{app, cli, serve, Operations, SystemClock};

const DEADLINE: Duration = Duration::from_secs(1);

/// The dev server, served with [`DEADLINE`], on a free loopback port.
async fn server() -> SocketAddr {
    let options = cli::parse(["--dev".to_string()]).expect("options");
    let setup = options
        .settings(|_| None, |_| unreachable!("no key files"))
        .expect("settings");
    let backend = Arc::new(Operations::new(
        setup.settings,
        MemoryStore::default(),
        SystemClock,
    ));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(serve::serve(
        listener,
        app(backend, None),
        DEADLINE,
        std::future::pending(),
    ));
    addr
}

/// Reads until the server closes the connection (or a minute passes); returns what it sent and
/// how long the wait took.
fn until_closed(stream: &mut TcpStream) -> (String, Duration) {
    let started = Instant::now();
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .expect("timeout");
    let mut received = Vec::new();
    let mut buffer = [0u8; 1024];
    loop {
        match stream.read(&mut buffer) {
            Ok(0) | Err(_) => break,
            Ok(n) => received.extend_from_slice(&buffer[..n]),
        }
    }
    (
        String::from_utf8_lossy(&received).into_owned(),
        started.elapsed(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_header_trickled_byte_by_byte_is_cut_off() {
    let addr = server().await;
    let closed = tokio::task::spawn_blocking(move || {
        let mut stream = TcpStream::connect(addr).expect("connect");
        let header = b"GET /api/verification HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";
        let started = Instant::now();
        // One byte every 100 ms, never finishing: 3 s of header if the server let it.
        for byte in header
            .iter()
            .chain(b"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".iter())
        {
            if stream.write_all(&[*byte]).is_err() {
                return started.elapsed();
            }
            std::thread::sleep(Duration::from_millis(100));
            if started.elapsed() > Duration::from_secs(12) {
                break;
            }
        }
        let (_, waited) = until_closed(&mut stream);
        started.elapsed().max(waited)
    })
    .await
    .expect("client");
    assert!(closed < Duration::from_secs(10), "held open for {closed:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_connection_after_a_request_is_closed() {
    let addr = server().await;
    let (answer, waited) = tokio::task::spawn_blocking(move || {
        let mut stream = TcpStream::connect(addr).expect("connect");
        stream
            .write_all(b"GET /api/verification HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            .expect("request");
        until_closed(&mut stream)
    })
    .await
    .expect("client");
    assert!(
        answer.starts_with("HTTP/1.1 405"),
        "the request was answered: {answer}"
    );
    assert!(
        waited < Duration::from_secs(10),
        "kept alive, idle, for {waited:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_that_stops_halfway_is_cut_off() {
    let addr = server().await;
    let (answer, waited) = tokio::task::spawn_blocking(move || {
        let mut stream = TcpStream::connect(addr).expect("connect");
        stream
            .write_all(
                b"POST /api/verification HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"channel\"",
            )
            .expect("request");
        until_closed(&mut stream)
    })
    .await
    .expect("client");
    assert!(
        waited < Duration::from_secs(10),
        "waited for the body {waited:?}: {answer}"
    );
    assert!(
        !answer.starts_with("HTTP/1.1 202"),
        "no code sent: {answer}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_prompt_client_is_served() {
    let addr = server().await;
    let answer = tokio::task::spawn_blocking(move || {
        let mut stream = TcpStream::connect(addr).expect("connect");
        let body = r#"{"destination":"+14155550123","channel":"sms"}"#;
        let request = format!(
            "POST /api/verification HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        stream.write_all(request.as_bytes()).expect("request");
        until_closed(&mut stream).0
    })
    .await
    .expect("client");
    assert!(answer.starts_with("HTTP/1.1 202"), "{answer}");
}
