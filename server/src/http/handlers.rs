//! The route handlers: each reads its request, calls the [`Operations`] and writes the answer.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::rejection::{JsonRejection, StringRejection};
use axum::extract::{ConnectInfo, State};
use axum::http::header::AUTHORIZATION;
use axum::http::{HeaderMap, StatusCode};
use axum::{Extension, Json};
use checkout_verify::core::backend::reference::{CheckApproved, CheckBody, SendAccepted, SendBody};
use checkout_verify::core::guard::report::{CloneReport, GradedReport};

use super::problem::unreadable;
use crate::clock::Clock;
use crate::error::ApiError;
use crate::operations::{Operations, RedeemBody, Redeemed};
use crate::outbox::Message;
use crate::reports::Refusal;
use crate::store::Store;

type Shared<S, C> = State<Arc<Operations<S, C>>>;

/// The client's address: the peer, or behind a trusted proxy the address it forwards for
/// ([`super::client`]). Behind `into_make_service_with_connect_info` the peer is always known; a
/// router driven without it (tests) counts every request as one client's.
fn client<S: Store, C: Clock>(
    backend: &Operations<S, C>,
    info: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: &HeaderMap,
) -> IpAddr {
    let peer = info.map_or(IpAddr::from([127, 0, 0, 1]), |info| info.0 .0.ip());
    super::client::client(peer, headers, &backend.settings.trusted_proxies)
}

/// `POST /api/verification`.
pub async fn send<S: Store, C: Clock>(
    State(backend): Shared<S, C>,
    info: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    body: Result<Json<SendBody>, JsonRejection>,
) -> Result<(StatusCode, Json<SendAccepted>), ApiError> {
    let Json(request) = body.map_err(|r| {
        unreadable(
            &r,
            "{\"destination\", \"channel\", \"context\"?, \"locale\"?, \"verification_id\"?}",
            &["channel"],
        )
    })?;
    // Run to the end even if the client goes away meanwhile: a delivery that failed must be
    // rolled back, and hyper drops a handler whose connection closed.
    let client = client(&backend, info, &headers);
    let accepted = tokio::spawn(async move { backend.send(request, client).await })
        .await
        .map_err(|_| ApiError::Unavailable("the send did not finish".into()))??;
    Ok((StatusCode::ACCEPTED, Json(accepted)))
}

/// `POST /api/verification/check`.
pub async fn check<S: Store, C: Clock>(
    State(backend): Shared<S, C>,
    info: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    body: Result<Json<CheckBody>, JsonRejection>,
) -> Result<Json<CheckApproved>, ApiError> {
    let Json(request) = body.map_err(|r| {
        unreadable(
            &r,
            "{\"verification_id\", \"code\"}",
            &["verification_id", "code"],
        )
    })?;
    let client = client(&backend, info, &headers);
    Ok(Json(backend.check(request, client).await?))
}

/// `POST /api/verification/redeem`, server to server with `Authorization: Bearer <key>`.
pub async fn redeem<S: Store, C: Clock>(
    State(backend): Shared<S, C>,
    headers: HeaderMap,
    body: Result<Json<RedeemBody>, JsonRejection>,
) -> Result<Json<Redeemed>, ApiError> {
    let bearer = headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    if !backend.may_redeem(bearer) {
        return Err(ApiError::Unauthorized);
    }
    let Json(request) = body.map_err(|r| unreadable(&r, "{\"token\"}", &["token"]))?;
    Ok(Json(backend.redeem(&request.token).await?))
}

/// A beacon is a few hundred bytes; anything much larger is not one of ours.
pub const MAX_REPORT_BYTES: usize = 4096;

/// `POST /api/clone-report`. Beacons arrive as `text/plain` (so they need no CORS preflight),
/// so the body is read as JSON whatever its type: `204` when taken, `400` when not a report,
/// `413` over 4 KiB, `429` when the client sent too many lately.
pub async fn clone_report<S: Store, C: Clock>(
    State(backend): Shared<S, C>,
    info: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    body: Result<String, StringRejection>,
) -> Result<StatusCode, ApiError> {
    let body = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::TooLarge
        } else {
            ApiError::BadRequest("not a clone report".into())
        }
    })?;
    let report = serde_json::from_str::<CloneReport>(&body)
        .ok()
        .filter(CloneReport::is_well_formed)
        .ok_or_else(|| ApiError::BadRequest("not a report a widget sends".into()))?;
    backend
        .reports
        .receive(
            report,
            client(&backend, info, &headers),
            backend.clock.now_ms(),
        )
        .map(|()| StatusCode::NO_CONTENT)
        .map_err(|Refusal::TooMany { retry_after_s }| ApiError::TooManyReports { retry_after_s })
}

/// `GET /dev/clone-reports`: the latest reports, graded.
pub async fn clone_reports<S: Store, C: Clock>(
    State(backend): Shared<S, C>,
) -> Json<Vec<GradedReport>> {
    Json(backend.reports.list())
}

/// `GET /dev/outbox`: every message kept, newest last.
pub async fn outbox<S: Store, C: Clock>(State(backend): Shared<S, C>) -> Json<Vec<Message>> {
    Json(backend.outbox.list())
}

/// `POST /dev/place-order` `{"token"}`: the demo store's own checkout, standing in for the
/// store's server. It redeems the proof as `POST /api/verification/redeem` does (the same
/// [`Operations::redeem`], without a bearer key, since it runs inside the server) and answers what
/// the store would act on.
pub async fn place_order<S: Store, C: Clock>(
    State(backend): Shared<S, C>,
    body: Result<Json<RedeemBody>, JsonRejection>,
) -> Result<Json<Redeemed>, ApiError> {
    let Json(request) = body.map_err(|r| unreadable(&r, "{\"token\"}", &["token"]))?;
    Ok(Json(backend.redeem(&request.token).await?))
}
