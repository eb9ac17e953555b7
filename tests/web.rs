//! Browser tests of the widget as a page embeds it: `mount(element, config)` in a real Chromium.
//!
//! The network is replaced by a scripted `fetch` so that answers the reference server never gives
//! (a dropped connection, a 2xx that is not an approval) can be shown; the end-to-end tests in
//! `e2e/` drive the same widget against the real server.
#![cfg(target_arch = "wasm32")]

use checkout_verify::core::json::Json;
use checkout_verify::{mount, WidgetHandle};
use gloo_timers::future::TimeoutFuture;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement, ShadowRoot};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(inline_js = r#"
export function script_fetch(routes) {
  globalThis.__cvRequests = [];
  globalThis.fetch = async (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const path = new URL(request.url).pathname;
    globalThis.__cvRequests.push({ path, body: await request.text() });
    // A list of answers is given out in order, the last one repeating.
    const answers = routes[path];
    const route = Array.isArray(answers) ? (answers.length > 1 ? answers.shift() : answers[0]) : answers;
    if (!route) throw new TypeError("Failed to fetch");
    return new Response(route.body, { status: route.status, headers: route.headers || {} });
  };
}
export function script_fetch_in_order(path, answers) {
  script_fetch({ [path]: answers });
}
export function control_clock() {
  if (!globalThis.__cvClock) {
    const real = Date.now.bind(Date);
    globalThis.__cvClock = { offset: 0 };
    Date.now = () => real() + globalThis.__cvClock.offset;
  }
  globalThis.__cvClock.offset = 0;
}
export function shift_clock(ms) {
  globalThis.__cvClock.offset += ms;
}
export function advance_clock(ms) {
  globalThis.__cvClock.offset += ms;
  // A tab shown again re-reads the clock at once: no waiting for the next second.
  document.dispatchEvent(new Event("visibilitychange", { bubbles: true }));
}
export function fake_web_otp() {
  window.OTPCredential = function () {};
  const state = { calls: 0 };
  Object.defineProperty(navigator, "credentials", {
    configurable: true,
    value: {
      get(options) {
        state.calls += 1;
        state.options = options;
        return new Promise((resolve, reject) => {
          state.resolve = resolve;
          options.signal.addEventListener("abort", () => reject(new DOMException("withdrawn", "AbortError")));
        });
      },
    },
  });
  globalThis.__otp = state;
}
export function otp_calls() { return globalThis.__otp.calls; }
export function otp_asked_for_sms() { return JSON.stringify(globalThis.__otp.options.otp.transport) === '["sms"]'; }
export function otp_withdrawn() { return globalThis.__otp.options.signal.aborted; }
export function otp_deliver(code) { globalThis.__otp.resolve({ code }); }
export function request_count(path) {
  return (globalThis.__cvRequests || []).filter((r) => r.path === path).length;
}
export function listen(target, name) {
  const seen = [];
  target.addEventListener(name, (e) => seen.push({ detail: e.detail, bubbles: e.bubbles, composed: e.composed }));
  return () => JSON.stringify(seen);
}
"#)]
extern "C" {
    fn script_fetch(routes: JsValue);
    fn script_fetch_in_order(path: &str, answers: JsValue);
    fn control_clock();
    fn advance_clock(ms: f64);
    fn shift_clock(ms: f64);
    fn request_count(path: &str) -> u32;
    fn fake_web_otp();
    fn otp_calls() -> u32;
    fn otp_asked_for_sms() -> bool;
    fn otp_withdrawn() -> bool;
    fn otp_deliver(code: &str);
    fn listen(target: &JsValue, name: &str) -> js_sys::Function;
}

const SENT: &str = r#"{"verification_id":"vrf_1","expires_in":600,"resend_in":30,"sends_remaining":4,"code_length":6,"destination_hint":"+• ••• ••• 0123"}"#;

/// The send endpoint accepting a send.
const SEND: (&str, u16, &str) = ("/api/verification", 202, SENT);
/// The verify endpoint approving any code.
const APPROVE: (&str, u16, &str) = (
    "/api/verification/check",
    200,
    r#"{"status":"approved","token":"cvt_1"}"#,
);

/// Routes the scripted fetch answers: path → (status, body). Paths left out fail like a dropped
/// connection.
fn routes(entries: &[(&str, u16, &str)]) {
    let map = js_sys::Object::new();
    for (path, status, body) in entries {
        let route = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&route, &"status".into(), &JsValue::from(*status));
        let _ = js_sys::Reflect::set(&route, &"body".into(), &JsValue::from_str(body));
        let _ = js_sys::Reflect::set(&map, &JsValue::from_str(path), &route);
    }
    script_fetch(map.into());
}

/// A widget mounted into a fresh element of the test page.
struct Mounted {
    host: HtmlElement,
    handle: WidgetHandle,
}

impl Mounted {
    fn new(config: &str) -> Self {
        // Each test starts as a fresh tab: no verification left over from the one before.
        let window = web_sys::window().unwrap();
        window.session_storage().unwrap().unwrap().clear().unwrap();
        Self::remount(config)
    }

    /// A widget mounted as after a reload: whatever the tab's storage holds is kept.
    fn remount(config: &str) -> Self {
        let document = web_sys::window().unwrap().document().unwrap();
        let host: HtmlElement = document.create_element("div").unwrap().unchecked_into();
        document.body().unwrap().append_child(&host).unwrap();
        let config = js_sys::JSON::parse(config).unwrap();
        let handle = mount(host.clone(), config).unwrap_or_else(|_| panic!("mount failed"));
        Self { host, handle }
    }

    fn root(&self) -> ShadowRoot {
        self.host.shadow_root().expect("open shadow root")
    }

    fn find(&self, selector: &str) -> Option<Element> {
        self.root().query_selector(selector).unwrap()
    }

    fn get(&self, selector: &str) -> Element {
        self.find(selector)
            .unwrap_or_else(|| panic!("no element matches {selector}"))
    }

    fn input(&self) -> HtmlInputElement {
        self.get("input").unchecked_into()
    }

    fn text(&self, selector: &str) -> String {
        self.get(selector).text_content().unwrap_or_default()
    }

    fn click(&self, selector: &str) {
        self.get(selector).unchecked_into::<HtmlElement>().click();
    }

    /// Puts `text` in the field as the browser does for typing, paste or autofill.
    fn enter(&self, text: &str) {
        let input = self.input();
        input.set_value(text);
        let event = web_sys::InputEvent::new("input").unwrap();
        input.dispatch_event(&event).unwrap();
    }

    /// Pastes `text` as the clipboard would, line breaks included.
    fn paste(&self, text: &str) {
        let data = web_sys::DataTransfer::new().unwrap();
        data.set_data("text/plain", text).unwrap();
        let init = web_sys::ClipboardEventInit::new();
        init.set_clipboard_data(Some(&data));
        init.set_bubbles(true);
        init.set_cancelable(true);
        let event = web_sys::ClipboardEvent::new_with_event_init_dict("paste", &init).unwrap();
        self.input().focus().unwrap();
        self.input().dispatch_event(&event).unwrap();
    }

    /// Sends a code through the scripted backend and waits until the field accepts it.
    async fn with_code_sent(self) -> Self {
        self.click(".cv-send");
        wait_for("the code field to open", || !self.input().disabled()).await;
        self
    }
}

impl Drop for Mounted {
    fn drop(&mut self) {
        self.handle.destroy();
        self.host.remove();
    }
}

/// Waits until the text of `selector` is `expected`; on a timeout, says what it was instead.
async fn wait_for_text(w: &Mounted, selector: &str, expected: &str) {
    for _ in 0..500 {
        if w.text(selector) == expected {
            return;
        }
        TimeoutFuture::new(10).await;
    }
    panic!("{selector} reads {:?}, not {expected:?}", w.text(selector));
}

/// Waits until `condition` holds, checking every few milliseconds; fails after five seconds.
async fn wait_for(what: &str, condition: impl Fn() -> bool) {
    for _ in 0..500 {
        if condition() {
            return;
        }
        TimeoutFuture::new(10).await;
    }
    panic!("timed out waiting for {what}");
}

#[wasm_bindgen_test]
async fn renders_a_labelled_one_time_code_field() {
    routes(&[]);
    let w = Mounted::new("{}");
    wait_for("the widget to render", || w.find("input").is_some()).await;
    let input = w.input();
    assert_eq!(input.type_(), "text");
    assert_eq!(
        input.get_attribute("autocomplete").as_deref(),
        Some("one-time-code")
    );
    assert_eq!(input.get_attribute("inputmode").as_deref(), Some("numeric"));
    let label = w.get("label");
    assert_eq!(label.get_attribute("for"), Some(input.id()));
    assert!(label
        .text_content()
        .unwrap()
        .to_lowercase()
        .contains("code"));
    let described = input.get_attribute("aria-describedby").unwrap();
    for id in described.split(' ') {
        assert!(
            w.find(&format!("#{id}")).is_some(),
            "aria-describedby names missing #{id}"
        );
    }
    assert!(w.find("[role=status]").is_some());
    assert!(w.find("[role=alert]").is_some());
    assert_eq!(w.text(".cv-verify").trim(), "Verify");
    assert_eq!(w.text(".cv-send").trim(), "Send code");
    assert!(input.disabled(), "nothing to type before a code is sent");
}

#[wasm_bindgen_test]
fn invalid_config_throws_an_error_naming_the_field_and_value() {
    let document = web_sys::window().unwrap().document().unwrap();
    let host: HtmlElement = document.create_element("div").unwrap().unchecked_into();
    let config = js_sys::JSON::parse(r#"{"code_length":"six"}"#).unwrap();
    let Err(error) = mount(host, config) else {
        panic!("an invalid config was accepted")
    };
    let message: String = js_sys::Error::from(JsValue::from(error)).message().into();
    assert!(
        message.contains("code_length") && message.contains("six"),
        "{message}"
    );
}

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
        w.text("[role=status]").contains("+• ••• ••• 0123")
    })
    .await;
    let time = w.text(".cv-timer time");
    assert!(
        time == "10:00" || time == "9:59",
        "time left shown as {time}"
    );
    assert!(w.text(".cv-send").contains("Resend"));
    assert!(
        w.get(".cv-send").has_attribute("disabled"),
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
async fn typed_pasted_or_autofilled_text_becomes_the_digits() {
    routes(&[SEND]);
    let w = Mounted::new("{}").with_code_sent().await;
    w.enter(" 12 34-56\n");
    wait_for("normalised value", || w.input().value() == "123456").await;
    w.enter("１２３abc");
    wait_for("full-width digits", || w.input().value() == "123").await;
    w.enter("12345678");
    wait_for("cut at code length", || w.input().value() == "123456").await;
}

#[wasm_bindgen_test]
async fn a_pasted_message_fills_in_its_code_not_its_other_numbers() {
    routes(&[SEND]);
    let w = Mounted::new("{}").with_code_sent().await;
    w.paste("Order #552211 total $129.99. Your code: 482-913\n\n@127.0.0.1 #482913");
    wait_for("the code from the message", || {
        w.input().value() == "482913"
    })
    .await;
    w.enter("Your code is 482913. Call +1 415 555 0123 for help.");
    wait_for("the code, not the phone number", || {
        w.input().value() == "482913"
    })
    .await;
}

#[wasm_bindgen_test]
async fn a_code_bound_to_another_host_is_refused_with_an_alert() {
    routes(&[SEND]);
    let w = Mounted::new("{}").with_code_sent().await;
    w.paste("Your code is 482913\n\n@shop.example #482913");
    wait_for("the wrong-host alert", || {
        w.text("[role=alert]").contains("shop.example")
    })
    .await;
    assert_eq!(w.input().value(), "", "the code is not left in the field");
    assert_eq!(request_count("/api/verification/check"), 0);
}

#[wasm_bindgen_test]
async fn approved_code_shows_verified_and_emits_the_token() {
    routes(&[SEND, APPROVE]);
    let w = Mounted::new("{}");
    let seen = listen(&w.host.clone().into(), "checkout-verify:verified");
    let w = w.with_code_sent().await;
    w.enter("123456");
    w.click(".cv-verify");
    wait_for("Verified", || w.text("[role=status]").contains("Verified")).await;
    assert_eq!(
        w.get(".cv").get_attribute("data-phase").as_deref(),
        Some("verified")
    );
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
    w.click(".cv-verify");
    wait_for("an alert", || !w.text("[role=alert]").is_empty()).await;
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
    w.click(".cv-verify");
    wait_for("the wrong-code alert", || {
        w.text("[role=alert]").contains("4 attempts left")
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
    let form: web_sys::HtmlFormElement = w.get("form").unchecked_into();
    for _ in 0..3 {
        form.request_submit().unwrap();
        w.click(".cv-verify");
    }
    wait_for("Verified", || w.text("[role=status]").contains("Verified")).await;
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
    assert_eq!(w.text("[role=alert]"), "", "no alert while typing");
    w.enter("123456");
    wait_for("Verified", || w.text("[role=status]").contains("Verified")).await;
    assert_eq!(request_count("/api/verification/check"), 1);
}

#[wasm_bindgen_test]
async fn network_failure_keeps_the_typed_code() {
    routes(&[SEND]);
    let w = Mounted::new("{}").with_code_sent().await;
    w.enter("123456");
    w.click(".cv-verify");
    wait_for("the network alert", || {
        w.text("[role=alert]").contains("code is kept")
    })
    .await;
    assert_eq!(w.input().value(), "123456");
    assert_eq!(request_count("/api/verification/check"), 1);
}

#[wasm_bindgen_test]
async fn incomplete_code_is_not_sent() {
    routes(&[SEND]);
    let w = Mounted::new("{}").with_code_sent().await;
    w.enter("123");
    w.click(".cv-verify");
    wait_for("the incomplete alert", || {
        w.text("[role=alert]").contains("all 6 digits")
    })
    .await;
    assert_eq!(request_count("/api/verification/check"), 0);
}

#[wasm_bindgen_test]
async fn destroy_removes_the_widget_and_is_safe_twice() {
    routes(&[]);
    let mut w = Mounted::new("{}");
    wait_for("the widget to render", || w.find("input").is_some()).await;
    w.handle.destroy();
    assert!(w.find(".cv").is_none());
    assert_eq!(w.root().child_element_count(), 0);
    w.handle.destroy();
}

#[wasm_bindgen_test]
async fn dropping_the_handle_keeps_the_widget_until_destroy() {
    routes(&[]);
    let document = web_sys::window().unwrap().document().unwrap();
    let host: HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&host).unwrap();
    // A page that ignores mount()'s return value lets the handle be garbage-collected.
    drop(mount(host.clone(), JsValue::NULL).unwrap_or_else(|_| panic!("mount failed")));
    let root = host.shadow_root().unwrap();
    wait_for("the widget to render", || {
        root.query_selector("input").unwrap().is_some()
    })
    .await;
    TimeoutFuture::new(50).await;
    assert!(
        root.query_selector("input").unwrap().is_some(),
        "the widget vanished"
    );
    let Err(error) = mount(host.clone(), JsValue::NULL) else {
        panic!("a second mount into the same element was accepted")
    };
    let message: String = js_sys::Error::from(JsValue::from(error)).message().into();
    assert!(message.contains("already mounted"), "{message}");
    host.remove();
}

#[wasm_bindgen_test]
async fn web_otp_code_from_the_sms_is_filled_in_and_checked() {
    routes(&[SEND, APPROVE]);
    fake_web_otp();
    let w = Mounted::new("{}").with_code_sent().await;
    assert_eq!(otp_calls(), 1);
    assert!(otp_asked_for_sms());
    otp_deliver("482913");
    wait_for("Verified", || w.text("[role=status]").contains("Verified")).await;
    assert_eq!(w.input().value(), "482913");
    assert_eq!(request_count("/api/verification/check"), 1);
}

#[wasm_bindgen_test]
async fn web_otp_ask_is_withdrawn_by_a_manual_submit_and_by_destroy() {
    routes(&[SEND, APPROVE]);
    fake_web_otp();
    let w = Mounted::new("{}").with_code_sent().await;
    w.enter("123456");
    w.click(".cv-verify");
    wait_for("the ask to be withdrawn on submit", otp_withdrawn).await;
    wait_for("Verified", || w.text("[role=status]").contains("Verified")).await;
    assert!(
        w.text("[role=alert]").is_empty(),
        "no noise from the AbortError"
    );

    fake_web_otp();
    let mut w = Mounted::new("{}").with_code_sent().await;
    assert!(!otp_withdrawn());
    w.handle.destroy();
    wait_for("the ask to be withdrawn on destroy", otp_withdrawn).await;
}

#[wasm_bindgen_test]
async fn web_otp_can_be_turned_off() {
    routes(&[SEND]);
    fake_web_otp();
    let _w = Mounted::new(r#"{"web_otp":false}"#).with_code_sent().await;
    assert_eq!(otp_calls(), 0);
}

#[wasm_bindgen_test]
async fn the_drawn_slots_follow_the_code_and_the_servers_length() {
    routes(&[SEND]);
    let w = Mounted::new("{}").with_code_sent().await;
    let style = || w.input().get_attribute("style").unwrap_or_default();
    wait_for("six slots, caret in the first", || {
        style() == "--cv-n:6;--cv-i:0"
    })
    .await;
    w.enter("123");
    wait_for("caret in the fourth slot", || {
        style() == "--cv-n:6;--cv-i:3"
    })
    .await;
    w.enter("12");
    wait_for("back one slot after a deletion", || {
        style() == "--cv-n:6;--cv-i:2"
    })
    .await;
    w.enter("123456");
    wait_for("caret stays in the last slot", || {
        style() == "--cv-n:6;--cv-i:5"
    })
    .await;
}

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
    assert!(!w.get(".cv").has_attribute("data-expiring"));
    assert_eq!(
        w.get(".cv-timer").get_attribute("aria-live").as_deref(),
        Some("off")
    );
    // The clock's own ticks catch up with a jump (headless Chrome may space them out)...
    shift_clock(500_000.0);
    wait_for("the time left to follow the jump", || {
        let shown = w.text(".cv-timer time");
        shown.starts_with("1:") && shown != "1:00"
    })
    .await;
    assert!(!w.get(".cv").has_attribute("data-expiring"));
    advance_clock(40_000.0);
    // ...and a tab shown again re-reads it at once. The warning is said in words, once; the
    // seconds it names depend on how much real time the test took.
    wait_for("the warning", || {
        let said = w.text("[role=status]");
        said.starts_with("The code expires in ") && said.ends_with(" Need more time? Resend code.")
    })
    .await;
    assert!(w.get(".cv").has_attribute("data-expiring"));
    assert!(
        !w.get(".cv-send").has_attribute("disabled"),
        "a new code is one tap away"
    );
    advance_clock(60_000.0);
    wait_for("expiry", || w.text("[role=alert]").contains("expired")).await;
    assert!(w.input().disabled());
    assert!(w.get(".cv-verify").has_attribute("disabled"));
    assert_eq!(
        w.get(".cv").get_attribute("data-phase").as_deref(),
        Some("expired")
    );
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
    wait_for_text(&w, ".cv-send", "Resend code in 0:30").await;
    advance_clock(30_000.0);
    wait_for("resend allowed", || {
        !w.get(".cv-send").has_attribute("disabled")
    })
    .await;
    w.click(".cv-send");
    wait_for_text(&w, ".cv-send", "Resend code in 1:00").await;
    advance_clock(60_000.0);
    wait_for("resend allowed", || {
        !w.get(".cv-send").has_attribute("disabled")
    })
    .await;
    w.click(".cv-send");
    wait_for_text(&w, ".cv-send", "Resend code in 2:00").await;
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
    wait_for("resend allowed", || {
        !w.get(".cv-send").has_attribute("disabled")
    })
    .await;
    w.click(".cv-send");
    wait_for("the throttle alert", || {
        w.text("[role=alert]").contains("Try again in 0:42")
    })
    .await;
    assert_eq!(w.text(".cv-send"), "Resend code in 0:42");
    assert_eq!(request_count("/api/verification"), 2);
    assert!(!w.input().disabled(), "the code already sent still works");
    advance_clock(41_000.0);
    wait_for_text(&w, ".cv-send", "Resend code in 0:01").await;
    w.click(".cv-send");
    assert_eq!(
        request_count("/api/verification"),
        2,
        "nothing sent before the time"
    );
    advance_clock(1_000.0);
    wait_for("resend allowed", || {
        !w.get(".cv-send").has_attribute("disabled")
    })
    .await;
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
    wait_for_text(&w, ".cv-send", "Resend code in 0:20").await;
    drop(w);
    let again = Mounted::remount(config);
    wait_for("the resumed code", || !again.input().disabled()).await;
    wait_for_text(&again, ".cv-send", "Resend code in 0:20").await;
    assert_eq!(again.text(".cv-timer time"), "9:50");
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
    wait_for_text(&other, ".cv-send", "Send code").await;
}
