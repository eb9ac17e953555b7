//! The HTTP surface of the reference verify API (docs/ARCHITECTURE.md): send, check, and the dev outbox.
//! Handlers translate between HTTP and the pure rules in [`crate::policy`].

use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};

use axum::extract::rejection::{JsonRejection, StringRejection};
use axum::extract::{ConnectInfo, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, DATE, HOST, RETRY_AFTER};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use checkout_verify::core::backend::reference::{
    problem, CheckApproved, CheckBody, Problem, SendAccepted, SendBody, APPROVED,
};
use checkout_verify::core::guard::report::{CloneReport, GradedReport};

use crate::outbox::{message_text, Message, Outbox};
use crate::policy::{CheckResult, Policy, ResendRefusal, Starts, Verification};
use crate::random;
use crate::reports::{Refusal, Reports};
use crate::store::Store;

/// The current time in milliseconds since the Unix epoch; a trait so tests can move time.
pub trait Clock: Send + Sync + 'static {
    /// Now, in milliseconds.
    fn now_ms(&self) -> u64;
}

/// The machine's clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> u64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
    }
}

/// Everything the handlers share.
pub struct Backend<S, C> {
    /// Verifications by id.
    pub store: S,
    /// Where messages go.
    pub outbox: Outbox,
    /// Clone reports received.
    pub reports: Reports,
    /// The time source.
    pub clock: C,
    /// The numbers enforced.
    pub policy: Policy,
    /// When verifications were started, per destination.
    pub starts: Mutex<Starts>,
    /// Host named in the origin-bound line; `None` takes the request's `Host` without its port.
    pub public_host: Option<String>,
    /// Serve `GET /dev/outbox`.
    pub dev: bool,
}

type Shared<S, C> = State<Arc<Backend<S, C>>>;

/// The API routes. Every answer carries `Cache-Control: no-store`, and a `Date` from the
/// backend's clock, against which clients measure waits.
pub fn routes<S: Store, C: Clock>(backend: Arc<Backend<S, C>>) -> Router {
    let mut router = Router::new()
        .route("/api/verification", post(send::<S, C>))
        .route("/api/verification/check", post(check::<S, C>))
        .route(
            "/api/clone-report",
            post(clone_report::<S, C>)
                .layer(axum::extract::DefaultBodyLimit::max(MAX_REPORT_BYTES)),
        );
    if backend.dev {
        router = router
            .route("/dev/outbox", get(outbox::<S, C>))
            .route("/dev/clone-reports", get(clone_reports::<S, C>));
    }
    router
        .layer(axum::middleware::map_response(no_store))
        .layer(axum::middleware::map_response_with_state(
            backend.clone(),
            dated::<S, C>,
        ))
        .with_state(backend)
}

async fn dated<S: Store, C: Clock>(
    State(backend): Shared<S, C>,
    mut response: Response,
) -> Response {
    let now = std::time::UNIX_EPOCH + std::time::Duration::from_millis(backend.clock.now_ms());
    if let Ok(date) = HeaderValue::from_str(&httpdate::fmt_http_date(now)) {
        response.headers_mut().insert(DATE, date);
    }
    response
}

async fn no_store(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

async fn send<S: Store, C: Clock>(
    State(backend): Shared<S, C>,
    headers: HeaderMap,
    body: Result<Json<SendBody>, JsonRejection>,
) -> Result<Response, Response> {
    let Json(request) = body.map_err(bad_request)?;
    let now = backend.clock.now_ms();
    let policy = &backend.policy;
    let code = random::code(policy.code_length).map_err(|_| unavailable())?;
    let (id, verification) = match request.verification_id {
        Some(id) => {
            let resent = backend
                .store
                .update(
                    &verification_key(&id),
                    now,
                    |slot: &mut Option<Verification>| match slot {
                        None => Err(None),
                        Some(v) => v
                            .resend(code.clone(), now, policy)
                            .map(|()| v.clone())
                            .map_err(Some),
                    },
                )
                .await
                .map_err(|_| unavailable())?;
            let verification = resent.map_err(|refusal| match refusal {
                None => gone(problem::EXPIRED, "This verification has ended"),
                Some(refusal) => throttled(refusal),
            })?;
            (id, verification)
        }
        None => {
            let destination = request
                .destination
                .filter(|d| !d.trim().is_empty())
                .ok_or_else(|| {
                    problem_response(
                        StatusCode::BAD_REQUEST,
                        bad_request_problem("destination is required"),
                    )
                })?;
            let admitted = backend
                .starts
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .admit(&destination, now, policy);
            admitted
                .map_err(|retry_after_s| throttled(ResendRefusal::SendLimit { retry_after_s }))?;
            let id = random::token("vrf_", 16).map_err(|_| unavailable())?;
            let v = Verification::new(destination, code.clone(), now, policy);
            let stored = v.clone();
            backend
                .store
                .update(&verification_key(&id), now, |slot| {
                    *slot = Some(stored.clone())
                })
                .await
                .map_err(|_| unavailable())?;
            (id, v)
        }
    };
    let host = backend
        .public_host
        .clone()
        .unwrap_or_else(|| request_host(&headers));
    let destination_hint = Some(mask(&verification.destination));
    backend.outbox.deliver(Message {
        to: verification.destination.clone(),
        text: message_text(&code, policy.ttl_s, &host),
        sent_at_ms: now,
    });
    let accepted = SendAccepted {
        verification_id: id,
        expires_in: Some(verification.expires_in_s(now)),
        resend_in: Some(verification.resend_in_s(now)),
        sends_remaining: Some(verification.sends_remaining(policy)),
        code_length: policy.code_length,
        destination_hint,
    };
    Ok((StatusCode::ACCEPTED, Json(accepted)).into_response())
}

async fn check<S: Store, C: Clock>(
    State(backend): Shared<S, C>,
    body: Result<Json<CheckBody>, JsonRejection>,
) -> Result<Response, Response> {
    let Json(request) = body.map_err(bad_request)?;
    let now = backend.clock.now_ms();
    let result = backend
        .store
        .update(
            &verification_key(&request.verification_id),
            now,
            |slot: &mut Option<Verification>| {
                let result = slot.as_mut().map(|v| v.check(&request.code, now));
                if matches!(result, Some(CheckResult::Approved | CheckResult::Expired)) {
                    *slot = None;
                }
                result
            },
        )
        .await
        .map_err(|_| unavailable())?;
    Ok(match result {
        Some(CheckResult::Approved) => {
            let token = random::token("cvt_", 24).map_err(|_| unavailable())?;
            Json(CheckApproved {
                status: APPROVED.into(),
                token,
            })
            .into_response()
        }
        Some(CheckResult::Wrong { attempts_left }) => problem_response(
            StatusCode::UNPROCESSABLE_ENTITY,
            Problem {
                kind: problem::INVALID_CODE.into(),
                title: "That code is not right".into(),
                attempts_remaining: Some(attempts_left),
                ..Problem::default()
            },
        ),
        Some(CheckResult::Exhausted) => gone(
            problem::TOO_MANY_ATTEMPTS,
            "Too many wrong codes; request a new code",
        ),
        Some(CheckResult::Expired) | None => gone(problem::EXPIRED, "This code has expired"),
    })
}

/// A beacon is a few hundred bytes; anything much larger is not one of ours.
const MAX_REPORT_BYTES: usize = 4096;

/// Accepts a clone report. Beacons arrive as `text/plain` (so they need no CORS preflight), so
/// the body is read as JSON whatever its type: `204` when taken, `400` when not a report, `413`
/// over 4 KB, `429` when the client sent too many lately, each with a problem document.
async fn clone_report<S: Store, C: Clock>(
    State(backend): Shared<S, C>,
    client: Option<Extension<ConnectInfo<SocketAddr>>>,
    body: Result<String, StringRejection>,
) -> Response {
    let body = match body {
        Ok(body) => body,
        Err(rejection) => {
            let status = rejection.status();
            let detail = if status == StatusCode::PAYLOAD_TOO_LARGE {
                "a clone report is at most 4 KB"
            } else {
                "not a clone report"
            };
            return problem_response(status, bad_request_problem(detail));
        }
    };
    let report = match serde_json::from_str::<CloneReport>(&body) {
        Ok(report) if report.is_well_formed() => report,
        // The parser's message would echo the client's input: say what is wrong in our words.
        Ok(_) => {
            return problem_response(
                StatusCode::BAD_REQUEST,
                bad_request_problem("not a report a widget sends"),
            )
        }
        Err(_) => {
            return problem_response(
                StatusCode::BAD_REQUEST,
                bad_request_problem("not a clone report"),
            )
        }
    };
    // Behind `into_make_service_with_connect_info` the peer is always known; a router driven
    // without it (tests) counts every report as one client's.
    let client = client.map_or(IpAddr::from([127, 0, 0, 1]), |info| info.0 .0.ip());
    match backend
        .reports
        .receive(report, client, backend.clock.now_ms())
    {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(Refusal::TooMany { retry_after_s }) => problem_response(
            StatusCode::TOO_MANY_REQUESTS,
            Problem {
                kind: problem::RATE_LIMITED.into(),
                title: "Too many clone reports from this client".into(),
                retry_after: Some(retry_after_s),
                ..Problem::default()
            },
        ),
    }
}

async fn clone_reports<S: Store, C: Clock>(
    State(backend): Shared<S, C>,
) -> Json<Vec<GradedReport>> {
    Json(backend.reports.list())
}

async fn outbox<S: Store, C: Clock>(State(backend): Shared<S, C>) -> Json<Vec<Message>> {
    Json(backend.outbox.list())
}

/// The store key of a verification.
fn verification_key(id: &str) -> String {
    format!("v:{id}")
}

/// The request's host without its port, for the origin-bound line.
fn request_host(headers: &HeaderMap) -> String {
    let host = headers
        .get(HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    match host.rsplit_once(':') {
        Some((name, port)) if !name.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => {
            name.to_string()
        }
        _ => host.to_string(),
    }
}

/// Masks all but the last four digits, and the country code when it stands apart, so the
/// shopper recognises the number and nobody else learns it: `+1 415 555 4567` → `+1 ••• ••• 4567`.
pub fn mask(destination: &str) -> String {
    let digits = destination.chars().filter(char::is_ascii_digit).count();
    let country_code = destination
        .strip_prefix('+')
        .and_then(|rest| rest.split_once(|c: char| !c.is_ascii_digit()))
        .map_or(0, |(code, _)| code.len());
    let mut seen = 0;
    destination
        .chars()
        .map(|c| {
            if c.is_ascii_digit() {
                seen += 1;
                if seen > country_code && seen <= digits.saturating_sub(4) {
                    return '•';
                }
            }
            c
        })
        .collect()
}

fn problem_response(status: StatusCode, mut body: Problem) -> Response {
    body.status = status.as_u16();
    let retry_after = body.retry_after;
    let json = serde_json::to_string(&body).unwrap_or_default();
    let mut response = (status, json).into_response();
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/problem+json"),
    );
    if let Some(seconds) = retry_after {
        headers.insert(RETRY_AFTER, HeaderValue::from(seconds));
    }
    response
}

fn gone(kind: &str, title: &str) -> Response {
    problem_response(
        StatusCode::GONE,
        Problem {
            kind: kind.into(),
            title: title.into(),
            ..Problem::default()
        },
    )
}

fn throttled(refusal: ResendRefusal) -> Response {
    let (kind, title, retry_after_s) = match refusal {
        ResendRefusal::Cooldown { retry_after_s } => (
            problem::RATE_LIMITED,
            "Please wait before requesting another code",
            retry_after_s,
        ),
        ResendRefusal::SendLimit { retry_after_s } => (
            problem::SEND_LIMIT,
            "No more codes can be sent for this verification",
            retry_after_s,
        ),
    };
    problem_response(
        StatusCode::TOO_MANY_REQUESTS,
        Problem {
            kind: kind.into(),
            title: title.into(),
            retry_after: Some(retry_after_s),
            ..Problem::default()
        },
    )
}

/// A body that is not the JSON the route expects.
fn bad_request(rejection: JsonRejection) -> Response {
    problem_response(
        StatusCode::BAD_REQUEST,
        bad_request_problem(&rejection.body_text()),
    )
}

fn bad_request_problem(detail: &str) -> Problem {
    Problem {
        kind: problem::BAD_REQUEST.into(),
        title: format!("Bad request: {detail}"),
        ..Problem::default()
    }
}

fn unavailable() -> Response {
    problem_response(
        StatusCode::SERVICE_UNAVAILABLE,
        Problem {
            kind: "about:blank".into(),
            title: "Try again in a moment".into(),
            ..Problem::default()
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_all_but_last_four_digits() {
        assert_eq!(mask("+1 415 555 4567"), "+1 ••• ••• 4567");
        assert_eq!(mask("+44 20 7946 0958"), "+44 •• •••• 0958");
        assert_eq!(mask("+14155554567"), "+•••••••4567");
        assert_eq!(mask("4567"), "4567");
        assert_eq!(mask("shopper@example.com"), "shopper@example.com");
    }

    #[test]
    fn host_loses_its_port() {
        let mut headers = HeaderMap::new();
        headers.insert(HOST, HeaderValue::from_static("127.0.0.1:8080"));
        assert_eq!(request_host(&headers), "127.0.0.1");
        headers.insert(HOST, HeaderValue::from_static("shop.example"));
        assert_eq!(request_host(&headers), "shop.example");
        assert_eq!(request_host(&HeaderMap::new()), "localhost");
    }
}
