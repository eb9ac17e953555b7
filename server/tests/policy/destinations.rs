//! Destinations: one number however it is written, refused when it is not one, and wrong codes
//! counted per number across its verifications.

use std::sync::Arc;

use axum::http::StatusCode;
use checkout_verify::core::backend::{CheckOutcome, Failure, SendOutcome};
use checkout_verify_server::policy::{DestinationRecord, Policy};
use checkout_verify_server::store::Store;
use serde_json::json;
use tokio::task::JoinSet;

use crate::harness::{wrong, Harness, PHONE, T0};

crate::on_every_store!(
    every_spelling_of_a_number_shares_its_limits,
    what_is_not_a_destination_is_refused_with_invalid_destination,
    a_huge_destination_is_refused_before_it_is_read,
    wrong_codes_are_counted_per_number_across_verifications,
    simultaneous_wrong_codes_are_counted_exactly_up_to_the_cap,
    a_locked_verification_sends_no_more_codes,
);

async fn every_spelling_of_a_number_shares_its_limits<S: Store>(h: Harness<S>) {
    let spellings = [
        "+1 415 555 0300",
        "14155550300",
        "0014155550300",
        "+1/415/555/0300",
        "＋１ ４１５ ５５５ ０３００",
        "+1 (415) 555-0300",
        "+1.415.555.0300",
        "+14155550300",
        "1 415 555 0300",
        "00 1 415 555 0300",
    ];
    for spelling in spellings {
        h.start_for(spelling).await;
    }
    let reply = h.send_to("+14155550300").await;
    assert_eq!(
        reply.status,
        StatusCode::TOO_MANY_REQUESTS,
        "the 11th start of one number"
    );
    assert_eq!(reply.json()["type"], "urn:checkout-verify:send-limit");
    let to: Vec<String> = h.backend.outbox.list().into_iter().map(|m| m.to).collect();
    assert_eq!(to, vec!["+14155550300".to_string(); 10]);
}

async fn what_is_not_a_destination_is_refused_with_invalid_destination<S: Store>(h: Harness<S>) {
    for (destination, channel) in [
        ("hello", "sms"),
        ("+1 415", "sms"),
        ("+999 1234567", "sms"),
        ("+1 415 555 0300; DROP", "sms"),
        ("shopper@", "email"),
        (&"7".repeat(300), "sms"),
    ] {
        let reply = h
            .post(
                "/api/verification",
                json!({"destination": destination, "channel": channel}),
            )
            .await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{destination}"
        );
        assert_eq!(
            reply.json()["type"],
            "urn:checkout-verify:invalid-destination"
        );
        assert_eq!(
            reply.send_outcome(),
            SendOutcome::Failed(Failure::InvalidDestination(422))
        );
    }
    let reply = h
        .post(
            "/api/verification",
            json!({"destination": "Shopper@Example.com", "channel": "email"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::ACCEPTED);
    assert_eq!(reply.json()["destination_hint"], "s•••@example.com");
    assert_eq!(h.backend.outbox.list()[0].to, "shopper@example.com");
    assert_eq!(
        h.backend.outbox.list().len(),
        1,
        "nothing was sent to a refused destination"
    );
}

async fn a_huge_destination_is_refused_before_it_is_read<S: Store>(h: Harness<S>) {
    let destination = "1".repeat(100_000);
    let reply = h.send_to(&destination).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        reply.header("content-type"),
        Some("application/problem+json")
    );
    assert!(reply.body.len() < 300, "{}", reply.body);
}

async fn wrong_codes_are_counted_per_number_across_verifications<S: Store>(h: Harness<S>) {
    // 20 wrong codes in a row over four verifications of one number (each allows 5) lock it.
    let mut last = None;
    for round in 0..4 {
        let spelling = [
            "+1 415 555 0300",
            "14155550300",
            "0014155550300",
            "+1/415/555/0300",
        ][round];
        let id = h.start_for(spelling).await;
        let code = h.last_code();
        for _ in 0..5 {
            last = Some(h.check(&id, &wrong(&code)).await);
        }
    }
    let last = last.expect("checked");
    assert_eq!(last.status, StatusCode::GONE);
    assert_eq!(
        last.json()["retry_after"],
        86_400,
        "locked for a day: {}",
        last.body
    );
    assert_eq!(
        last.check_outcome(),
        CheckOutcome::Locked {
            retry_after_s: Some(86_400)
        }
    );
    let reply = h.send_to("+14155550300").await;
    assert_eq!(
        reply.status,
        StatusCode::TOO_MANY_REQUESTS,
        "no new code for a locked number"
    );
    assert_eq!(reply.json()["type"], "urn:checkout-verify:send-limit");
    h.start_for("+44 20 7946 0958").await;
}

/// Fifty wrong codes at once, over ten verifications of one number (five each): the lock is
/// taken in the same atomic step as the count, so exactly as many are compared as the cap
/// allows, and the others are refused without being compared.
async fn simultaneous_wrong_codes_are_counted_exactly_up_to_the_cap<S: Store>(h: Harness<S>) {
    let cap = Policy::default().max_failures;
    let mut guesses = Vec::new();
    for _ in 0..10 {
        let id = h.start().await;
        let code = h.last_code();
        guesses.extend((0..5).map(|_| (id.clone(), wrong(&code))));
    }
    let h = Arc::new(h);
    let mut checks = JoinSet::new();
    for (id, code) in guesses {
        let h = Arc::clone(&h);
        checks.spawn(async move { h.check(&id, &code).await.status });
    }
    let statuses = checks.join_all().await;
    assert_eq!(statuses.len(), 50);
    assert!(statuses.iter().all(|s| *s != StatusCode::OK));
    let key = format!("d:{}", h.backend.settings.keys.destination_key(PHONE));
    let counted = h
        .backend
        .store
        .update(&key, T0, |record: &mut Option<DestinationRecord>| {
            record.as_ref().map(DestinationRecord::failures)
        })
        .await
        .expect("the store");
    assert_eq!(counted, Some(cap), "{statuses:?}");
    let wrong_code = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNPROCESSABLE_ENTITY)
        .count();
    assert!(
        wrong_code < cap as usize,
        "{wrong_code} answered as merely wrong"
    );
}

async fn a_locked_verification_sends_no_more_codes<S: Store>(h: Harness<S>) {
    let id = h.start().await;
    let code = h.last_code();
    for _ in 0..5 {
        h.check(&id, &wrong(&code)).await;
    }
    h.advance(60_000);
    let sent = h.backend.outbox.list().len();
    let reply = h.resend(&id).await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        reply.send_outcome(),
        SendOutcome::RateLimited {
            retry_after_s: 540,
            sends_exhausted: true
        }
    );
    assert_eq!(
        h.backend.outbox.list().len(),
        sent,
        "no message for a code that could never work"
    );
}
