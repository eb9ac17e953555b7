//! What every browser test shares: a scripted `fetch`, a controlled clock, a scripted WebOTP, and
//! a widget mounted into a fresh element of the test page, whose parts a test finds as a shopper
//! (or a screen reader) does: by role and accessible name, as the end-to-end tests do.

pub use checkout_verify::core::json::Json;
pub use checkout_verify::{mount, WidgetHandle};
pub use gloo_timers::future::TimeoutFuture;
pub use wasm_bindgen::prelude::*;
pub use wasm_bindgen_test::*;
pub use web_sys::{
    Element, HtmlAnchorElement, HtmlButtonElement, HtmlElement, HtmlFormElement, HtmlInputElement,
    ShadowRoot,
};

#[wasm_bindgen(inline_js = r#"
export function script_fetch(routes) {
  globalThis.__cvRequests = [];
  globalThis.fetch = async (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const path = new URL(request.url).pathname;
    globalThis.__cvRequests.push({ path, body: await request.text() });
    // A list of answers is given out in order, the last one repeating.
    globalThis.__cvLastRedirect = request.redirect;
    const answers = routes[path];
    const route = Array.isArray(answers) ? (answers.length > 1 ? answers.shift() : answers[0]) : answers;
    if (!route) throw new TypeError("Failed to fetch");
    // A server that never answers: only the request's own signal ends the wait.
    // As a real fetch does, a signal aborted before the call rejects at once.
    if (route.fault === "hang") {
      return new Promise((_, reject) => {
        const aborted = () => reject(new DOMException("aborted", "AbortError"));
        if (request.signal.aborted) aborted();
        else request.signal.addEventListener("abort", aborted);
      });
    }
    // A connection reset mid-answer.
    if (route.fault === "reset") throw new TypeError("Failed to fetch: connection reset");
    // A redirect, as fetch meets it: refused when the request says redirect "error".
    if (route.fault === "redirect") {
      if (request.redirect === "error") throw new TypeError("Failed to fetch: redirect");
      return new Response("", { status: 302, headers: { Location: "https://evil.example/steal" } });
    }
    return new Response(route.body, { status: route.status, headers: route.headers || {} });
  };
}
export function last_redirect_mode() { return String(globalThis.__cvLastRedirect); }
export function hurry_long_timers() {
  // The widget's request timeout is 15 s: let timers that long fire after 50 ms, as a test clock.
  // Not at once: an answer that settles at once must still settle before its timeout, as it
  // does in real time.
  if (!globalThis.__cvRealSetTimeout) globalThis.__cvRealSetTimeout = globalThis.setTimeout;
  const real = globalThis.__cvRealSetTimeout;
  globalThis.setTimeout = (fn, ms, ...rest) => real(fn, ms >= 15000 ? 50 : ms, ...rest);
}
export function restore_timers() {
  if (globalThis.__cvRealSetTimeout) globalThis.setTimeout = globalThis.__cvRealSetTimeout;
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
export function record_beacons() {
  globalThis.__cvBeacons = [];
  navigator.sendBeacon = (url, body) => {
    globalThis.__cvBeacons.push({ url, body: String(body) });
    return true;
  };
}
export function beacons() { return JSON.stringify(globalThis.__cvBeacons || []); }
export function record_warnings() {
  globalThis.__cvWarnings = [];
  console.warn = (...args) => globalThis.__cvWarnings.push(args.join(" "));
}
export function warnings() { return JSON.stringify(globalThis.__cvWarnings || []); }
export function listen(target, name) {
  const seen = [];
  target.addEventListener(name, (e) => seen.push({ detail: e.detail, bubbles: e.bubbles, composed: e.composed }));
  return () => JSON.stringify(seen);
}
"#)]
extern "C" {
    pub fn script_fetch(routes: JsValue);
    pub fn script_fetch_in_order(path: &str, answers: JsValue);
    pub fn control_clock();
    pub fn advance_clock(ms: f64);
    pub fn shift_clock(ms: f64);
    pub fn request_count(path: &str) -> u32;
    pub fn fake_web_otp();
    pub fn otp_calls() -> u32;
    pub fn otp_asked_for_sms() -> bool;
    pub fn otp_withdrawn() -> bool;
    pub fn otp_deliver(code: &str);
    pub fn listen(target: &JsValue, name: &str) -> js_sys::Function;
    pub fn record_beacons();
    pub fn last_redirect_mode() -> String;
    pub fn hurry_long_timers();
    pub fn restore_timers();
    pub fn beacons() -> String;
    pub fn record_warnings();
    pub fn warnings() -> String;
}

pub const SENT: &str = r#"{"verification_id":"vrf_1","expires_in":600,"resend_in":30,"sends_remaining":4,"code_length":6,"destination_hint":"+• ••• ••• 0123"}"#;

/// The send endpoint accepting a send.
pub const SEND: (&str, u16, &str) = ("/api/verification", 202, SENT);
/// The verify endpoint approving any code.
pub const APPROVE: (&str, u16, &str) = (
    "/api/verification/check",
    200,
    r#"{"status":"approved","token":"cvt_1"}"#,
);

/// Routes the scripted fetch answers: path → (status, body). Paths left out fail like a dropped
/// connection.
pub fn routes(entries: &[(&str, u16, &str)]) {
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
pub struct Mounted {
    pub host: HtmlElement,
    pub handle: WidgetHandle,
}

impl Mounted {
    pub fn new(config: &str) -> Self {
        // Each test starts as a fresh tab: no verification left over from the one before.
        let window = web_sys::window().unwrap();
        window.session_storage().unwrap().unwrap().clear().unwrap();
        Self::remount(config)
    }

    /// A widget mounted as after a reload: whatever the tab's storage holds is kept.
    pub fn remount(config: &str) -> Self {
        let document = web_sys::window().unwrap().document().unwrap();
        let host: HtmlElement = document.create_element("div").unwrap().unchecked_into();
        document.body().unwrap().append_child(&host).unwrap();
        let config = js_sys::JSON::parse(config).unwrap();
        // The test page is served over plain http on 127.0.0.1: a development page, unless the
        // test says otherwise.
        let development = JsValue::from_str("development");
        if !js_sys::Reflect::has(&config, &development).unwrap_or(false) {
            let _ = js_sys::Reflect::set(&config, &development, &JsValue::TRUE);
        }
        let handle = mount(host.clone(), config).unwrap_or_else(|_| panic!("mount failed"));
        Self { host, handle }
    }

    pub fn root(&self) -> ShadowRoot {
        self.host.shadow_root().expect("open shadow root")
    }

    /// Elements of the shadow root matching `selector` that a shopper can reach (none `hidden`).
    fn shown(&self, selector: &str) -> Vec<Element> {
        let all = self.root().query_selector_all(selector).unwrap();
        (0..all.length())
            .filter_map(|i| all.get(i))
            .map(|node| node.unchecked_into::<Element>())
            .filter(|element| element.closest("[hidden]").unwrap().is_none())
            .collect()
    }

    /// The names of the buttons a shopper can reach, in order.
    pub fn button_names(&self) -> Vec<String> {
        self.shown("button").iter().map(name).collect()
    }

    /// The button named `name` (its accessible name, exactly), if a shopper can reach one.
    pub fn find_button(&self, name: &str) -> Option<HtmlButtonElement> {
        let named = |element: &Element| self::name(element) == name;
        self.shown("button")
            .into_iter()
            .find(named)
            .map(JsCast::unchecked_into)
    }

    /// The button named `name`; fails listing the buttons there are.
    pub fn button(&self, name: &str) -> HtmlButtonElement {
        self.find_button(name).unwrap_or_else(|| {
            panic!(
                "no button named {name:?}; the buttons are {:?}",
                self.button_names()
            )
        })
    }

    /// Whether a button named `name` is there and enabled.
    pub fn can_press(&self, name: &str) -> bool {
        self.find_button(name)
            .is_some_and(|button| !button.disabled())
    }

    /// Presses the button named `name` (a disabled one ignores it, as it does a shopper).
    pub fn press(&self, name: &str) {
        self.button(name).click();
    }

    /// The code field: the text box its label names "Verification code", once rendered.
    pub fn find_field(&self) -> Option<HtmlInputElement> {
        self.shown("input")
            .into_iter()
            .map(JsCast::unchecked_into::<HtmlInputElement>)
            .find(|input| {
                let Some(labels) = input.labels() else {
                    return false;
                };
                (0..labels.length())
                    .filter_map(|i| labels.get(i))
                    .any(|label| name(&label.unchecked_into()) == "Verification code")
            })
    }

    /// The code field; fails when there is none.
    pub fn input(&self) -> HtmlInputElement {
        self.find_field()
            .expect("a text box named Verification code")
    }

    /// The names of the links a shopper can reach.
    pub fn link_names(&self) -> Vec<String> {
        self.shown("a").iter().map(name).collect()
    }

    /// The link named `name`.
    pub fn link(&self, name: &str) -> HtmlAnchorElement {
        let named = |element: &Element| self::name(element) == name;
        self.shown("a")
            .into_iter()
            .find(named)
            .map(JsCast::unchecked_into)
            .unwrap_or_else(|| panic!("no link named {name:?}"))
    }

    /// The text of the `status` live region (what a screen reader says politely).
    pub fn status(&self) -> String {
        self.live_region("status")
    }

    /// The text of the `alert` live region.
    pub fn alert(&self) -> String {
        self.live_region("alert")
    }

    fn live_region(&self, role: &str) -> String {
        let region = self.shown(&format!("[role={role}]"));
        assert_eq!(region.len(), 1, "one {role} region");
        region[0].text_content().unwrap_or_default()
    }

    /// The time left as the visible timer shows it (its `<time>`, `m:ss`), part of the field's
    /// description.
    pub fn time_left(&self) -> String {
        self.root()
            .query_selector("time")
            .unwrap()
            .and_then(|time| time.text_content())
            .unwrap_or_default()
    }

    /// The field's accessible description: the text of every element its `aria-describedby`
    /// names, as a screen reader reads it on focus.
    pub fn description(&self) -> Vec<Element> {
        let ids = self
            .input()
            .get_attribute("aria-describedby")
            .unwrap_or_default();
        ids.split(' ')
            .map(|id| {
                self.root()
                    .get_element_by_id(id)
                    .unwrap_or_else(|| panic!("aria-describedby names missing #{id}"))
            })
            .collect()
    }

    /// The widget's `data-phase`, the page's styling hook.
    pub fn phase(&self) -> String {
        self.root_element()
            .get_attribute("data-phase")
            .unwrap_or_default()
    }

    /// Whether the widget is in the code's last `warn_before` seconds (`data-expiring`).
    pub fn expiring(&self) -> bool {
        self.root_element().has_attribute("data-expiring")
    }

    fn root_element(&self) -> Element {
        self.root()
            .query_selector("[data-phase]")
            .unwrap()
            .expect("the widget's root")
    }

    /// Puts `text` in the field as the browser does for typing, paste or autofill.
    pub fn enter(&self, text: &str) {
        let input = self.input();
        input.set_value(text);
        let event = web_sys::InputEvent::new("input").unwrap();
        input.dispatch_event(&event).unwrap();
    }

    /// Pastes `text` as the clipboard would, line breaks included.
    pub fn paste(&self, text: &str) {
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
    pub async fn with_code_sent(self) -> Self {
        self.press("Send code");
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

/// An element's accessible name as its text gives it (the widget's buttons, links and labels
/// have no `aria-label`): its text with white space collapsed.
pub fn name(element: &Element) -> String {
    let text = element.text_content().unwrap_or_default();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Waits until a button named `name` is there; on a timeout, says which buttons there are.
pub async fn wait_for_button(w: &Mounted, name: &str) {
    for _ in 0..500 {
        if w.find_button(name).is_some() {
            return;
        }
        TimeoutFuture::new(10).await;
    }
    panic!(
        "no button named {name:?}; the buttons are {:?}",
        w.button_names()
    );
}

/// Waits until `condition` holds, checking every few milliseconds; fails after five seconds.
pub async fn wait_for(what: &str, condition: impl Fn() -> bool) {
    for _ in 0..500 {
        if condition() {
            return;
        }
        TimeoutFuture::new(10).await;
    }
    panic!("timed out waiting for {what}");
}
