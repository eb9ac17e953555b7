//! The authenticity gate in the browser: a page that is not the genuine store gets the alert, no
//! enabled field, not one `fetch`, the `blocked` event and one beacon; the genuine page nothing.

use checkout_verify::assess_page;

use crate::support::*;

/// A config for the genuine store `shop.example`, which the test page (127.0.0.1) is not.
const ELSEWHERE: &str = r#"{"allow":["shop.example"],"auto_send":true,
    "report":"https://shop.example/api/clone-report","destination":"+14155550123"}"#;

#[wasm_bindgen_test]
async fn a_page_that_is_not_the_store_gets_an_alert_and_no_request() {
    routes(&[SEND, APPROVE]);
    record_beacons();
    let w = Mounted::new(ELSEWHERE);
    let blocked = listen(&w.host.clone().into(), "checkout-verify:blocked");
    let alert = "This page is not shop.example. Don't enter a code here.Open https://shop.example/ to continue.";
    wait_for("the alert", || w.alert() == alert).await;
    let link = w.link("Open https://shop.example/ to continue.");
    assert_eq!(
        link.get_attribute("href").as_deref(),
        Some("https://shop.example/")
    );
    assert!(w.input().disabled(), "no enabled code field");
    assert_eq!(w.phase(), "blocked");
    // Whatever the shopper presses, nothing is sent: not even the configured auto_send.
    w.press("Send code");
    w.press("Verify");
    w.enter("123456");
    let form: HtmlFormElement = w.input().form().expect("the field's form");
    let _ = form.request_submit();
    wait_for("the blocked event", || {
        blocked
            .call0(&JsValue::NULL)
            .ok()
            .and_then(|v| v.as_string())
            .is_some_and(|s| s != "[]")
    })
    .await;
    assert_eq!(request_count("/api/verification"), 0);
    assert_eq!(request_count("/api/verification/check"), 0);
    let events = blocked.call0(&JsValue::NULL).unwrap().as_string().unwrap();
    assert_eq!(
        events,
        r#"[{"detail":{"reasons":["host-not-allowed","endpoint-not-allowed"],"genuine":"shop.example"},"bubbles":true,"composed":true}]"#
    );
    let sent = Json::parse(&beacons()).unwrap();
    let sent = sent.as_array().unwrap();
    assert_eq!(sent.len(), 1, "one report");
    assert_eq!(
        sent[0].get("url").and_then(Json::as_str),
        Some("https://shop.example/api/clone-report")
    );
    let body = Json::parse(sent[0].get("body").and_then(Json::as_str).unwrap()).unwrap();
    assert_eq!(body.get("host").and_then(Json::as_str), Some("127.0.0.1"));
    assert!(!body.to_string().contains("4155550123"), "never the number");
}

#[wasm_bindgen_test]
async fn the_genuine_page_passes_without_a_badge() {
    routes(&[SEND]);
    record_beacons();
    let w = Mounted::new(r#"{"allow":["127.0.0.1"],"report":"http://127.0.0.1/r"}"#);
    wait_for("the widget to render", || w.find_field().is_some()).await;
    assert_eq!(w.alert(), "");
    assert_eq!(
        w.link_names(),
        Vec::<String>::new(),
        "no link away from the store"
    );
    w.with_code_sent().await;
    assert_eq!(request_count("/api/verification"), 1);
    assert_eq!(beacons(), "[]");
}

#[wasm_bindgen_test]
fn assess_page_gives_the_widgets_verdict() {
    let verdict = |config: &str| {
        let config = js_sys::JSON::parse(config).unwrap();
        let verdict = assess_page(config).unwrap_or_else(|_| panic!("assessPage threw"));
        js_sys::JSON::stringify(&verdict)
            .unwrap()
            .as_string()
            .unwrap()
    };
    assert_eq!(
        verdict(r#"{"allow":["127.0.0.1"],"development":true}"#),
        r#"{"trusted":true,"reasons":[],"genuine":"127.0.0.1"}"#
    );
    assert_eq!(
        verdict(r#"{"allow":["shop.example"]}"#),
        r#"{"trusted":false,"reasons":["insecure-scheme","host-not-allowed","endpoint-not-allowed"],"genuine":"shop.example"}"#
    );
    let bad = js_sys::JSON::parse(r#"{"allow":"shop.example"}"#).unwrap();
    assert!(
        assess_page(bad).is_err(),
        "an invalid config throws, as mount does"
    );
}

#[wasm_bindgen_test]
async fn without_an_allowlist_the_console_says_the_check_cannot_tell() {
    record_warnings();
    let w = Mounted::new("{}");
    wait_for("the widget to render", || w.find_field().is_some()).await;
    assert_eq!(w.phase(), "idle");
    // Said a moment after mounting, so a config set a moment later is not warned about.
    wait_for("the console's warning", || {
        warnings().contains("cannot tell a copy")
    })
    .await;
}

#[wasm_bindgen_test]
async fn a_widget_replaced_at_once_is_not_warned_about() {
    record_warnings();
    // The element's case: mounted before a later script sets its config, then mounted again.
    drop(Mounted::new("{}"));
    let w = Mounted::new("{}");
    wait_for("the second widget's warning", || {
        warnings().contains("cannot tell a copy")
    })
    .await;
    // The first widget's warning was due first: had it not gone with the widget, it would be
    // here before the second's.
    assert_eq!(
        warnings().matches("cannot tell a copy").count(),
        1,
        "{}",
        warnings()
    );
    assert!(w.find_field().is_some());
}

#[wasm_bindgen_test]
async fn an_endpoint_outside_the_allowlist_is_named_on_the_console() {
    record_warnings();
    let w = Mounted::new(
        r#"{"allow":["127.0.0.1"],"endpoints":{"verify":"https://api.other.example/check"}}"#,
    );
    wait_for("the console's warning", || {
        warnings().contains("`backend.check.url` (https://api.other.example/check)")
    })
    .await;
    assert_eq!(w.phase(), "blocked");
}
