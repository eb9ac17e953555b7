//! The reference verify API, which the reference server implements and the widget speaks by
//! default: request and answer bodies, shared with the server through serde, and the
//! classification of its answers.
//!
//! - `POST /api/verification` `{"destination", "channel", "verification_id"?}` → `202` with
//!   `{"verification_id", "expires_in", "resend_in", "sends_remaining", "code_length",
//!   "destination_hint"}`.
//! - `POST /api/verification/check` `{"verification_id", "code"}` → `200 {"status": "approved",
//!   "token"}`.
//! - Errors are RFC 9457 problem documents ([`problem`]): `422` wrong code with
//!   `attempts_remaining`, `410` expired or too many attempts, `429` with `Retry-After`, repeated
//!   as `retry_after` in the body.
//!
//! The widget reads and writes these bodies with [`crate::core::json`], which keeps serde_json out
//! of the browser package; Rust backends use the serde derives.

use serde::{Deserialize, Serialize};

use super::{
    retry_after, CheckOutcome, Failure, HttpAnswer, SendOutcome, CODE_LENGTHS, MAX_EXPIRES_IN_S,
};
use crate::core::json::Json;

/// Problem `type` URIs the reference contract uses in RFC 9457 answers.
pub mod problem {
    /// 422: the code is wrong; `attempts_remaining` says how many tries are left.
    pub const INVALID_CODE: &str = "urn:checkout-verify:invalid-code";
    /// 410: the code expired, was used, or the verification is unknown.
    pub const EXPIRED: &str = "urn:checkout-verify:expired";
    /// 410: too many wrong codes; this code is void, a new one may be requested.
    pub const TOO_MANY_ATTEMPTS: &str = "urn:checkout-verify:too-many-attempts";
    /// 429: slow down; `retry_after` (and the `Retry-After` header) says for how long.
    pub const RATE_LIMITED: &str = "urn:checkout-verify:rate-limited";
    /// 429: no more codes for this verification; `retry_after` says when to start again.
    pub const SEND_LIMIT: &str = "urn:checkout-verify:send-limit";
    /// 400: the request itself was malformed.
    pub const BAD_REQUEST: &str = "urn:checkout-verify:bad-request";
}

/// Body of `POST /api/verification`: send a first code, or a new one for `verification_id`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SendRequest {
    /// Where the code goes; the backend may know it from the session instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination: Option<String>,
    /// Delivery channel, e.g. `sms`.
    pub channel: String,
    /// Present on a resend: the verification the new code belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verification_id: Option<String>,
}

impl SendRequest {
    /// The request body as the widget sends it.
    pub fn to_json(&self) -> Json {
        let mut pairs = Vec::new();
        if let Some(destination) = &self.destination {
            pairs.push(("destination".to_string(), destination.as_str().into()));
        }
        pairs.push(("channel".to_string(), self.channel.as_str().into()));
        if let Some(id) = &self.verification_id {
            pairs.push(("verification_id".to_string(), id.as_str().into()));
        }
        Json::Object(pairs)
    }
}

/// Body of the `202` answer to a send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SendAccepted {
    /// Names this verification in later requests.
    pub verification_id: String,
    /// Seconds the code stays valid; the widget's `code_lifetime` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_in: Option<u64>,
    /// Seconds until another code may be requested; the widget's backoff when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resend_in: Option<u64>,
    /// How many more codes may be sent for this verification; counted by the widget when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sends_remaining: Option<u32>,
    /// Digits in the code.
    pub code_length: u8,
    /// Where the code went, masked (`+1 ••• ••• 4567`), for the shopper to recognise.
    #[serde(default)]
    pub destination_hint: Option<String>,
}

impl SendAccepted {
    /// Reads a send answer; `None` when a required field is missing or of the wrong type.
    pub fn from_json(json: &Json) -> Option<Self> {
        let number = |key| json.get(key).and_then(Json::as_u64);
        Some(Self {
            verification_id: json.get("verification_id")?.as_str()?.to_string(),
            expires_in: optional(json, "expires_in")?,
            resend_in: optional(json, "resend_in")?,
            sends_remaining: optional(json, "sends_remaining")?,
            code_length: u8::try_from(number("code_length")?).ok()?,
            destination_hint: json
                .get("destination_hint")
                .and_then(Json::as_str)
                .map(str::to_string),
        })
    }
}

/// An optional whole-number field: `Some(None)` when absent or `null`, `None` when present but
/// not a whole number that fits (a backend answering nonsense is not trusted with the rest).
fn optional<T: TryFrom<u64>>(json: &Json, key: &str) -> Option<Option<T>> {
    match json.get(key) {
        None | Some(Json::Null) => Some(None),
        Some(value) => value.as_u64().and_then(|n| T::try_from(n).ok()).map(Some),
    }
}

/// Body of `POST /api/verification/check`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckRequest {
    /// The verification the code belongs to.
    pub verification_id: String,
    /// The code the shopper entered (never logged, stored or put in a URL).
    pub code: String,
}

impl CheckRequest {
    /// The request body as the widget sends it.
    pub fn to_json(&self) -> Json {
        Json::object([
            ("verification_id", self.verification_id.as_str().into()),
            ("code", self.code.as_str().into()),
        ])
    }
}

/// Body of the `200` answer to a check with the right code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckApproved {
    /// Always `"approved"`.
    pub status: String,
    /// Proof of verification for the storefront's own checkout to redeem server side.
    pub token: String,
}

/// The `status` value of an approved check.
pub const APPROVED: &str = "approved";

/// An RFC 9457 problem document with the contract's extra fields.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Problem {
    /// One of the [`problem`] URIs.
    #[serde(rename = "type")]
    pub kind: String,
    /// Short human summary.
    pub title: String,
    /// The HTTP status, repeated.
    pub status: u16,
    /// Wrong tries left for this code, on `invalid-code`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attempts_remaining: Option<u32>,
    /// Seconds to wait, repeated from `Retry-After` for cross-origin pages that cannot read it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
}

impl Problem {
    /// Reads a problem document leniently: absent or mistyped fields stay empty, since a proxy or
    /// framework may answer errors with a body of its own.
    pub fn from_json(json: &Json) -> Self {
        let number = |key| json.get(key).and_then(Json::as_u64);
        Self {
            kind: json
                .get("type")
                .and_then(Json::as_str)
                .unwrap_or_default()
                .to_string(),
            title: json
                .get("title")
                .and_then(Json::as_str)
                .unwrap_or_default()
                .to_string(),
            status: number("status")
                .and_then(|n| u16::try_from(n).ok())
                .unwrap_or(0),
            attempts_remaining: number("attempts_remaining").and_then(|n| u32::try_from(n).ok()),
            retry_after: number("retry_after"),
        }
    }
}

/// Classifies the answer to a send request; `None` means no answer arrived (offline, CORS, DNS).
pub fn classify_send(answer: Option<HttpAnswer<'_>>) -> SendOutcome {
    let Some(answer) = answer else {
        return SendOutcome::Failed(Failure::Network);
    };
    match answer.status {
        200..=299 => match parse(answer.body)
            .as_ref()
            .and_then(SendAccepted::from_json)
        {
            Some(sent) if plausible(&sent) => SendOutcome::Sent(sent),
            _ => SendOutcome::Failed(Failure::Unrecognised(answer.status)),
        },
        429 => {
            let problem = parse_problem(answer.body);
            SendOutcome::RateLimited {
                retry_after_s: retry_after(answer, problem.retry_after),
                sends_exhausted: problem.kind == problem::SEND_LIMIT,
            }
        }
        status => SendOutcome::Failed(Failure::Server(status)),
    }
}

/// Classifies the answer to a check request; `None` means no answer arrived.
pub fn classify_check(answer: Option<HttpAnswer<'_>>) -> CheckOutcome {
    let Some(answer) = answer else {
        return CheckOutcome::Failed(Failure::Network);
    };
    if (200..=299).contains(&answer.status) {
        let body = parse(answer.body);
        let field = |key| {
            body.as_ref()
                .and_then(|b| b.get(key))
                .and_then(Json::as_str)
        };
        return match (field("status"), field("token")) {
            (Some(APPROVED), Some(token)) if !token.is_empty() => CheckOutcome::Verified {
                token: token.to_string(),
            },
            _ => CheckOutcome::Failed(Failure::Unrecognised(answer.status)),
        };
    }
    let problem = parse_problem(answer.body);
    match (answer.status, problem.kind.as_str()) {
        (422, _) => CheckOutcome::InvalidCode {
            attempts_remaining: problem.attempts_remaining,
        },
        (410, problem::TOO_MANY_ATTEMPTS) => CheckOutcome::Locked {
            retry_after_s: (answer.retry_after.is_some() || problem.retry_after.is_some())
                .then(|| retry_after(answer, problem.retry_after)),
        },
        (410, _) => CheckOutcome::Expired,
        (429, _) => CheckOutcome::RateLimited {
            retry_after_s: retry_after(answer, problem.retry_after),
        },
        (status, _) => CheckOutcome::Failed(Failure::Server(status)),
    }
}

fn parse(body: &str) -> Option<Json> {
    Json::parse(body).ok()
}

/// A problem document, or an empty one when the body is not one (proxies answer with HTML).
fn parse_problem(body: &str) -> Problem {
    parse(body)
        .map(|json| Problem::from_json(&json))
        .unwrap_or_default()
}

fn plausible(sent: &SendAccepted) -> bool {
    !sent.verification_id.is_empty()
        && CODE_LENGTHS.contains(&sent.code_length)
        && sent
            .expires_in
            .is_none_or(|s| (1..=MAX_EXPIRES_IN_S).contains(&s))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::backend::{DEFAULT_RETRY_AFTER_S, MAX_WAIT_S};

    fn answer(status: u16, body: &str) -> HttpAnswer<'_> {
        HttpAnswer {
            status,
            retry_after: None,
            date: None,
            received_at_ms: NOW_MS,
            body,
        }
    }

    /// Sat, 21 Nov 2026 07:24:00 GMT
    const NOW_MS: u64 = 1_795_245_840_000;

    const SENT: &str = r#"{"verification_id":"v1","expires_in":600,"resend_in":30,
        "sends_remaining":4,"code_length":6,"destination_hint":"+1 ••• 4567"}"#;

    #[test]
    fn accepted_send_is_sent() {
        let SendOutcome::Sent(sent) = classify_send(Some(answer(202, SENT))) else {
            panic!("not sent")
        };
        assert_eq!(sent.verification_id, "v1");
        assert_eq!(sent.expires_in, Some(600));
        assert_eq!(sent.sends_remaining, Some(4));
        assert_eq!(sent.destination_hint.as_deref(), Some("+1 ••• 4567"));
    }

    #[test]
    fn implausible_or_malformed_send_answers_are_unrecognised() {
        for body in [
            "",
            "<html>ok</html>",
            "{}",
            r#"{"verification_id":"","expires_in":600,"resend_in":30,"sends_remaining":4,"code_length":6}"#,
            r#"{"verification_id":"v","expires_in":0,"resend_in":30,"sends_remaining":4,"code_length":6}"#,
            r#"{"verification_id":"v","expires_in":600,"resend_in":30,"sends_remaining":4,"code_length":40}"#,
            r#"{"verification_id":"v","expires_in":999999,"resend_in":30,"sends_remaining":4,"code_length":6}"#,
            r#"{"verification_id":"v","expires_in":"soon","code_length":6}"#,
            r#"{"verification_id":"v","sends_remaining":-1,"code_length":6}"#,
        ] {
            assert_eq!(
                classify_send(Some(answer(202, body))),
                SendOutcome::Failed(Failure::Unrecognised(202)),
                "{body}"
            );
        }
    }

    #[test]
    fn throttled_send_reads_header_then_body_then_default() {
        let body = r#"{"type":"urn:checkout-verify:rate-limited","title":"wait","status":429,"retry_after":17}"#;
        let with_header = HttpAnswer {
            retry_after: Some("42"),
            ..answer(429, body)
        };
        let waits = |answer| match classify_send(Some(answer)) {
            SendOutcome::RateLimited { retry_after_s, .. } => retry_after_s,
            other => panic!("{other:?}"),
        };
        assert_eq!(waits(with_header), 42);
        assert_eq!(waits(answer(429, body)), 17);
        assert_eq!(waits(answer(429, "")), DEFAULT_RETRY_AFTER_S);
    }

    #[test]
    fn an_http_date_retry_after_is_measured_on_the_servers_clock() {
        let at = |retry_after, date| HttpAnswer {
            retry_after: Some(retry_after),
            date,
            ..answer(429, "")
        };
        let waits = |answer| match classify_check(Some(answer)) {
            CheckOutcome::RateLimited { retry_after_s } => retry_after_s,
            other => panic!("{other:?}"),
        };
        // The server's clock is an hour behind ours: its Date says how long it really means.
        let date = Some("Sat, 21 Nov 2026 06:24:00 GMT");
        assert_eq!(waits(at("Sat, 21 Nov 2026 06:25:30 GMT", date)), 90);
        // Without a readable Date, our own clock is all there is.
        assert_eq!(waits(at("Sat, 21 Nov 2026 07:25:30 GMT", None)), 90);
        // A time already past still waits a moment rather than hammering the server.
        assert_eq!(waits(at("Sat, 21 Nov 2026 06:00:00 GMT", date)), 1);
        // Absurd values are clamped; garbage falls back to the body, then the default.
        assert_eq!(waits(at("Fri, 01 Jan 2100 00:00:00 GMT", date)), MAX_WAIT_S);
        assert_eq!(waits(at("99999999999", None)), MAX_WAIT_S);
        assert_eq!(waits(at("0", None)), 1);
        assert_eq!(waits(at("tomorrow", None)), DEFAULT_RETRY_AFTER_S);
    }

    #[test]
    fn a_send_limit_says_the_sends_are_exhausted() {
        let body = r#"{"type":"urn:checkout-verify:send-limit","title":"","status":429,"retry_after":300}"#;
        assert_eq!(
            classify_send(Some(answer(429, body))),
            SendOutcome::RateLimited {
                retry_after_s: 300,
                sends_exhausted: true
            }
        );
    }

    #[test]
    fn a_backend_that_omits_the_timings_leaves_them_to_the_widget() {
        let body = r#"{"verification_id":"v","code_length":6,"expires_in":null}"#;
        let SendOutcome::Sent(sent) = classify_send(Some(answer(200, body))) else {
            panic!("not sent")
        };
        assert_eq!(
            (sent.expires_in, sent.resend_in, sent.sends_remaining),
            (None, None, None)
        );
    }

    #[test]
    fn no_answer_is_a_network_failure() {
        assert_eq!(classify_send(None), SendOutcome::Failed(Failure::Network));
        assert_eq!(classify_check(None), CheckOutcome::Failed(Failure::Network));
    }

    #[test]
    fn send_server_errors_are_failures() {
        assert_eq!(
            classify_send(Some(answer(503, ""))),
            SendOutcome::Failed(Failure::Server(503))
        );
    }

    #[test]
    fn only_an_approved_check_with_token_verifies() {
        assert_eq!(
            classify_check(Some(answer(200, r#"{"status":"approved","token":"t"}"#))),
            CheckOutcome::Verified { token: "t".into() }
        );
        for body in [
            r#"{"status":"pending","token":"t"}"#,
            r#"{"status":"approved","token":""}"#,
            r#"{"status":"approved"}"#,
            r#"{"ok":true}"#,
            "approved",
            "",
        ] {
            assert_eq!(
                classify_check(Some(answer(200, body))),
                CheckOutcome::Failed(Failure::Unrecognised(200)),
                "{body}"
            );
        }
        assert_eq!(
            classify_check(Some(answer(204, ""))),
            CheckOutcome::Failed(Failure::Unrecognised(204))
        );
    }

    #[test]
    fn wrong_code_carries_attempts_left() {
        let body = r#"{"type":"urn:checkout-verify:invalid-code","title":"Wrong code","status":422,"attempts_remaining":3}"#;
        assert_eq!(
            classify_check(Some(answer(422, body))),
            CheckOutcome::InvalidCode {
                attempts_remaining: Some(3)
            }
        );
        assert_eq!(
            classify_check(Some(answer(422, "not json"))),
            CheckOutcome::InvalidCode {
                attempts_remaining: None
            }
        );
    }

    #[test]
    fn gone_is_expired_or_locked_by_type() {
        let locked = r#"{"type":"urn:checkout-verify:too-many-attempts","title":"","status":410}"#;
        let expired = r#"{"type":"urn:checkout-verify:expired","title":"","status":410}"#;
        assert_eq!(
            classify_check(Some(answer(410, locked))),
            CheckOutcome::Locked {
                retry_after_s: None
            }
        );
        let locked_for = r#"{"type":"urn:checkout-verify:too-many-attempts","title":"","status":410,"retry_after":120}"#;
        assert_eq!(
            classify_check(Some(answer(410, locked_for))),
            CheckOutcome::Locked {
                retry_after_s: Some(120)
            }
        );
        assert_eq!(
            classify_check(Some(answer(410, expired))),
            CheckOutcome::Expired
        );
        assert_eq!(classify_check(Some(answer(410, ""))), CheckOutcome::Expired);
    }

    #[test]
    fn throttled_check_and_server_errors() {
        let throttled = HttpAnswer {
            retry_after: Some(" 5 "),
            ..answer(429, "")
        };
        assert_eq!(
            classify_check(Some(throttled)),
            CheckOutcome::RateLimited { retry_after_s: 5 }
        );
        assert_eq!(
            classify_check(Some(answer(500, ""))),
            CheckOutcome::Failed(Failure::Server(500))
        );
        assert_eq!(
            classify_check(Some(answer(403, ""))),
            CheckOutcome::Failed(Failure::Server(403))
        );
    }

    #[test]
    fn requests_serialise_without_absent_fields() {
        let first = SendRequest {
            destination: None,
            channel: "sms".into(),
            verification_id: None,
        };
        assert_eq!(first.to_json().to_string(), r#"{"channel":"sms"}"#);
        let resend = SendRequest {
            destination: Some("+1".into()),
            channel: "sms".into(),
            verification_id: Some("v".into()),
        };
        assert_eq!(
            resend.to_json().to_string(),
            r#"{"destination":"+1","channel":"sms","verification_id":"v"}"#
        );
        let check = CheckRequest {
            verification_id: "v".into(),
            code: "123456".into(),
        };
        assert_eq!(
            check.to_json().to_string(),
            r#"{"verification_id":"v","code":"123456"}"#
        );
    }
}
