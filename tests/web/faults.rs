//! The fault matrix: backends that misbehave, each with what the shopper sees and whether the
//! code they typed is kept. "Verified" is never shown wrongly, and every failure gives an alert
//! and a way on.

use crate::support::*;

/// How a scripted backend misbehaves.
enum Answer {
    /// An answer with this status, headers and body.
    With(u16, &'static [(&'static str, &'static str)], String),
    /// `"hang"`, `"reset"` or `"redirect"` (see the scripted fetch).
    Fault(&'static str),
}

fn with(status: u16, body: &str) -> Answer {
    Answer::With(status, &[], body.to_string())
}

/// One misbehaviour and what the shopper must then see.
struct Case {
    name: &'static str,
    answer: Answer,
    /// A part of the alert the shopper reads.
    alert: &'static str,
    /// Whether the typed code stays in the field.
    kept: bool,
}

fn route(answer: &Answer) -> js_sys::Object {
    let route = js_sys::Object::new();
    let set = |key: &str, value: &JsValue| {
        let _ = js_sys::Reflect::set(&route, &key.into(), value);
    };
    match answer {
        Answer::Fault(fault) => set("fault", &(*fault).into()),
        Answer::With(status, headers, body) => {
            set("status", &JsValue::from(*status));
            set("body", &JsValue::from_str(body));
            let map = js_sys::Object::new();
            for (name, value) in *headers {
                let _ = js_sys::Reflect::set(&map, &(*name).into(), &(*value).into());
            }
            set("headers", &map.into());
        }
    }
    route
}

/// Scripts the send endpoint with `send` and the check endpoint with `check`.
fn script(send: &Answer, check: &Answer) {
    let routes = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&routes, &"/api/verification".into(), &route(send));
    let _ = js_sys::Reflect::set(&routes, &"/api/verification/check".into(), &route(check));
    script_fetch(routes.into());
}

fn sent() -> Answer {
    with(SEND.1, SEND.2)
}

/// The alert, or a panic naming the case when none arrives.
async fn alert_of(w: &Mounted, case: &str) -> String {
    wait_for(&format!("an alert for {case}"), || !w.alert().is_empty()).await;
    w.alert()
}

fn check_cases() -> Vec<Case> {
    let nested = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let huge = format!("{}{{\"status\":\"approved\"", " ".repeat(1 << 20));
    let html = "<!doctype html><html><body><h1>502 Bad Gateway</h1></body></html>";
    let understood = "do not understand";
    vec![
        Case {
            name: "no answer within the timeout",
            answer: Answer::Fault("hang"),
            alert: "took too long",
            kept: true,
        },
        Case {
            name: "connection reset",
            answer: Answer::Fault("reset"),
            alert: "could not reach the store",
            kept: true,
        },
        Case {
            name: "a redirect (never followed)",
            answer: Answer::Fault("redirect"),
            alert: "could not reach the store",
            kept: true,
        },
        Case {
            name: "500",
            answer: with(500, ""),
            alert: "error 500",
            kept: true,
        },
        Case {
            name: "502 with an HTML page",
            answer: Answer::With(502, &[("Content-Type", "text/html")], html.into()),
            alert: "error 502",
            kept: true,
        },
        Case {
            name: "503 with Retry-After",
            answer: Answer::With(503, &[("Retry-After", "10")], String::new()),
            alert: "error 503",
            kept: true,
        },
        Case {
            name: "401",
            answer: with(401, r#"{"error":"unauthorized"}"#),
            alert: "error 401",
            kept: true,
        },
        Case {
            name: "403",
            answer: with(403, ""),
            alert: "error 403",
            kept: true,
        },
        Case {
            name: "404 on check",
            answer: with(404, "Not Found"),
            alert: "error 404",
            kept: true,
        },
        Case {
            name: "a 200 that is not JSON",
            answer: with(200, "OK"),
            alert: understood,
            kept: true,
        },
        Case {
            name: "an empty 200",
            answer: with(200, ""),
            alert: understood,
            kept: true,
        },
        Case {
            name: "200 {} on check",
            answer: with(200, "{}"),
            alert: understood,
            kept: true,
        },
        Case {
            name: "200 with a lying status \"pending\"",
            answer: with(200, r#"{"status":"pending","token":"t"}"#),
            alert: understood,
            kept: true,
        },
        Case {
            name: "200 with a status false",
            answer: with(200, r#"{"status":false}"#),
            alert: understood,
            kept: true,
        },
        Case {
            name: "a 2xx whose token is empty",
            answer: with(201, r#"{"status":"approved","token":""}"#),
            alert: understood,
            kept: true,
        },
        Case {
            name: "a 200 HTML page",
            answer: Answer::With(200, &[("Content-Type", "text/html")], html.into()),
            alert: understood,
            kept: true,
        },
        Case {
            name: "a 1 MiB body",
            answer: with(200, &huge),
            alert: understood,
            kept: true,
        },
        Case {
            name: "JSON nested 10,000 deep",
            answer: with(200, &nested),
            alert: understood,
            kept: true,
        },
        Case {
            name: "a key given twice",
            answer: with(
                200,
                r#"{"status":"approved","status":"pending","token":"t"}"#,
            ),
            alert: understood,
            kept: true,
        },
        Case {
            name: "429 with seconds",
            answer: Answer::With(429, &[("Retry-After", "42")], String::new()),
            alert: "Try again in 0:42",
            kept: true,
        },
        Case {
            name: "429 with an HTTP-date",
            answer: Answer::With(
                429,
                &[
                    ("Retry-After", "Sat, 21 Nov 2026 06:25:30 GMT"),
                    ("Date", "Sat, 21 Nov 2026 06:24:00 GMT"),
                ],
                String::new(),
            ),
            alert: "Try again in 1:30",
            kept: true,
        },
        Case {
            name: "429 without a wait",
            answer: with(429, ""),
            alert: "Try again in 0:30",
            kept: true,
        },
    ]
}

#[wasm_bindgen_test]
async fn a_misbehaving_check_never_verifies_and_keeps_the_code() {
    hurry_long_timers();
    let cases = check_cases();
    assert!(cases.len() >= 20, "the matrix holds {} cases", cases.len());
    for case in cases {
        script(&sent(), &case.answer);
        let w = Mounted::new("{}").with_code_sent().await;
        w.enter("123456");
        w.press("Verify");
        let alert = alert_of(&w, case.name).await;
        assert!(
            alert.contains(case.alert),
            "{}: the alert reads {alert:?}",
            case.name
        );
        assert!(
            !w.status().contains("Verified"),
            "{}: shown as verified",
            case.name
        );
        let value = w.input().value();
        assert_eq!(
            value == "123456",
            case.kept,
            "{}: the field holds {value:?}",
            case.name
        );
        assert!(
            !w.input().disabled(),
            "{}: the field can be used again",
            case.name
        );
        assert!(
            w.can_press("Verify"),
            "{}: Verify can be pressed again",
            case.name
        );
        if case.name.contains("redirect") {
            assert_eq!(
                last_redirect_mode(),
                "error",
                "redirects are refused, not followed"
            );
        }
    }
    restore_timers();
}

#[wasm_bindgen_test]
async fn a_byte_order_mark_before_an_approval_is_still_an_approval() {
    script(
        &sent(),
        &with(200, "\u{feff}{\"status\":\"approved\",\"token\":\"t\"}"),
    );
    let w = Mounted::new("{}").with_code_sent().await;
    w.enter("123456");
    w.press("Verify");
    wait_for("Verified", || w.status().contains("Verified")).await;
}

#[wasm_bindgen_test]
async fn a_misbehaving_send_says_so_and_sending_again_is_possible() {
    hurry_long_timers();
    let invalid = r#"{"type":"urn:checkout-verify:invalid-destination","status":422}"#;
    for (name, answer, alert) in [
        (
            "no answer within the timeout",
            Answer::Fault("hang"),
            "took too long",
        ),
        (
            "connection reset",
            Answer::Fault("reset"),
            "could not reach the store to send",
        ),
        ("500", with(500, ""), "could not send a code (error 500)"),
        ("200 {}", with(200, "{}"), "do not understand"),
        (
            "a destination that cannot receive codes",
            with(422, invalid),
            "cannot receive codes",
        ),
    ] {
        script(&answer, &with(200, ""));
        let w = Mounted::new("{}");
        w.press("Send code");
        let text = alert_of(&w, name).await;
        assert!(text.contains(alert), "{name}: the alert reads {text:?}");
        assert!(w.input().disabled(), "{name}: no code to type");
        assert!(
            w.can_press("Send code"),
            "{name}: Send code can be pressed again"
        );
        assert_eq!(request_count("/api/verification/check"), 0);
    }
    restore_timers();
}
