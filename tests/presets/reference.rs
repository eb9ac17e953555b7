//! The reference contract, which the reference server speaks and the widget uses by default.

use checkout_verify::core::backend::{
    CheckOutcome, Failure, HttpAnswer, SendOutcome, DEFAULT_RETRY_AFTER_S, MAX_WAIT_S,
};

use super::*;

fn reference() -> Adapter {
    adapter("{}")
}

const SENT: &str = r#"{"verification_id":"v1","expires_in":600,"resend_in":30,
    "sends_remaining":4,"code_length":6,"destination_hint":"+1 ••• 4567"}"#;

#[test]
fn requests_carry_only_what_is_known() {
    let request = send_request(&reference());
    assert_eq!(
        (request.method, request.url.as_str()),
        ("POST", "/api/verification")
    );
    assert_eq!(
        request.body.as_deref(),
        Some(r#"{"destination":"+14155550123","channel":"sms"}"#)
    );
    assert_eq!(header(&request, "Content-Type"), Some("application/json"));
    let resend = SendRequest {
        verification_id: Some("v".into()),
        ..first_send()
    };
    let request = reference().send_request(&resend, &no_page_values);
    assert_eq!(
        request.body.as_deref(),
        Some(r#"{"destination":"+14155550123","channel":"sms","verification_id":"v"}"#)
    );
    let anonymous = SendRequest {
        destination: None,
        ..first_send()
    };
    let request = reference().send_request(&anonymous, &no_page_values);
    assert_eq!(request.body.as_deref(), Some(r#"{"channel":"sms"}"#));
    let for_an_order = SendRequest {
        context: Some("order-42".into()),
        ..first_send()
    };
    let request = reference().send_request(&for_an_order, &no_page_values);
    assert_eq!(
        request.body.as_deref(),
        Some(r#"{"destination":"+14155550123","channel":"sms","context":"order-42"}"#)
    );
    let check = check_request(&reference(), "v");
    assert_eq!(check.url, "/api/verification/check");
    assert_eq!(
        check.body.as_deref(),
        Some(r#"{"verification_id":"v","code":"123456"}"#)
    );
    let shorthand =
        adapter(r#"{"endpoints":{"send":"https://api.shop.example/otp","verify":"/otp/check"}}"#);
    assert_eq!(send_request(&shorthand).url, "https://api.shop.example/otp");
    assert_eq!(check_request(&shorthand, "v").url, "/otp/check");
}

#[test]
fn accepted_send_is_sent() {
    let SendOutcome::Sent(sent) = send_answer(&reference(), answer(202, SENT)) else {
        panic!("not sent")
    };
    assert_eq!(sent.verification_id, "v1");
    assert_eq!(sent.expires_in, Some(600));
    assert_eq!(sent.sends_remaining, Some(4));
    assert_eq!(sent.code_length, Some(6));
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
            send_answer(&reference(), answer(202, body)),
            SendOutcome::Failed(Failure::Unrecognised(202)),
            "{body}"
        );
    }
}

#[test]
fn throttled_send_reads_header_then_body_then_default() {
    let body = r#"{"type":"urn:checkout-verify:rate-limited","title":"wait","status":429,"retry_after":17}"#;
    let waits = |answer| send_wait(send_answer(&reference(), answer));
    assert_eq!(
        waits(with_retry_after("42", answer(429, body))),
        (42, false)
    );
    assert_eq!(waits(answer(429, body)), (17, false));
    assert_eq!(waits(answer(429, "")), (DEFAULT_RETRY_AFTER_S, false));
}

#[test]
fn an_http_date_retry_after_is_measured_on_the_servers_clock() {
    let at = |retry_after, date| HttpAnswer {
        retry_after: Some(retry_after),
        date,
        ..answer(429, "")
    };
    let waits = |answer| match check_answer(&reference(), answer) {
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
    let body =
        r#"{"type":"urn:checkout-verify:send-limit","title":"","status":429,"retry_after":300}"#;
    assert_eq!(
        send_wait(send_answer(&reference(), answer(429, body))),
        (300, true)
    );
}

#[test]
fn a_backend_that_omits_the_timings_leaves_them_to_the_widget() {
    let body = r#"{"verification_id":"v","code_length":6,"expires_in":null}"#;
    let SendOutcome::Sent(sent) = send_answer(&reference(), answer(200, body)) else {
        panic!("not sent")
    };
    assert_eq!(
        (sent.expires_in, sent.resend_in, sent.sends_remaining),
        (None, None, None)
    );
}

#[test]
fn send_server_errors_are_failures() {
    assert_eq!(
        send_answer(&reference(), answer(503, "")),
        SendOutcome::Failed(Failure::Server(503))
    );
    let invalid = r#"{"type":"urn:checkout-verify:invalid-destination","status":422}"#;
    assert_eq!(
        send_answer(&reference(), answer(422, invalid)),
        SendOutcome::Failed(Failure::InvalidDestination(422))
    );
}

#[test]
fn only_an_approved_check_with_token_verifies() {
    assert_eq!(
        check_answer(
            &reference(),
            answer(200, r#"{"status":"approved","token":"t"}"#)
        ),
        CheckOutcome::Verified {
            token: Some("t".into())
        }
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
            check_answer(&reference(), answer(200, body)),
            CheckOutcome::Failed(Failure::Unrecognised(200)),
            "{body}"
        );
    }
    assert_eq!(
        check_answer(&reference(), answer(204, "")),
        CheckOutcome::Failed(Failure::Unrecognised(204))
    );
}

#[test]
fn wrong_code_carries_attempts_left() {
    let body = r#"{"type":"urn:checkout-verify:invalid-code","title":"Wrong code","status":422,"attempts_remaining":3}"#;
    assert_eq!(
        check_answer(&reference(), answer(422, body)),
        CheckOutcome::InvalidCode {
            attempts_remaining: Some(3)
        }
    );
    assert_eq!(
        check_answer(&reference(), answer(422, "not json")),
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
        check_answer(&reference(), answer(410, locked)),
        CheckOutcome::Locked {
            retry_after_s: None
        }
    );
    let locked_for = r#"{"type":"urn:checkout-verify:too-many-attempts","title":"","status":410,"retry_after":120}"#;
    assert_eq!(
        check_answer(&reference(), answer(410, locked_for)),
        CheckOutcome::Locked {
            retry_after_s: Some(120)
        }
    );
    assert_eq!(
        check_answer(&reference(), answer(410, expired)),
        CheckOutcome::Expired
    );
    assert_eq!(
        check_answer(&reference(), answer(410, "")),
        CheckOutcome::Expired
    );
}

#[test]
fn throttled_check_and_server_errors() {
    assert_eq!(
        check_answer(&reference(), with_retry_after(" 5 ", answer(429, ""))),
        CheckOutcome::RateLimited { retry_after_s: 5 }
    );
    assert_eq!(
        check_answer(&reference(), answer(500, "")),
        CheckOutcome::Failed(Failure::Server(500))
    );
    assert_eq!(
        check_answer(&reference(), answer(403, "")),
        CheckOutcome::Failed(Failure::Server(403))
    );
}
