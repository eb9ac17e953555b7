//! Firebase Authentication's Identity Toolkit REST API (phone sign-in), as Google and the Auth
//! Emulator answer it: errors in `/error/message`.

use checkout_verify::core::backend::{CheckOutcome, Failure, SendOutcome};

use super::*;

fn firebase() -> Adapter {
    adapter(r#"{"backend":{"preset":"firebase","params":{"api_key":"k-1"}}}"#)
}

fn error(message: &str) -> String {
    format!(
        r#"{{"error":{{"code":400,"message":"{message}","errors":[{{"message":"{message}","domain":"global","reason":"invalid"}}]}}}}"#
    )
}

#[test]
fn requests_go_to_identity_toolkit_with_the_key() {
    let request = send_request(&firebase());
    assert_eq!(
        request.url,
        "https://identitytoolkit.googleapis.com/v1/accounts:sendVerificationCode?key=k-1"
    );
    assert_eq!(
        request.body.as_deref(),
        Some(r#"{"phoneNumber":"+14155550123"}"#)
    );
    let check = check_request(&firebase(), "AJOnW4R");
    assert_eq!(
        check.url,
        "https://identitytoolkit.googleapis.com/v1/accounts:signInWithPhoneNumber?key=k-1"
    );
    assert_eq!(
        check.body.as_deref(),
        Some(r#"{"sessionInfo":"AJOnW4R","code":"123456"}"#)
    );
    let emulator = adapter(
        r#"{"development":true,"backend":{"preset":"firebase",
            "base_url":"http://127.0.0.1:9099/identitytoolkit.googleapis.com","params":{"api_key":"any"}}}"#,
    );
    assert_eq!(
        send_request(&emulator).url,
        "http://127.0.0.1:9099/identitytoolkit.googleapis.com/v1/accounts:sendVerificationCode?key=any"
    );
}

#[test]
fn recorded_answers_are_classified() {
    let SendOutcome::Sent(sent) =
        send_answer(&firebase(), answer(200, r#"{"sessionInfo":"AJOnW4R"}"#))
    else {
        panic!("not sent")
    };
    assert_eq!(sent.verification_id, "AJOnW4R");
    assert_eq!(
        (sent.expires_in, sent.code_length),
        (None, None),
        "the widget's own"
    );
    let signed_in = r#"{"idToken":"eyJhbGciOi.x.y","refreshToken":"r","expiresIn":"3600",
        "localId":"u1","isNewUser":true,"phoneNumber":"+14155550123"}"#;
    assert_eq!(
        check_answer(&firebase(), answer(200, signed_in)),
        CheckOutcome::Verified {
            token: Some("eyJhbGciOi.x.y".into())
        }
    );
    assert_eq!(
        check_answer(&firebase(), answer(400, &error("INVALID_CODE"))),
        CheckOutcome::InvalidCode {
            attempts_remaining: None
        }
    );
    assert_eq!(
        check_answer(&firebase(), answer(400, &error("SESSION_EXPIRED"))),
        CheckOutcome::Expired
    );
    assert_eq!(
        check_answer(&firebase(), answer(400, &error("INVALID_SESSION_INFO"))),
        CheckOutcome::Expired
    );
    assert_eq!(
        check_answer(
            &firebase(),
            answer(400, &error("TOO_MANY_ATTEMPTS_TRY_LATER"))
        ),
        CheckOutcome::Locked {
            retry_after_s: None
        }
    );
    let throttled = error("TOO_MANY_ATTEMPTS_TRY_LATER");
    assert_eq!(
        send_wait(send_answer(
            &firebase(),
            with_retry_after("60", answer(400, &throttled))
        )),
        (60, false)
    );
    assert_eq!(
        send_wait(send_answer(&firebase(), answer(400, &throttled))),
        (30, false)
    );
    assert_eq!(
        send_wait(send_answer(
            &firebase(),
            answer(400, &error("QUOTA_EXCEEDED"))
        )),
        (30, true)
    );
    assert_eq!(
        send_answer(
            &firebase(),
            answer(400, &error("INVALID_PHONE_NUMBER : Invalid format."))
        ),
        SendOutcome::Failed(Failure::InvalidDestination(400))
    );
}

#[test]
fn malformed_answers_are_never_a_success() {
    assert_eq!(
        send_answer(&firebase(), answer(200, "{}")),
        SendOutcome::Failed(Failure::Unrecognised(200))
    );
    for body in ["{}", r#"{"idToken":""}"#, "<html>", r#"{"idToken":7}"#] {
        assert_eq!(
            check_answer(&firebase(), answer(200, body)),
            CheckOutcome::Failed(Failure::Unrecognised(200)),
            "{body}"
        );
    }
    assert_eq!(
        check_answer(&firebase(), answer(400, &error("SOMETHING_NEW"))),
        CheckOutcome::Failed(Failure::Server(400))
    );
}
