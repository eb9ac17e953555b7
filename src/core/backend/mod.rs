//! The backend: what the widget asks a verify API, and how any answer is classified into an
//! outcome the flow understands, for any backend. The [`adapter`] describes a backend as data
//! (steps, templates, JSON pointers, classification); [`presets`] are ready-made adapters, the
//! [`reference`] contract the default. Classification is strict: an answer that does not say, in
//! the backend's own words, that the code was approved is never "verified".

pub mod adapter;
mod classify;
mod explain;
pub mod http_date;
pub mod pointer;
pub mod presets;
pub mod reference;
pub mod template;

use crate::core::json::Json;

/// What the flow asks the backend to send: a first code, or another for `verification_id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendRequest {
    /// Where the code goes; the backend may know it from the session instead.
    pub destination: Option<String>,
    /// Delivery channel (`sms`, `voice`, …), as the widget names it.
    pub channel: String,
    /// Present on a resend: the verification the new code belongs to.
    pub verification_id: Option<String>,
    /// The page's order or cart id, on a verification's first send only.
    pub context: Option<String>,
    /// The shopper's language (`pt-BR`), for the words of the message.
    pub locale: Option<String>,
    /// Values kept from the last send answer (`sent.*`).
    pub kept: Vec<(String, Json)>,
}

/// What the flow asks the backend to check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckRequest {
    /// The verification the code belongs to.
    pub verification_id: String,
    /// The code the shopper entered (never logged, stored or put in a URL).
    pub code: String,
    /// Where the code went.
    pub destination: Option<String>,
    /// The channel it went by.
    pub channel: String,
    /// The page's order or cart id, for backends that want it with the check too.
    pub context: Option<String>,
    /// Values kept from the send answer (`sent.*`).
    pub kept: Vec<(String, Json)>,
}

/// A code is on its way: what the backend said about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent {
    /// Names this verification in later requests (the destination where a backend has no id).
    pub verification_id: String,
    /// Seconds the code stays valid; the widget's `code_lifetime` when absent.
    pub expires_in: Option<u64>,
    /// Seconds until another code may be requested; the widget's backoff when absent.
    pub resend_in: Option<u64>,
    /// How many more codes may be sent; counted by the widget when absent.
    pub sends_remaining: Option<u32>,
    /// Characters in the code; the config's `code_length` when absent.
    pub code_length: Option<u8>,
    /// Where the code went, masked (`+1 ••• ••• 4567`), for the shopper to recognise.
    pub destination_hint: Option<String>,
    /// Values of the answer kept for later templates (`sent.*`).
    pub kept: Vec<(String, Json)>,
}

/// What came back over HTTP, as the shell read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HttpAnswer<'a> {
    /// HTTP status code.
    pub status: u16,
    /// The `Retry-After` header when the page could read it.
    pub retry_after: Option<&'a str>,
    /// The `Date` header when the page could read it: the server's clock, against which an
    /// HTTP-date `Retry-After` is measured so that clock skew cancels out.
    pub date: Option<&'a str>,
    /// When the answer arrived, by the page's clock (ms since the epoch).
    pub received_at_ms: u64,
    /// The body as text.
    pub body: &'a str,
}

/// Why a request did not produce a usable answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// No answer: offline, DNS, CORS, a redirect (never followed). Worth retrying.
    Network,
    /// No answer within the adapter's `timeout`. Worth retrying.
    Timeout,
    /// The server failed (5xx) or refused the request (4xx outside the contract).
    Server(u16),
    /// An answer the contract does not describe, e.g. a 2xx without `"approved"`.
    Unrecognised(u16),
    /// The backend says the number or address cannot receive codes (with its HTTP status).
    InvalidDestination(u16),
    /// The backend refuses this shopper or number (fraud rules, blocked prefixes, a captcha), with
    /// its HTTP status.
    Refused(u16),
}

/// Which request: it changes what the shopper should do after a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Request {
    /// Sending (or re-sending) a code.
    Send,
    /// Checking a code.
    Check,
}

/// The outcome of a send request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendOutcome {
    /// A code is on its way.
    Sent(Sent),
    /// Not now: try again in this many seconds (cooldown or send limit).
    RateLimited {
        /// Seconds to wait.
        retry_after_s: u64,
        /// No more codes for this verification (`send-limit`): after the wait, a new one starts.
        sends_exhausted: bool,
    },
    /// Nothing usable came back, or the backend refused.
    Failed(Failure),
}

/// The outcome of a check request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckOutcome {
    /// The server approved the code.
    Verified {
        /// Proof for the storefront's server, when the backend gives one.
        token: Option<String>,
    },
    /// Wrong code; more tries may remain.
    InvalidCode {
        /// Tries left, when the server says.
        attempts_remaining: Option<u32>,
    },
    /// Wrong or expired: the backend cannot tell which.
    InvalidOrExpired {
        /// Tries left, when the server says.
        attempts_remaining: Option<u32>,
    },
    /// The code expired or was already used: a new one is needed.
    Expired,
    /// Too many wrong codes: this code is void.
    Locked {
        /// Seconds until a new code may be requested, when the server says.
        retry_after_s: Option<u64>,
    },
    /// Slow down; the code is still valid.
    RateLimited {
        /// Seconds to wait.
        retry_after_s: u64,
    },
    /// Nothing usable came back, or the backend refused.
    Failed(Failure),
}

/// The shortest and longest code any backend we know of sends: the range a config or a server may
/// name.
pub const CODE_LENGTHS: std::ops::RangeInclusive<u8> = 4..=10;
/// Seconds to wait when a throttled answer gives no usable time.
pub const DEFAULT_RETRY_AFTER_S: u64 = 30;
/// The longest wait believed; a longer `Retry-After` (a misconfigured proxy, a date years ahead)
/// is taken as this, since the server enforces its own limit anyway.
pub const MAX_WAIT_S: u64 = 24 * 60 * 60;
/// A code may not claim to live longer than this; longer claims are treated as unrecognised.
pub const MAX_EXPIRES_IN_S: u64 = 24 * 60 * 60;

/// Seconds to wait: the `Retry-After` header when readable (seconds, or an HTTP-date measured
/// against the answer's `Date`, else our clock), else the body's copy (`in_body`, for pages
/// that cannot read the header across origins), else the default; clamped to
/// 1..=[`MAX_WAIT_S`].
pub fn retry_after(answer: HttpAnswer<'_>, in_body: Option<u64>) -> u64 {
    let header = answer.retry_after.map(str::trim).and_then(|h| {
        h.parse().ok().or_else(|| {
            let at = http_date::parse(h)?;
            let now = answer
                .date
                .and_then(http_date::parse)
                .unwrap_or(answer.received_at_ms / 1000);
            Some(at.saturating_sub(now))
        })
    });
    header
        .or(in_body)
        .unwrap_or(DEFAULT_RETRY_AFTER_S)
        .clamp(1, MAX_WAIT_S)
}
