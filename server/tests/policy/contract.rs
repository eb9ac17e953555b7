//! The reference contract: what a send and a check answer, and how the widget's core reads it.

use axum::http::StatusCode;
use checkout_verify::core::backend::{CheckOutcome, SendOutcome};
use checkout_verify_server::store::Store;
use serde_json::json;

use crate::harness::{wrong, Call, Harness, LOCAL, PHONE, T0};

crate::on_every_store!(
    send_answers_per_contract_and_the_widget_core_understands_it,
    the_message_ends_with_the_origin_bound_line_of_the_public_host,
    the_dev_outbox_lists_messages_newest_last,
    the_right_code_is_approved_once,
    wrong_codes_count_down_and_the_fifth_answers_410,
    a_code_expires_after_its_lifetime,
    an_unknown_verification_is_gone,
    a_resend_waits_with_retry_after_then_replaces_the_code,
    a_resend_may_go_by_another_channel_that_reaches_the_destination,
    resends_back_off_until_the_send_limit,
    every_answer_is_dated_by_the_backends_clock,
    starting_over_is_limited_per_destination,
    fifty_parallel_checks_of_the_right_code_approve_once,
);

async fn send_answers_per_contract_and_the_widget_core_understands_it<S: Store>(h: Harness<S>) {
    let reply = h.send_to("+1 415 555 4567").await;
    assert_eq!(reply.status, StatusCode::ACCEPTED);
    assert_eq!(reply.header("cache-control"), Some("no-store"));
    let body = reply.json();
    assert_eq!(body["expires_in"], 600);
    assert_eq!(body["resend_in"], 30);
    assert_eq!(body["sends_remaining"], 4);
    assert_eq!(body["code_length"], 6);
    assert_eq!(body["destination_hint"], "+1 •••-•••-4567");
    assert!(body["verification_id"]
        .as_str()
        .is_some_and(|id| id.starts_with("vrf_")));
    assert!(matches!(reply.send_outcome(), SendOutcome::Sent(_)));
}

async fn the_message_ends_with_the_origin_bound_line_of_the_public_host<S: Store>(h: Harness<S>) {
    // A phishing proxy forwards the shopper's request with its own Host: the line still names
    // the store, so the browser will not offer the code on the proxy's page.
    let reply = h
        .call(
            Call::new("POST", "/api/verification")
                .header("host", "shop-example.evil.test")
                .json(json!({"destination": "+1 415 555 4567", "channel": "sms"})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::ACCEPTED, "{}", reply.body);
    let messages = h.backend.outbox.list();
    assert_eq!(messages.len(), 1);
    assert_eq!(messages[0].to, PHONE, "the number as E.164");
    let code = h.last_code();
    assert_eq!(code.len(), 6);
    assert!(
        messages[0]
            .text
            .ends_with(&format!("\n\n@shop.example #{code}")),
        "{}",
        messages[0].text
    );
    assert!(!messages[0].text.contains("evil"));
}

async fn the_dev_outbox_lists_messages_newest_last<S: Store>(h: Harness<S>) {
    h.start().await;
    h.start_for("+44 20 7946 0958").await;
    let reply = h
        .call(
            Call::new("GET", "/dev/outbox")
                .header("host", "127.0.0.1:8080")
                .from(LOCAL),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    let list = reply.json();
    let list = list.as_array().expect("array");
    assert_eq!(list.len(), 2);
    assert_eq!(list[1]["to"], "+442079460958");
    assert!(list[1]["text"]
        .as_str()
        .expect("text")
        .ends_with(&h.last_code()));
}

async fn the_right_code_is_approved_once<S: Store>(h: Harness<S>) {
    let id = h.start().await;
    let code = h.last_code();
    let reply = h.check(&id, &code).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.json()["status"], "approved");
    assert!(matches!(
        reply.check_outcome(),
        CheckOutcome::Verified { token: Some(_) }
    ));
    let again = h.check(&id, &code).await;
    assert_eq!(again.status, StatusCode::GONE, "a code works once");
}

async fn wrong_codes_count_down_and_the_fifth_answers_410<S: Store>(h: Harness<S>) {
    let id = h.start().await;
    let code = h.last_code();
    for left in (1..5).rev() {
        let reply = h.check(&id, &wrong(&code)).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            reply.header("content-type"),
            Some("application/problem+json")
        );
        assert_eq!(reply.json()["attempts_remaining"], left);
        assert_eq!(
            reply.check_outcome(),
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
    assert_eq!(reply.check_outcome(), locked);
    assert_eq!(
        h.check(&id, &code).await.check_outcome(),
        locked,
        "right code too late"
    );
}

async fn a_code_expires_after_its_lifetime<S: Store>(h: Harness<S>) {
    let id = h.start().await;
    let code = h.last_code();
    h.advance(600_000);
    let reply = h.check(&id, &code).await;
    assert_eq!(reply.status, StatusCode::GONE);
    assert_eq!(reply.check_outcome(), CheckOutcome::Expired);
}

async fn an_unknown_verification_is_gone<S: Store>(h: Harness<S>) {
    let reply = h.check("vrf_nope", "123456").await;
    assert_eq!(reply.check_outcome(), CheckOutcome::Expired);
    let reply = h.resend("vrf_nope").await;
    assert_eq!(reply.status, StatusCode::GONE);
}

async fn a_resend_waits_with_retry_after_then_replaces_the_code<S: Store>(h: Harness<S>) {
    let id = h.start().await;
    let first = h.last_code();
    h.advance(10_000);
    let reply = h.resend(&id).await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(reply.header("retry-after"), Some("20"));
    assert_eq!(reply.json()["retry_after"], 20);
    assert_eq!(
        reply.send_outcome(),
        SendOutcome::RateLimited {
            retry_after_s: 20,
            sends_exhausted: false
        }
    );
    h.advance(20_000);
    let reply = h.resend(&id).await;
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

async fn a_resend_may_go_by_another_channel_that_reaches_the_destination<S: Store>(h: Harness<S>) {
    let id = h.start().await;
    assert_eq!(h.backend.outbox.list()[0].channel, "sms");
    h.advance(30_000);
    let by_email = h
        .post(
            "/api/verification",
            json!({"channel": "email", "verification_id": id}),
        )
        .await;
    assert_eq!(by_email.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        by_email.json()["type"],
        "urn:checkout-verify:invalid-destination",
        "a phone number cannot take an e-mail"
    );
    let call = h
        .post(
            "/api/verification",
            json!({"channel": "voice", "verification_id": id}),
        )
        .await;
    assert_eq!(call.status, StatusCode::ACCEPTED, "{}", call.body);
    let messages = h.backend.outbox.list();
    let spoken = messages.last().expect("the call");
    assert_eq!(
        (spoken.channel.as_str(), spoken.to.as_str()),
        ("voice", PHONE)
    );
    // The call reads the code out, digit by digit, twice; it is the only code now.
    let digits: String = spoken
        .text
        .split("Again")
        .next()
        .unwrap_or_default()
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    assert_eq!(digits.len(), 6, "{}", spoken.text);
    assert_eq!(h.check(&id, &digits).await.status, StatusCode::OK);
}

async fn resends_back_off_until_the_send_limit<S: Store>(h: Harness<S>) {
    let id = h.start().await;
    let mut waits = vec![30];
    for sends_remaining in (0..4).rev() {
        h.advance(waits[waits.len() - 1] * 1000);
        let reply = h.resend(&id).await;
        assert_eq!(reply.status, StatusCode::ACCEPTED);
        assert_eq!(reply.json()["sends_remaining"], sends_remaining);
        waits.push(reply.json()["resend_in"].as_u64().unwrap_or(0));
    }
    assert_eq!(waits, [30, 60, 120, 120, 120]);
    h.advance(120_000);
    let reply = h.resend(&id).await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(reply.header("retry-after"), Some("480"));
    assert_eq!(
        reply.send_outcome(),
        SendOutcome::RateLimited {
            retry_after_s: 480,
            sends_exhausted: true
        }
    );
}

async fn every_answer_is_dated_by_the_backends_clock<S: Store>(h: Harness<S>) {
    let reply = h.check("x", "1").await;
    let date = reply.header("date").unwrap_or_default();
    assert_eq!(
        checkout_verify::core::backend::http_date::parse(date),
        Some(T0 / 1000),
        "{date}"
    );
}

async fn starting_over_is_limited_per_destination<S: Store>(h: Harness<S>) {
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
        reply.send_outcome(),
        SendOutcome::RateLimited {
            sends_exhausted: true,
            ..
        }
    ));
    h.start_for("+44 20 7946 0958").await;
}

async fn fifty_parallel_checks_of_the_right_code_approve_once<S: Store>(h: Harness<S>) {
    let id = h.start().await;
    let code = h.last_code();
    let h = std::sync::Arc::new(h);
    let checks: Vec<_> = (0..50)
        .map(|_| {
            let (h, id, code) = (h.clone(), id.clone(), code.clone());
            tokio::spawn(async move { h.check(&id, &code).await.status })
        })
        .collect();
    let mut approvals = 0;
    for check in checks {
        if check.await.expect("joined") == StatusCode::OK {
            approvals += 1;
        }
    }
    assert_eq!(approvals, 1);
}
