//! What the widget tells the host page: `checkout-verify:<what>` DOM events with JSON details.
//! Names and detail fields are a stable surface: extend, never rename.

use super::backend::{Failure, Request};
use super::guard::Reason;
use super::json::Json;
use super::messages::{Alert, Locale};

/// One announcement to the host page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// A code was sent.
    Sent {
        /// The verification it belongs to.
        verification_id: String,
        /// Seconds the code stays valid.
        expires_in: u64,
        /// Seconds until another code may be requested.
        resend_in: u64,
        /// Codes that may still be sent.
        sends_remaining: u32,
        /// Masked destination, when the server gave one.
        destination_hint: Option<String>,
        /// The channel it went by (`sms`, `voice`, …).
        channel: String,
    },
    /// The server approved the code.
    Verified {
        /// The verification that succeeded.
        verification_id: String,
        /// Proof for the storefront's backend to redeem (`null` where the backend gives none).
        token: Option<String>,
    },
    /// The server said the code is wrong.
    Invalid {
        /// Tries left, when the server says.
        attempts_remaining: Option<u32>,
    },
    /// The code expired.
    Expired,
    /// Too many wrong codes.
    Locked {
        /// Seconds until a new code may be requested, when the server said.
        retry_after: Option<u64>,
    },
    /// The server asked to slow down.
    Throttled {
        /// Seconds to wait.
        retry_after: u64,
        /// No more codes may be sent for this verification.
        sends_exhausted: bool,
    },
    /// The page is not the genuine store: the widget refused it before anything was typed.
    Blocked {
        /// Why, as the gate found (`host-not-allowed`, `insecure-scheme`, `framed`,
        /// `endpoint-not-allowed`).
        reasons: Vec<Reason>,
        /// The genuine store's host, to send the shopper to.
        genuine: Option<String>,
    },
    /// The shopper asked to use another phone number or address; the host page handles it
    /// (typically by asking for it and mounting the widget again with the new `destination`).
    ChangeDestination,
    /// A request produced nothing usable.
    Error {
        /// What went wrong.
        failure: Failure,
        /// During which request.
        during: Request,
    },
}

impl Event {
    /// The DOM event name, `checkout-verify:<what>`.
    pub fn name(&self) -> &'static str {
        match self {
            Event::Sent { .. } => "checkout-verify:sent",
            Event::Verified { .. } => "checkout-verify:verified",
            Event::Invalid { .. } => "checkout-verify:invalid",
            Event::Expired => "checkout-verify:expired",
            Event::Locked { .. } => "checkout-verify:locked",
            Event::Throttled { .. } => "checkout-verify:throttled",
            Event::Blocked { .. } => "checkout-verify:blocked",
            Event::ChangeDestination => "checkout-verify:change-destination",
            Event::Error { .. } => "checkout-verify:error",
        }
    }

    /// The event's `detail`: a plain JSON object, never holding the code. Its `message`, on
    /// errors, is in `locale`.
    pub fn detail(&self, locale: &Locale) -> Json {
        match self {
            Event::Sent {
                verification_id,
                expires_in,
                resend_in,
                sends_remaining,
                destination_hint,
                channel,
            } => Json::object([
                ("verification_id", verification_id.as_str().into()),
                ("expires_in", (*expires_in).into()),
                ("resend_in", (*resend_in).into()),
                ("sends_remaining", (*sends_remaining).into()),
                ("destination_hint", destination_hint.as_deref().into()),
                ("channel", channel.as_str().into()),
            ]),
            Event::Verified {
                verification_id,
                token,
            } => Json::object([
                ("verification_id", verification_id.as_str().into()),
                ("token", token.as_deref().into()),
            ]),
            Event::Invalid { attempts_remaining } => {
                Json::object([("attempts_remaining", (*attempts_remaining).into())])
            }
            Event::Expired | Event::ChangeDestination => Json::object([]),
            Event::Blocked { reasons, genuine } => Json::object([
                (
                    "reasons",
                    Json::Array(reasons.iter().map(|r| r.name().into()).collect()),
                ),
                ("genuine", genuine.as_deref().into()),
            ]),
            Event::Locked { retry_after } => Json::object([("retry_after", (*retry_after).into())]),
            Event::Throttled {
                retry_after,
                sends_exhausted,
            } => Json::object([
                ("retry_after", (*retry_after).into()),
                ("sends_exhausted", (*sends_exhausted).into()),
            ]),
            Event::Error { failure, during } => {
                let (reason, status, retryable) = match failure {
                    Failure::Network => ("network", None, true),
                    Failure::Timeout => ("timeout", None, true),
                    Failure::Server(s) => ("server", Some(*s), *s >= 500),
                    Failure::Unrecognised(s) => ("unrecognised", Some(*s), false),
                    Failure::InvalidDestination(s) => ("invalid_destination", Some(*s), false),
                    Failure::Refused(s) => ("refused", Some(*s), false),
                };
                let request = match during {
                    Request::Send => "send",
                    Request::Check => "check",
                };
                let message = locale.text(
                    &Alert::Failed {
                        failure: *failure,
                        during: *during,
                    }
                    .message(),
                );
                Json::object([
                    ("reason", reason.into()),
                    ("status", status.into()),
                    ("retryable", retryable.into()),
                    ("request", request.into()),
                    ("message", message.into()),
                ])
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_prefixed_and_stable() {
        let names: Vec<_> = [
            Event::Sent {
                verification_id: "v".into(),
                expires_in: 1,
                resend_in: 1,
                sends_remaining: 1,
                destination_hint: None,
                channel: "sms".into(),
            },
            Event::Verified {
                verification_id: "v".into(),
                token: Some("t".into()),
            },
            Event::Invalid {
                attempts_remaining: None,
            },
            Event::Expired,
            Event::Locked { retry_after: None },
            Event::Throttled {
                retry_after: 1,
                sends_exhausted: false,
            },
            Event::Blocked {
                reasons: vec![Reason::HostNotAllowed],
                genuine: Some("shop.example".into()),
            },
            Event::ChangeDestination,
            Event::Error {
                failure: Failure::Network,
                during: Request::Send,
            },
        ]
        .iter()
        .map(Event::name)
        .collect();
        assert_eq!(
            names,
            [
                "checkout-verify:sent",
                "checkout-verify:verified",
                "checkout-verify:invalid",
                "checkout-verify:expired",
                "checkout-verify:locked",
                "checkout-verify:throttled",
                "checkout-verify:blocked",
                "checkout-verify:change-destination",
                "checkout-verify:error"
            ]
        );
    }

    #[test]
    fn waits_are_in_the_details() {
        let throttled = Event::Throttled {
            retry_after: 42,
            sends_exhausted: true,
        };
        assert_eq!(
            throttled.detail(&Locale::english()).to_string(),
            r#"{"retry_after":42,"sends_exhausted":true}"#
        );
        let locked = Event::Locked {
            retry_after: Some(120),
        };
        assert_eq!(
            locked.detail(&Locale::english()).to_string(),
            r#"{"retry_after":120}"#
        );
    }

    #[test]
    fn error_detail_is_json_friendly() {
        let detail = Event::Error {
            failure: Failure::Server(503),
            during: Request::Check,
        }
        .detail(&Locale::english());
        assert_eq!(detail.get("reason"), Some(&"server".into()));
        assert_eq!(detail.get("status").and_then(Json::as_u64), Some(503));
        assert_eq!(detail.get("retryable"), Some(&true.into()));
        assert_eq!(detail.get("request"), Some(&"check".into()));
        assert!(detail
            .get("message")
            .and_then(Json::as_str)
            .unwrap()
            .contains("503"));
        let detail = Event::Error {
            failure: Failure::Network,
            during: Request::Send,
        }
        .detail(&Locale::english());
        assert_eq!(detail.get("status"), Some(&Json::Null));
    }

    #[test]
    fn blocked_detail_names_the_reasons_and_the_genuine_host() {
        let blocked = Event::Blocked {
            reasons: vec![Reason::HostNotAllowed, Reason::EndpointNotAllowed],
            genuine: Some("shop.example".into()),
        };
        assert_eq!(
            blocked.detail(&Locale::english()).to_string(),
            r#"{"reasons":["host-not-allowed","endpoint-not-allowed"],"genuine":"shop.example"}"#
        );
    }

    #[test]
    fn invalid_detail_keeps_unknown_attempts_as_null() {
        let detail = Event::Invalid {
            attempts_remaining: None,
        }
        .detail(&Locale::english());
        assert_eq!(detail.to_string(), r#"{"attempts_remaining":null}"#);
    }
}
