//! Widget configuration: read from the page's JSON, checked field by field, with errors that name
//! the field and the value so a storefront developer can fix the page without reading our source.

use thiserror::Error;

use super::backend::CODE_LENGTHS;
use super::code::Alphabet;
use super::json::Json;
use super::url::Endpoint;

/// What is wrong with a configuration. The message names the field and the value it got.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ConfigError {
    /// The configuration is not a JSON object at all.
    #[error("checkout-verify config must be an object like {{\"destination\": \"+14155550123\"}}, got {0}")]
    NotAnObject(String),
    /// A field holds a value of the wrong type or out of range.
    #[error("checkout-verify config field `{field}` must be {expected}, got {value}")]
    Invalid {
        /// Dotted path of the field, e.g. `endpoints.send`.
        field: String,
        /// What the field accepts, in words.
        expected: &'static str,
        /// The value found, as JSON.
        value: String,
    },
    /// A field the widget does not know: most often a typo, so it is refused rather than ignored.
    #[error("checkout-verify config has no field `{field}`; known fields here: {known}")]
    Unknown {
        /// Dotted path of the unknown field.
        field: String,
        /// The fields accepted at that level, comma-separated.
        known: &'static str,
    },
}

/// The URLs the widget calls. Defaults follow the reference API contract
/// ([`crate::core::backend::reference`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    /// Sends (or re-sends) a code. Default `/api/verification`.
    pub send: String,
    /// Checks a code. Default `/api/verification/check`.
    pub verify: String,
}

impl Default for Endpoints {
    fn default() -> Self {
        Self {
            send: "/api/verification".into(),
            verify: "/api/verification/check".into(),
        }
    }
}

/// The widget's own resend rules, for backends that do not state theirs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResendPolicy {
    /// Seconds to wait after the 1st, 2nd, … code; the last entry repeats (the cap).
    /// Default `[30, 60, 120]`.
    pub cooldowns_s: Vec<u64>,
    /// Codes per verification, the first included. Default 5.
    pub max_sends: u32,
}

impl Default for ResendPolicy {
    fn default() -> Self {
        Self {
            cooldowns_s: vec![30, 60, 120],
            max_sends: 5,
        }
    }
}

impl ResendPolicy {
    /// Seconds to wait after the `sends`-th code (1-based).
    pub fn cooldown_after(&self, sends: u32) -> u64 {
        let index = (sends.max(1) - 1) as usize;
        self.cooldowns_s
            .get(index)
            .or(self.cooldowns_s.last())
            .copied()
            .unwrap_or(0)
    }
}

/// Everything a page can set. Every field is optional; `Config::default()` documents the defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Where the code goes (a phone number or an e-mail address), passed to the send endpoint.
    /// Default: none, for backends that know it from the checkout session.
    pub destination: Option<String>,
    /// Delivery channel passed to the send endpoint. Default `"sms"`.
    pub channel: String,
    /// Code length shown until the server says otherwise. Default 6; 4 to 10.
    pub code_length: u8,
    /// Characters of the code: `"digits"` (default) or `"alphanumeric"`.
    pub alphabet: Alphabet,
    /// Send the first code as soon as the widget appears. Default `false`: the shopper asks.
    pub auto_send: bool,
    /// Offer "Use a different number" once a code was sent; pressing it dispatches
    /// `checkout-verify:change-destination` for the page to handle. Default `false`, since the
    /// page must handle it.
    pub change_destination: bool,
    /// Offer the code from the SMS through the browser's WebOTP prompt where there is one
    /// (Chrome on Android). Default `true`.
    pub web_otp: bool,
    /// Check the code as soon as it is complete (typed, pasted or autofilled), without waiting
    /// for Enter or the Verify button. Default `false`: shoppers dislike surprise submits, and
    /// pages (and their tests) expect to press Verify.
    pub auto_submit: bool,
    /// The URLs the widget calls.
    pub endpoints: Endpoints,
    /// Seconds a code stays valid when the backend does not say (`expires_in`). Default 600.
    pub code_lifetime: u64,
    /// Seconds before expiry at which the shopper is warned and offered a new code (WCAG 2.2.1).
    /// Default 60.
    pub warn_before: u64,
    /// Resend backoff (`resend_backoff`, default `[30, 60, 120]` seconds, the last repeating) and
    /// codes per verification (`max_sends`, default 5), for backends that do not state theirs.
    pub resend: ResendPolicy,
    /// What the shopper is told when no more codes can be sent: what to do next (contact support,
    /// try later, use another method). Default: the catalog's advice to try later or contact the
    /// store, in the shopper's language.
    pub sends_exhausted: Option<String>,
    /// The `sessionStorage` key under which the verification's deadlines and send counts survive a
    /// reload (never the code). Give each widget its own when a page has several.
    /// Default `"checkout-verify"`.
    pub storage_key: String,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            destination: None,
            channel: "sms".into(),
            code_length: 6,
            alphabet: Alphabet::Digits,
            auto_send: false,
            auto_submit: false,
            web_otp: true,
            change_destination: false,
            endpoints: Endpoints::default(),
            code_lifetime: 600,
            warn_before: 60,
            resend: ResendPolicy::default(),
            sends_exhausted: None,
            storage_key: "checkout-verify".into(),
        }
    }
}

const TOP_FIELDS: &str = "destination, channel, code_length, alphabet, auto_send, auto_submit, web_otp, change_destination, endpoints, code_lifetime, warn_before, resend_backoff, max_sends, sends_exhausted, storage_key";
/// The longest wait a page may configure, in seconds.
const MAX_SECONDS: u64 = 24 * 60 * 60;
const ENDPOINT_FIELDS: &str = "send, verify";

impl Config {
    /// Parses and validates a configuration from JSON text (the page's config object, stringified).
    pub fn from_json(text: &str) -> Result<Self, ConfigError> {
        let value = Json::parse(text).map_err(|e| ConfigError::NotAnObject(e.to_string()))?;
        Self::from_value(&value)
    }

    /// Validates a configuration already parsed as JSON. `null` means all defaults.
    pub fn from_value(value: &Json) -> Result<Self, ConfigError> {
        let mut config = Config::default();
        let fields = match value {
            Json::Null => return Ok(config),
            Json::Object(pairs) => Fields::new(pairs, "", TOP_FIELDS)?,
            other => return Err(ConfigError::NotAnObject(other.to_string())),
        };
        if let Some(v) = fields.get("destination") {
            config.destination = Some(non_empty_text("destination", v)?);
        }
        if let Some(v) = fields.get("channel") {
            config.channel = non_empty_text("channel", v)?;
        }
        if let Some(v) = fields.get("code_length") {
            config.code_length = code_length("code_length", v)?;
        }
        if let Some(v) = fields.get("alphabet") {
            config.alphabet = match v.as_str() {
                Some("digits") => Alphabet::Digits,
                Some("alphanumeric") => Alphabet::Alphanumeric,
                _ => return Err(invalid("alphabet", "\"digits\" or \"alphanumeric\"", v)),
            };
        }
        for (name, flag) in [
            ("auto_send", &mut config.auto_send),
            ("auto_submit", &mut config.auto_submit),
            ("web_otp", &mut config.web_otp),
            ("change_destination", &mut config.change_destination),
        ] {
            if let Some(v) = fields.get(name) {
                *flag = v
                    .as_bool()
                    .ok_or_else(|| invalid(name, "true or false", v))?;
            }
        }
        if let Some(v) = fields.get("sends_exhausted") {
            config.sends_exhausted = Some(non_empty_text("sends_exhausted", v)?);
        }
        if let Some(v) = fields.get("storage_key") {
            config.storage_key = non_empty_text("storage_key", v)?;
        }
        if let Some(v) = fields.get("code_lifetime") {
            config.code_lifetime = seconds("code_lifetime", v, 1)?;
        }
        if let Some(v) = fields.get("warn_before") {
            config.warn_before = seconds("warn_before", v, 0)?;
        }
        if let Some(v) = fields.get("max_sends") {
            config.resend.max_sends = v
                .as_u64()
                .and_then(|n| u32::try_from(n).ok())
                .filter(|n| (1..=100).contains(n))
                .ok_or_else(|| invalid("max_sends", "a whole number from 1 to 100", v))?;
        }
        if let Some(v) = fields.get("resend_backoff") {
            let expected = "a list of 1 to 10 waits in seconds, like [30, 60, 120]";
            let items = v
                .as_array()
                .filter(|items| (1..=10).contains(&items.len()))
                .ok_or_else(|| invalid("resend_backoff", expected, v))?;
            config.resend.cooldowns_s.clear();
            for item in items {
                let wait = item.as_u64().filter(|n| *n <= MAX_SECONDS);
                let wait = wait.ok_or_else(|| invalid("resend_backoff", expected, v))?;
                config.resend.cooldowns_s.push(wait);
            }
        }
        if let Some(v) = fields.get("endpoints") {
            let pairs = v
                .as_object()
                .ok_or_else(|| invalid("endpoints", "an object with send and verify", v))?;
            let endpoints = Fields::new(pairs, "endpoints.", ENDPOINT_FIELDS)?;
            if let Some(v) = endpoints.get("send") {
                config.endpoints.send = endpoint("endpoints.send", v)?;
            }
            if let Some(v) = endpoints.get("verify") {
                config.endpoints.verify = endpoint("endpoints.verify", v)?;
            }
        }
        Ok(config)
    }
}

/// An object's fields, checked against the names accepted at that level.
struct Fields<'a>(&'a [(String, Json)]);

impl<'a> Fields<'a> {
    fn new(
        pairs: &'a [(String, Json)],
        prefix: &str,
        known: &'static str,
    ) -> Result<Self, ConfigError> {
        let mut keys = pairs.iter().map(|(k, _)| k);
        if let Some(unknown) =
            keys.find(|k| !known.split(',').any(|n| n.trim_start() == k.as_str()))
        {
            return Err(ConfigError::Unknown {
                field: format!("{prefix}{unknown}"),
                known,
            });
        }
        Ok(Self(pairs))
    }

    /// The field's value; `null` counts as absent so a page can spell out "use the default".
    fn get(&self, name: &str) -> Option<&'a Json> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
            .filter(|v| !v.is_null())
    }
}

fn invalid(field: &str, expected: &'static str, value: &Json) -> ConfigError {
    ConfigError::Invalid {
        field: field.into(),
        expected,
        value: value.to_string(),
    }
}

fn non_empty_text(field: &str, value: &Json) -> Result<String, ConfigError> {
    match value.as_str().map(str::trim) {
        Some(text) if !text.is_empty() => Ok(text.to_string()),
        _ => Err(invalid(field, "a non-empty string", value)),
    }
}

/// A whole number of seconds from `min` to a day.
fn seconds(field: &str, value: &Json, min: u64) -> Result<u64, ConfigError> {
    value
        .as_u64()
        .filter(|n| (min..=MAX_SECONDS).contains(n))
        .ok_or_else(|| {
            let expected = if min == 0 {
                "a whole number of seconds from 0 to 86400"
            } else {
                "a whole number of seconds from 1 to 86400"
            };
            invalid(field, expected, value)
        })
}

fn code_length(field: &str, value: &Json) -> Result<u8, ConfigError> {
    value
        .as_u64()
        .and_then(|n| u8::try_from(n).ok())
        .filter(|n| CODE_LENGTHS.contains(n))
        .ok_or_else(|| invalid(field, "a whole number from 4 to 10", value))
}

/// An endpoint is a same-origin path (`/api/...`) or an absolute `https://` URL (see
/// [`Endpoint`]). Scheme-relative (`//host`) and other schemes are refused: the code must never
/// travel in clear or to a host the page did not name explicitly.
fn endpoint(field: &str, value: &Json) -> Result<String, ConfigError> {
    let text = value.as_str().filter(|text| {
        Endpoint::parse(text).is_some_and(|endpoint| endpoint.is_same_origin_or_https())
    });
    text.map(str::to_string)
        .ok_or_else(|| invalid(field, "a path starting with / or an https:// URL", value))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_text(json: &str) -> String {
        Config::from_json(json).unwrap_err().to_string()
    }

    #[test]
    fn empty_and_null_give_documented_defaults() {
        let defaults = Config::default();
        assert_eq!(Config::from_json("{}").unwrap(), defaults);
        assert_eq!(Config::from_json("null").unwrap(), defaults);
        assert_eq!(defaults.code_length, 6);
        assert_eq!(defaults.channel, "sms");
        assert!(!defaults.auto_send);
        assert!(!defaults.auto_submit);
        assert!(defaults.web_otp);
        assert!(!defaults.change_destination);
        assert_eq!(defaults.endpoints.send, "/api/verification");
        assert_eq!(defaults.endpoints.verify, "/api/verification/check");
    }

    #[test]
    fn reads_every_field() {
        let config = Config::from_json(
            r#"{"destination":" +14155550123 ","channel":"email","code_length":8,"auto_send":true,
                "alphabet":"alphanumeric",
                "endpoints":{"send":"https://shop.example/otp/send","verify":"/otp/check"}}"#,
        )
        .unwrap();
        assert_eq!(config.destination.as_deref(), Some("+14155550123"));
        assert_eq!(config.channel, "email");
        assert_eq!(config.code_length, 8);
        assert_eq!(config.alphabet, Alphabet::Alphanumeric);
        assert!(config.auto_send);
        assert_eq!(config.endpoints.send, "https://shop.example/otp/send");
        assert_eq!(config.endpoints.verify, "/otp/check");
    }

    #[test]
    fn reads_the_timing_fields() {
        let config = Config::from_json(
            r#"{"code_lifetime":300,"warn_before":0,"resend_backoff":[10,20],"max_sends":3,
                "sends_exhausted":"Call us on 0800 123 456.","storage_key":"order-42"}"#,
        )
        .unwrap();
        assert_eq!((config.code_lifetime, config.warn_before), (300, 0));
        assert_eq!(
            config.resend,
            ResendPolicy {
                cooldowns_s: vec![10, 20],
                max_sends: 3
            }
        );
        assert_eq!(
            config.sends_exhausted.as_deref(),
            Some("Call us on 0800 123 456.")
        );
        assert_eq!(config.storage_key, "order-42");
        let defaults = Config::default();
        assert_eq!((defaults.code_lifetime, defaults.warn_before), (600, 60));
        assert_eq!(defaults.resend, ResendPolicy::default());
    }

    #[test]
    fn backoff_doubles_then_caps() {
        let policy = ResendPolicy::default();
        let waits: Vec<u64> = (1..=6).map(|n| policy.cooldown_after(n)).collect();
        assert_eq!(waits, [30, 60, 120, 120, 120, 120]);
        let none = ResendPolicy {
            cooldowns_s: Vec::new(),
            max_sends: 1,
        };
        assert_eq!(none.cooldown_after(3), 0);
    }

    #[test]
    fn bad_timing_fields_name_field_and_value() {
        for (json, field, shown) in [
            (r#"{"code_lifetime":0}"#, "`code_lifetime`", "0"),
            (r#"{"warn_before":-5}"#, "`warn_before`", "-5"),
            (r#"{"warn_before":90000}"#, "`warn_before`", "90000"),
            (r#"{"resend_backoff":[]}"#, "`resend_backoff`", "[]"),
            (
                r#"{"resend_backoff":[30,"x"]}"#,
                "`resend_backoff`",
                "[30,\"x\"]",
            ),
            (r#"{"resend_backoff":30}"#, "`resend_backoff`", "30"),
            (r#"{"max_sends":0}"#, "`max_sends`", "0"),
            (r#"{"storage_key":""}"#, "`storage_key`", "\"\""),
        ] {
            let text = error_text(json);
            assert!(
                text.contains(field) && text.contains(shown),
                "{json}: {text}"
            );
        }
    }

    #[test]
    fn null_fields_mean_default() {
        let config =
            Config::from_json(r#"{"code_length":null,"endpoints":{"send":null}}"#).unwrap();
        assert_eq!(config, Config::default());
    }

    #[test]
    fn wrong_type_names_field_and_value() {
        let text = error_text(r#"{"code_length":"six"}"#);
        assert!(text.contains("`code_length`"), "{text}");
        assert!(text.contains("\"six\""), "{text}");
    }

    #[test]
    fn code_length_out_of_range_is_refused() {
        for bad in ["3", "11", "-6", "6.5", "300"] {
            let text = error_text(&format!(r#"{{"code_length":{bad}}}"#));
            assert!(
                text.contains("`code_length`") && text.contains(bad),
                "{text}"
            );
        }
        for good in 4..=10 {
            let config = Config::from_json(&format!(r#"{{"code_length":{good}}}"#)).unwrap();
            assert_eq!(config.code_length, good);
        }
    }

    #[test]
    fn unknown_fields_are_named_with_the_known_ones() {
        let text = error_text(r#"{"code_lenght":6}"#);
        assert!(
            text.contains("`code_lenght`") && text.contains("code_length"),
            "{text}"
        );
        let text = error_text(r#"{"endpoints":{"check":"/x"}}"#);
        assert!(
            text.contains("`endpoints.check`") && text.contains("verify"),
            "{text}"
        );
    }

    #[test]
    fn endpoints_must_be_paths_or_https() {
        for bad in [
            "http://shop.example/otp",
            "//evil.example/otp",
            "javascript:alert(1)",
            "otp/send",
            "https://",
            "https:///path",
            "/otp send",
            "/\\evil.example/otp",
            "https://shop.example\\@evil.example/",
            "",
        ] {
            let json =
                Json::object([("endpoints", Json::object([("send", bad.into())]))]).to_string();
            let text = error_text(&json);
            assert!(text.contains("`endpoints.send`"), "{bad}: {text}");
        }
        let text = error_text(r#"{"endpoints":{"verify":42}}"#);
        assert!(
            text.contains("`endpoints.verify`") && text.contains("42"),
            "{text}"
        );
    }

    #[test]
    fn blank_strings_are_refused() {
        let text = error_text(r#"{"destination":"   "}"#);
        assert!(text.contains("`destination`"), "{text}");
        let text = error_text(r#"{"alphabet":"hex"}"#);
        assert!(
            text.contains("`alphabet`") && text.contains("hex"),
            "{text}"
        );
        let text = error_text(r#"{"channel":7}"#);
        assert!(text.contains("`channel`") && text.contains('7'), "{text}");
    }

    #[test]
    fn non_objects_and_bad_json_are_refused_clearly() {
        assert!(matches!(
            Config::from_json("[1]"),
            Err(ConfigError::NotAnObject(_))
        ));
        assert!(matches!(
            Config::from_json("{"),
            Err(ConfigError::NotAnObject(_))
        ));
        assert!(error_text(r#"{"auto_send":"yes"}"#).contains("`auto_send`"));
        assert!(error_text(r#"{"auto_submit":1}"#).contains("`auto_submit`"));
        assert!(
            !Config::from_json(r#"{"auto_submit":false}"#)
                .unwrap()
                .auto_submit
        );
        assert!(error_text(r#"{"endpoints":"/x"}"#).contains("`endpoints`"));
    }
}
