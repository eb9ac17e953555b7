//! Twilio: a server answering as its API does, with recorded answers and its test numbers.

use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use checkout_verify_server::delivery::DeliveryError;

use crate::{deliver, form_decode, gateway, message, serve};

// --- Twilio ----------------------------------------------------------------------------------

const ACCOUNT: &str = "AC00000000000000000000000000000001";
const TOKEN: &str = "twilio-auth-token";
const FROM: &str = "+15005550006";

/// Twilio's answers, recorded from its API reference: a queued message or call, and the errors
/// of its test numbers (+15005550001 invalid, +15005550009 not a mobile, +15005550004 opted out).
fn twilio_answer(resource: &str, to: &str) -> (StatusCode, String) {
    let error = |code: u32, message: &str| {
        let body = serde_json::json!({
            "code": code,
            "message": message,
            "more_info": format!("https://www.twilio.com/docs/errors/{code}"),
            "status": 400,
        });
        (StatusCode::BAD_REQUEST, body.to_string())
    };
    match to {
        "+15005550001" => error(21211, "Invalid 'To' Phone Number: +15005550001"),
        "+15005550009" => error(21614, "'To' number is not a valid mobile number"),
        "+15005550004" => error(21610, "Attempt to send to unsubscribed recipient"),
        "+15005550429" => (
            StatusCode::TOO_MANY_REQUESTS,
            r#"{"code":20429,"message":"Too Many Requests","more_info":"https://www.twilio.com/docs/errors/20429","status":429}"#.into(),
        ),
        _ => {
            let sid = if resource == "Calls.json" { "CA0001" } else { "SM0001" };
            let body = serde_json::json!({
                "account_sid": ACCOUNT, "api_version": "2010-04-01", "sid": sid,
                "status": "queued", "to": to, "from": FROM, "direction": "outbound-api",
                "error_code": null, "error_message": null, "price": null,
                "uri": format!("/2010-04-01/Accounts/{ACCOUNT}/{resource}"),
            });
            (StatusCode::CREATED, body.to_string())
        }
    }
}

type Requests = Arc<Mutex<Vec<(String, Vec<(String, String)>)>>>;

async fn twilio(
    State(requests): State<Requests>,
    Path((account, resource)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let expected = format!(
        "Basic {}",
        base64::Engine::encode(
            &base64::engine::general_purpose::STANDARD,
            format!("{ACCOUNT}:{TOKEN}")
        )
    );
    let authorised = headers.get("authorization").and_then(|v| v.to_str().ok()) == Some(&expected);
    if account != ACCOUNT || !authorised {
        let body = r#"{"code":20003,"message":"Authenticate","more_info":"https://www.twilio.com/docs/errors/20003","status":401}"#;
        return (StatusCode::UNAUTHORIZED, body).into_response();
    }
    let form = form_decode(&String::from_utf8_lossy(&body));
    let to = form
        .iter()
        .find(|(k, _)| k == "To")
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    requests
        .lock()
        .expect("lock")
        .push((resource.clone(), form));
    let (status, body) = twilio_answer(&resource, to.trim_start_matches("whatsapp:"));
    (status, [("content-type", "application/json")], body).into_response()
}

#[tokio::test]
async fn twilio_sends_texts_and_calls_and_refuses_the_numbers_it_cannot_reach() {
    let requests = Requests::default();
    let router = Router::new()
        .route("/2010-04-01/Accounts/{account}/{resource}", post(twilio))
        .with_state(requests.clone());
    let addr = serve(router).await;
    let env = move |name: &str| match name {
        "TWILIO_ACCOUNT_SID" => Some(ACCOUNT.to_string()),
        "TWILIO_AUTH_TOKEN" => Some(TOKEN.to_string()),
        "TWILIO_FROM" => Some(FROM.to_string()),
        "TWILIO_API_URL" => Some(format!("http://{addr}")),
        _ => None,
    };
    let sms = gateway("sms=twilio:", &env);
    let text = message("+14155550123", "sms", "ru");
    assert_eq!(deliver(sms.clone(), text.clone()).await, Ok(()));
    let call = message("+14155550123", "voice", "en");
    assert_eq!(deliver(gateway("voice=twilio:", &env), call).await, Ok(()));
    let whatsapp = message("+14155550123", "whatsapp", "en");
    assert_eq!(
        deliver(gateway("whatsapp=twilio:", &env), whatsapp).await,
        Ok(())
    );
    {
        let requests = requests.lock().expect("lock");
        let field = |i: usize, name: &str| {
            requests[i]
                .1
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        assert_eq!(requests[0].0, "Messages.json");
        assert_eq!(
            (field(0, "To"), field(0, "From")),
            ("+14155550123".into(), FROM.into())
        );
        assert_eq!(
            field(0, "Body"),
            text.text,
            "the Russian text, origin-bound line last"
        );
        assert_eq!(requests[1].0, "Calls.json");
        let twiml = field(1, "Twiml");
        assert!(
            twiml.starts_with("<Response><Say language=\"en-US\">"),
            "{twiml}"
        );
        assert_eq!(twiml.matches("4, 8, 2, 9, 1, 5").count(), 2, "{twiml}");
        assert_eq!(field(2, "To"), "whatsapp:+14155550123");
        assert_eq!(field(2, "From"), format!("whatsapp:{FROM}"));
    }
    for refused in ["+15005550001", "+15005550009", "+15005550004"] {
        let result = deliver(sms.clone(), message(refused, "sms", "en")).await;
        assert!(
            matches!(result, Err(DeliveryError::Refused(_))),
            "{refused}: {result:?}"
        );
    }
    let busy = deliver(sms, message("+15005550429", "sms", "en")).await;
    assert!(
        matches!(busy, Err(DeliveryError::Unavailable(_))),
        "{busy:?}"
    );
    let wrong_token = move |name: &str| match name {
        "TWILIO_AUTH_TOKEN" => Some("wrong".to_string()),
        other => env(other),
    };
    let refused = deliver(gateway("sms=twilio:", &wrong_token), text).await;
    assert!(
        matches!(&refused, Err(DeliveryError::Unavailable(why)) if why.contains("20003")),
        "a wrong token is the store's to fix, not the shopper's number: {refused:?}"
    );
}
