//! Abuse limits: send budgets per client address and overall (SMS pumping and bombing), a
//! bounded store, and clone reports limited per client.

use std::net::IpAddr;

use axum::http::StatusCode;
use checkout_verify::core::backend::SendOutcome;
use checkout_verify_server::policy::Policy;
use checkout_verify_server::reports::REPORTS_PER_CLIENT;
use checkout_verify_server::store::{MemoryStore, Store};
use serde_json::json;

use crate::harness::{settings, Call, Harness};

crate::on_every_store!(
    one_client_gets_its_budget_of_sends_then_waits,
    behind_a_trusted_proxy_each_shopper_has_their_own_budget,
    everyone_together_gets_the_overall_budget,
    clone_reports_are_limited_per_client,
);

/// A distinct valid number per `n`: +1 415 555 01nn style, spread over exchanges.
fn number(n: u32) -> String {
    format!("+1 415 {:03} {:04}", 200 + n / 10_000, n % 10_000)
}

/// The harness's store, under the default policy (the one a deployment gets).
fn with_default_policy<S: Store>(h: Harness<S>) -> Harness<S> {
    h.reconfigure(|settings| settings.policy = Policy::default())
}

async fn send_from(h: &Harness<impl Store>, n: u32, client: IpAddr) -> crate::harness::Reply {
    h.call(
        Call::new("POST", "/api/verification")
            .from(client)
            .json(json!({"destination": number(n), "channel": "sms"})),
    )
    .await
}

/// Sends through a proxy at `proxy` that forwards for `shopper` (and appends what it was told).
async fn send_via(
    h: &Harness<impl Store>,
    n: u32,
    proxy: IpAddr,
    forwarded_for: &str,
) -> crate::harness::Reply {
    h.call(
        Call::new("POST", "/api/verification")
            .from(proxy)
            .header("x-forwarded-for", forwarded_for)
            .json(json!({"destination": number(n), "channel": "sms"})),
    )
    .await
}

async fn behind_a_trusted_proxy_each_shopper_has_their_own_budget<S: Store>(h: Harness<S>) {
    let proxy = IpAddr::from([10, 0, 0, 2]);
    let h = with_default_policy(h).reconfigure(|settings| {
        settings.trusted_proxies = vec!["10.0.0.0/8".parse().expect("range")];
    });
    for n in 0..10 {
        let reply = send_via(&h, n, proxy, "198.51.100.7").await;
        assert_eq!(reply.status, StatusCode::ACCEPTED, "send {n}");
    }
    // The first shopper's budget is spent, also when they claim to be someone else: the proxy
    // appended their real address after what they wrote.
    assert_eq!(
        send_via(&h, 10, proxy, "198.51.100.7").await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    let spoofed = send_via(&h, 11, proxy, "203.0.113.50, 198.51.100.7").await;
    assert_eq!(spoofed.status, StatusCode::TOO_MANY_REQUESTS);
    // Another shopper behind the same proxy has a budget of their own.
    assert_eq!(
        send_via(&h, 12, proxy, "198.51.100.8").await.status,
        StatusCode::ACCEPTED
    );
    // A peer that is not a trusted proxy is believed about nothing: its own budget.
    let stranger = IpAddr::from([203, 0, 113, 9]);
    for n in 20..30 {
        assert_eq!(
            send_via(&h, n, stranger, "198.51.100.99").await.status,
            StatusCode::ACCEPTED
        );
    }
    let refused = send_via(&h, 30, stranger, "198.51.100.100").await;
    assert_eq!(
        refused.status,
        StatusCode::TOO_MANY_REQUESTS,
        "the header changed nothing"
    );
}

async fn one_client_gets_its_budget_of_sends_then_waits<S: Store>(h: Harness<S>) {
    let h = with_default_policy(h);
    let client = IpAddr::from([198, 51, 100, 7]);
    for n in 0..10 {
        assert_eq!(
            send_from(&h, n, client).await.status,
            StatusCode::ACCEPTED,
            "send {n}"
        );
    }
    let refused = send_from(&h, 10, client).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(refused.json()["type"], "urn:checkout-verify:rate-limited");
    assert_eq!(
        refused.header("retry-after"),
        Some("60"),
        "one send a minute on average"
    );
    assert_eq!(
        refused.send_outcome(),
        SendOutcome::RateLimited {
            retry_after_s: 60,
            sends_exhausted: false
        }
    );
    assert_eq!(
        h.backend.outbox.list().len(),
        10,
        "nothing sent when refused"
    );
    let other = IpAddr::from([198, 51, 100, 8]);
    assert_eq!(
        send_from(&h, 11, other).await.status,
        StatusCode::ACCEPTED,
        "per client"
    );
    h.advance(60_000);
    assert_eq!(
        send_from(&h, 12, client).await.status,
        StatusCode::ACCEPTED,
        "refilled"
    );
}

async fn everyone_together_gets_the_overall_budget<S: Store>(h: Harness<S>) {
    let h = with_default_policy(h);
    // 300 clients, one send each, drain the overall burst; the next client is refused too.
    for n in 0..300 {
        let client = IpAddr::from([203, 0, (n / 256) as u8, (n % 256) as u8]);
        assert_eq!(
            send_from(&h, n, client).await.status,
            StatusCode::ACCEPTED,
            "send {n}"
        );
    }
    let refused = send_from(&h, 300, IpAddr::from([203, 0, 113, 200])).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(refused.header("retry-after"), Some("1"));
}

async fn clone_reports_are_limited_per_client<S: Store>(h: Harness<S>) {
    let report = json!({
        "reasons": ["framed"],
        "host": "shop.example",
        "ancestors": ["https://evil.io"],
        "version": "0.1.0"
    })
    .to_string();
    let post = || Call::new("POST", "/api/clone-report").raw(report.clone());
    for _ in 0..REPORTS_PER_CLIENT {
        assert_eq!(h.call(post()).await.status, StatusCode::NO_CONTENT);
    }
    let refused = h.call(post()).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(refused.header("retry-after"), Some("60"));
    h.advance(60_000);
    assert_eq!(
        h.call(post()).await.status,
        StatusCode::NO_CONTENT,
        "a new window"
    );
}

#[tokio::test]
async fn a_full_store_refuses_new_verifications_but_finishes_started_ones() {
    // One start holds four records: the client's and everyone's send budgets, the number's
    // record and the verification.
    let h = Harness::with(MemoryStore::with_capacity(4), settings());
    let id = h.start().await;
    let full = h.send_to(&number(1)).await;
    assert_eq!(
        full.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        full.body
    );
    assert!(
        !full.body.contains("full"),
        "no internals in the answer: {}",
        full.body
    );
    let approved = h.check(&id, &h.last_code()).await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.body);
}
