//! Origins: pages may send and check codes only from the allowed origins or the server's own;
//! CORS answers those origins only; `/dev/*` answers only loopback host names.

use axum::http::StatusCode;
use checkout_verify_server::store::Store;
use serde_json::json;

use crate::harness::{Call, Harness, LOCAL};

crate::on_every_store!(
    a_page_on_another_origin_cannot_send_or_check,
    an_allowed_origin_may_call_and_read_the_waits,
    a_preflight_is_answered_for_allowed_origins_only,
    dev_routes_answer_only_loopback_host_names,
);

fn send() -> Call {
    Call::new("POST", "/api/verification")
        .json(json!({"destination": "+1 415 555 4567", "channel": "sms"}))
}

async fn a_page_on_another_origin_cannot_send_or_check<S: Store>(h: Harness<S>) {
    for (origin, site) in [
        (Some("https://shop-example.evil.test"), Some("cross-site")),
        (Some("https://shop.example.evil.test"), None),
        (Some("null"), Some("cross-site")),
        (None, Some("cross-site")),
        (Some("http://shop.example"), Some("cross-site")),
    ] {
        let mut call = send();
        if let Some(origin) = origin {
            call = call.header("origin", origin);
        }
        if let Some(site) = site {
            call = call.header("sec-fetch-site", site);
        }
        let reply = h.call(call).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{origin:?} {site:?}");
        assert_eq!(
            reply.json()["type"],
            "urn:checkout-verify:origin-not-allowed"
        );
        assert_eq!(reply.header("access-control-allow-origin"), None);
    }
    let check = Call::new("POST", "/api/verification/check")
        .header("origin", "https://evil.test")
        .json(json!({"verification_id": "vrf_x", "code": "123456"}));
    assert_eq!(h.call(check).await.status, StatusCode::FORBIDDEN);
    assert!(h.backend.outbox.list().is_empty(), "nothing was sent");
}

async fn an_allowed_origin_may_call_and_read_the_waits<S: Store>(h: Harness<S>) {
    let reply = h
        .call(
            send()
                .header("origin", "https://shop.example")
                .header("sec-fetch-site", "same-site"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::ACCEPTED, "{}", reply.body);
    assert_eq!(
        reply.header("access-control-allow-origin"),
        Some("https://shop.example")
    );
    let exposed = reply
        .header("access-control-expose-headers")
        .unwrap_or_default()
        .to_ascii_lowercase();
    assert!(
        exposed.contains("retry-after") && exposed.contains("date"),
        "{exposed}"
    );
    let own = h
        .call(
            send()
                .header("host", "127.0.0.1:8080")
                .header("origin", "http://127.0.0.1:8080")
                .header("sec-fetch-site", "same-origin"),
        )
        .await;
    assert_eq!(
        own.status,
        StatusCode::ACCEPTED,
        "the server's own pages (dev: loopback)"
    );
    let rebound = h
        .call(
            send()
                .header("host", "evil.test:8080")
                .header("origin", "http://evil.test:8080")
                .header("sec-fetch-site", "same-origin"),
        )
        .await;
    assert_eq!(
        rebound.status,
        StatusCode::FORBIDDEN,
        "a name re-pointed at the server"
    );
}

async fn a_preflight_is_answered_for_allowed_origins_only<S: Store>(h: Harness<S>) {
    let preflight = |origin: &str| {
        Call::new("OPTIONS", "/api/verification")
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type")
    };
    let allowed = h.call(preflight("https://shop.example")).await;
    assert!(allowed.status.is_success(), "{:?}", allowed.status);
    assert_eq!(
        allowed.header("access-control-allow-origin"),
        Some("https://shop.example")
    );
    assert!(allowed
        .header("access-control-allow-methods")
        .unwrap_or_default()
        .contains("POST"));
    let foreign = h.call(preflight("https://evil.test")).await;
    assert_eq!(foreign.header("access-control-allow-origin"), None);
}

async fn dev_routes_answer_only_loopback_host_names<S: Store>(h: Harness<S>) {
    h.start().await;
    for host in ["127.0.0.1:8080", "localhost", "[::1]:9000"] {
        let reply = h
            .call(
                Call::new("GET", "/dev/outbox")
                    .header("host", host)
                    .from(LOCAL),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{host}");
    }
    for host in ["shop.example", "evil.test:8080", "127.0.0.1.evil.test"] {
        let reply = h
            .call(
                Call::new("GET", "/dev/outbox")
                    .header("host", host)
                    .from(LOCAL),
            )
            .await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{host}");
        assert!(!reply.body.contains("#"), "no message leaks");
    }
    // A proxy that rewrites Host to a loopback name: the peer is a stranger, and gets nothing.
    for stranger in ["203.0.113.9", "2001:db8::1"] {
        let reply = h
            .call(
                Call::new("GET", "/dev/outbox")
                    .header("host", "localhost")
                    .from(stranger.parse().expect("ip")),
            )
            .await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{stranger}");
    }
    // Behind a proxy on this machine, the client it forwards for is who asks.
    let h = h.reconfigure(|settings| {
        settings.trusted_proxies = vec!["127.0.0.1".parse().expect("address")]
    });
    let forwarded = |client: &'static str| {
        Call::new("GET", "/dev/outbox")
            .header("host", "localhost")
            .header("x-forwarded-for", client)
            .from(LOCAL)
    };
    assert_eq!(
        h.call(forwarded("203.0.113.9")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(h.call(forwarded("127.0.0.1")).await.status, StatusCode::OK);
}
