//! AWS SNS: moto's server on loopback, whose recording of requests the test reads.

use std::path::PathBuf;
use std::process::{Child, Command};

use checkout_verify_server::delivery::DeliveryError;

use crate::{deliver, form_decode, free_port, gateway, installed, message, wait_until_listening};

// --- AWS SNS (moto) --------------------------------------------------------------------------

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
