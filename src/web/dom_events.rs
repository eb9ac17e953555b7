//! Dispatches the core's [`Event`]s as `checkout-verify:<what>` DOM events on the host element,
//! bubbling and composed so they cross the shadow root and reach listeners anywhere above.

use wasm_bindgen::JsValue;
use web_sys::{CustomEvent, CustomEventInit, HtmlElement};

use crate::core::events::Event;
use crate::core::messages::Locale;

/// Dispatches `event` on `host` with its JSON detail, messages in `locale`, as a plain object.
pub fn dispatch(host: &HtmlElement, event: &Event, locale: &Locale) {
    let init = CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    let detail = js_sys::JSON::parse(&event.detail(locale).to_string()).unwrap_or(JsValue::NULL);
    init.set_detail(&detail);
    if let Ok(dom_event) = CustomEvent::new_with_event_init_dict(event.name(), &init) {
        // A listener that throws does not stop the widget; the browser reports it.
        let _ = host.dispatch_event(&dom_event);
    }
}
