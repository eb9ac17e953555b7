//! The HTTP surface: the reference verify API, redemption, clone reports and, in dev mode,
//! `/dev/*`. Handlers translate between HTTP and the [`crate::operations`]; refusals become problem
//! documents in [`problem`]; who may call what is [`origin`].

pub mod client;
mod handlers;
pub mod origin;
pub mod problem;

use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, State};
use axum::http::header::{CACHE_CONTROL, DATE, X_CONTENT_TYPE_OPTIONS};
use axum::http::HeaderValue;
use axum::middleware::{from_fn, from_fn_with_state, map_response, map_response_with_state};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;

use crate::clock::Clock;
use crate::operations::Operations;
use crate::store::Store;

pub use handlers::MAX_REPORT_BYTES;

/// The largest body an API request can need (an e-mail address and a context fit many times).
pub const MAX_BODY_BYTES: usize = 2048;

/// The routes. Every answer carries `Cache-Control: no-store`, `X-Content-Type-Options:
/// nosniff` and a `Date` from the backend's clock, against which clients measure waits.
pub fn routes<S: Store, C: Clock>(backend: Arc<Operations<S, C>>) -> Router {
    let allowed = &backend.settings.allow_origins;
    let pages = Router::new()
        .route("/api/verification", post(handlers::send::<S, C>))
        .route("/api/verification/check", post(handlers::check::<S, C>))
        .route_layer(from_fn_with_state(
            backend.clone(),
            origin::allowed_pages_only::<S, C>,
        ))
        .layer(origin::cors(allowed));
    let servers = Router::new()
        .route("/api/verification/redeem", post(handlers::redeem::<S, C>))
        .route_layer(from_fn(origin::servers_only));
    let mut router = pages
        .merge(servers)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .route(
            "/api/clone-report",
            post(handlers::clone_report::<S, C>).layer(DefaultBodyLimit::max(MAX_REPORT_BYTES)),
        );
    if backend.settings.dev {
        let dev = Router::new()
            .route("/dev/outbox", get(handlers::outbox::<S, C>))
            .route("/dev/clone-reports", get(handlers::clone_reports::<S, C>))
            .route("/dev/place-order", post(handlers::place_order::<S, C>))
            .route_layer(from_fn_with_state(
                backend.clone(),
                origin::loopback_only::<S, C>,
            ));
        router = router.merge(dev);
    }
    router
        .layer(map_response(safe_headers))
        .layer(map_response_with_state(backend.clone(), dated::<S, C>))
        .with_state(backend)
}

async fn dated<S: Store, C: Clock>(
    State(backend): State<Arc<Operations<S, C>>>,
    mut response: Response,
) -> Response {
    let now = std::time::UNIX_EPOCH + std::time::Duration::from_millis(backend.clock.now_ms());
    if let Ok(date) = HeaderValue::from_str(&httpdate::fmt_http_date(now)) {
        response.headers_mut().insert(DATE, date);
    }
    response
}

async fn safe_headers(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    nosniff(response).await
}

/// Adds `X-Content-Type-Options: nosniff`: a browser takes each answer as the type it says.
pub async fn nosniff(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    response
}
