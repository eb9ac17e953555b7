//! A store backend that relays Twilio Verify v2: form-encoded requests, Twilio's JSON back. A
//! wrong code is `200` `pending`; expiry `404`/20404; too many checks 60202; too many sends 60203.

use checkout_verify::core::backend::{CheckOutcome, Failure, SendOutcome, SendRequest};

use super::*;

fn twilio() -> Adapter {
    adapter(
        r#"{"backend":{"preset":"twilio-verify-proxy","base_url":"https://shop.example/twilio"}}"#,
    )
}

fn error(status: u16, code: u32, message: &str) -> String {
    format!(
        r#"{{"code":{code},"message":"{message}","more_info":"https://www.twilio.com/docs/errors/{code}","status":{status}}}"#
    )
}

#[test]
fn requests_are_form_encoded_as_twilio_takes_them() {
    let request = send_request(&twilio());
    assert_eq!(request.url, "https://shop.example/twilio/Verifications");
    assert_eq!(
        header(&request, "Content-Type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        request.body.as_deref(),
        Some("To=%2B14155550123&Channel=sms")
    );
    let by_voice = SendRequest {
        channel: "voice".into(),
        ..first_send()
    };
    let request = twilio().send_request(&by_voice, &no_page_values);
    assert_eq!(
        request.body.as_deref(),
        Some("To=%2B14155550123&Channel=call"),
        "the widget's voice is Twilio's call"
    );
    let check = check_request(&twilio(), "VE0123");
    assert_eq!(check.url, "https://shop.example/twilio/VerificationCheck");
    assert_eq!(
        check.body.as_deref(),
        Some("Code=123456&VerificationSid=VE0123")
    );
}

#[test]
fn recorded_answers_are_classified() {
    let pending = r#"{"sid":"VE0123","service_sid":"VA1","to":"+14155550123","channel":"sms","status":"pending","valid":false}"#;
    let SendOutcome::Sent(sent) = send_answer(&twilio(), answer(201, pending)) else {
        panic!("not sent")
    };
    assert_eq!(sent.verification_id, "VE0123");
    let approved = r#"{"sid":"VE0123","status":"approved","valid":true}"#;
    assert_eq!(
        check_answer(&twilio(), answer(200, approved)),
        CheckOutcome::Verified { token: None },
        "Twilio gives no token: the store's relay vouches for the approval"
    );
    assert_eq!(
        check_answer(&twilio(), answer(200, pending)),
        CheckOutcome::InvalidCode {
            attempts_remaining: None
        },
        "a wrong code is a 200 that says pending"
    );
    assert_eq!(
        check_answer(
            &twilio(),
            answer(
                404,
                &error(404, 20404, "The requested resource was not found")
            )
        ),
        CheckOutcome::Expired
    );
    assert_eq!(
        check_answer(
            &twilio(),
            answer(429, &error(429, 60202, "Max check attempts reached"))
        ),
        CheckOutcome::Locked {
            retry_after_s: None
        }
    );
    let max_sends = error(429, 60203, "Max send attempts reached");
    assert_eq!(
        send_wait(send_answer(&twilio(), answer(429, &max_sends))),
        (30, true)
    );
    let concurrent = error(429, 60212, "Too many concurrent requests for phone number");
    assert_eq!(
        send_wait(send_answer(
            &twilio(),
            with_retry_after("20", answer(429, &concurrent))
        )),
        (20, false)
    );
    assert_eq!(
        send_wait(send_answer(&twilio(), answer(429, &concurrent))),
        (30, false)
    );
    assert_eq!(
        send_answer(
            &twilio(),
            answer(400, &error(400, 60200, "Invalid parameter: To"))
        ),
        SendOutcome::Failed(Failure::InvalidDestination(400))
    );
    assert_eq!(
        send_answer(
            &twilio(),
            answer(
                403,
                &error(403, 60605, "Verification to this country is blocked")
            )
        ),
        SendOutcome::Failed(Failure::Refused(403))
    );
}

#[test]
fn malformed_answers_are_never_a_success() {
    for body in [
        r#"{"status":"APPROVED"}"#,
        r#"{"valid":true}"#,
        "{}",
        "<html>",
    ] {
        assert_eq!(
            check_answer(&twilio(), answer(200, body)),
            CheckOutcome::Failed(Failure::Unrecognised(200)),
            "{body}"
        );
    }
    assert_eq!(
        send_answer(&twilio(), answer(201, r#"{"status":"pending"}"#)),
        SendOutcome::Failed(Failure::Unrecognised(201))
    );
}
