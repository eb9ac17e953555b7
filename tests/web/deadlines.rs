//! Deadlines on a controlled clock: warning, expiry, backoff, Retry-After, reloads.

use crate::support::*;

/// Answers for one path, in order; each is (status, `Retry-After` header or "", body).
fn answers_in_order(path: &str, answers: &[(u16, &str, &str)]) {
    let list = js_sys::Array::new();
    for (status, retry_after, body) in answers {
        let route = js_sys::Object::new();
        let headers = js_sys::Object::new();
        if !retry_after.is_empty() {
            let _ = js_sys::Reflect::set(&headers, &"Retry-After".into(), &(*retry_after).into());
        }
        let _ = js_sys::Reflect::set(&route, &"status".into(), &JsValue::from(*status));
        let _ = js_sys::Reflect::set(&route, &"body".into(), &JsValue::from_str(body));
        let _ = js_sys::Reflect::set(&route, &"headers".into(), &headers);
        list.push(&route);
    }
    script_fetch_in_order(path, list.into());
}

#[wasm_bindgen_test]
async fn the_warning_then_expiry_arrive_on_the_clock() {
    control_clock();
    routes(&[SEND]);
    let w = Mounted::new("{}");
    let expired = listen(&w.host.clone().into(), "checkout-verify:expired");
    let w = w.with_code_sent().await;
    assert!(!w.expiring());
    // The timer is part of the field's description, read on focus, never spoken each second.
    let timer = w
        .description()
        .into_iter()
        .find(|part| part.query_selector("time").unwrap().is_some());
    assert_eq!(
        timer
            .and_then(|timer| timer.get_attribute("aria-live"))
            .as_deref(),
        Some("off")
    );
    // The clock's own ticks catch up with a jump (headless Chrome may space them out)...
    shift_clock(500_000.0);
    wait_for("the time left to follow the jump", || {
        let shown = w.time_left();
        shown.starts_with("1:") && shown != "1:00"
    })
    .await;
    assert!(!w.expiring());
    advance_clock(40_000.0);
    // ...and a tab shown again re-reads it at once. The warning is said in words, once; the
    // seconds it names depend on how much real time the test took.
    wait_for("the warning", || {
        let said = w.status();
        said.starts_with("The code expires in ") && said.ends_with(" Need more time? Resend code.")
    })
    .await;
    assert!(w.expiring());
    assert!(w.can_press("Resend code"), "a new code is one tap away");
    advance_clock(60_000.0);
    wait_for("expiry", || w.alert().contains("expired")).await;
    assert!(w.input().disabled());
    assert!(w.button("Verify").disabled());
    assert_eq!(w.phase(), "expired");
    let events = expired.call0(&JsValue::NULL).unwrap().as_string().unwrap();
    assert_eq!(
        Json::parse(&events).unwrap().as_array().map(<[Json]>::len),
        Some(1)
    );
}

#[wasm_bindgen_test]
async fn without_a_stated_wait_each_resend_waits_longer() {
    control_clock();
    routes(&[]);
    let silent = r#"{"verification_id":"vrf_1","code_length":6}"#;
    answers_in_order("/api/verification", &[(202, "", silent)]);
    let w = Mounted::new("{}").with_code_sent().await;
    wait_for_button(&w, "Resend code in 0:30").await;
    advance_clock(30_000.0);
    wait_for("resend allowed", || w.can_press("Resend code")).await;
    w.press("Resend code");
    wait_for_button(&w, "Resend code in 1:00").await;
    advance_clock(60_000.0);
    wait_for("resend allowed", || w.can_press("Resend code")).await;
    w.press("Resend code");
    wait_for_button(&w, "Resend code in 2:00").await;
}

#[wasm_bindgen_test]
async fn a_429_with_retry_after_42_holds_the_resend_for_42_seconds() {
    control_clock();
    routes(&[]);
    let limited = r#"{"type":"urn:checkout-verify:rate-limited","title":"Slow down","status":429}"#;
    answers_in_order(
        "/api/verification",
        &[(202, "", SENT), (429, "42", limited)],
    );
    let w = Mounted::new("{}");
    let throttled = listen(&w.host.clone().into(), "checkout-verify:throttled");
    let w = w.with_code_sent().await;
    advance_clock(30_000.0);
    wait_for("resend allowed", || w.can_press("Resend code")).await;
    w.press("Resend code");
    wait_for("the throttle alert", || {
        w.alert().contains("Try again in 0:42")
    })
    .await;
    assert!(w.button("Resend code in 0:42").disabled());
    assert_eq!(request_count("/api/verification"), 2);
    assert!(!w.input().disabled(), "the code already sent still works");
    advance_clock(41_000.0);
    wait_for_button(&w, "Resend code in 0:01").await;
    w.press("Resend code in 0:01");
    assert_eq!(
        request_count("/api/verification"),
        2,
        "nothing sent before the time"
    );
    advance_clock(1_000.0);
    wait_for("resend allowed", || w.can_press("Resend code")).await;
    let events = throttled
        .call0(&JsValue::NULL)
        .unwrap()
        .as_string()
        .unwrap();
    assert!(events.contains(r#""retry_after":42"#), "{events}");
}

#[wasm_bindgen_test]
async fn a_remount_after_a_reload_keeps_the_code_and_the_cooldown() {
    control_clock();
    routes(&[SEND]);
    let config = r#"{"destination":"+14155550123"}"#;
    let w = Mounted::new(config).with_code_sent().await;
    advance_clock(10_000.0);
    wait_for_button(&w, "Resend code in 0:20").await;
    drop(w);
    let again = Mounted::remount(config);
    wait_for("the resumed code", || !again.input().disabled()).await;
    wait_for_button(&again, "Resend code in 0:20").await;
    assert_eq!(again.time_left(), "9:50");
    assert_eq!(
        request_count("/api/verification"),
        1,
        "no new code was asked for"
    );
    let stored = web_sys::window()
        .unwrap()
        .session_storage()
        .unwrap()
        .unwrap()
        .get_item("checkout-verify")
        .unwrap()
        .unwrap_or_default();
    assert!(
        stored.contains("vrf_1") && !stored.contains("4155550123"),
        "{stored}"
    );
    drop(again);
    let other = Mounted::remount(r#"{"destination":"+14155550199"}"#);
    wait_for_button(&other, "Send code").await;
}
