//! HTTP for the widget: the request the adapter built goes out through gloo-net, and status,
//! `Retry-After`, `Date` and body come back for the adapter to classify. Redirects are never
//! followed (a code must not be re-sent to another origin), and a request that takes longer than
//! the adapter's `timeout` is aborted. Anything that prevents an answer is a failure the caller
//! turns into an alert that keeps the shopper's code.

use std::cell::Cell;
use std::rc::Rc;

use gloo_net::http::{Method, RequestBuilder};
use gloo_timers::callback::Timeout;
use web_sys::{AbortController, RequestRedirect};

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
    let method = match request.method {
        "PUT" => Method::PUT,
        "GET" => Method::GET,
        _ => Method::POST,
    };
    let signal = controller.signal();
    let mut builder = RequestBuilder::new(&request.url)
        .method(method)
        .redirect(RequestRedirect::Error)
        .abort_signal(Some(&signal));
    for (name, value) in &request.headers {
        builder = builder.header(name, value);
    }
    let request = match request.body {
        Some(body) => builder.body(body),
        None => builder.build(),
    }
    .map_err(|_| ())?;
    let response = request.send().await.map_err(|_| ())?;
    let headers = response.headers();
    Ok(Reply {
        status: response.status(),
        retry_after: headers.get("Retry-After"),
        date: headers.get("Date"),
        body: response.text().await.map_err(|_| ())?,
    })
}
