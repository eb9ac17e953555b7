//! Widget configuration: read from the page's JSON, checked field by field, with errors that name
//! the field and the value so a storefront developer can fix the page without reading our source.

mod advice;
mod answers;
pub mod backend;
mod fields;
#[cfg(test)]
mod tests;

use thiserror::Error;

use fields::{code_length, endpoint, invalid, non_empty_text, seconds, Fields, MAX_SECONDS};

use super::backend::adapter::Adapter;
use super::backend::presets::VOUCHED_ORIGINS;
use super::code::Alphabet;
use super::guard::{bounded_allowlist, Guard, Page};
use super::json::Json;
use super::messages::{is_language_tag, Catalog, CatalogError};
use super::url::host::HostPattern;

/// The allowlist compiled into this package from `CHECKOUT_VERIFY_ALLOW` at build time
/// (`CHECKOUT_VERIFY_ALLOW=shop.example,*.shop.example make package`): a page's `allow` can only
/// narrow it, so a copied page cannot widen it by editing its config.
pub const COMPILED_ALLOW: Option<&str> = option_env!("CHECKOUT_VERIFY_ALLOW");

/// Said on the console when neither the config nor the package names the store's hosts.
pub const NO_ALLOWLIST_WARNING: &str = "checkout-verify: no `allow` in the config and none built in (CHECKOUT_VERIFY_ALLOW), so the page's own host is taken as the store's: the authenticity check cannot tell a copy of this page from the original. Set `allow` to your store's hosts.";

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
    /// The `allow` list reaches beyond the hosts this package was built for, or that build list
    /// itself is malformed.
    #[error("checkout-verify config field `allow`: {problem}, got {value}")]
    OutsideBuild {
        /// What is outside, in words.
        problem: String,
        /// The `allow` value found, as JSON.
        value: String,
    },
    /// A field another one needs is not given (a preset's `params.api_key`, say).
    #[error("checkout-verify config needs the field `{field}`: `{needed_by}` uses it")]
    Missing {
        /// Dotted path of the missing field.
        field: String,
        /// Dotted path of the field that uses it.
        needed_by: String,
    },
    /// The page's `messages` name a message or a placeholder the widget does not have, or are
    /// not templates; the message lists what is known.
    #[error("checkout-verify config field `messages`: {0}")]
    Messages(#[from] CatalogError),
    /// A field the widget does not know: most often a typo, so it is refused rather than ignored.
    #[error("checkout-verify config has no field `{field}`; known fields here: {known}")]
    Unknown {
        /// Dotted path of the unknown field.
        field: String,
        /// The fields accepted at that level, comma-separated.
        known: &'static str,
    },
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
    /// The backend the widget talks to, through the adapter (`backend`): a preset merged with
    /// the page's fields, or one written from scratch. Default: the `reference` preset, at the
    /// URLs of `endpoints` (its shorthand) when given.
    pub backend: Adapter,
    /// An opaque id of the order or cart (`context`), sent with the first send (`{{context}}`)
    /// so the store's server can check that a proof is for this order. Default: none.
    pub context: Option<String>,
    /// Channels the shopper may switch to when a new code may be asked for (`channels`, like
    /// `["sms", "voice"]`): each other than the current one is offered as "Call me instead" and
    /// the like. Default: none, only `channel`.
    pub channels: Vec<String>,
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
    /// The genuine store's hosts (`"shop.example"`, `"*.shop.example"`), bounded by
    /// [`COMPILED_ALLOW`]. Default: the compiled list; with neither, the page's own host, which
    /// cannot tell a copy from the original.
    pub allow: Vec<HostPattern>,
    /// Allow plain `http:` on loopback hosts (`localhost`, `127.0.0.0/8`, `[::1]`), for the page
    /// and its endpoints, and nowhere else. Default `false`.
    pub development: bool,
    /// Where a refusing widget sends its clone report: an absolute `https:` URL on an allowed host
    /// (plain `http:` on loopback in development). Default: no report.
    pub report: Option<String>,
    /// Accept being framed where the browser cannot list the frame's ancestors (Firefox, which
    /// has no `location.ancestorOrigins`). Default `false`: such framing is refused.
    pub allow_unlisted_framing: bool,
    /// The language the widget speaks (`ru`, `pt-BR`: a tag with a region takes its language).
    /// Default: the host element's `lang`, else the page's `<html lang>`, else English.
    pub locale: Option<String>,
    /// The page's own words for single messages, by id, over its language's catalog (plural
    /// forms as in the catalogs). Default: none.
    pub messages: Catalog,
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
            backend: backend::reference_at(None, false).unwrap_or_default(),
            context: None,
            channels: Vec::new(),
            code_lifetime: 600,
            warn_before: 60,
            resend: ResendPolicy::default(),
            sends_exhausted: None,
            storage_key: "checkout-verify".into(),
            allow: Vec::new(),
            development: false,
            report: None,
            allow_unlisted_framing: false,
            locale: None,
            messages: Catalog::default(),
        }
    }
}

/// How `<checkout-verify>` takes a field as an attribute (`code-length="6"`), if at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attribute {
    /// Text as written.
    Text,
    /// A whole number.
    Number,
    /// `true` unless the attribute says `"false"`.
    Flag,
    /// Items separated by spaces or commas.
    List,
    /// Only through the `config` property (an object).
    Object,
}

/// The config's fields: one list, from which [`FIELDS`] and the refusal of an unknown field
/// are made.
macro_rules! config_fields {
    ($first:ident: $first_kind:ident $(, $name:ident: $kind:ident)* $(,)?) => {
        /// Every field a page may set, and how the element takes it: the one table the element's
        /// attributes, the TypeScript types and both READMEs are held to (`tests/config_fields.rs`
        /// names every place a field is missing from).
        pub const FIELDS: &[(&str, Attribute)] = &[
            (stringify!($first), Attribute::$first_kind)
            $(, (stringify!($name), Attribute::$kind))*
        ];
        const TOP_FIELDS: &str = concat!(stringify!($first) $(, ", ", stringify!($name))*);
    };
}

config_fields! {
    destination: Text,
    channel: Text,
    channels: List,
    context: Text,
    code_length: Number,
    alphabet: Text,
    auto_send: Flag,
    auto_submit: Flag,
    web_otp: Flag,
    change_destination: Flag,
    backend: Object,
    endpoints: Object,
    code_lifetime: Number,
    warn_before: Number,
    resend_backoff: List,
    max_sends: Number,
    sends_exhausted: Text,
    storage_key: Text,
    allow: List,
    development: Flag,
    report: Text,
    allow_unlisted_framing: Flag,
    locale: Text,
    messages: Object,
}
/// The longest `context`, in characters (the reference server's limit too).
pub const MAX_CONTEXT_CHARS: usize = 128;

impl Config {
    /// Parses and validates a configuration from JSON text (the page's config object, stringified).
    pub fn from_json(text: &str) -> Result<Self, ConfigError> {
        let value = Json::parse(text).map_err(|e| ConfigError::NotAnObject(e.to_string()))?;
        Self::from_value(&value)
    }

    /// Validates a configuration already parsed as JSON, bounded by the package's compiled
    /// allowlist. `null` means all defaults.
    pub fn from_value(value: &Json) -> Result<Self, ConfigError> {
        Self::built_with(value, COMPILED_ALLOW)
    }

    /// [`Config::from_value`] for a package built with `compiled` as its allowlist.
    pub fn built_with(value: &Json, compiled: Option<&str>) -> Result<Self, ConfigError> {
        let mut config = Config::default();
        let empty = Vec::new();
        let fields = match value {
            Json::Null => Fields(&empty),
            Json::Object(pairs) => Fields::new(pairs, "", TOP_FIELDS)?,
            other => return Err(ConfigError::NotAnObject(other.to_string())),
        };
        // Read first: it widens what the endpoints below may be.
        for (name, flag) in [
            ("development", &mut config.development),
            ("allow_unlisted_framing", &mut config.allow_unlisted_framing),
        ] {
            if let Some(v) = fields.get(name) {
                *flag = v
                    .as_bool()
                    .ok_or_else(|| invalid(name, "true or false", v))?;
            }
        }
        let development = config.development;
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
        config.backend =
            backend::of_fields(fields.get("backend"), fields.get("endpoints"), development)?;
        if let Some(v) = fields.get("context") {
            let context = non_empty_text("context", v)?;
            if context.chars().count() > MAX_CONTEXT_CHARS || context.chars().any(char::is_control)
            {
                return Err(invalid(
                    "context",
                    "an order or cart id of at most 128 printable characters",
                    v,
                ));
            }
            config.context = Some(context);
        }
        if let Some(v) = fields.get("locale") {
            config.locale = Some(
                v.as_str()
                    .filter(|tag| is_language_tag(tag))
                    .map(str::to_string)
                    .ok_or_else(|| {
                        invalid("locale", "a language tag like \"ru\" or \"pt-BR\"", v)
                    })?,
            );
        }
        if let Some(v) = fields.get("messages") {
            config.messages = Catalog::parse(v, &Catalog::english())?;
        }
        if let Some(v) = fields.get("channels") {
            config.channels = channels(v)?;
            if !config.channels.contains(&config.channel) {
                return Err(invalid(
                    "channels",
                    "a list that includes `channel` (default \"sms\")",
                    v,
                ));
            }
        }
        if let Some(v) = fields.get("report") {
            let url = endpoint("report", v, development)?;
            if url.starts_with('/') {
                // On a copy, a path would report to the copy.
                return Err(invalid(
                    "report",
                    "an absolute https:// URL on the store's host",
                    v,
                ));
            }
            config.report = Some(url);
        }
        let page_allow = match fields.get("allow") {
            Some(v) => allowlist(v)?,
            None => Vec::new(),
        };
        config.allow = bounded_allowlist(&page_allow, compiled).map_err(|problem| {
            let value = fields
                .get("allow")
                .map_or_else(String::new, Json::to_string);
            ConfigError::OutsideBuild { problem, value }
        })?;
        Ok(config)
    }

    /// The gate for a page: this config's hosts (the page's own host when none are named),
    /// development rule, framing rule, and every URL the widget will call but those of a
    /// preset's own service ([`VOUCHED_ORIGINS`]).
    pub fn guard(&self, page: &Page) -> Guard {
        let allow = if self.allow.is_empty() {
            HostPattern::parse(&page.host).into_iter().collect()
        } else {
            self.allow.clone()
        };
        let mut endpoints = self.backend.urls();
        endpoints.retain(|url| !VOUCHED_ORIGINS.iter().any(|origin| url.starts_with(origin)));
        endpoints.extend(self.report.clone());
        Guard {
            allow,
            development: self.development,
            allow_unlisted_framing: self.allow_unlisted_framing,
            endpoints,
        }
    }
}

/// `channels`: delivery channels, each named once.
fn channels(value: &Json) -> Result<Vec<String>, ConfigError> {
    let expected = "a list of 1 to 4 channels like [\"sms\", \"voice\"]";
    let items = value
        .as_array()
        .filter(|items| (1..=4).contains(&items.len()))
        .ok_or_else(|| invalid("channels", expected, value))?;
    let mut channels: Vec<String> = Vec::new();
    for item in items {
        let channel = non_empty_text("channels", item)?;
        if channels.contains(&channel) {
            return Err(invalid("channels", expected, value));
        }
        channels.push(channel);
    }
    Ok(channels)
}

/// `allow`: a list of host patterns.
fn allowlist(value: &Json) -> Result<Vec<HostPattern>, ConfigError> {
    let expected = "a list of hosts like [\"shop.example\", \"*.shop.example\"]";
    let items = value
        .as_array()
        .filter(|items| !items.is_empty())
        .ok_or_else(|| invalid("allow", expected, value))?;
    items
        .iter()
        .map(|item| {
            item.as_str()
                .and_then(HostPattern::parse)
                .ok_or_else(|| invalid("allow", expected, item))
        })
        .collect()
}
