//! HTTP for the widget: POST a JSON body with the browser's `fetch` and hand status,
//! `Retry-After`, `Date` and body to the core's classifiers. Anything that prevents an answer
//! (offline, CORS, an aborted request) is a network failure, and the caller keeps the shopper's
//! code.
//!
//! Through web-sys rather than gloo-net: the wrapper cost 2 KB of the package's 90 KB budget.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, RequestInit, Response};

use crate::core::backend::HttpAnswer;
use crate::core::json::Json;

/// An HTTP answer as the core's [`HttpAnswer`] wants it.
pub struct Reply {
    status: u16,
    retry_after: Option<String>,
    date: Option<String>,
    body: String,
}

impl Reply {
    /// The answer for the core, as received at `received_at_ms` by the page's clock.
    pub fn answer(&self, received_at_ms: u64) -> HttpAnswer<'_> {
        HttpAnswer {
            status: self.status,
            retry_after: self.retry_after.as_deref(),
            date: self.date.as_deref(),
            received_at_ms,
            body: &self.body,
        }
    }
}

/// POSTs `body` as JSON to `url`. `None` when no answer arrived.
pub async fn post_json(url: &str, body: Json) -> Option<Reply> {
    let headers = Headers::new().ok()?;
    headers.set("Content-Type", "application/json").ok()?;
    headers
        .set("Accept", "application/json, application/problem+json")
        .ok()?;
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_headers(&headers);
    init.set_body(&JsValue::from(body.to_string()));
    let sent = web_sys::window()?.fetch_with_str_and_init(url, &init);
    let response: Response = JsFuture::from(sent).await.ok()?.dyn_into().ok()?;
    let headers = response.headers();
    let header = |name| headers.get(name).ok().flatten();
    Some(Reply {
        status: response.status(),
        retry_after: header("Retry-After"),
        date: header("Date"),
        body: JsFuture::from(response.text().ok()?)
            .await
            .ok()?
            .as_string()?,
    })
}
