//! The reference API over HTTP, driven through the real router with a clock the test moves.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use checkout_verify::core::backend::{client, CheckOutcome, HttpAnswer, SendOutcome};
use checkout_verify::core::url::host::HostPattern;
use checkout_verify_server::outbox::Outbox;
use checkout_verify_server::policy::Policy;
use checkout_verify_server::reports::{Reports, REPORTS_PER_CLIENT};
use checkout_verify_server::store::MemoryStore;
use checkout_verify_server::{app, Backend, Clock};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

const T0: u64 = 1_800_000_000_000;

#[derive(Clone)]
struct TestClock(Arc<AtomicU64>);

impl Clock for TestClock {
    fn now_ms(&self) -> u64 {
        self.0.load(Ordering::SeqCst)
    }
}

struct Harness {
    app: Router,
    backend: Arc<Backend<MemoryStore, TestClock>>,
    time: Arc<AtomicU64>,
}

struct Reply {
    status: StatusCode,
    retry_after: Option<String>,
    date: Option<String>,
    cache_control: Option<String>,
    content_type: Option<String>,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }

    fn answer(&self) -> HttpAnswer<'_> {
        HttpAnswer {
            status: self.status.as_u16(),
            retry_after: self.retry_after.as_deref(),
            date: self.date.as_deref(),
            received_at_ms: T0,
            body: &self.body,
        }
    }
}

/// The answer to a send, as the widget classifies it.
fn send_outcome(reply: &Reply) -> SendOutcome {
    client::classify_send(Ok(reply.answer()))
}

/// The answer to a check, as the widget classifies it.
fn check_outcome(reply: &Reply) -> CheckOutcome {
    client::classify_check(Ok(reply.answer()))
}

impl Harness {
    fn new(dev: bool) -> Self {
        let time = Arc::new(AtomicU64::new(T0));
        let backend = Arc::new(Backend {
            store: MemoryStore::default(),
            outbox: Outbox::new(false),
            reports: Reports::new(
                vec![HostPattern::parse("shop.example").expect("a host")],
                false,
            ),
            clock: TestClock(time.clone()),
            policy: Policy::default(),
            starts: Default::default(),
            public_host: None,
            dev,
        });
        Self {
            app: app(backend.clone(), None),
            backend,
            time,
        }
    }

    fn advance(&self, ms: u64) {
        self.time.fetch_add(ms, Ordering::SeqCst);
    }

    async fn call(&self, method: &str, path: &str, body: Option<String>) -> Reply {
        let request = Request::builder()
            .method(method)
            .uri(path)
            .header(header::HOST, "shop.example:8080")
            .header(header::CONTENT_TYPE, "application/json")
            .body(body.map_or_else(Body::empty, Body::from))
            .expect("request");
        let response = self.app.clone().oneshot(request).await.expect("response");
        let header = |name| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let (status, retry_after, date, cache_control, content_type) = (
            response.status(),
            header(header::RETRY_AFTER),
            header(header::DATE),
            header(header::CACHE_CONTROL),
            header(header::CONTENT_TYPE),
        );
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        Reply {
            status,
            retry_after,
            date,
            cache_control,
            content_type,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    async fn post(&self, path: &str, body: Value) -> Reply {
        self.call("POST", path, Some(body.to_string())).await
    }

    /// Starts a verification; returns its id.
    async fn start(&self) -> String {
        let reply = self
            .post(
                "/api/verification",
                json!({"destination": "+1 415 555 4567", "channel": "sms"}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::ACCEPTED, "{}", reply.body);
        reply.json()["verification_id"]
            .as_str()
            .expect("id")
            .to_string()
    }

    /// The code in the newest message, read from its origin-bound last line.
    fn last_code(&self) -> String {
        let messages = self.backend.outbox.list();
        let text = &messages.last().expect("a message").text;
        let last_line = text.lines().last().expect("a line");
        last_line.rsplit_once('#').expect("#code").1.to_string()
    }

    async fn check(&self, id: &str, code: &str) -> Reply {
        self.post(
            "/api/verification/check",
            json!({"verification_id": id, "code": code}),
        )
        .await
    }
}

fn wrong(code: &str) -> String {
    code.chars()
        .map(|c| {
            if c == '9' {
                '0'
            } else {
                char::from(c as u8 + 1)
            }
        })
        .collect()
}

#[tokio::test]
async fn send_answers_per_contract_and_the_widget_core_understands_it() {
    let h = Harness::new(true);
    let reply = h
        .post(
            "/api/verification",
            json!({"destination": "+1 415 555 4567", "channel": "sms"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::ACCEPTED);
    assert_eq!(reply.cache_control.as_deref(), Some("no-store"));
    let body = reply.json();
    for field in [
        "verification_id",
        "expires_in",
        "resend_in",
        "sends_remaining",
        "code_length",
        "destination_hint",
    ] {
        assert!(!body[field].is_null(), "missing {field}: {body}");
    }
    assert_eq!(body["expires_in"], 600);
    assert_eq!(body["resend_in"], 30);
    assert_eq!(body["sends_remaining"], 4);
    assert_eq!(body["destination_hint"], "+1 ••• ••• 4567");
    assert!(matches!(send_outcome(&reply), SendOutcome::Sent(_)));
}

#[tokio::test]
async fn message_ends_with_origin_bound_line_for_the_request_host() {
    let h = Harness::new(true);
    h.start().await;
    let messages = h.backend.outbox.list();
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0].to, "+1 415 555 4567");
    let code = h.last_code();
    assert_eq!(code.len(), 6);
    assert!(messages[0]
        .text
        .ends_with(&format!("@shop.example #{code}")));
}

#[tokio::test]
async fn dev_outbox_lists_messages_newest_last() {
    let h = Harness::new(true);
    h.start().await;
    h.start().await;
    let reply = h.call("GET", "/dev/outbox", None).await;
    assert_eq!(reply.status, StatusCode::OK);
    let list = reply.json();
    let list = list.as_array().expect("array");
    assert_eq!(list.len(), 2);
    assert!(list[1]["text"].as_str().unwrap().ends_with(&h.last_code()));
    assert!(list[0]["to"].is_string());
}

#[tokio::test]
async fn outbox_is_absent_outside_dev_mode() {
    let h = Harness::new(false);
    let reply = h.call("GET", "/dev/outbox", None).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn right_code_is_approved_once() {
    let h = Harness::new(true);
    let id = h.start().await;
    let code = h.last_code();
    let reply = h.check(&id, &code).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.cache_control.as_deref(), Some("no-store"));
    assert_eq!(reply.json()["status"], "approved");
    assert!(matches!(
        check_outcome(&reply),
        CheckOutcome::Verified { .. }
    ));
    let again = h.check(&id, &code).await;
    assert_eq!(again.status, StatusCode::GONE, "a code works once");
}

#[tokio::test]
async fn wrong_codes_count_down_then_lock() {
    let h = Harness::new(true);
    let id = h.start().await;
    let code = h.last_code();
    for left in (1..5).rev() {
        let reply = h.check(&id, &wrong(&code)).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            reply.content_type.as_deref(),
            Some("application/problem+json")
        );
        assert_eq!(reply.json()["attempts_remaining"], left);
        assert_eq!(
            check_outcome(&reply),
            CheckOutcome::InvalidCode {
                attempts_remaining: Some(left)
            }
        );
    }
    let reply = h.check(&id, &wrong(&code)).await;
    assert_eq!(reply.status, StatusCode::GONE);
    let locked = CheckOutcome::Locked {
        retry_after_s: None,
    };
    assert_eq!(check_outcome(&reply), locked);
    let reply = h.check(&id, &code).await;
    assert_eq!(check_outcome(&reply), locked, "right code too late");
}

#[tokio::test]
async fn code_expires_after_its_lifetime() {
    let h = Harness::new(true);
    let id = h.start().await;
    let code = h.last_code();
    h.advance(600_000);
    let reply = h.check(&id, &code).await;
    assert_eq!(reply.status, StatusCode::GONE);
    assert_eq!(check_outcome(&reply), CheckOutcome::Expired);
}

#[tokio::test]
async fn unknown_verification_is_gone() {
    let h = Harness::new(true);
    let reply = h.check("vrf_nope", "123456").await;
    assert_eq!(check_outcome(&reply), CheckOutcome::Expired);
}

#[tokio::test]
async fn resend_is_throttled_with_retry_after_then_replaces_the_code() {
    let h = Harness::new(true);
    let id = h.start().await;
    let first = h.last_code();
    h.advance(10_000);
    let reply = h
        .post(
            "/api/verification",
            json!({"channel": "sms", "verification_id": id}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(reply.retry_after.as_deref(), Some("20"));
    assert_eq!(reply.json()["retry_after"], 20);
    assert_eq!(
        send_outcome(&reply),
        SendOutcome::RateLimited {
            retry_after_s: 20,
            sends_exhausted: false
        }
    );
    h.advance(20_000);
    let reply = h
        .post(
            "/api/verification",
            json!({"channel": "sms", "verification_id": id}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::ACCEPTED);
    assert_eq!(reply.json()["sends_remaining"], 3);
    let second = h.last_code();
    if first != second {
        assert_eq!(
            h.check(&id, &first).await.status,
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }
    assert_eq!(h.check(&id, &second).await.status, StatusCode::OK);
}

#[tokio::test]
async fn resends_back_off_until_the_send_limit() {
    let h = Harness::new(true);
    let id = h.start().await;
    let resend = json!({"channel": "sms", "verification_id": id});
    let mut waits = vec![30];
    for sends_remaining in (0..4).rev() {
        h.advance(waits[waits.len() - 1] * 1000);
        let reply = h.post("/api/verification", resend.clone()).await;
        assert_eq!(reply.status, StatusCode::ACCEPTED);
        assert_eq!(reply.json()["sends_remaining"], sends_remaining);
        waits.push(reply.json()["resend_in"].as_u64().unwrap_or(0));
    }
    assert_eq!(waits, [30, 60, 120, 120, 120]);
    h.advance(120_000);
    let reply = h.post("/api/verification", resend).await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(reply.retry_after.as_deref(), Some("480"));
    assert_eq!(
        send_outcome(&reply),
        SendOutcome::RateLimited {
            retry_after_s: 480,
            sends_exhausted: true
        }
    );
}

#[tokio::test]
async fn every_answer_is_dated_by_the_backends_clock() {
    let h = Harness::new(true);
    h.start().await;
    let reply = h
        .post(
            "/api/verification/check",
            json!({"verification_id": "x", "code": "1"}),
        )
        .await;
    let date = reply.date.as_deref().unwrap_or_default();
    assert_eq!(
        checkout_verify::core::backend::http_date::parse(date),
        Some(T0 / 1000),
        "{date}"
    );
}

#[tokio::test]
async fn starting_over_is_limited_per_destination() {
    let h = Harness::new(true);
    for _ in 0..10 {
        h.start().await;
    }
    let reply = h
        .post(
            "/api/verification",
            json!({"channel": "sms", "destination": "+1 415 555 4567"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(matches!(
        send_outcome(&reply),
        SendOutcome::RateLimited {
            sends_exhausted: true,
            ..
        }
    ));
}

#[tokio::test]
async fn clone_reports_are_graded_and_listed_in_dev_mode() {
    let h = Harness::new(true);
    let report = json!({
        "reasons": ["host-not-allowed"],
        "host": "shop.example.com.evil.io",
        "ancestors": [],
        "version": "0.1.0"
    });
    for _ in 0..2 {
        let reply = h
            .call("POST", "/api/clone-report", Some(report.to_string()))
            .await;
        assert_eq!(reply.status, StatusCode::NO_CONTENT);
    }
    let mut smuggled = report.clone();
    smuggled["phone"] = json!("+14155550123");
    let reply = h
        .call("POST", "/api/clone-report", Some(smuggled.to_string()))
        .await;
    assert_eq!(
        reply.status,
        StatusCode::BAD_REQUEST,
        "unknown fields are refused"
    );
    assert!(
        !reply.body.contains("phone") && !reply.body.contains("4155550123"),
        "the refusal does not echo the input: {}",
        reply.body
    );
    let mut forged = report.clone();
    forged["host"] = json!("evil.io\u{1b}[2J");
    let reply = h
        .call("POST", "/api/clone-report", Some(forged.to_string()))
        .await;
    assert_eq!(
        reply.status,
        StatusCode::BAD_REQUEST,
        "only what a widget sends"
    );
    let huge = json!({"host": "x".repeat(10_000)}).to_string();
    let reply = h.call("POST", "/api/clone-report", Some(huge)).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        reply.content_type.as_deref(),
        Some("application/problem+json")
    );
    assert_eq!(reply.json()["status"], 413);

    let listed = h.call("GET", "/dev/clone-reports", None).await.json();
    let listed = listed.as_array().expect("a list");
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[1]["host"], "shop.example.com.evil.io");
    assert_eq!(
        listed[1]["reasons"],
        json!(["host-not-allowed", "lookalike"])
    );
    assert_eq!(listed[1]["ancestors"], json!([]));
    assert_eq!(listed[1]["lookalike_of"], "shop.example");
    assert_eq!(listed[1]["kind"], "embedded");
    let production = Harness::new(false);
    assert_eq!(
        production
            .call("GET", "/dev/clone-reports", None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn clone_reports_are_limited_per_client() {
    let h = Harness::new(true);
    let report = json!({
        "reasons": ["framed"],
        "host": "shop.example",
        "ancestors": ["https://evil.io"],
        "version": "0.1.0"
    })
    .to_string();
    for _ in 0..REPORTS_PER_CLIENT {
        let reply = h
            .call("POST", "/api/clone-report", Some(report.clone()))
            .await;
        assert_eq!(reply.status, StatusCode::NO_CONTENT);
    }
    let reply = h
        .call("POST", "/api/clone-report", Some(report.clone()))
        .await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(reply.retry_after.as_deref(), Some("60"));
    h.advance(60_000);
    let reply = h.call("POST", "/api/clone-report", Some(report)).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT, "a new window");
}

#[tokio::test]
async fn malformed_requests_get_a_problem_not_a_crash() {
    let h = Harness::new(true);
    let reply = h
        .call("POST", "/api/verification", Some("{not json".into()))
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        reply.content_type.as_deref(),
        Some("application/problem+json")
    );
    let reply = h.post("/api/verification", json!({"channel": "sms"})).await;
    assert_eq!(
        reply.status,
        StatusCode::BAD_REQUEST,
        "destination required"
    );
    assert!(reply.json()["title"]
        .as_str()
        .unwrap()
        .contains("destination"));
    let reply = h
        .post("/api/verification/check", json!({"code": "1"}))
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
}
