//! Serving connections: HTTP/1.1 on each accepted TCP connection, with deadlines a slow or idle
//! client cannot stretch (slowloris): a request's headers must arrive within the deadline, an
//! idle keep-alive connection waiting for the next request included, and its body within the
//! same deadline; a connection that misses it is closed. `axum::serve` sets no such deadline.

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tower::Service;
use tower_http::timeout::RequestBodyTimeoutLayer;

/// How long a client may take to send a request's headers, or its body, or to start its next
/// request on a kept-alive connection.
pub const CLIENT_DEADLINE: Duration = Duration::from_secs(30);

/// Serves `app` on `listener` until `shutdown` resolves, then lets the requests under way finish
/// (at most `deadline` more). Each connection has `deadline` for a request's headers and body.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    deadline: Duration,
    shutdown: impl Future<Output = ()>,
) {
    let mut make = app
        .layer(RequestBodyTimeoutLayer::new(deadline))
        .into_make_service_with_connect_info::<SocketAddr>();
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let (stream, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(connection) => connection,
                // Out of descriptors, say: wait a moment rather than spin.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let service = match Service::call(&mut make, remote).await {
            Ok(service) => service,
            Err(never) => match never {},
        };
        let connection = http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(deadline)
            .serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            // A client that went away or missed its deadline: nothing to report.
            let _: Result<(), hyper::Error> = connection.await;
        });
    }
    let _ = tokio::time::timeout(deadline, graceful.shutdown()).await;
}
