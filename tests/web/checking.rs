//! Sending and checking: events, approvals, wrong codes, exactly-once checks, failures.

use crate::support::*;

#[wasm_bindgen_test]
async fn sending_shows_time_left_and_emits_a_composed_event() {
    routes(&[SEND]);
    let w = Mounted::new(r#"{"destination":"+14155550123"}"#);
    let seen = listen(
        &web_sys::window().unwrap().document().unwrap().into(),
        "checkout-verify:sent",
    );
    let w = w.with_code_sent().await;
    wait_for("the status to say where the code went", || {
        w.status().contains("+• ••• ••• 0123")
    })
    .await;
    let time = w.time_left();
    assert!(
        time == "10:00" || time == "9:59",
        "time left shown as {time}"
    );
    assert!(
        w.button("Resend code in 0:30").disabled(),
        "cooldown holds the resend"
    );
    let events = seen.call0(&JsValue::NULL).unwrap().as_string().unwrap();
    let Json::Array(events) = Json::parse(&events).unwrap() else {
        panic!("no events: {events}")
    };
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].get("bubbles"), Some(&Json::Bool(true)));
    assert_eq!(events[0].get("composed"), Some(&Json::Bool(true)));
    let detail = events[0].get("detail").unwrap();
    assert_eq!(detail.get("expires_in").and_then(Json::as_u64), Some(600));
    assert_eq!(
        detail.get("verification_id").and_then(Json::as_str),
        Some("vrf_1")
    );
}

#[wasm_bindgen_test]
async fn approved_code_shows_verified_and_emits_the_token() {
    routes(&[SEND, APPROVE]);
    let w = Mounted::new("{}");
    let seen = listen(&w.host.clone().into(), "checkout-verify:verified");
    let w = w.with_code_sent().await;
    w.enter("123456");
    w.press("Verify");
    wait_for("Verified", || w.status().contains("Verified")).await;
    assert_eq!(w.phase(), "verified");
    let events = seen.call0(&JsValue::NULL).unwrap().as_string().unwrap();
    assert!(events.contains("cvt_1"), "{events}");
    assert!(
        !events.contains("123456"),
        "the code never leaves in an event"
    );
}

#[wasm_bindgen_test]
async fn a_2xx_that_is_not_an_approval_never_shows_verified() {
    routes(&[
        SEND,
        ("/api/verification/check", 200, r#"{"status":"pending"}"#),
    ]);
    let w = Mounted::new("{}").with_code_sent().await;
    w.enter("123456");
    w.press("Verify");
    wait_for("an alert", || !w.alert().is_empty()).await;
    assert!(!w
        .root()
        .text_content()
        .unwrap_or_default()
        .contains("Verified"));
    assert_eq!(w.input().value(), "123456", "the code is kept to try again");
}

#[wasm_bindgen_test]
async fn wrong_code_alerts_with_attempts_left_and_clears_the_field() {
    routes(&[
        SEND,
        (
            "/api/verification/check",
            422,
            r#"{"type":"urn:checkout-verify:invalid-code","title":"Wrong","status":422,"attempts_remaining":4}"#,
        ),
    ]);
    let w = Mounted::new("{}").with_code_sent().await;
    w.enter("000000");
    w.press("Verify");
    wait_for("the wrong-code alert", || {
        w.alert().contains("4 attempts left")
    })
    .await;
    assert_eq!(w.input().value(), "");
    assert!(!w.input().disabled());
}

#[wasm_bindgen_test]
async fn a_burst_of_input_enter_and_clicks_checks_the_code_once() {
    routes(&[SEND, APPROVE]);
    let w = Mounted::new("{}").with_code_sent().await;
    w.enter("123456");
    let form: HtmlFormElement = w.input().form().expect("the field's form");
    for _ in 0..3 {
        form.request_submit().unwrap();
        w.press("Verify");
    }
    wait_for("Verified", || w.status().contains("Verified")).await;
    assert_eq!(request_count("/api/verification/check"), 1);
}

#[wasm_bindgen_test]
async fn with_auto_submit_a_complete_code_is_checked_as_it_arrives() {
    routes(&[SEND, APPROVE]);
    let w = Mounted::new(r#"{"auto_submit":true}"#)
        .with_code_sent()
        .await;
    w.enter("12345");
    // A check would start within a task turn; give it one before asserting there is none.
    TimeoutFuture::new(20).await;
    assert_eq!(
        request_count("/api/verification/check"),
        0,
        "not before it is complete"
    );
    assert_eq!(w.alert(), "", "no alert while typing");
    w.enter("123456");
    wait_for("Verified", || w.status().contains("Verified")).await;
    assert_eq!(request_count("/api/verification/check"), 1);
}

#[wasm_bindgen_test]
async fn network_failure_keeps_the_typed_code() {
    routes(&[SEND]);
    let w = Mounted::new("{}").with_code_sent().await;
    w.enter("123456");
    w.press("Verify");
    wait_for("the network alert", || w.alert().contains("code is kept")).await;
    assert_eq!(w.input().value(), "123456");
    assert_eq!(request_count("/api/verification/check"), 1);
}

#[wasm_bindgen_test]
async fn incomplete_code_is_not_sent() {
    routes(&[SEND]);
    let w = Mounted::new("{}").with_code_sent().await;
    w.enter("123");
    w.press("Verify");
    wait_for("the incomplete alert", || {
        w.alert().contains("all 6 digits")
    })
    .await;
    assert_eq!(request_count("/api/verification/check"), 0);
}
