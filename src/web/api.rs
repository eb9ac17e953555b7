//! HTTP for the widget: send the request the adapter built through the browser's `fetch`, and hand
//! status, `Retry-After`, `Date` and body back for the adapter to classify. `fetch` is called
//! through web-sys rather than gloo-net: 2.1 KB gzip lighter (make package: 109.8 → 107.7 KB),
//! most of it the JS glue gloo-net's `send` needs to format a `JsValue` in a panic message. Redirects are never
//! followed (a code must not be re-sent to another origin), and a request that takes longer than
//! the adapter's `timeout` is aborted. Anything that prevents an answer is a failure the caller
//! turns into an alert that keeps the shopper's code.

use std::cell::Cell;
use std::rc::Rc;

use gloo_timers::callback::Timeout;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, Headers, Request, RequestInit, RequestRedirect, Response};

use crate::core::backend::adapter::HttpRequest;
use crate::core::backend::{Failure, HttpAnswer};

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

/// Sends `request`, giving up after `timeout_s` seconds.
pub async fn fetch(request: HttpRequest, timeout_s: u64) -> Result<Reply, Failure> {
    let controller = AbortController::new().map_err(|_| Failure::Network)?;
    let timed_out = Rc::new(Cell::new(false));
    let timer = {
        let (controller, timed_out) = (controller.clone(), timed_out.clone());
        let ms = u32::try_from(timeout_s.saturating_mul(1000)).unwrap_or(u32::MAX);
        Timeout::new(ms, move || {
            timed_out.set(true);
            controller.abort();
        })
    };
    let reply = exchange(request, &controller).await;
    drop(timer);
    reply.map_err(|_| {
        if timed_out.get() {
            Failure::Timeout
        } else {
            Failure::Network
        }
    })
}

/// The request on the wire; `Err` when no whole answer arrived.
async fn exchange(request: HttpRequest, controller: &AbortController) -> Result<Reply, ()> {
    let init = RequestInit::new();
    init.set_method(request.method);
    init.set_redirect(RequestRedirect::Error);
    init.set_signal(Some(&controller.signal()));
    let headers = Headers::new().map_err(|_| ())?;
    for (name, value) in &request.headers {
        headers.set(name, value).map_err(|_| ())?;
    }
    init.set_headers(&headers);
    if let Some(body) = &request.body {
        init.set_body(&JsValue::from_str(body));
    }
    let request = Request::new_with_str_and_init(&request.url, &init).map_err(|_| ())?;
    let window = web_sys::window().ok_or(())?;
    let response: Response = JsFuture::from(window.fetch_with_request(&request))
        .await
        .and_then(JsCast::dyn_into)
        .map_err(|_| ())?;
    let body = JsFuture::from(response.text().map_err(|_| ())?)
        .await
        .map_err(|_| ())?
        .as_string()
        .ok_or(())?;
    let headers = response.headers();
    Ok(Reply {
        status: response.status(),
        retry_after: headers.get("Retry-After").ok().flatten(),
        date: headers.get("Date").ok().flatten(),
        body,
    })
}
