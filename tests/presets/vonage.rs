//! A store backend that relays Vonage Verify v2: JSON requests, Vonage's RFC 9457 bodies back.

use checkout_verify::core::backend::{CheckOutcome, Failure, SendOutcome};

use super::*;

fn vonage() -> Adapter {
    adapter(
        r#"{"backend":{"preset":"vonage-verify-proxy","base_url":"https://shop.example/vonage","params":{"brand":"Demo Store"}}}"#,
    )
}

fn problem(status: u16, title: &str, detail: &str) -> String {
    format!(
        r#"{{"type":"https://developer.vonage.com/api-errors#{status}","title":"{title}","detail":"{detail}","instance":"bf0ca0bf"}}"#
    )
}

#[test]
fn requests_follow_vonage_v2() {
    let request = send_request(&vonage());
    assert_eq!(request.url, "https://shop.example/vonage/v2/verify");
    assert_eq!(
        request.body.as_deref(),
        Some(r#"{"brand":"Demo Store","workflow":[{"channel":"sms","to":"+14155550123"}]}"#)
    );
    let check = check_request(&vonage(), "c11236f4-00bf-4b89-84ba-88b25df97315");
    assert_eq!(
        check.url,
        "https://shop.example/vonage/v2/verify/c11236f4-00bf-4b89-84ba-88b25df97315"
    );
    assert_eq!(check.body.as_deref(), Some(r#"{"code":"123456"}"#));
    let sneaky = check_request(&vonage(), "../../admin?x=1");
    assert_eq!(
        sneaky.url, "https://shop.example/vonage/v2/verify/..%2F..%2Fadmin%3Fx%3D1",
        "an id can never leave its path segment"
    );
}

#[test]
fn recorded_answers_are_classified() {
    let accepted = r#"{"request_id":"c11236f4-00bf-4b89-84ba-88b25df97315","check_url":"https://api.nexmo.com/v2/verify/c11236f4/silent-auth/redirect"}"#;
    let SendOutcome::Sent(sent) = send_answer(&vonage(), answer(202, accepted)) else {
        panic!("not sent")
    };
    assert_eq!(sent.verification_id, "c11236f4-00bf-4b89-84ba-88b25df97315");
    assert_eq!(
        check_answer(
            &vonage(),
            answer(200, r#"{"request_id":"c11236f4","status":"completed"}"#)
        ),
        CheckOutcome::Verified { token: None }
    );
    let wrong = problem(
        400,
        "Invalid Code",
        "The code you provided does not match the expected value.",
    );
    assert_eq!(
        check_answer(&vonage(), answer(400, &wrong)),
        CheckOutcome::InvalidCode {
            attempts_remaining: None
        }
    );
    let gone = problem(
        404,
        "Not Found",
        "Request c11236f4 was not found or it has been verified already.",
    );
    assert_eq!(
        check_answer(&vonage(), answer(404, &gone)),
        CheckOutcome::Expired
    );
    let locked = problem(
        410,
        "Invalid Code",
        "An incorrect code has been provided too many times. Workflow terminated.",
    );
    assert_eq!(
        check_answer(&vonage(), answer(410, &locked)),
        CheckOutcome::Locked {
            retry_after_s: None
        }
    );
    let limited = problem(
        429,
        "Rate Limit Hit",
        "Please wait, then retry your request",
    );
    assert_eq!(
        send_wait(send_answer(
            &vonage(),
            with_retry_after("10", answer(429, &limited))
        )),
        (10, false)
    );
    assert_eq!(
        send_wait(send_answer(&vonage(), answer(429, &limited))),
        (30, false)
    );
    let concurrent = problem(
        409,
        "Conflict",
        "Concurrent verifications to the same number are not allowed.",
    );
    assert_eq!(
        send_wait(send_answer(&vonage(), answer(409, &concurrent))),
        (30, false)
    );
    let invalid = problem(
        422,
        "Invalid params",
        "The value of one or more parameters is invalid.",
    );
    assert_eq!(
        send_answer(&vonage(), answer(422, &invalid)),
        SendOutcome::Failed(Failure::InvalidDestination(422))
    );
}

#[test]
fn malformed_answers_are_never_a_success() {
    for body in [r#"{"status":"pending"}"#, "{}", "ok"] {
        assert_eq!(
            check_answer(&vonage(), answer(200, body)),
            CheckOutcome::Failed(Failure::Unrecognised(200)),
            "{body}"
        );
    }
}
