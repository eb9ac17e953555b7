//! The comparator of `make bench-server`: an axum hello-world route on 127.0.0.1, built and
//! served the way the reference server is (same axum, same runtime), so the server's figures can
//! be given as ratios to what the machine does for the simplest route.

use axum::routing::get;
use axum::Router;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let listener = match tokio::net::TcpListener::bind(("127.0.0.1", 0)).await {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("cannot listen: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match listener.local_addr() {
        Ok(addr) => println!("listening on http://{addr}/"),
        Err(e) => eprintln!("listening, address unknown: {e}"),
    }
    let app = Router::new().route("/", get(|| async { "Hello, World!" }));
    match axum::serve(listener, app).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("stopped: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
