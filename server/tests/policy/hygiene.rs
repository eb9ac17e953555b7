//! What the server keeps and says: codes only as keyed hashes, message text only in dev mode,
//! `nosniff` on every answer, and no refusal that repeats the client's input.

use axum::http::StatusCode;
use checkout_verify_server::delivery::{GatewaySetup, Gateways};
use checkout_verify_server::store::{MemoryStore, Store};
use serde_json::json;

use crate::harness::{settings, Call, Harness, LOCAL};

crate::on_every_store!(
    every_answer_says_nosniff_and_no_store,
    refusals_never_echo_the_input,
);

#[tokio::test]
async fn codes_are_stored_only_as_keyed_hashes() {
    let h = Harness::memory();
    let id = h.start().await;
    let code = h.last_code();
    let records = h.backend.store.dump();
    assert!(records.iter().any(|(key, _)| key == &format!("v:{id}")));
    for (key, json) in &records {
        assert!(
            !json.contains(&format!("\"{code}\"")),
            "{key} holds the code: {json}"
        );
        assert!(!key.contains("4155554567"), "no number in a key: {key}");
    }
    let verification = &records
        .iter()
        .find(|(key, _)| key.starts_with("v:"))
        .expect("v")
        .1;
    assert!(verification.contains("\"code_mac\":\""), "{verification}");
}

#[tokio::test]
async fn outside_dev_mode_no_message_text_is_kept_or_served() {
    let mut production = settings();
    production.dev = false;
    production.gateways = Gateways::default();
    let webhook_key = [b'k'; 32];
    let env = |_: &str| None;
    let setup = GatewaySetup {
        webhook_key: Some(&webhook_key),
        env: &env,
    };
    // A gateway nobody answers: the send fails, and still no text is kept anywhere.
    production
        .gateways
        .add("sms=webhook+http://127.0.0.1:9/hook", &setup)
        .expect("gateway");
    let h = Harness::with(MemoryStore::default(), production);
    let reply = h.send_to("+1 415 555 4567").await;
    assert_eq!(
        reply.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        reply.body
    );
    assert!(h.backend.outbox.list().is_empty());
    let reply = h
        .call(
            Call::new("GET", "/dev/outbox")
                .header("host", "127.0.0.1")
                .from(LOCAL),
        )
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    let reply = h
        .call(
            Call::new("GET", "/dev/clone-reports")
                .header("host", "127.0.0.1")
                .from(LOCAL),
        )
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    let reply = h
        .call(
            Call::new("POST", "/dev/place-order")
                .header("host", "127.0.0.1")
                .from(LOCAL)
                .json(json!({"token": "x"})),
        )
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
}

async fn every_answer_says_nosniff_and_no_store<S: Store>(h: Harness<S>) {
    let id = h.start().await;
    for reply in [
        h.check(&id, "000000").await,
        h.get("/api/verification").await,
        h.call(Call::new("POST", "/api/verification").raw("{"))
            .await,
        h.call(
            Call::new("GET", "/dev/outbox")
                .header("host", "localhost")
                .from(LOCAL),
        )
        .await,
    ] {
        assert_eq!(
            reply.header("x-content-type-options"),
            Some("nosniff"),
            "{:?}",
            reply.status
        );
        assert_eq!(
            reply.header("cache-control"),
            Some("no-store"),
            "{:?}",
            reply.status
        );
    }
}

async fn refusals_never_echo_the_input<S: Store>(h: Harness<S>) {
    let marker = "ECHO<script>";
    for call in [
        Call::new("POST", "/api/verification").raw(format!("{{\"destination\": {marker}")),
        Call::new("POST", "/api/verification").json(json!({"destination": 1, "channel": marker})),
        Call::new("POST", "/api/verification")
            .json(json!({"destination": marker, "channel": "sms"})),
        Call::new("POST", "/api/verification")
            .json(json!({"channel": "sms", "verification_id": marker})),
        Call::new("POST", "/api/verification/check")
            .json(json!({"verification_id": marker, "code": marker})),
        Call::new("POST", "/api/verification/check").json(json!({"verification_id": [marker]})),
        Call::new("POST", "/api/verification/check")
            .header("content-type", marker)
            .raw("{}"),
        Call::new("POST", "/api/clone-report").raw(format!("{{\"host\": \"{marker}\"}}")),
    ] {
        let reply = h.call(call).await;
        assert!(
            reply.status.is_client_error(),
            "{:?} {}",
            reply.status,
            reply.body
        );
        assert_eq!(
            reply.header("content-type"),
            Some("application/problem+json"),
            "{}",
            reply.body
        );
        assert!(!reply.body.contains("ECHO"), "{}", reply.body);
    }
    let missing = h.post("/api/verification", json!({"channel": "sms"})).await;
    assert!(missing.json()["title"]
        .as_str()
        .unwrap_or_default()
        .contains("destination"));
}
