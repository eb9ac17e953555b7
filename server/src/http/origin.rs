//! Who may call what. Pages may send and check codes only from the exact origins the store
//! allows (`--allow-origin`), or from the server's own origin; CORS opens those routes to
//! exactly those origins. Redemption is server to server: a browser never calls it. `/dev/*`
//! answers only requests addressed to this machine by a loopback name.
//!
//! The checks read `Origin` and `Sec-Fetch-Site`, which browsers set and pages cannot: they
//! stop a page elsewhere from using a shopper's browser against the API. A program that is not a
//! browser sends neither and may call the API as any HTTP client can; the origin-bound line and
//! the send budgets, not these headers, stand against it.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::header::{CONTENT_TYPE, DATE, HOST, ORIGIN, RETRY_AFTER};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower_http::cors::{AllowOrigin, CorsLayer};

use checkout_verify::core::url::host::is_loopback;

use super::client::client;
use crate::error::ApiError;
use crate::operations::Operations;

/// The header browsers add to say how the requesting page relates to the target.
const SEC_FETCH_SITE: &str = "sec-fetch-site";

/// Whether a request to send or check a code may go on. A browser's only from an allowed origin,
/// or from the server's own: its `Origin` is the scheme and `Host` of the request (or it says
/// `Sec-Fetch-Site: same-origin`) and that host is the server's (`is_own_host`), which stops a
/// page whose name was re-pointed at the server (DNS rebinding). A request with neither `Origin`
/// nor `Sec-Fetch-Site` is not a browser's.
pub fn browser_may_call(
    headers: &HeaderMap,
    allowed: &[String],
    is_own_host: impl Fn(&str) -> bool,
) -> bool {
    let text = |name| {
        headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
    };
    let host = text(HOST.as_str());
    let own = || host.is_some_and(&is_own_host);
    match (text(ORIGIN.as_str()), text(SEC_FETCH_SITE)) {
        (Some(origin), _) if allowed.iter().any(|a| a == origin) => true,
        (Some(origin), site) => {
            site.is_none_or(|site| site == "same-origin")
                && own()
                && host.is_some_and(|host| {
                    origin.strip_prefix("https://") == Some(host)
                        || origin.strip_prefix("http://") == Some(host)
                })
        }
        (None, Some("same-origin")) => own(),
        (None, Some(_)) => false,
        (None, None) => true,
    }
}

/// Middleware: refuses send and check requests from pages on origins not allowed.
pub async fn allowed_pages_only<S, C>(
    State(backend): State<Arc<Operations<S, C>>>,
    request: Request,
    next: Next,
) -> Response {
    let settings = &backend.settings;
    let is_own_host = |host: &str| {
        host_name(host).eq_ignore_ascii_case(&settings.public_host)
            || (settings.dev && is_loopback_host(host))
    };
    if request.method() == Method::POST
        && !browser_may_call(request.headers(), &settings.allow_origins, is_own_host)
    {
        return ApiError::OriginNotAllowed.into_response();
    }
    next.run(request).await
}

/// Middleware: refuses any request a browser makes (redemption is server to server).
pub async fn servers_only(request: Request, next: Next) -> Response {
    let headers = request.headers();
    if headers.contains_key(ORIGIN) || headers.contains_key(SEC_FETCH_SITE) {
        return ApiError::OriginNotAllowed.into_response();
    }
    next.run(request).await
}

/// Middleware: `404` unless the request comes from this machine and is addressed to a loopback
/// name (`/dev/*`). The client is what counts, after trusted proxies: a proxy that rewrites
/// `Host` to `localhost` must not expose the outbox to the internet.
pub async fn loopback_only<S, C>(
    State(backend): State<Arc<Operations<S, C>>>,
    request: Request,
    next: Next,
) -> Response {
    let host = request
        .headers()
        .get(HOST)
        .and_then(|v| v.to_str().ok())
        .or_else(|| request.uri().host());
    // The client after trusted proxies: a proxy on this machine speaks for strangers.
    let client = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| {
            client(
                info.0.ip(),
                request.headers(),
                &backend.settings.trusted_proxies,
            )
        });
    let local_client = client.is_none_or(|ip| ip.is_loopback());
    if !local_client || !host.is_some_and(is_loopback_host) {
        return StatusCode::NOT_FOUND.into_response();
    }
    next.run(request).await
}

/// The name in a `Host` header, without its port (`[::1]:8080` is `[::1]`).
fn host_name(host: &str) -> &str {
    match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) && !name.ends_with(':') => {
            name
        }
        _ => host,
    }
}

/// Whether `host` (a `Host` header, port included or not) names this machine.
fn is_loopback_host(host: &str) -> bool {
    is_loopback(&host_name(host).to_ascii_lowercase())
}

/// CORS for the send and check routes: the allowed origins only, `POST` with a JSON body, and
/// `Retry-After` and `Date` readable by the page (the widget measures waits with them).
pub fn cors(allowed: &[String]) -> CorsLayer {
    let origins: Vec<HeaderValue> = allowed
        .iter()
        .filter_map(|o| HeaderValue::from_str(o).ok())
        .collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([Method::POST])
        .allow_headers([CONTENT_TYPE])
        .expose_headers([RETRY_AFTER, DATE])
        .max_age(Duration::from_secs(600))
}

/// An `--allow-origin` value in the form browsers send: lower-case scheme and host, no default
/// port, no path. `None` when it is not an `http(s)` origin.
pub fn normalise_origin(text: &str) -> Option<String> {
    let text = text.trim().trim_end_matches('/').to_ascii_lowercase();
    let (scheme, rest) = text.split_once("://")?;
    let default_port = match scheme {
        "https" => ":443",
        "http" => ":80",
        _ => return None,
    };
    if rest.is_empty() || rest.contains(['/', '?', '#', '@']) {
        return None;
    }
    let host = rest.strip_suffix(default_port).unwrap_or(rest);
    let (name, port) = match host.rsplit_once(':') {
        Some((name, port)) if !name.ends_with(':') && !port.contains(']') => (name, Some(port)),
        _ => (host, None),
    };
    if port.is_some_and(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    if checkout_verify::core::url::host::canonical(name).as_deref() != Some(name) {
        return None;
    }
    Some(format!("{scheme}://{host}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn pages_may_call_from_allowed_origins_or_their_own() {
        let allowed = vec!["https://shop.example".to_string()];
        let own = |host: &str| host == "verify.shop.example" || host.starts_with("127.0.0.1:");
        let may = |pairs: &[(&'static str, &'static str)]| {
            browser_may_call(&headers(pairs), &allowed, own)
        };
        assert!(may(&[("origin", "https://shop.example")]));
        assert!(may(&[
            ("origin", "https://shop.example"),
            ("sec-fetch-site", "same-site")
        ]));
        assert!(may(&[
            ("host", "127.0.0.1:8080"),
            ("origin", "http://127.0.0.1:8080")
        ]));
        assert!(may(&[
            ("host", "verify.shop.example"),
            ("sec-fetch-site", "same-origin")
        ]));
        assert!(may(&[]), "not a browser");
        assert!(!may(&[("origin", "https://shop.example.evil.test")]));
        assert!(!may(&[("origin", "null")]));
        assert!(!may(&[("sec-fetch-site", "cross-site")]));
        assert!(!may(&[
            ("origin", "https://evil.test"),
            ("sec-fetch-site", "cross-site")
        ]));
        assert!(!may(&[
            ("host", "127.0.0.1:8080"),
            ("origin", "http://127.0.0.1:9090")
        ]));
        // A name re-pointed at the server: same-origin to the browser, not the server's host.
        assert!(!may(&[
            ("host", "evil.test:8080"),
            ("origin", "http://evil.test:8080"),
            ("sec-fetch-site", "same-origin")
        ]));
        assert!(!may(&[
            ("host", "evil.test"),
            ("sec-fetch-site", "same-origin")
        ]));
    }

    #[test]
    fn loopback_hosts_with_or_without_a_port() {
        for host in [
            "localhost",
            "localhost:8080",
            "127.0.0.1",
            "127.0.0.1:80",
            "[::1]:8080",
            "[::1]",
        ] {
            assert!(is_loopback_host(host), "{host}");
        }
        for host in [
            "shop.example",
            "shop.example:8080",
            "127.0.0.1.evil.example",
            "10.0.0.1",
        ] {
            assert!(!is_loopback_host(host), "{host}");
        }
        assert_eq!(host_name("Shop.Example:443"), "Shop.Example");
    }

    #[test]
    fn origins_are_written_as_browsers_send_them() {
        assert_eq!(
            normalise_origin("https://Shop.Example/").as_deref(),
            Some("https://shop.example")
        );
        assert_eq!(
            normalise_origin("https://shop.example:443").as_deref(),
            Some("https://shop.example")
        );
        assert_eq!(
            normalise_origin("http://127.0.0.1:8080").as_deref(),
            Some("http://127.0.0.1:8080")
        );
        assert_eq!(
            normalise_origin("http://[::1]:8080").as_deref(),
            Some("http://[::1]:8080")
        );
        for bad in [
            "shop.example",
            "ftp://shop.example",
            "https://shop.example/checkout",
            "https://",
            "https://a b",
            "https://shop.example:x",
        ] {
            assert_eq!(normalise_origin(bad), None, "{bad}");
        }
    }
}
