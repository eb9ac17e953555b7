//! An adapter written from scratch (no preset), and what a wrong one is told at mount.

use checkout_verify::core::backend::adapter::Method;
use checkout_verify::core::backend::{CheckOutcome, Failure, SendOutcome};

use super::*;

/// A store whose check answers 200 with `{"result": {"ok": bool}}`, like many OTP servers.
const CUSTOM: &str = r#"{"backend":{
  "base_url": "https://api.shop.example",
  "headers": {"X-CSRF-Token": "{{meta.csrf-token}}"},
  "send": {"url": "/otp/{{channel}}", "body": {"to": "{{destination}}"},
           "read": {"verification_id": "/id", "expires_at": "/expires_at"},
           "keep": {"nonce": "/nonce"},
           "outcome": {"http": {"429": "throttled"}},
           "retry_after": ["/wait"]},
  "check": {"url": "/otp/check", "method": "PUT",
            "body": {"id": "{{verification_id}}", "code": "{{code}}", "nonce": "{{sent.nonce}}"},
            "read": {"attempts_remaining": "/result/left"},
            "outcome": {"status": "/result/ok",
                        "statuses": {"true": "verified", "false": "invalid"}}}
}}"#;

#[test]
fn a_backend_whose_wrong_code_is_a_200_with_a_status() {
    let custom = adapter(CUSTOM);
    let page = |kind: &str, name: &str| {
        (kind, name)
            .eq(&("meta", "csrf-token"))
            .then(|| "tok-9".to_string())
    };
    let request = custom.send_request(&first_send(), &page);
    assert_eq!(request.url, "https://api.shop.example/otp/sms");
    assert_eq!(header(&request, "X-CSRF-Token"), Some("tok-9"));
    // Expiry given as a time: measured against the answer's Date.
    let accepted = HttpAnswer {
        date: Some("Sat, 21 Nov 2026 07:24:00 GMT"),
        ..answer(
            200,
            r#"{"id":"o-1","expires_at":1795246140,"nonce":{"n":1}}"#,
        )
    };
    let SendOutcome::Sent(sent) = custom.classify_send(&first_send(), Ok(accepted)) else {
        panic!("not sent")
    };
    assert_eq!(
        (sent.verification_id.as_str(), sent.expires_in),
        ("o-1", Some(300))
    );
    let check = CheckRequest {
        kept: sent.kept.clone(),
        ..check_of("o-1")
    };
    let request = custom.check_request(&check, &page);
    assert_eq!(request.method, Method::Put.name());
    assert_eq!(
        request.body.as_deref(),
        Some(r#"{"id":"o-1","code":"123456","nonce":{"n":1}}"#)
    );
    let classify = |body| custom.classify_check(&check, Ok(answer(200, body)));
    assert_eq!(
        classify(r#"{"result":{"ok":true}}"#),
        CheckOutcome::Verified { token: None }
    );
    assert_eq!(
        classify(r#"{"result":{"ok":false,"left":2}}"#),
        CheckOutcome::InvalidCode {
            attempts_remaining: Some(2)
        }
    );
    assert_eq!(
        classify(r#"{"result":{"ok":"maybe"}}"#),
        CheckOutcome::Failed(Failure::Unrecognised(200)),
        "a status nothing lists is never verified"
    );
    assert_eq!(
        send_wait(custom.classify_send(&first_send(), Ok(answer(429, r#"{"wait":12}"#)))),
        (12, false)
    );
}

#[test]
fn a_preset_is_merged_with_the_pages_fields() {
    let merged = adapter(
        r#"{"backend":{"preset":"reference","timeout":5,
            "check":{"url":"/verify/check","outcome":{"http":{"400":"invalid"}}}}}"#,
    );
    assert_eq!(merged.timeout_s, 5);
    assert_eq!(merged.check.url, "/verify/check");
    assert_eq!(
        merged.send.url, "/api/verification",
        "untouched fields stay"
    );
    assert_eq!(
        merged.classify_check(&check_of("v"), Ok(answer(400, ""))),
        CheckOutcome::InvalidCode {
            attempts_remaining: None
        },
        "an added status"
    );
    assert_eq!(
        merged.classify_check(&check_of("v"), Ok(answer(410, ""))),
        CheckOutcome::Expired,
        "the preset's own statuses stay"
    );
}

#[test]
fn a_wrong_adapter_is_refused_at_mount_with_the_field_named() {
    let error = |backend: &str| {
        Config::from_json(&format!(r#"{{"backend":{backend}}}"#))
            .expect_err(backend)
            .to_string()
    };
    for (backend, field, shown) in [
        (
            r#"{"preset":"reference","check":{"read":{"token":"token"}}}"#,
            "`backend.check.read.token` must be a JSON pointer like \"/token\"",
            "\"token\"",
        ),
        (r#"{"preset":"firebas"}"#, "`backend.preset`", "\"firebas\""),
        (
            r#"{"send":{"url":"/s","outcome":{}}}"#,
            "`backend.check`",
            "null",
        ),
        (
            r#"{"preset":"reference","check":{"url":"/c?code={{code}}"}}"#,
            "`backend.check.url`",
            "never in a URL",
        ),
        (
            r#"{"preset":"reference","check":{"method":"GET"}}"#,
            "`backend.check.body.code`",
            "never in a URL",
        ),
        (
            r#"{"preset":"twilio-verify-proxy","base_url":"https://r.example","send":{"body":{"To":{"x":1}}}}"#,
            "`backend.send.body.To`",
            "flat",
        ),
        (
            r#"{"preset":"firebase"}"#,
            "`backend.send.url`",
            "params.api_key",
        ),
        (
            r#"{"preset":"reference","send":{"url":"https://{{params.host}}/otp"}}"#,
            "`backend.send.url`",
            "written out",
        ),
        (
            r#"{"preset":"reference","send":{"url":"http://otp.example/send"}}"#,
            "`backend.send.url`",
            "http://otp.example/send",
        ),
        (
            r#"{"preset":"reference","check":{"outcome":{"http":{"429":"sent"}}}}"#,
            "`backend.check.outcome.http.429`",
            "\"sent\"",
        ),
        (
            r#"{"preset":"reference","check":{"outcome":{"rules":[{"pointer":"/x","outcome":"invalid"}]}}}"#,
            "`backend.check.outcome.rules.0`",
            "pointer",
        ),
        (
            r#"{"preset":"reference","timeout":0}"#,
            "`backend.timeout`",
            "0",
        ),
        (
            r#"{"preset":"reference","tiemout":5}"#,
            "`backend.tiemout`",
            "timeout",
        ),
        (
            r#"{"preset":"reference","send":{"read":{"token":"/t"}}}"#,
            "`backend.send.read.token`",
            "verification_id",
        ),
    ] {
        let text = error(backend);
        assert!(
            text.contains(field) && text.contains(shown),
            "{backend}: {text}"
        );
    }
    let both = Config::from_json(r#"{"backend":{"preset":"reference"},"endpoints":{"send":"/x"}}"#)
        .expect_err("both")
        .to_string();
    assert!(both.contains("`endpoints`"), "{both}");
}
