//! The reference verify API, which the reference server implements and the widget speaks by
//! default (the `reference` preset, [`super::presets`]): its bodies, with serde derives for Rust
//! backends such as the reference server.
//!
//! - `POST /api/verification` `{"destination", "channel", "context"?, "locale"?, "verification_id"?}` → `202` with
//!   `{"verification_id", "expires_in", "resend_in", "sends_remaining", "code_length",
//!   "destination_hint"}`; with a `verification_id` it sends another code for it.
//! - `POST /api/verification/check` `{"verification_id", "code"}` → `200 {"status": "approved",
//!   "token"}`.
//! - Errors are RFC 9457 problem documents ([`problem`]): `422` wrong code with
//!   `attempts_remaining`, `410` expired or too many attempts, `429` with `Retry-After`, repeated
//!   as `retry_after` in the body.

use serde::{Deserialize, Serialize};

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
    /// 422: the destination cannot receive codes (a malformed or unreachable number).
    pub const INVALID_DESTINATION: &str = "urn:checkout-verify:invalid-destination";
    /// 400: the request itself was malformed.
    pub const BAD_REQUEST: &str = "urn:checkout-verify:bad-request";
}

/// Body of `POST /api/verification`: send a first code, or a new one for `verification_id`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SendBody {
    /// Where the code goes; the backend may know it from the session instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination: Option<String>,
    /// Delivery channel, e.g. `sms`.
    pub channel: String,
    /// Present on a resend: the verification the new code belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verification_id: Option<String>,
    /// The store's checkout or order id, bound into the proof an approval returns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
    /// The shopper's language (`es`, `pt-BR`), for the message's words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
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

/// Body of `POST /api/verification/check`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckBody {
    /// The verification the code belongs to.
    pub verification_id: String,
    /// The code the shopper entered (never logged, stored or put in a URL).
    pub code: String,
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
