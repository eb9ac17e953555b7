//! Supabase Auth (GoTrue): the `apikey` header, `error_code` values; a wrong code and an
//! expired one are the same answer (`otp_expired`).

use checkout_verify::core::backend::{CheckOutcome, Failure, SendOutcome};

use super::*;

fn supabase() -> Adapter {
    adapter(
        r#"{"backend":{"preset":"supabase","base_url":"https://abc.supabase.co","params":{"api_key":"anon"}}}"#,
    )
}

fn error(status: u16, code: &str) -> String {
    format!(r#"{{"code":{status},"error_code":"{code}","msg":"Token has expired or is invalid"}}"#)
}

#[test]
fn requests_carry_the_key_and_the_phone() {
    let request = send_request(&supabase());
    assert_eq!(request.url, "https://abc.supabase.co/auth/v1/otp");
    assert_eq!(header(&request, "apikey"), Some("anon"));
    assert_eq!(header(&request, "Authorization"), Some("Bearer anon"));
    assert_eq!(
        request.body.as_deref(),
        Some(r#"{"phone":"+14155550123","channel":"sms"}"#)
    );
    let check = check_request(&supabase(), "+14155550123");
    assert_eq!(check.url, "https://abc.supabase.co/auth/v1/verify");
    assert_eq!(
        check.body.as_deref(),
        Some(r#"{"type":"sms","phone":"+14155550123","token":"123456"}"#)
    );
}

#[test]
fn recorded_answers_are_classified() {
    let SendOutcome::Sent(sent) = send_answer(&supabase(), answer(200, r#"{"message_id":"m1"}"#))
    else {
        panic!("not sent")
    };
    assert_eq!(
        sent.verification_id, "+14155550123",
        "the destination stands for the id"
    );
    let session = r#"{"access_token":"eyJ.a.b","token_type":"bearer","expires_in":3600,
        "refresh_token":"r","user":{"id":"u1"}}"#;
    assert_eq!(
        check_answer(&supabase(), answer(200, session)),
        CheckOutcome::Verified {
            token: Some("eyJ.a.b".into())
        }
    );
    // Wrong and expired: one answer, which the shopper is told as such.
    assert_eq!(
        check_answer(&supabase(), answer(403, &error(403, "otp_expired"))),
        CheckOutcome::InvalidOrExpired {
            attempts_remaining: None
        }
    );
    // No lock: many tries are throttled.
    let limited = error(429, "over_request_rate_limit");
    assert_eq!(
        check_answer(&supabase(), with_retry_after("120", answer(429, &limited))),
        CheckOutcome::RateLimited { retry_after_s: 120 }
    );
    let too_soon = error(429, "over_sms_send_rate_limit");
    assert_eq!(
        send_wait(send_answer(
            &supabase(),
            with_retry_after("60", answer(429, &too_soon))
        )),
        (60, false)
    );
    assert_eq!(
        send_wait(send_answer(&supabase(), answer(429, &too_soon))),
        (30, false)
    );
    assert_eq!(
        send_answer(&supabase(), answer(400, &error(400, "validation_failed"))),
        SendOutcome::Failed(Failure::InvalidDestination(400))
    );
    assert_eq!(
        send_answer(&supabase(), answer(400, &error(400, "captcha_failed"))),
        SendOutcome::Failed(Failure::Refused(400))
    );
}

#[test]
fn malformed_answers_are_never_a_success() {
    for body in ["{}", r#"{"access_token":""}"#, "null", "<html>"] {
        assert_eq!(
            check_answer(&supabase(), answer(200, body)),
            CheckOutcome::Failed(Failure::Unrecognised(200)),
            "{body}"
        );
    }
    assert_eq!(
        send_answer(&supabase(), answer(500, "{}")),
        SendOutcome::Failed(Failure::Server(500))
    );
}
