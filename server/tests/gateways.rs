//! Each gateway against a real receiver on loopback: a webhook receiver that checks the
//! signature with its own HMAC, a server answering as Twilio's API does (recorded answers, its
//! test numbers), a real SMTP server (aiosmtpd) whose mailbox the test reads, and moto's server
//! standing in for AWS SNS, whose recording of requests the test reads (both from PyPI, installed
//! by `scripts/bootstrap.sh native`).

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use checkout_verify_server::delivery::{
    DeliveryError, Gateway, GatewaySetup, Gateways, Outgoing, Texts, SIGNATURE_HEADER,
};
use hmac::{Hmac, Mac};
use sha2::Sha256;

const WEBHOOK_KEY: &[u8] = b"webhook-key-for-tests-0123456789abcdef";

fn message(to: &str, channel: &str, locale: &str) -> Outgoing {
    let texts = Texts {
        store_name: "Demo Store".into(),
        host: "shop.example".into(),
        ttl_s: 600,
    };
    texts.message(to, channel, Some(locale), "vrf_1", "482915")
}

/// The gateway `flag` configures, with `env` for its credentials.
fn gateway(flag: &str, env: &dyn Fn(&str) -> Option<String>) -> Arc<dyn Gateway> {
    let setup = GatewaySetup {
        webhook_key: Some(WEBHOOK_KEY),
        env,
    };
    let mut gateways = Gateways::default();
    gateways.add(flag, &setup).expect("a valid --deliver");
    let channel = flag.split_once('=').expect("CHANNEL=URI").0;
    gateways.route(channel).expect("routed")
}

/// Delivers on a blocking thread, as the server does.
async fn deliver(gateway: Arc<dyn Gateway>, message: Outgoing) -> Result<(), DeliveryError> {
    tokio::task::spawn_blocking(move || gateway.deliver(&message))
        .await
        .expect("no panic")
}

/// Serves `router` on a free loopback port.
async fn serve(router: Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, router).await });
    addr
}

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

/// An `application/x-www-form-urlencoded` body's pairs.
fn form_decode(body: &str) -> Vec<(String, String)> {
    let decode = |s: &str| {
        let bytes = s.replace('+', " ").into_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' && i + 2 < bytes.len() {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz");
                if let Ok(b) = u8::from_str_radix(hex, 16) {
                    out.push(b);
                    i += 3;
                    continue;
                }
            }
            out.push(bytes[i]);
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    };
    body.split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (decode(k), decode(v)))
        .collect()
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

// --- SMTP ------------------------------------------------------------------------------------

/// aiosmtpd on a free port, delivering into a Maildir the test reads; stopped when dropped.
struct MailServer {
    child: Child,
    port: u16,
    maildir: PathBuf,
}

impl MailServer {
    fn start() -> Self {
        let aiosmtpd = installed("target/smtp/bin/aiosmtpd");
        let port = free_port();
        let maildir = std::env::temp_dir().join(format!("cv-mail-{port}-{}", std::process::id()));
        let child = Command::new(aiosmtpd)
            .args(["-n", "-l", &format!("127.0.0.1:{port}")])
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(&maildir)
            .spawn()
            .expect("aiosmtpd starts");
        let started = Instant::now();
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "aiosmtpd did not listen"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Self {
            child,
            port,
            maildir,
        }
    }

    /// The raw messages delivered so far.
    fn messages(&self) -> Vec<String> {
        std::fs::read_dir(self.maildir.join("new"))
            .map(|dir| {
                dir.filter_map(Result::ok)
                    .filter_map(|entry| std::fs::read_to_string(entry.path()).ok())
                    .collect()
            })
            .unwrap_or_default()
    }
}

impl Drop for MailServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.maildir);
    }
}

#[tokio::test]
async fn smtp_sends_an_email_with_the_code_first_in_its_subject_and_two_parts() {
    let mail = MailServer::start();
    let no_env = |_: &str| None;
    let email = gateway(
        &format!(
            "email=smtp://127.0.0.1:{}?from=codes@shop.example",
            mail.port
        ),
        &no_env,
    );
    let sent = message("shopper@example.com", "email", "en");
    assert_eq!(deliver(email, sent).await, Ok(()));
    let messages = mail.messages();
    assert_eq!(messages.len(), 1);
    let raw = &messages[0];
    assert!(
        raw.contains("Subject: 482915 is your Demo Store verification code"),
        "{raw}"
    );
    assert!(raw.contains("From: codes@shop.example"), "{raw}");
    assert!(raw.contains("To: shopper@example.com"), "{raw}");
    assert!(raw.contains("multipart/alternative"), "{raw}");
    assert!(raw.contains("Content-Type: text/plain"), "{raw}");
    assert!(raw.contains("Content-Type: text/html"), "{raw}");
    assert!(raw.contains("<strong>482915</strong>"), "{raw}");
    drop(mail);
    // The mail server gone: a failure to retry, not a refused address.
    let no_env = |_: &str| None;
    let gone = gateway("email=smtp://127.0.0.1:9?from=codes@shop.example", &no_env);
    let result = deliver(gone, message("shopper@example.com", "email", "en")).await;
    assert!(
        matches!(result, Err(DeliveryError::Unavailable(_))),
        "{result:?}"
    );
}

// --- AWS SNS (moto) --------------------------------------------------------------------------

/// A tool bootstrap installed under the repository.
fn installed(path: &str) -> PathBuf {
    let tool = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(path);
    assert!(
        tool.exists(),
        "{} is missing: run scripts/bootstrap.sh native",
        tool.display()
    );
    tool
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

fn wait_until_listening(port: u16, what: &str) {
    let started = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "{what} did not listen"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// moto's server on a free port, recording every request; stopped when dropped.
struct Moto {
    child: Child,
    url: String,
    recording: PathBuf,
}

impl Moto {
    fn start() -> Self {
        let port = free_port();
        // Its recording goes to a file of its own, not into the working directory.
        let recording = std::env::temp_dir().join(format!("cv-moto-{port}-{}", std::process::id()));
        let child = Command::new(installed("target/moto/bin/moto_server"))
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .env("MOTO_RECORDER_FILEPATH", &recording)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("moto_server starts");
        wait_until_listening(port, "moto_server");
        let url = format!("http://127.0.0.1:{port}");
        ureq::post(&format!("{url}/moto-api/recorder/start-recording"))
            .send_empty()
            .expect("recording");
        Self {
            child,
            url,
            recording,
        }
    }

    /// The form fields of each SNS request moto received, in order.
    fn requests(&self) -> Vec<Vec<(String, String)>> {
        let recording = ureq::get(&format!(
            "{}/moto-api/recorder/download-recording",
            self.url
        ))
        .call()
        .expect("the recording")
        .into_body()
        .read_to_string()
        .expect("text");
        recording
            .lines()
            .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
            .filter_map(|request| {
                let body = request["body"].as_str()?.to_string();
                let body = match request["body_encoded"].as_bool() {
                    Some(true) => {
                        let bytes = base64::Engine::decode(
                            &base64::engine::general_purpose::STANDARD,
                            body,
                        )
                        .ok()?;
                        String::from_utf8(bytes).ok()?
                    }
                    _ => body,
                };
                Some(form_decode(&body))
            })
            .collect()
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.recording);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sns_publishes_a_transactional_sms_and_refuses_an_opted_out_number() {
    let moto = Moto::start();
    let url = moto.url.clone();
    let env = move |name: &str| match name {
        "AWS_REGION" => Some("eu-west-1".to_string()),
        "AWS_ENDPOINT_URL" => Some(url.clone()),
        "AWS_ACCESS_KEY_ID" => Some("testing".to_string()),
        "AWS_SECRET_ACCESS_KEY" => Some("testing".to_string()),
        _ => None,
    };
    let sns = gateway("sms=sns:", &env);
    let text = message("+14155550123", "sms", "zh");
    assert_eq!(deliver(sns.clone(), text.clone()).await, Ok(()));
    // moto calls every number ending in 99 opted out, as SNS does after a STOP.
    let opted_out = deliver(sns.clone(), message("+14155550199", "sms", "en")).await;
    assert!(
        matches!(opted_out, Err(DeliveryError::Refused(_))),
        "{opted_out:?}"
    );
    let field = |request: &[(String, String)], name: &str| {
        request
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let publishes: Vec<Vec<(String, String)>> = moto
        .requests()
        .into_iter()
        .filter(|r| field(r, "Action") == "Publish")
        .collect();
    assert_eq!(
        publishes.len(),
        1,
        "nothing published to the opted-out number"
    );
    let publish = &publishes[0];
    assert_eq!(field(publish, "PhoneNumber"), "+14155550123");
    assert_eq!(
        field(publish, "Message"),
        text.text,
        "the Chinese text, origin-bound line last"
    );
    assert!(text.text.ends_with("\n\n@shop.example #482915"));
    let attributes: Vec<String> = publish.iter().map(|(_, v)| v.clone()).collect();
    assert!(
        attributes.iter().any(|v| v == "AWS.SNS.SMS.SMSType"),
        "{publish:?}"
    );
    assert!(
        attributes.iter().any(|v| v == "Transactional"),
        "{publish:?}"
    );
    drop(moto);
    // SNS out of reach: a failure to retry.
    let gone = deliver(sns, message("+14155550123", "sms", "en")).await;
    assert!(
        matches!(gone, Err(DeliveryError::Unavailable(_))),
        "{gone:?}"
    );
}
