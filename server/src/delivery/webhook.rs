//! `webhook+https://…`: a JSON POST of `{"to", "channel", "text", "locale", "verification_id"}`
//! to the store's own endpoint, which hands it to whatever SMS or voice provider the store already
//! has. Each request is signed: `Checkout-Verify-Signature: t=<unix seconds>,v1=<hex>`, the hex
//! being HMAC-SHA256 under `--webhook-key-file` of `<t>.<body>`, so the receiver can tell the
//! server's requests from anyone's and refuse a replay. A `2xx` means accepted; `422` means the
//! receiver's provider refused the destination for good; anything else, a redirect included
//! (never followed), is a failure to retry.

use std::time::{SystemTime, UNIX_EPOCH};

use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::{http_agent, is_loopback, DeliveryError, Gateway, Outgoing};

/// The header that carries the signature.
pub const SIGNATURE_HEADER: &str = "Checkout-Verify-Signature";

/// The signature of `body` sent at `unix_s` under `key`: `t=<unix_s>,v1=<hex HMAC-SHA256 of
/// "<unix_s>.<body>">`.
pub fn signature(key: &[u8], unix_s: u64, body: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(format!("{unix_s}.{body}").as_bytes());
    let hex: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("t={unix_s},v1={hex}")
}

/// A webhook gateway.
pub struct Webhook {
    url: String,
    key: Vec<u8>,
    agent: ureq::Agent,
}

impl Webhook {
    /// A webhook to `url` (`https://…`, or `http://` on loopback), signing with `key`.
    pub fn new(url: &str, key: &[u8]) -> Result<Self, String> {
        let host = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
            .map(|rest| rest.split(['/', '?', '#']).next().unwrap_or(""))
            .map(|authority| match authority.rsplit_once(':') {
                Some((host, port)) if port.bytes().all(|b| b.is_ascii_digit()) => host,
                _ => authority,
            })
            .filter(|host| !host.is_empty() && !host.contains('@'))
            .ok_or("a webhook must be webhook+https://HOST/PATH")?;
        if url.starts_with("http://") && !is_loopback(host) {
            return Err("plain http only on loopback: use webhook+https://".into());
        }
        let agent = http_agent();
        Ok(Self {
            url: url.to_string(),
            key: key.to_vec(),
            agent,
        })
    }
}

impl Gateway for Webhook {
    fn deliver(&self, message: &Outgoing) -> Result<(), DeliveryError> {
        let body = serde_json::json!({
            "to": message.to,
            "channel": message.channel,
            "text": message.text,
            "locale": message.locale,
            "verification_id": message.verification_id,
        })
        .to_string();
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let answer = self
            .agent
            .post(&self.url)
            .header("content-type", "application/json")
            .header(SIGNATURE_HEADER, signature(&self.key, now, &body))
            .send(body.as_str())
            .map_err(|e| {
                DeliveryError::Unavailable(format!("the webhook could not be reached: {e}"))
            })?;
        match answer.status().as_u16() {
            200..=299 => Ok(()),
            422 => Err(DeliveryError::Refused(
                "the webhook answered 422 for the destination".into(),
            )),
            status => Err(DeliveryError::Unavailable(format!(
                "the webhook answered {status}"
            ))),
        }
    }

    fn describe(&self) -> String {
        // Without its query, which may hold the receiver's token.
        let shown = self.url.split(['?', '#']).next().unwrap_or_default();
        format!("webhook {shown}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_an_hmac_of_the_time_and_the_body() {
        // printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac key
        assert_eq!(
            signature(b"key", 1_700_000_000, r#"{"a":1}"#),
            "t=1700000000,v1=a438e398bfafc57e4396bb7fc2304422f0f768e965d073ca313cb52e22e6ad03"
        );
    }

    #[test]
    fn only_loopback_may_be_plain_http() {
        assert!(Webhook::new("http://127.0.0.1:9000/hook", b"k").is_ok());
        assert!(Webhook::new("http://localhost/hook", b"k").is_ok());
        assert!(Webhook::new("http://[::1]:9/hook", b"k").is_ok());
        assert!(Webhook::new("https://sms.shop.example/hook", b"k").is_ok());
        assert!(Webhook::new("http://sms.shop.example/hook", b"k").is_err());
        assert!(Webhook::new("http://127.0.0.1.evil.example/hook", b"k").is_err());
        assert!(Webhook::new("ftp://x/hook", b"k").is_err());
        assert!(Webhook::new("https://user@x/hook", b"k").is_err());
    }
}
