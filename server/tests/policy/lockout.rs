//! Wrong codes lock out whoever entered them, not the number's owner: a stranger who burns its
//! wrong codes on a number is locked out of it for a day, while the owner, from their own
//! address, gets and verifies a code after a short wait. Only wrong codes in a row from many
//! addresses, at NIST SP 800-63B's ceiling of 100, lock the number for everyone.

use std::net::IpAddr;

use axum::http::StatusCode;
use checkout_verify::core::backend::CheckOutcome;
use checkout_verify_server::store::Store;
use serde_json::json;

use crate::harness::{wrong, Call, Harness, Reply, REDEEM_KEY};

crate::on_every_store!(
    a_stranger_cannot_lock_the_owner_out,
    the_owners_right_code_starts_the_count_over,
    strangers_at_many_addresses_make_the_number_wait_then_lock_it_at_the_ceiling,
);

/// The owner's number, as they type it.
const NUMBER: &str = "+1 415 555 4567";

/// The owner's address.
const OWNER: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(198, 51, 100, 20));

/// The address of stranger `n`, each on a network of its own.
fn stranger(n: u8) -> IpAddr {
    IpAddr::from([203, 0, n, 66])
}

/// The owner starts a verification and checks its right code at once: the number makes it wait
/// `wait_s`, the code staying valid. Gives the verification and its code.
async fn owner_must_wait(h: &Harness<impl Store>, wait_s: u64) -> (String, String) {
    let (id, code) = start_from(h, OWNER).await;
    let early = check_from(h, OWNER, &id, &code).await;
    assert_eq!(
        early.status,
        StatusCode::TOO_MANY_REQUESTS,
        "{}",
        early.body
    );
    assert_eq!(
        early.header("retry-after"),
        Some(wait_s.to_string().as_str()),
        "{}",
        early.body
    );
    assert_eq!(
        early.check_outcome(),
        CheckOutcome::RateLimited {
            retry_after_s: wait_s
        },
        "the code stays valid"
    );
    (id, code)
}

async fn send_from(h: &Harness<impl Store>, client: IpAddr) -> Reply {
    h.call(
        Call::new("POST", "/api/verification")
            .from(client)
            .json(json!({"destination": NUMBER, "channel": "sms"})),
    )
    .await
}

async fn check_from(h: &Harness<impl Store>, client: IpAddr, id: &str, code: &str) -> Reply {
    h.call(
        Call::new("POST", "/api/verification/check")
            .from(client)
            .json(json!({"verification_id": id, "code": code})),
    )
    .await
}

/// A verification for [`NUMBER`] started from `client`: its id and code.
async fn start_from(h: &Harness<impl Store>, client: IpAddr) -> (String, String) {
    let reply = send_from(h, client).await;
    assert_eq!(reply.status, StatusCode::ACCEPTED, "{}", reply.body);
    let id = reply.json()["verification_id"]
        .as_str()
        .expect("id")
        .to_string();
    (id, h.last_code())
}

/// `client` spends its 20 wrong codes on [`NUMBER`], five on each of four verifications it
/// starts; the answer to the last.
async fn burn_wrong_codes(h: &Harness<impl Store>, client: IpAddr) -> Reply {
    let mut last = None;
    for _ in 0..4 {
        let (id, code) = start_from(h, client).await;
        for _ in 0..5 {
            last = Some(check_from(h, client, &id, &wrong(&code)).await);
        }
    }
    last.expect("checked")
}

async fn a_stranger_cannot_lock_the_owner_out<S: Store>(h: Harness<S>) {
    let locked = burn_wrong_codes(&h, stranger(0)).await;
    assert_eq!(locked.status, StatusCode::GONE);
    assert_eq!(
        locked.check_outcome(),
        CheckOutcome::Locked {
            retry_after_s: Some(86_400)
        },
        "the stranger is locked out for a day"
    );
    let refused = send_from(&h, stranger(0)).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(refused.json()["type"], "urn:checkout-verify:send-limit");

    // The owner still gets a code at once, and the number waits a minute before it is checked.
    let (id, code) = owner_must_wait(&h, 60).await;
    h.advance(60_000);
    let approved = check_from(&h, OWNER, &id, &code).await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.body);
    let token = approved.json()["token"]
        .as_str()
        .expect("token")
        .to_string();
    assert_eq!(h.redeem(&token, REDEEM_KEY).await.status, StatusCode::OK);

    // The owner's right code frees the owner, not the stranger.
    let still = send_from(&h, stranger(0)).await;
    assert_eq!(still.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(still.header("retry-after"), Some("86340"));
    h.advance(86_340_000);
    start_from(&h, stranger(0)).await;
}

async fn the_owners_right_code_starts_the_count_over<S: Store>(h: Harness<S>) {
    burn_wrong_codes(&h, stranger(0)).await;
    h.advance(60_000);
    let (id, code) = start_from(&h, OWNER).await;
    assert_eq!(
        check_from(&h, OWNER, &id, &code).await.status,
        StatusCode::OK
    );
    // A second stranger's twenty make the number wait a minute again, not the five minutes of
    // forty in a row.
    h.advance(3_600_000);
    burn_wrong_codes(&h, stranger(1)).await;
    owner_must_wait(&h, 60).await;
}

async fn strangers_at_many_addresses_make_the_number_wait_then_lock_it_at_the_ceiling<S: Store>(
    h: Harness<S>,
) {
    // Each stranger's twenty wrong codes in a row make everyone wait longer: a minute, five,
    // fifteen, an hour. The hour between strangers is the bound on starts per number.
    for (n, wait) in [(0, 60), (1, 300), (2, 900), (3, 3600)] {
        let locked = burn_wrong_codes(&h, stranger(n)).await;
        assert_eq!(locked.status, StatusCode::GONE, "stranger {n}");
        owner_must_wait(&h, wait).await;
        h.advance(3_600_000);
    }
    // The hundredth wrong code in a row locks the number for everyone, for a day.
    let locked = burn_wrong_codes(&h, stranger(4)).await;
    assert_eq!(
        locked.check_outcome(),
        CheckOutcome::Locked {
            retry_after_s: Some(86_400)
        }
    );
    let refused = send_from(&h, OWNER).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(refused.json()["type"], "urn:checkout-verify:send-limit");
    assert_eq!(refused.header("retry-after"), Some("86400"));
}
