//! `twilio:`: Twilio Programmable Messaging (SMS, WhatsApp) and Voice, with
//! `TWILIO_ACCOUNT_SID`, `TWILIO_AUTH_TOKEN` and `TWILIO_FROM` (the sending number), and
//! `TWILIO_API_URL` to point it elsewhere (tests; plain http only on loopback). A text is a
//! `Messages.json` resource, a call a `Calls.json` resource whose TwiML says the words. Twilio's
//! errors for a number it cannot reach (invalid, not mobile, opted out, not routable) refuse the
//! destination; the others may pass.

use base64::Engine;

use super::{escape_markup, http_agent, is_loopback, DeliveryError, Gateway, Outgoing};

/// Twilio's error codes that refuse the destination itself: 21211 invalid "To", 21214 cannot be
/// reached, 21610 the recipient opted out (STOP), 21612 no route, 21614 not a mobile number,
/// 13223 and 13224 a number a call cannot dial. (21408, a region the account may not send to, is
/// the store's to fix: a 503, with the code in the log.)
const REFUSING: [u64; 7] = [21211, 21214, 21610, 21612, 21614, 13223, 13224];

/// A Twilio gateway.
pub struct Twilio {
    api: String,
    account: String,
    authorization: String,
    from: String,
    agent: ureq::Agent,
}

impl Twilio {
    /// The gateway the environment describes.
    pub fn new(env: &dyn Fn(&str) -> Option<String>) -> Result<Self, String> {
        let var = |name: &str| {
            env(name)
                .filter(|v| !v.trim().is_empty())
                .ok_or(format!("Twilio needs {name} in the environment"))
        };
        let account = var("TWILIO_ACCOUNT_SID")?;
        let token = var("TWILIO_AUTH_TOKEN")?;
        let from = var("TWILIO_FROM")?;
        let api = env("TWILIO_API_URL").unwrap_or_else(|| "https://api.twilio.com".into());
        let api = api.trim_end_matches('/').to_string();
        let plain_ok = api
            .strip_prefix("http://")
            .map(|rest| rest.split(['/', ':']).next().unwrap_or(""))
            .is_some_and(is_loopback);
        if !api.starts_with("https://") && !plain_ok {
            return Err(format!(
                "TWILIO_API_URL must be https:// (plain http only on loopback), got {api:?}"
            ));
        }
        let credentials =
            base64::engine::general_purpose::STANDARD.encode(format!("{account}:{token}"));
        let agent = http_agent();
        Ok(Self {
            api,
            account,
            authorization: format!("Basic {credentials}"),
            from,
            agent,
        })
    }
}

impl Gateway for Twilio {
    fn deliver(&self, message: &Outgoing) -> Result<(), DeliveryError> {
        let resource = if message.channel == "voice" {
            "Calls"
        } else {
            "Messages"
        };
        let url = format!(
            "{}/2010-04-01/Accounts/{}/{resource}.json",
            self.api, self.account
        );
        let (to, from) = match message.channel.as_str() {
            "whatsapp" => (
                format!("whatsapp:{}", message.to),
                format!("whatsapp:{}", self.from),
            ),
            _ => (message.to.clone(), self.from.clone()),
        };
        let twiml;
        let content = match message.channel.as_str() {
            "voice" => {
                twiml = format!(
                    "<Response><Say language=\"{}\">{}</Say></Response>",
                    say_language(&message.locale),
                    escape_markup(&message.text)
                );
                ("Twiml", twiml.as_str())
            }
            _ => ("Body", message.text.as_str()),
        };
        let answer = self
            .agent
            .post(&url)
            .header("authorization", &self.authorization)
            .send_form([("To", to.as_str()), ("From", from.as_str()), content])
            .map_err(|e| DeliveryError::Unavailable(format!("Twilio could not be reached: {e}")))?;
        let status = answer.status().as_u16();
        if (200..300).contains(&status) {
            return Ok(());
        }
        let body: serde_json::Value = answer
            .into_body()
            .with_config()
            .limit(64 * 1024)
            .read_to_string()
            .ok()
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default();
        let code = body.get("code").and_then(serde_json::Value::as_u64);
        match code {
            Some(code) if REFUSING.contains(&code) => Err(DeliveryError::Refused(format!(
                "Twilio refused the number (error {code})"
            ))),
            _ => Err(DeliveryError::Unavailable(format!(
                "Twilio answered {status}{}",
                code.map(|c| format!(" (error {c})")).unwrap_or_default()
            ))),
        }
    }

    fn describe(&self) -> String {
        format!("twilio account {} from {}", self.account, self.from)
    }
}

/// The `<Say language>` of a locale: Twilio's voices by language and region.
fn say_language(locale: &str) -> &'static str {
    match locale {
        "es" => "es-ES",
        "pt" => "pt-BR",
        "ru" => "ru-RU",
        "zh" => "cmn-CN",
        "ar" => "arb",
        _ => "en-US",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_api_is_https_or_loopback() {
        let env = |url: &'static str| {
            move |name: &str| match name {
                "TWILIO_ACCOUNT_SID" => Some("AC1".to_string()),
                "TWILIO_AUTH_TOKEN" => Some("t".to_string()),
                "TWILIO_FROM" => Some("+15005550006".to_string()),
                "TWILIO_API_URL" => Some(url.to_string()),
                _ => None,
            }
        };
        assert!(Twilio::new(&env("http://127.0.0.1:4010")).is_ok());
        assert!(Twilio::new(&env("https://api.twilio.com")).is_ok());
        let error = Twilio::new(&env("http://api.twilio.example"))
            .err()
            .expect("refused");
        assert!(error.contains("TWILIO_API_URL"), "{error}");
    }

    #[test]
    fn words_are_escaped_for_twiml() {
        assert_eq!(
            escape_markup("a <b> & \"c\""),
            "a &lt;b&gt; &amp; &quot;c&quot;"
        );
    }
}
