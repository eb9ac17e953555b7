//! Auth0 passwordless (SMS): `invalid_grant` for a wrong or expired code, and its "maximum
//! number of attempts" description when the code is void.

use checkout_verify::core::backend::{CheckOutcome, Failure, SendOutcome};

use super::*;

fn auth0() -> Adapter {
    adapter(
        r#"{"backend":{"preset":"auth0","base_url":"https://shop.eu.auth0.com","params":{"client_id":"cid"}}}"#,
    )
}

#[test]
fn requests_follow_the_passwordless_grant() {
    let request = send_request(&auth0());
    assert_eq!(request.url, "https://shop.eu.auth0.com/passwordless/start");
    assert_eq!(
        request.body.as_deref(),
        Some(
            r#"{"client_id":"cid","connection":"sms","phone_number":"+14155550123","send":"code"}"#
        )
    );
    let check = check_request(&auth0(), "+14155550123");
    assert_eq!(check.url, "https://shop.eu.auth0.com/oauth/token");
    assert_eq!(
        check.body.as_deref(),
        Some(
            r#"{"grant_type":"http://auth0.com/oauth/grant-type/passwordless/otp","client_id":"cid","username":"+14155550123","otp":"123456","realm":"sms","scope":"openid"}"#
        ),
        "the optional audience is left out, not sent as null"
    );
    let with_audience = adapter(
        r#"{"backend":{"preset":"auth0","base_url":"https://shop.eu.auth0.com","params":{"client_id":"cid","audience":"https://api.shop.example"}}}"#,
    );
    assert!(check_request(&with_audience, "x")
        .body
        .unwrap_or_default()
        .contains(r#""audience":"https://api.shop.example""#));
}

#[test]
fn recorded_answers_are_classified() {
    let SendOutcome::Sent(sent) = send_answer(
        &auth0(),
        answer(
            200,
            r#"{"_id":"6a1","phone_number":"+14155550123","request_language":null}"#,
        ),
    ) else {
        panic!("not sent")
    };
    assert_eq!(sent.verification_id, "+14155550123");
    let tokens = r#"{"access_token":"eyJ.t.s","id_token":"eyJ.i.s","scope":"openid","expires_in":86400,"token_type":"Bearer"}"#;
    assert_eq!(
        check_answer(&auth0(), answer(200, tokens)),
        CheckOutcome::Verified {
            token: Some("eyJ.t.s".into())
        }
    );
    let wrong = r#"{"error":"invalid_grant","error_description":"Wrong phone number or verification code."}"#;
    assert_eq!(
        check_answer(&auth0(), answer(403, wrong)),
        CheckOutcome::InvalidOrExpired {
            attempts_remaining: None
        }
    );
    let locked = r#"{"error":"invalid_grant","error_description":"You've reached the maximum number of attempts. Please try to login again."}"#;
    assert_eq!(
        check_answer(&auth0(), answer(403, locked)),
        CheckOutcome::Locked {
            retry_after_s: None
        }
    );
    let limited = r#"{"error":"too_many_requests","error_description":"Too many requests"}"#;
    assert_eq!(
        send_wait(send_answer(
            &auth0(),
            with_retry_after("45", answer(429, limited))
        )),
        (45, false)
    );
    assert_eq!(
        send_wait(send_answer(&auth0(), answer(429, limited))),
        (30, false)
    );
    let bad_number =
        r#"{"error":"bad.phone_number","error_description":"The phone number is invalid"}"#;
    assert_eq!(
        send_answer(&auth0(), answer(400, bad_number)),
        SendOutcome::Failed(Failure::InvalidDestination(400))
    );
}

#[test]
fn malformed_answers_are_never_a_success() {
    for body in ["{}", r#"{"access_token":null}"#, "Unauthorized"] {
        assert_eq!(
            check_answer(&auth0(), answer(200, body)),
            CheckOutcome::Failed(Failure::Unrecognised(200)),
            "{body}"
        );
    }
}
