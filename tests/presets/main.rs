//! Every preset, tested as a table: the requests it builds, and recorded answers of its backend
//! for each situation a shopper meets — a code sent, verified, a wrong code, an expired one, a
//! locked verification, throttling with and without `Retry-After`, a send limit, and a malformed
//! answer — classified into what the widget does.
#![cfg(not(target_arch = "wasm32"))]

mod auth0;
mod custom;
mod firebase;
mod reference;
mod supabase;
mod twilio;
mod vonage;

use checkout_verify::core::backend::adapter::{no_page_values, Adapter, HttpRequest};
use checkout_verify::core::backend::{
    CheckOutcome, CheckRequest, Failure, HttpAnswer, SendOutcome, SendRequest,
};
use checkout_verify::Config;

/// Sat, 21 Nov 2026 07:24:00 GMT, by the page's clock.
pub const NOW_MS: u64 = 1_795_245_840_000;

/// The adapter a page's config describes, read as `mount` reads it.
pub fn adapter(config: &str) -> Adapter {
    Config::from_json(config)
        .unwrap_or_else(|e| panic!("{config}: {e}"))
        .backend
}

/// What the flow asks for a first code to +14155550123 by SMS.
pub fn first_send() -> SendRequest {
    SendRequest {
        destination: Some("+14155550123".into()),
        channel: "sms".into(),
        verification_id: None,
        context: None,
        locale: None,
        kept: Vec::new(),
    }
}

/// What the flow asks to check 123456 for `verification_id`.
pub fn check_of(verification_id: &str) -> CheckRequest {
    CheckRequest {
        verification_id: verification_id.into(),
        code: "123456".into(),
        destination: Some("+14155550123".into()),
        channel: "sms".into(),
        context: None,
        kept: Vec::new(),
    }
}

/// An answer with `status` and `body`, no headers.
pub fn answer(status: u16, body: &str) -> HttpAnswer<'_> {
    HttpAnswer {
        status,
        retry_after: None,
        date: None,
        received_at_ms: NOW_MS,
        body,
    }
}

/// The same answer with a `Retry-After` header.
pub fn with_retry_after<'a>(retry_after: &'a str, answer: HttpAnswer<'a>) -> HttpAnswer<'a> {
    HttpAnswer {
        retry_after: Some(retry_after),
        ..answer
    }
}

/// A first send's answer, classified.
pub fn send_answer(adapter: &Adapter, answer: HttpAnswer<'_>) -> SendOutcome {
    adapter.classify_send(&first_send(), Ok(answer))
}

/// A check's answer, classified.
pub fn check_answer(adapter: &Adapter, answer: HttpAnswer<'_>) -> CheckOutcome {
    adapter.classify_check(&check_of("v1"), Ok(answer))
}

/// The request of a first send, with no page values.
pub fn send_request(adapter: &Adapter) -> HttpRequest {
    adapter.send_request(&first_send(), &no_page_values)
}

/// The request of a check of 123456 for `verification_id`.
pub fn check_request(adapter: &Adapter, verification_id: &str) -> HttpRequest {
    adapter.check_request(&check_of(verification_id), &no_page_values)
}

/// The value of header `name`.
pub fn header<'a>(request: &'a HttpRequest, name: &str) -> Option<&'a str> {
    request
        .headers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// The wait of a throttled send.
pub fn send_wait(outcome: SendOutcome) -> (u64, bool) {
    match outcome {
        SendOutcome::RateLimited {
            retry_after_s,
            sends_exhausted,
        } => (retry_after_s, sends_exhausted),
        other => panic!("not throttled: {other:?}"),
    }
}

/// No answer at all is a network failure, for every preset.
#[test]
fn no_answer_is_a_network_failure_everywhere() {
    for preset in [
        r#"{"backend":{"preset":"reference"}}"#,
        r#"{"backend":{"preset":"firebase","params":{"api_key":"k"}}}"#,
        r#"{"backend":{"preset":"supabase","base_url":"https://p.supabase.co","params":{"api_key":"k"}}}"#,
        r#"{"backend":{"preset":"auth0","base_url":"https://t.auth0.com","params":{"client_id":"c"}}}"#,
        r#"{"backend":{"preset":"twilio-verify-proxy","base_url":"https://shop.example/twilio"}}"#,
        r#"{"backend":{"preset":"vonage-verify-proxy","base_url":"https://shop.example/vonage","params":{"brand":"Shop"}}}"#,
    ] {
        let adapter = adapter(preset);
        assert_eq!(
            adapter.classify_send(&first_send(), Err(Failure::Network)),
            SendOutcome::Failed(Failure::Network),
            "{preset}"
        );
        assert_eq!(
            adapter.classify_check(&check_of("v1"), Err(Failure::Timeout)),
            CheckOutcome::Failed(Failure::Timeout),
            "{preset}"
        );
    }
}
