//! What the browser says about the page: its address and frames for the core's gate, the
//! `<meta>` contents and cookies an adapter's templates name (CSRF tokens), and the one beacon a
//! refused page sends to the genuine store.

use wasm_bindgen::prelude::*;

use crate::core::backend::template;
use crate::core::guard::report::CloneReport;
use crate::core::guard::Page;
use crate::core::json::Json;

#[wasm_bindgen(inline_js = r#"
export function page_facts() {
  const here = window.location;
  const origins = here.ancestorOrigins;
  let framed = true;
  try { framed = window.top !== window.self; } catch (_) {}
  return JSON.stringify({
    scheme: here.protocol.replace(":", ""),
    host: here.hostname,
    port: here.port,
    secure: window.isSecureContext === true,
    framed,
    ancestors: origins ? Array.from(origins) : null,
  });
}
export function meta_content(name) {
  for (const meta of document.getElementsByTagName("meta")) {
    if (meta.name === name) return meta.content;
  }
}
"#)]
extern "C" {
    /// `location`, `isSecureContext`, `window.top !== window.self` and
    /// `location.ancestorOrigins`, as JSON.
    fn page_facts() -> String;

    /// The `content` of the page's first `<meta name=…>` with this name, if any.
    fn meta_content(name: &str) -> Option<String>;
}

/// The page this widget runs on, as the gate reads it.
pub fn current() -> Page {
    Page::from_json(&Json::parse(&page_facts()).unwrap_or(Json::Null))
}

/// What the page says for a template's `meta.NAME` (a `<meta name>`'s content) or
/// `cookie.NAME`, read when a request is built: a CSRF token may be renewed while the shopper
/// waits.
pub fn value(kind: &str, name: &str) -> Option<String> {
    if kind == "meta" {
        return meta_content(name);
    }
    let header = web_sys::window()?
        .document()?
        .dyn_into::<web_sys::HtmlDocument>()
        .ok()?
        .cookie()
        .ok()?;
    template::cookie(&header, name)
}

/// Sends `report` to `url` with `navigator.sendBeacon`: a `text/plain` body needs no CORS
/// preflight, and the browser delivers it even as the shopper leaves.
pub fn send_report(url: &str, report: &CloneReport) {
    if let Some(window) = web_sys::window() {
        let body = report.to_json().to_string();
        // The browser may refuse to queue it (a quota); the shopper is warned either way.
        let _ = window
            .navigator()
            .send_beacon_with_opt_str(url, Some(&body));
    }
}
