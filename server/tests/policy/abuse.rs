//! Abuse limits: send budgets per client address, per network and overall (SMS pumping and
//! bombing), floods from many addresses that slow the flooders and not everyone, a bounded store,
//! and clone reports limited per client.

use std::net::IpAddr;

use axum::http::StatusCode;
use checkout_verify::core::backend::SendOutcome;
use checkout_verify_server::policy::{Policy, Rate};
use checkout_verify_server::reports::REPORTS_PER_CLIENT;
use checkout_verify_server::store::{MemoryStore, Store};
use serde_json::json;

use crate::harness::{settings, Call, Harness};

crate::on_every_store!(
    one_client_gets_its_budget_of_sends_then_waits,
    behind_a_trusted_proxy_each_shopper_has_their_own_budget,
    everyone_together_gets_the_overall_budget,
    a_flood_from_many_addresses_slows_the_flooders_not_everyone,
    a_flood_that_reaches_the_overall_cap_still_lets_a_quiet_shopper_through,
    the_addresses_of_one_ipv6_48_share_a_network_budget,
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
    let h = with_default_policy(h).reconfigure(|settings| {
        settings.policy.overall_sends = Rate {
            per_hour: 3_600,
            burst: 100,
        };
    });
    // 100 quiet clients, each of its own network, one send each: even the reserve kept for
    // quiet clients is spent, and the next quiet client is refused too. The cap holds.
    for n in 0..100 {
        let client = IpAddr::from([10, 0, n as u8, 1]);
        assert_eq!(
            send_from(&h, n, client).await.status,
            StatusCode::ACCEPTED,
            "send {n}"
        );
    }
    let late = IpAddr::from([10, 1, 0, 1]);
    let refused = send_from(&h, 100, late).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(refused.header("retry-after"), Some("1"));
    // The refused send cost the client nothing: it is still quiet, and a second later has the
    // one send that grew back.
    h.advance(1_000);
    assert_eq!(send_from(&h, 101, late).await.status, StatusCode::ACCEPTED);
}

/// `per` addresses in each of `networks` IPv4 /24s (100.64.N.1, 100.64.N.2, …, a carrier's
/// shared range) each ask for 10 codes at the same instant; the codes sent.
async fn flood<S: Store>(h: &Harness<S>, networks: u8, per: u8) -> usize {
    let mut sent = 0;
    let mut n = 1_000;
    for network in 0..networks {
        for host in 1..=per {
            let flooder = IpAddr::from([100, 64, network, host]);
            for _ in 0..10 {
                n += 1;
                if send_from(h, n, flooder).await.status == StatusCode::ACCEPTED {
                    sent += 1;
                }
            }
        }
    }
    sent
}

async fn a_flood_from_many_addresses_slows_the_flooders_not_everyone<S: Store>(h: Harness<S>) {
    let h = with_default_policy(h);
    // 30 addresses, ten in each of three networks, ask for ten codes each at once.
    let sent = flood(&h, 3, 10).await;
    let shopper = IpAddr::from([198, 51, 100, 77]);
    let reply = send_from(&h, 1, shopper).await;
    assert_eq!(
        reply.status,
        StatusCode::ACCEPTED,
        "a shopper of another network still gets a code: {}",
        reply.body
    );
    // Each network's budget (60 at once, 15 of them kept for quiet clients) held: in each, the
    // first four addresses had ten codes, the fifth five, the others one each.
    assert_eq!(sent, 3 * 50);
    let neighbour = IpAddr::from([100, 64, 0, 200]);
    assert_eq!(
        send_from(&h, 2, neighbour).await.status,
        StatusCode::ACCEPTED,
        "a quiet shopper of a flooding network still gets a code"
    );
    let flooder = IpAddr::from([100, 64, 0, 9]);
    let refused = send_from(&h, 3, flooder).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(refused.json()["type"], "urn:checkout-verify:rate-limited");
}

async fn a_flood_that_reaches_the_overall_cap_still_lets_a_quiet_shopper_through<S: Store>(
    h: Harness<S>,
) {
    // The former default cap, 300 at once: 30 addresses of as many networks asking for ten
    // codes each used all of it, and every other shopper was refused.
    let h = with_default_policy(h).reconfigure(|settings| {
        settings.policy.overall_sends = Rate {
            per_hour: 3_600,
            burst: 300,
        };
    });
    let sent = flood(&h, 30, 1).await;
    let shopper = IpAddr::from([198, 51, 100, 77]);
    let reply = send_from(&h, 1, shopper).await;
    assert_eq!(
        reply.status,
        StatusCode::ACCEPTED,
        "a quiet shopper still gets a code: {}",
        reply.body
    );
    // Clients that had sent lately stopped where 75 (a quarter) were left; quiet ones went on.
    assert_eq!(sent, 225 + 7);
    let flooder = IpAddr::from([100, 64, 29, 1]);
    let refused = send_from(&h, 2, flooder).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        refused.header("retry-after"),
        Some("9"),
        "until the reserve has grown back"
    );
}

async fn the_addresses_of_one_ipv6_48_share_a_network_budget<S: Store>(h: Harness<S>) {
    let h = with_default_policy(h);
    let mut sent = 0;
    for subnet in 0..7u16 {
        let flooder = IpAddr::from([0x2001, 0xdb8, 5, subnet, 0, 0, 0, 1]);
        for n in 0..10 {
            if send_from(&h, u32::from(subnet) * 10 + n, flooder)
                .await
                .status
                == StatusCode::ACCEPTED
            {
                sent += 1;
            }
        }
    }
    assert_eq!(
        sent,
        40 + 5 + 2,
        "seven /64s of one /48: one network's budget"
    );
    let other = IpAddr::from([0x2001, 0xdb8, 6, 0, 0, 0, 0, 1]);
    for n in 100..110 {
        assert_eq!(
            send_from(&h, n, other).await.status,
            StatusCode::ACCEPTED,
            "another /48 has its own"
        );
    }
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
    // One start holds five records: the client's, its network's and everyone's send budgets,
    // the number's record and the verification.
    let h = Harness::with(MemoryStore::with_capacity(5), settings());
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
