//! Proof of verification: the approval's token binds the verification, the destination and the
//! store's context, and a store's server redeems it exactly once.

use axum::http::StatusCode;
use checkout_verify_server::store::Store;
use serde_json::{json, Value};

use crate::harness::{Call, Harness, LOCAL, PHONE, REDEEM_KEY};

crate::on_every_store!(
    the_token_binds_verification_destination_context_and_expiry,
    a_proof_is_redeemed_once,
    redemption_needs_the_key_and_no_browser,
    a_forged_or_expired_proof_is_refused,
    the_demo_checkout_places_the_order_through_redemption,
);

/// The claims of a JWT, read without checking it (the server checks; the test looks).
fn claims(token: &str) -> Value {
    let payload = token.split('.').nth(1).expect("a JWT");
    let bytes = base64url(payload);
    serde_json::from_slice(&bytes).expect("JSON claims")
}

fn base64url(text: &str) -> Vec<u8> {
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut bits = 0u32;
    let mut count = 0;
    let mut out = Vec::new();
    for c in text.bytes() {
        let value = alphabet.iter().position(|&a| a == c).expect("base64url") as u32;
        bits = (bits << 6) | value;
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
        }
    }
    out
}

async fn the_token_binds_verification_destination_context_and_expiry<S: Store>(h: Harness<S>) {
    let reply = h
        .post(
            "/api/verification",
            json!({"destination": "+1 (415) 555-4567", "channel": "sms", "context": "order-1042"}),
        )
        .await;
    let id = reply.json()["verification_id"]
        .as_str()
        .expect("id")
        .to_string();
    let approved = h.check(&id, &h.last_code()).await;
    let token = approved.json()["token"]
        .as_str()
        .expect("token")
        .to_string();
    let claims = claims(&token);
    assert_eq!(claims["sub"], id.as_str());
    assert_eq!(claims["ctx"], "order-1042");
    assert_eq!(claims["iss"], "shop.example");
    assert_eq!(
        claims["dst"].as_str().map(str::len),
        Some(64),
        "a keyed hash of the number"
    );
    assert!(!token.contains("4155554567") && !claims.to_string().contains("4155554567"));
    let ttl = claims["exp"].as_u64().expect("exp") - claims["iat"].as_u64().expect("iat");
    assert_eq!(ttl, 300);
}

async fn a_proof_is_redeemed_once<S: Store>(h: Harness<S>) {
    let (id, token) = h.approved().await;
    let first = h.redeem(&token, REDEEM_KEY).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    assert_eq!(
        first.json(),
        json!({"verification_id": id, "destination": PHONE, "context": null})
    );
    let second = h.redeem(&token, REDEEM_KEY).await;
    assert_eq!(second.status, StatusCode::GONE);
    assert_eq!(
        second.json()["type"],
        "urn:checkout-verify:already-redeemed"
    );
}

async fn redemption_needs_the_key_and_no_browser<S: Store>(h: Harness<S>) {
    let (_, token) = h.approved().await;
    let wrong = h.redeem(&token, "not-the-key").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.header("www-authenticate"), Some("Bearer"));
    let none = h
        .call(Call::new("POST", "/api/verification/redeem").json(json!({ "token": token })))
        .await;
    assert_eq!(none.status, StatusCode::UNAUTHORIZED);
    let browser = h
        .call(
            Call::new("POST", "/api/verification/redeem")
                .header("authorization", &format!("Bearer {REDEEM_KEY}"))
                .header("origin", "https://shop.example")
                .json(json!({ "token": token })),
        )
        .await;
    assert_eq!(
        browser.status,
        StatusCode::FORBIDDEN,
        "the key never belongs in a page"
    );
    assert_eq!(
        h.redeem(&token, REDEEM_KEY).await.status,
        StatusCode::OK,
        "still unspent"
    );
}

async fn a_forged_or_expired_proof_is_refused<S: Store>(h: Harness<S>) {
    let (_, token) = h.approved().await;
    let mut parts: Vec<String> = token.split('.').map(str::to_string).collect();
    parts[2] = parts[2].chars().rev().collect();
    let forged = parts.join(".");
    let reply = h.redeem(&forged, REDEEM_KEY).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.json()["type"], "urn:checkout-verify:invalid-token");
    assert_eq!(
        h.redeem("cvt_0123", REDEEM_KEY).await.status,
        StatusCode::BAD_REQUEST
    );
    h.advance(300_000);
    assert_eq!(
        h.redeem(&token, REDEEM_KEY).await.status,
        StatusCode::GONE,
        "expired"
    );
}

async fn the_demo_checkout_places_the_order_through_redemption<S: Store>(h: Harness<S>) {
    let (id, token) = h.approved().await;
    let order = Call::new("POST", "/dev/place-order")
        .header("host", "127.0.0.1:8080")
        .from(LOCAL)
        .json(json!({ "token": token }));
    let placed = h.call(order).await;
    assert_eq!(placed.status, StatusCode::OK, "{}", placed.body);
    assert_eq!(placed.json()["verification_id"], id.as_str());
    let again = Call::new("POST", "/dev/place-order")
        .header("host", "127.0.0.1:8080")
        .from(LOCAL)
        .json(json!({ "token": token }));
    assert_eq!(h.call(again).await.status, StatusCode::GONE);
    assert_eq!(
        h.redeem(&token, REDEEM_KEY).await.status,
        StatusCode::GONE,
        "one redemption in all"
    );
}
