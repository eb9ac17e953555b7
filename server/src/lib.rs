//! Reference backend for checkout-verify: the reference verify API (docs/ARCHITECTURE.md), with
//! codes kept as keyed hashes, signed proofs a store's server redeems once, send budgets per
//! client, per network and overall, wrong codes that lock out the client entering them rather than
//! the destination's owner, destinations normalised to E.164, and a store that is either this
//! process's memory or Redis shared by many instances. It delivers codes through the gateways a
//! store configures (SMTP, a signed webhook, Twilio), answering a send only once the gateway took
//! it; in dev mode it prints the messages of other channels and lists them at `GET /dev/outbox`; it grades the clone reports widgets send; it can serve the
//! built demo page.

pub mod cli;
pub mod clock;
pub mod delivery;
pub mod error;
pub mod http;
pub mod keys;
pub mod operations;
pub mod outbox;
pub mod policy;
pub mod proof;
pub mod random;
pub mod reports;
pub mod serve;
pub mod store;

use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use tower_http::services::ServeDir;

pub use clock::{Clock, SystemClock};
pub use operations::{Operations, Settings};

/// The whole app: the API, and the files of `site` (the built demo) for every other path,
/// each answer with `X-Content-Type-Options: nosniff`.
pub fn app<S: store::Store, C: Clock>(
    backend: Arc<Operations<S, C>>,
    site: Option<PathBuf>,
) -> Router {
    let router = http::routes(backend);
    match site {
        Some(dir) => router
            .fallback_service(ServeDir::new(dir))
            .layer(axum::middleware::map_response(http::nosniff)),
        None => router,
    }
}
