//! HTTP for the widget: POST a JSON body through gloo-net's `fetch` and hand status,
//! `Retry-After`, `Date` and body to the core's classifiers. Anything that prevents an answer
//! (offline, CORS, an aborted request) is a network failure, and the caller keeps the shopper's
//! code.

use gloo_net::http::Request;

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
    let response = Request::post(url)
        .header("Content-Type", "application/json")
        .header("Accept", "application/json, application/problem+json")
        .body(body.to_string())
        .ok()?
        .send()
        .await
        .ok()?;
    let headers = response.headers();
    Some(Reply {
        status: response.status(),
        retry_after: headers.get("Retry-After"),
        date: headers.get("Date"),
        body: response.text().await.ok()?,
    })
}
