//! HTTP for the widget: POST a JSON body with gloo-net and hand status, `Retry-After` and body to
//! the core's classifiers. Anything that prevents an answer (offline, CORS, an aborted request)
//! is a network failure, and the caller keeps the shopper's code.

use gloo_net::http::Request;

use crate::core::json::Json;

/// An HTTP answer as the core's [`HttpAnswer`](crate::core::contract::HttpAnswer) wants it.
pub struct Reply {
    pub status: u16,
    pub retry_after: Option<String>,
    pub body: String,
}

impl Reply {
    pub fn answer(&self) -> crate::core::contract::HttpAnswer<'_> {
        crate::core::contract::HttpAnswer {
            status: self.status,
            retry_after: self.retry_after.as_deref(),
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
    let status = response.status();
    let retry_after = response.headers().get("Retry-After");
    let body = response.text().await.ok()?;
    Some(Reply {
        status,
        retry_after,
        body,
    })
}
