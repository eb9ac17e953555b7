//! Reference backend for checkout-verify: the reference verify API (docs/ARCHITECTURE.md) with an
//! in-memory store, codes from the OS random source, expiry, an attempt budget, a resend cooldown and a send cap.
//! In dev mode it prints every message and lists them at `GET /dev/outbox`; it counts the clone
//! reports widgets send (`GET /dev/clone-reports`); it can also serve the built demo page.

pub mod api;
pub mod outbox;
pub mod policy;
pub mod random;
pub mod reports;
pub mod store;

use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use tower_http::services::ServeDir;

pub use api::{Backend, Clock, SystemClock};

/// The whole app: the API, and the files of `site` (the built demo) for every other path.
pub fn app<S: store::Store, C: Clock>(
    backend: Arc<Backend<S, C>>,
    site: Option<PathBuf>,
) -> Router {
    let router = api::routes(backend);
    match site {
        Some(dir) => router.fallback_service(ServeDir::new(dir)),
        None => router,
    }
}
