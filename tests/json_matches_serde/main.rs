//! The hand-written JSON reader and writer (`core::json`, kept so serde_json stays out of the
//! browser package) against serde_json, which Rust backends use on the same contract types.
//!
//! For every contract type, both ways: what serde_json writes, `Json::parse` reads back to the
//! same value (the `Json` the widget writes, or reads through the reference preset's pointers);
//! what the widget writes (the reference preset's request bodies, `to_json`), serde_json reads
//! back to the same value. The answers the widget only reads go through the reference preset too. Then the string
//! escaping on its own over generated text, and whole generated documents: both readers accept
//! the same texts (but for the documented differences) and read them to the same values.
#![cfg(not(target_arch = "wasm32"))]

mod documents;

use documents::escape_part;

use std::collections::BTreeMap;

use checkout_verify::core::backend::adapter::{no_page_values, Adapter};
use checkout_verify::core::backend::reference::{
    CheckApproved, CheckBody, Problem, SendAccepted, SendBody, APPROVED,
};
use checkout_verify::core::backend::{
    CheckOutcome, CheckRequest, Failure, HttpAnswer, SendOutcome, SendRequest, CODE_LENGTHS,
    MAX_EXPIRES_IN_S,
};
use checkout_verify::core::guard::report::CloneReport;
use checkout_verify::core::json::Json;
use proptest::collection::vec;
use proptest::option::of;
use proptest::prelude::*;
use proptest::test_runner::TestCaseResult;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// The widget's default backend: the reference preset.
fn reference() -> Adapter {
    checkout_verify::Config::default().backend
}

/// An answer with `status` and `body`.
fn answer(status: u16, body: &str) -> HttpAnswer<'_> {
    HttpAnswer {
        status,
        retry_after: None,
        date: None,
        received_at_ms: 0,
        body,
    }
}

// The answers the widget only reads are written here field by field, in the contract's shape, so
// the writer is checked on them too.

fn send_accepted_json(v: &SendAccepted) -> Json {
    let mut pairs = vec![(
        "verification_id".to_string(),
        Json::from(v.verification_id.as_str()),
    )];
    for (key, value) in [
        ("expires_in", v.expires_in),
        ("resend_in", v.resend_in),
        ("sends_remaining", v.sends_remaining.map(u64::from)),
    ] {
        if let Some(n) = value {
            pairs.push((key.to_string(), n.into()));
        }
    }
    pairs.push(("code_length".to_string(), v.code_length.into()));
    pairs.push((
        "destination_hint".to_string(),
        v.destination_hint.as_deref().into(),
    ));
    Json::Object(pairs)
}

fn check_approved_json(v: &CheckApproved) -> Json {
    Json::object([
        ("status", v.status.as_str().into()),
        ("token", v.token.as_str().into()),
    ])
}

fn problem_json(v: &Problem) -> Json {
    let mut pairs = vec![
        ("type".to_string(), Json::from(v.kind.as_str())),
        ("title".to_string(), v.title.as_str().into()),
        ("status".to_string(), v.status.into()),
    ];
    if let Some(n) = v.attempts_remaining {
        pairs.push(("attempts_remaining".to_string(), n.into()));
    }
    if let Some(n) = v.retry_after {
        pairs.push(("retry_after".to_string(), n.into()));
    }
    Json::Object(pairs)
}

/// serde_json's text of `value`, read by `Json::parse`.
fn serde_to_json<T: Serialize>(value: &T) -> Result<Json, TestCaseError> {
    let text = serde_json::to_string(value).expect("contract types always serialise");
    Json::parse(&text).map_err(|e| TestCaseError::fail(format!("{e} in serde_json's {text}")))
}

/// Our writer's text of `json`, read by serde_json as a `T`.
fn json_to_serde<T: DeserializeOwned>(json: &Json) -> Result<T, TestCaseError> {
    let text = json.to_string();
    serde_json::from_str(&text).map_err(|e| TestCaseError::fail(format!("{e} in our {text}")))
}

/// Both directions for one value of each contract type.
fn send_body_both_ways(v: &SendBody) -> TestCaseResult {
    let send = SendRequest {
        destination: v.destination.clone(),
        channel: v.channel.clone(),
        verification_id: v.verification_id.clone(),
        context: v.context.clone(),
        locale: v.locale.clone(),
        kept: Vec::new(),
    };
    let ours = reference().send_request(&send, &no_page_values);
    let ours = ours.body.expect("the reference preset sends a body");
    prop_assert_eq!(
        &serde_json::from_str::<SendBody>(&ours)
            .map_err(|e| TestCaseError::fail(format!("{e} in our {ours}")))?,
        v
    );
    prop_assert_eq!(Json::parse(&ours).ok(), Some(serde_to_json(v)?));
    Ok(())
}

fn send_accepted_both_ways(v: &SendAccepted) -> TestCaseResult {
    prop_assert_eq!(serde_to_json(v)?, send_accepted_json(v));
    prop_assert_eq!(&json_to_serde::<SendAccepted>(&send_accepted_json(v))?, v);
    // Read as the widget reads it: through the reference preset, plausible or refused.
    let body = serde_json::to_string(v).expect("contract types always serialise");
    let send = SendRequest {
        destination: None,
        channel: "sms".into(),
        verification_id: None,
        context: None,
        locale: None,
        kept: Vec::new(),
    };
    let plausible = !v.verification_id.is_empty()
        && CODE_LENGTHS.contains(&v.code_length)
        && v.expires_in
            .is_none_or(|s| (1..=MAX_EXPIRES_IN_S).contains(&s));
    match reference().classify_send(&send, Ok(answer(202, &body))) {
        SendOutcome::Sent(sent) => {
            prop_assert!(plausible, "{body}");
            prop_assert_eq!(&sent.verification_id, &v.verification_id);
            prop_assert_eq!(
                (sent.expires_in, sent.resend_in, sent.sends_remaining),
                (v.expires_in, v.resend_in, v.sends_remaining)
            );
            prop_assert_eq!(sent.code_length, Some(v.code_length));
            prop_assert_eq!(&sent.destination_hint, &v.destination_hint);
        }
        SendOutcome::Failed(Failure::Unrecognised(202)) => prop_assert!(!plausible, "{body}"),
        other => prop_assert!(false, "{body} gave {other:?}"),
    }
    Ok(())
}

fn check_body_both_ways(v: &CheckBody) -> TestCaseResult {
    let check = CheckRequest {
        verification_id: v.verification_id.clone(),
        code: v.code.clone(),
        destination: None,
        channel: "sms".into(),
        context: None,
        kept: Vec::new(),
    };
    let ours = reference().check_request(&check, &no_page_values);
    let ours = ours.body.expect("the reference preset sends a body");
    prop_assert_eq!(
        &serde_json::from_str::<CheckBody>(&ours)
            .map_err(|e| TestCaseError::fail(format!("{e} in our {ours}")))?,
        v
    );
    prop_assert_eq!(Json::parse(&ours).ok(), Some(serde_to_json(v)?));
    Ok(())
}

fn check_approved_both_ways(v: &CheckApproved) -> TestCaseResult {
    let json = serde_to_json(v)?;
    prop_assert_eq!(&json, &check_approved_json(v));
    // The widget reads this answer through the reference preset.
    let body = serde_json::to_string(v).expect("contract types always serialise");
    let check = CheckRequest {
        verification_id: "v".into(),
        code: "123456".into(),
        destination: None,
        channel: "sms".into(),
        context: None,
        kept: Vec::new(),
    };
    let verified = v.status == APPROVED && !v.token.is_empty();
    match reference().classify_check(&check, Ok(answer(200, &body))) {
        CheckOutcome::Verified { token } => {
            prop_assert!(
                verified && token.as_deref() == Some(v.token.as_str()),
                "{body}"
            )
        }
        other => prop_assert!(!verified, "{body} gave {other:?}"),
    }
    prop_assert_eq!(&json_to_serde::<CheckApproved>(&check_approved_json(v))?, v);
    Ok(())
}

fn problem_both_ways(v: &Problem) -> TestCaseResult {
    prop_assert_eq!(serde_to_json(v)?, problem_json(v));
    prop_assert_eq!(&json_to_serde::<Problem>(&problem_json(v))?, v);
    Ok(())
}

fn clone_report_both_ways(v: &CloneReport) -> TestCaseResult {
    prop_assert_eq!(serde_to_json(v)?, v.to_json());
    prop_assert_eq!(&json_to_serde::<CloneReport>(&v.to_json())?, v);
    Ok(())
}

/// Text with what JSON escaping gets wrong: quotes, backslashes, every C0 control, DEL, the JS
/// line separators, a BOM, non-characters, and characters beyond the BMP (surrogate pairs).
const TRICKY: &str = "\"\\/\u{7f}\u{2028}\u{2029}\u{feff}\u{fffd}\u{ffff}😀\u{10ffff}é•验";

fn tricky_text() -> String {
    let controls: String = (0u8..0x20).map(char::from).collect();
    format!("{controls}{TRICKY} end")
}

#[test]
fn representative_values_read_back_both_ways() {
    let tricky = tricky_text();
    let run = |result: TestCaseResult| result.expect("a contract value survives both ways");
    for v in [
        SendBody {
            destination: None,
            channel: "sms".into(),
            verification_id: None,
            context: None,
            locale: None,
        },
        SendBody {
            destination: Some("+1 (415) 555-0123".into()),
            channel: "whats\"app\\".into(),
            verification_id: Some(tricky.clone()),
            context: None,
            locale: Some("pt-BR".into()),
        },
        SendBody {
            destination: Some("анна@пример.рф".into()),
            channel: String::new(),
            verification_id: Some("vrf_😀".into()),
            context: Some(tricky.clone()),
            locale: Some(tricky.clone()),
        },
    ] {
        run(send_body_both_ways(&v));
    }
    for v in [
        SendAccepted {
            verification_id: "vrf_1".into(),
            expires_in: None,
            resend_in: None,
            sends_remaining: None,
            code_length: 6,
            destination_hint: None,
        },
        SendAccepted {
            verification_id: tricky.clone(),
            expires_in: Some(u64::MAX),
            resend_in: Some(0),
            sends_remaining: Some(u32::MAX),
            code_length: u8::MAX,
            destination_hint: Some("+1 ••• ••• 4567".into()),
        },
    ] {
        run(send_accepted_both_ways(&v));
    }
    for v in [
        CheckBody {
            verification_id: "vrf_1".into(),
            code: "123456".into(),
        },
        CheckBody {
            verification_id: tricky.clone(),
            code: "１２３\u{0}".into(),
        },
    ] {
        run(check_body_both_ways(&v));
    }
    for v in [
        CheckApproved {
            status: APPROVED.into(),
            token: "tok_\"quoted\"\\".into(),
        },
        CheckApproved {
            status: APPROVED.into(),
            token: String::new(),
        },
        CheckApproved {
            status: "approved\u{0}".into(),
            token: tricky.clone(),
        },
    ] {
        run(check_approved_both_ways(&v));
    }
    for v in [
        Problem::default(),
        Problem {
            kind: "urn:checkout-verify:invalid-code".into(),
            title: "Code falsch – noch 2 Versuche \u{1b}[31m".into(),
            status: 422,
            attempts_remaining: Some(2),
            retry_after: None,
        },
        Problem {
            kind: tricky.clone(),
            title: "验证码".into(),
            status: u16::MAX,
            attempts_remaining: Some(0),
            retry_after: Some(u64::MAX),
        },
    ] {
        run(problem_both_ways(&v));
    }
    for v in [
        CloneReport {
            reasons: vec!["host-not-allowed".into(), "endpoint-not-allowed".into()],
            host: "shop.example.com.evil.io".into(),
            ancestors: vec![],
            version: "0.1.0".into(),
        },
        CloneReport {
            reasons: vec![tricky.clone()],
            host: "xn--shp-2na.example".into(),
            ancestors: vec!["https://evil.io".into(), "null".into(), tricky.clone()],
            version: "\u{0}".into(),
        },
    ] {
        run(clone_report_both_ways(&v));
    }
}

/// Arbitrary text, and text dense in the characters [`TRICKY`] lists.
fn text() -> impl Strategy<Value = String> {
    let tricky = prop_oneof![
        (0u8..0x20).prop_map(char::from),
        proptest::sample::select(TRICKY.chars().collect::<Vec<_>>()),
        any::<char>(),
    ];
    prop_oneof![
        any::<String>(),
        vec(tricky, 0..40).prop_map(String::from_iter)
    ]
}

fn send_body() -> impl Strategy<Value = SendBody> {
    (of(text()), text(), of(text()), of(text()), of(text())).prop_map(
        |(destination, channel, verification_id, context, locale)| SendBody {
            destination,
            channel,
            verification_id,
            context,
            locale,
        },
    )
}

fn send_accepted() -> impl Strategy<Value = SendAccepted> {
    let numbers = (
        of(any::<u64>()),
        of(any::<u64>()),
        of(any::<u32>()),
        any::<u8>(),
    );
    (text(), numbers, of(text())).prop_map(
        |(verification_id, (expires_in, resend_in, sends_remaining, code_length), hint)| {
            SendAccepted {
                verification_id,
                expires_in,
                resend_in,
                sends_remaining,
                code_length,
                destination_hint: hint,
            }
        },
    )
}

fn problem() -> impl Strategy<Value = Problem> {
    let numbers = (any::<u16>(), of(any::<u32>()), of(any::<u64>()));
    (text(), text(), numbers).prop_map(
        |(kind, title, (status, attempts_remaining, retry_after))| Problem {
            kind,
            title,
            status,
            attempts_remaining,
            retry_after,
        },
    )
}

fn clone_report() -> impl Strategy<Value = CloneReport> {
    (vec(text(), 0..4), text(), vec(text(), 0..4), text()).prop_map(
        |(reasons, host, ancestors, version)| CloneReport {
            reasons,
            host,
            ancestors,
            version,
        },
    )
}

proptest! {
    #[test]
    fn generated_contract_values_read_back_both_ways(
        send in send_body(),
        sent in send_accepted(),
        (verification_id, code) in (text(), text()),
        (status, token) in (prop_oneof![Just(APPROVED.to_string()), text()], text()),
        problem in problem(),
        report in clone_report(),
    ) {
        send_body_both_ways(&send)?;
        send_accepted_both_ways(&sent)?;
        check_body_both_ways(&CheckBody { verification_id, code })?;
        check_approved_both_ways(&CheckApproved { status, token })?;
        problem_both_ways(&problem)?;
        clone_report_both_ways(&report)?;
    }

    #[test]
    fn strings_escape_and_unescape_like_serde_json(s in text()) {
        let ours = Json::from(s.as_str()).to_string();
        let read: String = serde_json::from_str(&ours)
            .map_err(|e| TestCaseError::fail(format!("serde_json refused our {ours}: {e}")))?;
        prop_assert_eq!(&read, &s);
        let theirs = serde_json::to_string(&s).expect("a string always serialises");
        prop_assert_eq!(Json::parse(&theirs), Ok(Json::String(s)));
    }

    /// String literals with escapes of every kind, valid or not (`\u` with any four hex digits,
    /// so lone and reversed surrogates too): both readers accept the same and read the same.
    #[test]
    fn string_literals_unescape_like_serde_json(parts in vec(escape_part(), 0..12)) {
        let literal = format!("\"{}\"", parts.concat());
        let ours = Json::parse(&literal);
        let theirs = serde_json::from_str::<String>(&literal);
        match (&ours, &theirs) {
            (Ok(Json::String(a)), Ok(b)) => prop_assert_eq!(a, b),
            (Err(_), Err(_)) => {}
            _ => prop_assert!(false, "{literal:?}: ours {ours:?}, serde_json {theirs:?}"),
        }
    }

}
