//! Truthful answers: a send is `202` only once the channel's gateway took the message; a gateway
//! that fails makes it a retryable `503` that counts nothing, one that refuses the number a `422
//! invalid-destination`; a channel with no gateway is refused outside dev mode. The gateway here
//! is scripted (the real ones are tested against real receivers in `tests/gateways.rs` and end to
//! end); what is under test is the server's own bookkeeping around it.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use axum::http::StatusCode;
use checkout_verify::core::backend::{Failure, SendOutcome};
use checkout_verify_server::delivery::{DeliveryError, Gateway, Outgoing};
use checkout_verify_server::policy::Policy;
use checkout_verify_server::store::MemoryStore;
use serde_json::json;

use crate::harness::*;

/// A gateway that answers as scripted (accepting once the script is spent) and keeps what it
/// accepted.
#[derive(Default)]
struct Scripted {
    answers: Mutex<VecDeque<Result<(), DeliveryError>>>,
    accepted: Mutex<Vec<Outgoing>>,
}

impl Scripted {
    fn then(&self, answer: Result<(), DeliveryError>) {
        self.answers.lock().expect("lock").push_back(answer);
    }

    fn accepted(&self) -> Vec<Outgoing> {
        self.accepted.lock().expect("lock").clone()
    }

    /// The code in the last message accepted, from its origin-bound line.
    fn last_code(&self) -> String {
        let accepted = self.accepted();
        let text = &accepted.last().expect("a message").text;
        text.rsplit_once('#').expect("#code").1.to_string()
    }
}

impl Gateway for Scripted {
    fn deliver(&self, message: &Outgoing) -> Result<(), DeliveryError> {
        let answer = self
            .answers
            .lock()
            .expect("lock")
            .pop_front()
            .unwrap_or(Ok(()));
        if answer.is_ok() {
            self.accepted.lock().expect("lock").push(message.clone());
        }
        answer
    }

    fn describe(&self) -> String {
        "scripted".into()
    }
}

/// A production server (no dev outbox) whose SMS goes through a scripted gateway.
fn production() -> (Harness<MemoryStore>, Arc<Scripted>) {
    let gateway = Arc::new(Scripted::default());
    let mut settings = settings();
    settings.dev = false;
    settings.gateways.insert("sms", gateway.clone());
    (Harness::with(MemoryStore::default(), settings), gateway)
}

fn down() -> Result<(), DeliveryError> {
    Err(DeliveryError::Unavailable("connection refused".into()))
}

#[tokio::test]
async fn a_send_is_accepted_once_the_gateway_took_the_message() {
    let (h, gateway) = production();
    let reply = h
        .post(
            "/api/verification",
            json!({"destination": "+1 415 555 4567", "channel": "sms", "locale": "pt-BR"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::ACCEPTED, "{}", reply.body);
    let accepted = gateway.accepted();
    assert_eq!(accepted.len(), 1);
    let message = &accepted[0];
    assert_eq!(message.to, PHONE);
    assert_eq!(message.channel, "sms");
    assert_eq!(message.locale, "pt", "in the shopper's language");
    assert_eq!(message.verification_id, reply.json()["verification_id"]);
    assert!(message.text.contains("Shop Example"), "{}", message.text);
    assert!(message.text.contains("código"), "{}", message.text);
    assert!(
        h.backend.outbox.list().is_empty(),
        "no text kept outside dev mode"
    );
    let id = reply.json()["verification_id"]
        .as_str()
        .expect("id")
        .to_string();
    let reply = h.check(&id, &gateway.last_code()).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
}

#[tokio::test]
async fn a_gateway_that_fails_makes_a_retryable_503_that_counts_nothing() {
    let (h, gateway) = production();
    let starts = Policy::default().max_starts;
    // More failures than the destination may start verifications in an hour: none counts.
    for _ in 0..starts + 1 {
        gateway.then(down());
        let reply = h.send_to("+1 415 555 4567").await;
        assert_eq!(
            reply.status,
            StatusCode::SERVICE_UNAVAILABLE,
            "{}",
            reply.body
        );
        assert_eq!(reply.header("retry-after"), Some("5"));
        assert_eq!(reply.json()["type"], "urn:checkout-verify:not-delivered");
        assert!(reply.json().get("verification_id").is_none());
        // The widget reads "could not send a code", never "Code sent".
        assert!(
            matches!(
                reply.send_outcome(),
                SendOutcome::Failed(Failure::Server(503))
            ),
            "{:?}",
            reply.send_outcome()
        );
    }
    assert!(gateway.accepted().is_empty());
    let id = h.start().await;
    let reply = h.check(&id, &gateway.last_code()).await;
    assert_eq!(
        reply.status,
        StatusCode::OK,
        "once the gateway is back, a code works"
    );
}

#[tokio::test]
async fn a_failed_resend_leaves_the_earlier_code_and_is_not_counted() {
    let (h, gateway) = production();
    let id = h.start().await;
    let first = gateway.last_code();
    h.advance(30_000);
    gateway.then(down());
    let reply = h.resend(&id).await;
    assert_eq!(
        reply.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        reply.body
    );
    // Asked again at once: no cooldown was set by the failed send, and it was not counted.
    let reply = h.resend(&id).await;
    assert_eq!(reply.status, StatusCode::ACCEPTED, "{}", reply.body);
    let max_sends = Policy::default().resend.max_sends;
    assert_eq!(reply.json()["sends_remaining"], json!(max_sends - 2));
    let second = gateway.last_code();
    assert_ne!(first, second);
    assert_eq!(h.check(&id, &second).await.status, StatusCode::OK);

    // A failure with the earlier code still valid: the shopper can type the one they have.
    let (h, gateway) = production();
    let id = h.start().await;
    let first = gateway.last_code();
    h.advance(30_000);
    gateway.then(down());
    assert_eq!(h.resend(&id).await.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(h.check(&id, &first).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_number_the_gateway_refuses_is_an_invalid_destination() {
    let (h, gateway) = production();
    gateway.then(Err(DeliveryError::Refused("landline".into())));
    let reply = h.send_to("+1 415 555 4567").await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    assert_eq!(
        reply.json()["type"],
        "urn:checkout-verify:invalid-destination"
    );
    assert!(
        matches!(
            reply.send_outcome(),
            SendOutcome::Failed(Failure::InvalidDestination(422))
        ),
        "{:?}",
        reply.send_outcome()
    );
}

#[tokio::test]
async fn a_resend_to_a_number_the_gateway_now_refuses_keeps_the_earlier_code() {
    let (h, gateway) = production();
    let id = h.start().await;
    let first = gateway.last_code();
    h.advance(30_000);
    gateway.then(Err(DeliveryError::Refused("opted out".into())));
    let reply = h.resend(&id).await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    assert_eq!(
        reply.json()["type"],
        "urn:checkout-verify:invalid-destination"
    );
    assert_eq!(h.check(&id, &first).await.status, StatusCode::OK);
}

#[tokio::test]
async fn outside_dev_mode_a_channel_without_a_gateway_is_refused() {
    let (h, gateway) = production();
    let reply = h
        .post(
            "/api/verification",
            json!({"destination": "+1 415 555 4567", "channel": "voice"}),
        )
        .await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.body
    );
    assert_eq!(
        reply.json()["type"],
        "urn:checkout-verify:channel-unavailable"
    );
    assert_eq!(reply.json()["title"], "Codes cannot be sent by voice here");
    assert!(gateway.accepted().is_empty());
}

/// Dev mode keeps its outbox for channels without a gateway, beside one that has one.
#[tokio::test]
async fn dev_mode_sends_other_channels_to_the_outbox() {
    let gateway = Arc::new(Scripted::default());
    let mut settings = settings();
    settings.gateways.insert("voice", gateway.clone());
    let h = Harness::with(MemoryStore::default(), settings);
    h.start().await;
    assert_eq!(h.backend.outbox.list().len(), 1);
    assert!(gateway.accepted().is_empty());
}
