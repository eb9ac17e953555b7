//! Delivery of codes through the gateways a store configures, one per channel
//! (`--deliver CHANNEL=URI`): e-mail over SMTP ([`smtp`]), any SMS or voice provider behind a
//! signed webhook ([`webhook`]), Twilio ([`twilio`]), AWS SNS ([`sns`]). A send is answered `202` only once the
//! gateway has accepted the message; a gateway that fails or takes too long makes the send a
//! retryable `503`, one that refuses the destination for good a `422 invalid-destination`. In dev
//! mode a channel without a gateway goes to the outbox (printed, listed at `/dev/outbox`).

mod smtp;
mod sns;
pub mod texts;
mod twilio;
mod webhook;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

pub use texts::Texts;
pub use webhook::{signature, SIGNATURE_HEADER};

/// The channels a code can go by.
pub const CHANNELS: [&str; 4] = ["sms", "voice", "whatsapp", "email"];

/// How long a gateway may take to accept a message before the send is answered `503` (and
/// rolled back).
pub const GATEWAY_TIMEOUT: Duration = Duration::from_secs(10);

/// The deadline each gateway gives its own requests, all steps together, well inside
/// [`GATEWAY_TIMEOUT`]: a gateway still talking after the send was refused could deliver a code
/// that no longer works.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(7);

/// The wait a `503` from a failed delivery asks for (`Retry-After`), in seconds: long enough
/// for a gateway's hiccup, short enough for a shopper waiting at checkout.
pub const RETRY_AFTER_S: u64 = 5;

/// One message on its way to a shopper. Its texts hold the code: never logged, and its `Debug`
/// leaves them out.
#[derive(Clone)]
pub struct Outgoing {
    /// The canonical destination: an E.164 number or a lower-cased address.
    pub to: String,
    /// `sms`, `voice`, `whatsapp` or `email`.
    pub channel: String,
    /// The language of the texts (`en`, `es`, `pt`, `ru`, `zh`, `ar`).
    pub locale: String,
    /// The verification the code belongs to.
    pub verification_id: String,
    /// The message: a text ending with the origin-bound line, the words of a call, or an
    /// e-mail's plain-text part.
    pub text: String,
    /// An e-mail's subject, the code in its first words.
    pub subject: String,
    /// An e-mail's HTML part.
    pub html: String,
}

impl fmt::Debug for Outgoing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Outgoing")
            .field("channel", &self.channel)
            .field("locale", &self.locale)
            .field("verification_id", &self.verification_id)
            .finish_non_exhaustive()
    }
}

/// Why a gateway did not take a message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeliveryError {
    /// The gateway refused the destination for good (not a number it can reach, a landline for
    /// SMS, opted out): the send is `422 invalid-destination`.
    #[error("the gateway refused the destination: {0}")]
    Refused(String),
    /// The gateway failed, answered too slowly or could not be reached: the send is a retryable
    /// `503`.
    #[error("the gateway did not take the message: {0}")]
    Unavailable(String),
}

/// A way to deliver messages. `deliver` blocks until the gateway accepted or refused the
/// message, bounded by [`GATEWAY_TIMEOUT`]; it runs on tokio's blocking pool.
pub trait Gateway: Send + Sync {
    /// Hands `message` to the gateway.
    fn deliver(&self, message: &Outgoing) -> Result<(), DeliveryError>;
    /// What it is, for the start-up line: a URI without credentials.
    fn describe(&self) -> String;
}

/// The gateway of each configured channel.
#[derive(Clone, Default)]
pub struct Gateways {
    routes: Vec<(String, Arc<dyn Gateway>)>,
}

impl fmt::Debug for Gateways {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.routes.iter().map(|(c, g)| (c, g.describe())))
            .finish()
    }
}

/// What `--deliver` and the environment configure, read before any gateway is built.
pub struct GatewaySetup<'a> {
    /// `--webhook-key-file`'s content, trimmed.
    pub webhook_key: Option<&'a [u8]>,
    /// Looks up an environment variable (`SMTP_USERNAME`, `TWILIO_*`, `AWS_REGION`).
    pub env: &'a dyn Fn(&str) -> Option<String>,
}

impl Gateways {
    /// Adds `--deliver CHANNEL=URI`; refuses an unknown channel or scheme, a channel given
    /// twice, and a gateway that cannot carry the channel, naming the flag and the value.
    pub fn add(&mut self, flag_value: &str, setup: &GatewaySetup<'_>) -> Result<(), String> {
        let problem = |why: &str| format!("--deliver {flag_value:?}: {why}");
        let (channel, uri) = flag_value.split_once('=').ok_or_else(|| {
            problem(
                "must be CHANNEL=URI, such as email=smtp://127.0.0.1:25?from=codes@shop.example",
            )
        })?;
        if !CHANNELS.contains(&channel) {
            return Err(problem(&format!(
                "the channel must be one of {}",
                CHANNELS.join(", ")
            )));
        }
        if self.route(channel).is_some() {
            return Err(problem(&format!("{channel} already has a gateway")));
        }
        let gateway: Arc<dyn Gateway> = if let Some(rest) = uri.strip_prefix("webhook+") {
            let key = setup.webhook_key.ok_or_else(|| {
                problem(
                    "a webhook needs --webhook-key-file FILE, the key its requests are signed with",
                )
            })?;
            Arc::new(webhook::Webhook::new(rest, key).map_err(|e| problem(&e))?)
        } else if uri.starts_with("smtp://") || uri.starts_with("smtps://") {
            if channel != "email" {
                return Err(problem("SMTP delivers e-mail: use it for email=…"));
            }
            Arc::new(smtp::Smtp::new(uri, setup.env).map_err(|e| problem(&e))?)
        } else if uri == "sns:" {
            if channel != "sms" {
                return Err(problem("SNS delivers sms only"));
            }
            Arc::new(sns::Sns::new(setup.env).map_err(|e| problem(&e))?)
        } else if uri == "twilio:" {
            if channel == "email" {
                return Err(problem(
                    "Twilio delivers sms, voice and whatsapp, not e-mail",
                ));
            }
            Arc::new(twilio::Twilio::new(setup.env).map_err(|e| problem(&e))?)
        } else {
            return Err(problem(
                "the gateway must be smtp://HOST:PORT or smtps://HOST:PORT (e-mail), webhook+https://… (or webhook+http:// on loopback), twilio: or sns: (sms)",
            ));
        };
        self.routes.push((channel.to_string(), gateway));
        Ok(())
    }

    /// Routes `channel` through `gateway` (a store embedding the server may bring its own),
    /// in place of any gateway it had.
    pub fn insert(&mut self, channel: &str, gateway: Arc<dyn Gateway>) {
        self.routes.retain(|(c, _)| c != channel);
        self.routes.push((channel.to_string(), gateway));
    }

    /// The gateway of `channel`, if one is configured.
    pub fn route(&self, channel: &str) -> Option<Arc<dyn Gateway>> {
        self.routes
            .iter()
            .find(|(c, _)| c == channel)
            .map(|(_, g)| Arc::clone(g))
    }

    /// Whether no channel has a gateway.
    pub fn is_empty(&self) -> bool {
        self.routes.is_empty()
    }

    /// One line per channel, for the start-up output.
    pub fn describe(&self) -> Vec<String> {
        self.routes
            .iter()
            .map(|(c, g)| format!("{c} → {}", g.describe()))
            .collect()
    }
}

/// Hands `message` to `gateway` on tokio's blocking pool and waits, at most
/// [`GATEWAY_TIMEOUT`] (each gateway bounds its own requests to [`REQUEST_TIMEOUT`]).
pub async fn deliver(gateway: Arc<dyn Gateway>, message: Outgoing) -> Result<(), DeliveryError> {
    let task = tokio::task::spawn_blocking(move || gateway.deliver(&message));
    match tokio::time::timeout(GATEWAY_TIMEOUT, task).await {
        Ok(Ok(result)) => result,
        Ok(Err(_)) => Err(DeliveryError::Unavailable("the delivery stopped".into())),
        Err(_) => Err(DeliveryError::Unavailable(
            "the gateway took too long".into(),
        )),
    }
}

/// The HTTP client of the gateways that speak HTTP (webhook, Twilio): each request bounded by
/// [`REQUEST_TIMEOUT`], redirects never followed, every status read as an answer.
fn http_agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(REQUEST_TIMEOUT))
        .max_redirects(0)
        .http_status_as_error(false)
        .build()
        .into()
}

/// `text` safe inside an HTML or XML element or a quoted attribute (the e-mail's HTML part,
/// a call's TwiML).
fn escape_markup(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Whether `host` (of a URL) is a loopback name or address, where plain `http:` is allowed.
fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setup(key: Option<&[u8]>) -> Result<Gateways, String> {
        let env = |name: &str| match name {
            "TWILIO_ACCOUNT_SID" => Some("AC0123".to_string()),
            "TWILIO_AUTH_TOKEN" => Some("token".to_string()),
            "TWILIO_FROM" => Some("+15005550006".to_string()),
            _ => None,
        };
        let setup = GatewaySetup {
            webhook_key: key,
            env: &env,
        };
        let mut gateways = Gateways::default();
        for flag in [
            "email=smtp://127.0.0.1:2525?from=codes@shop.example",
            "sms=webhook+https://sms.shop.example/hook",
            "voice=twilio:",
        ] {
            gateways.add(flag, &setup)?;
        }
        Ok(gateways)
    }

    #[test]
    fn each_channel_takes_the_gateway_it_names() {
        let gateways = setup(Some(b"0123456789abcdef0123456789abcdef")).expect("valid");
        assert_eq!(
            gateways.describe(),
            [
                "email → smtp://127.0.0.1:2525 from codes@shop.example",
                "sms → webhook https://sms.shop.example/hook",
                "voice → twilio account AC0123 from +15005550006",
            ]
        );
        assert!(gateways.route("whatsapp").is_none());
    }

    #[test]
    fn a_wrong_flag_is_refused_naming_it() {
        let key: &[u8] = b"0123456789abcdef0123456789abcdef";
        let env = |_: &str| None;
        let setup = GatewaySetup {
            webhook_key: Some(key),
            env: &env,
        };
        for (flag, why) in [
            ("sms", "must be CHANNEL=URI"),
            (
                "fax=webhook+https://x.example/",
                "the channel must be one of",
            ),
            (
                "sms=smtp://127.0.0.1:25?from=a@b.example",
                "SMTP delivers e-mail",
            ),
            ("email=twilio:", "not e-mail"),
            ("sms=sqs:", "the gateway must be"),
            ("sms=sns:", "SNS needs AWS_REGION"),
            ("voice=sns:", "SNS delivers sms only"),
            (
                "sms=webhook+http://sms.example/hook",
                "plain http only on loopback",
            ),
            ("sms=twilio:", "TWILIO_ACCOUNT_SID"),
            ("email=smtp://127.0.0.1:25", "?from=ADDRESS"),
        ] {
            let error = Gateways::default().add(flag, &setup).expect_err(flag);
            assert!(
                error.starts_with(&format!("--deliver {flag:?}: ")),
                "{error}"
            );
            assert!(error.contains(why), "{flag}: {error}");
        }
        let mut twice = Gateways::default();
        twice
            .add("sms=webhook+https://a.example/", &setup)
            .expect("first");
        let error = twice
            .add("sms=webhook+https://b.example/", &setup)
            .expect_err("twice");
        assert!(error.contains("sms already has a gateway"), "{error}");
    }

    #[test]
    fn a_webhook_needs_its_key() {
        let error = setup(None).expect_err("no key");
        assert!(error.contains("--webhook-key-file"), "{error}");
    }

    #[test]
    fn debug_never_shows_the_texts() {
        let message = Outgoing {
            to: "+14155550123".into(),
            channel: "sms".into(),
            locale: "en".into(),
            verification_id: "vrf_1".into(),
            text: "code 123456".into(),
            subject: "123456".into(),
            html: "<b>123456</b>".into(),
        };
        let shown = format!("{message:?}");
        assert!(
            !shown.contains("123456") && !shown.contains("4155550123"),
            "{shown}"
        );
    }
}
