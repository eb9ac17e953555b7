//! The webhook: a receiver on loopback that checks the signature with its own HMAC.

use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use checkout_verify_server::delivery::{DeliveryError, GatewaySetup, Gateways, SIGNATURE_HEADER};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::{deliver, gateway, message, serve, WEBHOOK_KEY};

// --- webhook ---------------------------------------------------------------------------------

/// What the receiver saw: the path's mode, the body, and whether the signature held.
type Seen = Arc<Mutex<Vec<(String, serde_json::Value, bool)>>>;

async fn receive(
    State(seen): State<Seen>,
    Path(mode): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let body = String::from_utf8(body.to_vec()).expect("UTF-8");
    let signed = headers
        .get(SIGNATURE_HEADER)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|header| verify(header, &body));
    let json = serde_json::from_str(&body).unwrap_or_default();
    seen.lock()
        .expect("lock")
        .push((mode.clone(), json, signed));
    if !signed {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    match mode.as_str() {
        "ok" => StatusCode::NO_CONTENT.into_response(),
        "landline" => StatusCode::UNPROCESSABLE_ENTITY.into_response(),
        "broken" => StatusCode::BAD_GATEWAY.into_response(),
        "moved" => (StatusCode::FOUND, [("location", "/hook/ok")]).into_response(),
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}

/// The receiver's check, as the README shows it: HMAC-SHA256 of "<t>.<body>", compared in
/// constant time, and a time within five minutes of now.
fn verify(header: &str, body: &str) -> bool {
    let part = |name: &str| {
        header
            .split(',')
            .find_map(|p| p.strip_prefix(&format!("{name}=")))
    };
    let (Some(t), Some(v1)) = (part("t"), part("v1")) else {
        return false;
    };
    let Ok(sent_at) = t.parse::<u64>() else {
        return false;
    };
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock")
        .as_secs();
    let Ok(given) = (0..v1.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(v1.get(i..i + 2).unwrap_or("zz"), 16))
        .collect::<Result<Vec<u8>, _>>()
    else {
        return false;
    };
    let mut mac = Hmac::<Sha256>::new_from_slice(WEBHOOK_KEY).expect("key");
    mac.update(format!("{t}.{body}").as_bytes());
    now.abs_diff(sent_at) <= 300 && mac.verify_slice(&given).is_ok()
}

#[tokio::test]
async fn the_webhook_posts_a_signed_message_and_reads_the_answer() {
    let seen = Seen::default();
    let router = Router::new()
        .route("/hook/{mode}", post(receive))
        .with_state(seen.clone());
    let addr = serve(router).await;
    let no_env = |_: &str| None;
    let to = |mode: &str| gateway(&format!("sms=webhook+http://{addr}/hook/{mode}"), &no_env);

    let sent = message("+14155550123", "sms", "es");
    assert_eq!(deliver(to("ok"), sent.clone()).await, Ok(()));
    {
        let seen = seen.lock().expect("lock");
        let (_, body, signed) = &seen[0];
        assert!(signed, "the receiver's own HMAC matches");
        assert_eq!(body["to"], "+14155550123");
        assert_eq!(body["channel"], "sms");
        assert_eq!(body["locale"], "es");
        assert_eq!(body["verification_id"], "vrf_1");
        assert_eq!(body["text"], sent.text.as_str());
        assert!(sent.text.ends_with("@shop.example #482915"));
        assert_eq!(body.as_object().map(|o| o.len()), Some(5), "{body}");
    }
    assert!(matches!(
        deliver(to("landline"), sent.clone()).await,
        Err(DeliveryError::Refused(_))
    ));
    assert!(matches!(
        deliver(to("broken"), sent.clone()).await,
        Err(DeliveryError::Unavailable(_))
    ));
    // A redirect is a failure, never followed.
    assert!(matches!(
        deliver(to("moved"), sent.clone()).await,
        Err(DeliveryError::Unavailable(_))
    ));
    let modes: Vec<String> = seen
        .lock()
        .expect("lock")
        .iter()
        .map(|s| s.0.clone())
        .collect();
    assert_eq!(
        modes,
        ["ok", "landline", "broken", "moved"],
        "nothing went to /hook/ok again"
    );
    // Signed with another key, the receiver refuses: the signature is what it checks.
    let setup = GatewaySetup {
        webhook_key: Some(b"another-key-0123456789abcdef-0123456789"),
        env: &no_env,
    };
    let mut gateways = Gateways::default();
    gateways
        .add(&format!("sms=webhook+http://{addr}/hook/ok"), &setup)
        .expect("valid");
    let forged = deliver(gateways.route("sms").expect("sms"), sent).await;
    assert!(
        matches!(forged, Err(DeliveryError::Unavailable(_))),
        "{forged:?}"
    );
    assert!(!seen.lock().expect("lock").last().expect("seen").2);
}

#[tokio::test]
async fn a_webhook_nobody_answers_is_unavailable() {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let no_env = |_: &str| None;
    let down = gateway(
        &format!("sms=webhook+http://127.0.0.1:{port}/hook"),
        &no_env,
    );
    let result = deliver(down, message("+14155550123", "sms", "en")).await;
    assert!(
        matches!(result, Err(DeliveryError::Unavailable(_))),
        "{result:?}"
    );
}
