//! The doctor against recorded answers: a backend that works, one that misbehaves, and a config
//! the widget would refuse.

use super::*;

const ORIGIN: &str = "http://127.0.0.1:8080";

fn seen(status: u16, headers: &[(&str, &str)], body: &str) -> Seen {
    Seen {
        status,
        headers: headers
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect(),
        body: body.into(),
        received_at_ms: NOW_MS,
    }
}

const NO_STORE: (&str, &str) = ("Cache-Control", "no-store");

/// The request the doctor asks for now; panics on anything else.
fn request(doctor: &mut Doctor) -> (HttpRequest, Vec<String>) {
    match doctor.next_step() {
        Next::Request { request, shown, .. } => (request, shown),
        other => panic!("expected a request, got {other:?}"),
    }
}

#[test]
fn a_working_backend_is_driven_from_send_to_verified_without_printing_the_code() {
    let mut doctor = Doctor::new("{}", "+14155550123", Some(ORIGIN), true).expect("config");
    let (send, shown) = request(&mut doctor);
    assert_eq!(send.url, format!("{ORIGIN}/api/verification"));
    assert!(shown.iter().any(|l| l == "== send a code to +14155550123"));
    let lines = doctor.answered(
        &send.url,
        Ok(seen(
            202,
            &[NO_STORE],
            r#"{"verification_id":"v1","expires_in":600,"resend_in":30,"sends_remaining":4,"code_length":6,"destination_hint":"+1 ••• 0123"}"#,
        )),
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("shopper reads: Code sent to +1 ••• 0123.")),
        "{lines:?}"
    );
    let (wrong, _) = request(&mut doctor);
    assert!(wrong.body.as_deref().is_some_and(|b| b.contains("000000")));
    let lines = doctor.answered(
        &wrong.url,
        Ok(seen(
            422,
            &[NO_STORE],
            r#"{"type":"urn:checkout-verify:invalid-code","attempts_remaining":4}"#,
        )),
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("shopper is alerted: That code is not right. 4 attempts left.")),
        "{lines:?}"
    );
    assert_eq!(doctor.next_step(), Next::Code);
    assert!(doctor.code_printed("no code here").is_err());
    doctor
        .code_printed(r#"[{"text":"Your code is 482913.\n\n@127.0.0.1 #482913"}]"#)
        .expect("a code");
    let (right, shown) = request(&mut doctor);
    assert!(right.body.as_deref().is_some_and(|b| b.contains("482913")));
    assert!(
        shown.iter().all(|l| !l.contains("482913")),
        "the code is masked: {shown:?}"
    );
    let lines = doctor.answered(
        &right.url,
        Ok(seen(
            200,
            &[NO_STORE],
            r#"{"status":"approved","token":"eyJ.p.s"}"#,
        )),
    );
    assert!(
        lines.iter().any(|l| l.contains("outcome: Verified")),
        "{lines:?}"
    );
    assert!(lines.iter().any(|l| l.contains("shopper reads: Verified.")));
    assert_eq!(doctor.next_step(), Next::Done);
    let (summary, ok) = doctor.summary();
    assert!(ok, "{summary:?}");
    assert_eq!(
        summary.last().map(String::as_str),
        Some("The widget can work with this backend.")
    );
}

#[test]
fn a_misbehaving_backend_is_told_what_to_fix() {
    let config = r#"{"development":true,"backend":{"base_url":"http://127.0.0.1:9","send":{"url":"/send","body":{"to":"{{destination}}"},"read":{"verification_id":"/id"},"outcome":{}},"check":{"url":"/check","body":{"id":"{{verification_id}}","code":"{{code}}"},"outcome":{}}}}"#;
    let mut doctor = Doctor::new(config, "+14155550123", Some(ORIGIN), false).expect("config");
    let (send, _) = request(&mut doctor);
    doctor.answered(&send.url, Ok(seen(200, &[], r#"{"id":"x1"}"#)));
    let (wrong, _) = request(&mut doctor);
    doctor.answered(&wrong.url, Ok(seen(200, &[], r#"{"status":"pending"}"#)));
    assert_eq!(doctor.next_step(), Next::Done);
    let (summary, ok) = doctor.summary();
    assert!(!ok);
    let fixes: Vec<&String> = summary.iter().filter(|l| l.starts_with("FIX: ")).collect();
    for expected in [
        "without Cache-Control: no-store",
        "does not allow a page on http://127.0.0.1:8080 to read its answers",
        "the check answer (HTTP 200) matched nothing in backend.check",
        "a wrong code is classified as Failed(Unrecognised(200))",
    ] {
        assert!(
            fixes.iter().any(|l| l.contains(expected)),
            "{expected}: {summary:?}"
        );
    }
    assert!(summary.iter().any(|l| l.contains("give --code-from")));
}

#[test]
fn a_config_the_widget_refuses_is_refused_with_the_same_words() {
    let config = r#"{"backend":{"preset":"firebase","params":{"api_key":"k"},"check":{"read":{"token":"idToken"}}}}"#;
    let doctor = Doctor::new(config, "+14155550123", None, false).expect_err("refused");
    assert_eq!(
        doctor.to_string(),
        Config::from_json(config).expect_err("refused").to_string()
    );
}

#[test]
fn no_answer_is_a_finding_not_a_crash() {
    let mut doctor = Doctor::new("{}", "+14155550123", Some(ORIGIN), false).expect("config");
    let (send, _) = request(&mut doctor);
    let lines = doctor.answered(&send.url, Err(Failure::Network));
    assert!(lines.iter().any(|l| l == "<- no answer"), "{lines:?}");
    assert_eq!(doctor.next_step(), Next::Done);
    let (summary, ok) = doctor.summary();
    assert!(!ok);
    assert!(summary.iter().any(|l| l.contains("did not answer")));
}
