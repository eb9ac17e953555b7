//! What the widget tells the host page: `checkout-verify:<what>` DOM events with JSON details.
//! Names and detail fields are a stable surface (DESIGN.md): extend, never rename.

use serde_json::{json, Value};

use super::contract::Failure;
use super::messages::{Alert, Request};

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
    },
    /// The server approved the code.
    Verified {
        /// The verification that succeeded.
        verification_id: String,
        /// Proof for the storefront's backend to redeem.
        token: String,
    },
    /// The server said the code is wrong.
    Invalid {
        /// Tries left, when the server says.
        attempts_remaining: Option<u32>,
    },
    /// The code expired.
    Expired,
    /// Too many wrong codes.
    Locked,
    /// The server asked to slow down.
    Throttled {
        /// Seconds to wait.
        retry_after: u64,
    },
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
            Event::Locked => "checkout-verify:locked",
            Event::Throttled { .. } => "checkout-verify:throttled",
            Event::Error { .. } => "checkout-verify:error",
        }
    }

    /// The event's `detail`: a plain JSON object, never holding the code.
    pub fn detail(&self) -> Value {
        match self {
            Event::Sent {
                verification_id,
                expires_in,
                resend_in,
                sends_remaining,
                destination_hint,
            } => json!({
                "verification_id": verification_id,
                "expires_in": expires_in,
                "resend_in": resend_in,
                "sends_remaining": sends_remaining,
                "destination_hint": destination_hint,
            }),
            Event::Verified {
                verification_id,
                token,
            } => json!({ "verification_id": verification_id, "token": token }),
            Event::Invalid { attempts_remaining } => {
                json!({ "attempts_remaining": attempts_remaining })
            }
            Event::Expired | Event::Locked => json!({}),
            Event::Throttled { retry_after } => json!({ "retry_after": retry_after }),
            Event::Error { failure, during } => {
                let (reason, status, retryable) = match failure {
                    Failure::Network => ("network", None, true),
                    Failure::Server(s) => ("server", Some(*s), *s >= 500),
                    Failure::Unrecognised(s) => ("unrecognised", Some(*s), false),
                };
                json!({
                    "reason": reason,
                    "status": status,
                    "retryable": retryable,
                    "request": match during { Request::Send => "send", Request::Check => "check" },
                    "message": Alert::Failed { failure: *failure, during: *during }.to_string(),
                })
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
            },
            Event::Verified {
                verification_id: "v".into(),
                token: "t".into(),
            },
            Event::Invalid {
                attempts_remaining: None,
            },
            Event::Expired,
            Event::Locked,
            Event::Throttled { retry_after: 1 },
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
                "checkout-verify:error"
            ]
        );
    }

    #[test]
    fn error_detail_is_json_friendly() {
        let detail = Event::Error {
            failure: Failure::Server(503),
            during: Request::Check,
        }
        .detail();
        assert_eq!(detail["reason"], "server");
        assert_eq!(detail["status"], 503);
        assert_eq!(detail["retryable"], true);
        assert_eq!(detail["request"], "check");
        assert!(detail["message"].as_str().unwrap().contains("503"));
        let detail = Event::Error {
            failure: Failure::Network,
            during: Request::Send,
        }
        .detail();
        assert_eq!(detail["status"], Value::Null);
    }

    #[test]
    fn invalid_detail_keeps_unknown_attempts_as_null() {
        let detail = Event::Invalid {
            attempts_remaining: None,
        }
        .detail();
        assert_eq!(detail, json!({ "attempts_remaining": null }));
    }
}
