//! Every sentence the shopper reads or hears, as data: the flow says *what* to tell the shopper
//! ([`Status`] for the `role="status"` region, [`Alert`] for the `role="alert"` region), the
//! shell asks for the widget's fixed texts ([`Message`]), and a [`Locale`] turns each into words
//! from its language's [`Catalog`] (English built in, every other language a catalog the shopper
//! downloads for their own language), the page's overrides first. The code reader's keywords
//! ([`keywords`]) live here too, beside the languages they come from.

pub mod catalog;
pub mod keywords;
#[cfg(test)]
mod tests;

pub use catalog::{Catalog, CatalogError, Plural, Template};

use super::backend::{Failure, Request};
use super::guard::Reason;

/// Languages written right to left, by their primary language subtag: the widget's text then
/// runs right to left (the code field keeps the code's own order).
const RIGHT_TO_LEFT: [&str; 10] = ["ar", "dv", "fa", "he", "ku", "ps", "sd", "ug", "ur", "yi"];

/// The primary language of a BCP 47 tag, lower-cased: `pt-BR` is `pt`, `zh-Hans-CN` is `zh`.
pub fn language_of(tag: &str) -> String {
    tag.split(['-', '_'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// Whether `tag` reads like a language tag (`ru`, `pt-BR`, `zh-Hans`): letters, digits and `-`,
/// a primary language of 2 to 8 letters.
pub fn is_language_tag(tag: &str) -> bool {
    let primary = tag.split('-').next().unwrap_or_default();
    (2..=8).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_alphabetic())
        && tag.len() <= 35
        && tag.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// A language's plural rule: the category of a count for a language tag (in the browser,
/// `Intl.PluralRules`).
pub type PluralRule = fn(&str, u64) -> Plural;

/// A language the widget speaks: its messages (the page's overrides over its catalog over
/// English) and its plural rule.
#[derive(Debug, Clone)]
pub struct Locale {
    tag: String,
    messages: Catalog,
    plural: PluralRule,
}

impl Default for Locale {
    fn default() -> Self {
        Self::english()
    }
}

impl Locale {
    /// English, built in.
    pub fn english() -> Self {
        Self {
            tag: "en".into(),
            messages: Catalog::english(),
            plural: |_, count| Plural::english(count),
        }
    }

    /// The language `tag` from its `catalog` (English for what it lacks, and when there is none),
    /// with the page's `overrides` over it, counting by `plural` (the browser's
    /// `Intl.PluralRules` for the tag).
    pub fn new(
        tag: &str,
        catalog: Option<&Catalog>,
        overrides: &Catalog,
        plural: PluralRule,
    ) -> Self {
        let english = Catalog::english();
        let language = match catalog {
            Some(catalog) => english.overlaid(catalog),
            None => english,
        };
        Self {
            tag: tag.to_string(),
            messages: language.overlaid(overrides),
            plural,
        }
    }

    /// The language tag (`lang` of the widget's root).
    pub fn tag(&self) -> &str {
        &self.tag
    }

    /// Whether the language is written right to left (`dir` of the widget's root).
    pub fn right_to_left(&self) -> bool {
        RIGHT_TO_LEFT.contains(&language_of(&self.tag).as_str())
    }

    /// `message` in this language.
    pub fn text(&self, message: &Message<'_>) -> String {
        // The page's own advice is said as the page wrote it.
        match message {
            Message::SendsExhausted {
                advice: Some(advice),
            } => return advice.to_string(),
            Message::Alert(Alert::SendsExhausted {
                advice: Some(advice),
            }) => return advice.clone(),
            _ => {}
        }
        if let Message::Status(Status::RunningOut {
            seconds_left,
            can_resend: true,
        }) = message
        {
            let warning = self.text(&Message::Status(&Status::RunningOut {
                seconds_left: *seconds_left,
                can_resend: false,
            }));
            let offer = self.say("need-more-time", None, None);
            // Sentences in Chinese or Japanese end with their own full stop, and no space.
            let gap = if warning.ends_with(['。', '！', '？']) {
                ""
            } else {
                " "
            };
            return format!("{warning}{gap}{offer}");
        }
        let (id, count, value) = message.parts();
        self.say(id, count, value)
    }

    /// The words around the time left (`Code expires in ` and ``), for a timer that shows the
    /// time in an element of its own: the words are said once, the time ticks.
    pub fn around_time_left(&self) -> (String, String) {
        let sentence = self.say("expires-in", None, Some(("time", "\0".into())));
        let (before, after) = sentence.split_once('\0').unwrap_or((&sentence, ""));
        (before.to_string(), after.to_string())
    }

    /// The message `id` with its `count` and its other `value` filled in.
    fn say(&self, id: &str, count: Option<u64>, value: Option<(&str, String)>) -> String {
        let template = self.messages.get(id).map_or("", |template| {
            template.form((self.plural)(&self.tag, count.unwrap_or(0)))
        });
        let rtl = self.right_to_left();
        let mut out = String::with_capacity(template.len() + 16);
        let mut rest = template;
        while let Some((before, after)) = rest.split_once('{') {
            out.push_str(before);
            let (name, tail) = after.split_once('}').unwrap_or((after, ""));
            if name == "count" {
                out.push_str(&count.unwrap_or(0).to_string());
            } else if let Some((_, value)) = value.as_ref().filter(|(n, _)| *n == name) {
                // In right-to-left text a time, a number or a host is a left-to-right island.
                if rtl {
                    out.push('\u{2066}');
                }
                out.push_str(value);
                if rtl {
                    out.push('\u{2069}');
                }
            }
            rest = tail;
        }
        out.push_str(rest);
        out
    }
}

/// Everything the shopper reads or hears, with the values it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Message<'a> {
    /// The code field's visible label.
    FieldLabel,
    /// The hint under the label, naming the code's length.
    FieldHint {
        /// Characters in the code.
        length: u8,
    },
    /// The submit button.
    Verify,
    /// The send button before the first code.
    SendCode,
    /// The send button once a code was sent and another may be asked for.
    ResendCode,
    /// The send button while the resend wait runs, so the shopper knows when it will work.
    ResendCodeIn {
        /// Seconds until a new code may be asked for.
        wait_s: u64,
    },
    /// The button that asks for the next code by another channel ("Call me instead").
    SendBy {
        /// The channel offered.
        channel: &'a str,
    },
    /// The button that hands the choice of destination back to the page.
    ChangeDestination {
        /// The delivery channel: `email` asks for another address, anything else another number.
        channel: &'a str,
    },
    /// What to do when no more codes can be sent: the page's own advice (config
    /// `sends_exhausted`) when it gave one.
    SendsExhausted {
        /// The page's advice.
        advice: Option<&'a str>,
    },
    /// The link under a blocked page's alert, to the genuine store.
    OpenGenuine {
        /// The genuine store's address.
        url: &'a str,
    },
    /// Progress, for the `role="status"` region.
    Status(&'a Status),
    /// A problem, for the `role="alert"` region.
    Alert(&'a Alert),
}

/// Progress worth announcing politely (`role="status"`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// A send request is under way.
    Sending,
    /// A code was sent, to the masked destination when the server named it.
    Sent {
        /// Masked destination from the server, e.g. `+1 ••• ••• 4567`.
        destination_hint: Option<String>,
        /// How it went: `sms`, `voice` (a call reads it out), `email`, `whatsapp`, …
        channel: String,
    },
    /// The code expires soon (the configured warning, then the last seconds).
    RunningOut {
        /// Seconds left when this was said.
        seconds_left: u64,
        /// Whether "Resend code" works now, so the shopper can get more time.
        can_resend: bool,
    },
    /// The resend wait is over: a shopper whose code has not arrived may ask again.
    ResendReady,
    /// A check request is under way.
    Checking,
    /// The server approved the code.
    Verified,
}

/// A problem the shopper must notice (`role="alert"`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Alert {
    /// Verify was pressed before the code was complete.
    Incomplete {
        /// Characters in the code.
        length: u8,
    },
    /// The server said the code is wrong.
    WrongCode {
        /// Tries left, when the server says.
        attempts_remaining: Option<u32>,
    },
    /// The server said the code is wrong or expired, and cannot tell which.
    WrongOrExpired {
        /// Tries left, when the server says.
        attempts_remaining: Option<u32>,
    },
    /// The code is past its deadline, or the server said it expired.
    Expired,
    /// Too many wrong codes: this code no longer works.
    Locked,
    /// The pasted or autofilled message binds its code to another site.
    WrongHost {
        /// The host the message names.
        host: String,
    },
    /// The server asked us to slow down.
    RateLimited {
        /// Seconds to wait.
        retry_after_s: u64,
    },
    /// No more codes can be sent for this verification.
    SendsExhausted {
        /// The page's advice (config `sends_exhausted`), when it gave one.
        advice: Option<String>,
    },
    /// A request produced nothing usable.
    Failed {
        /// What went wrong.
        failure: Failure,
        /// Which request it was.
        during: Request,
    },
    /// The page is not the genuine store; the shopper is sent to it.
    Blocked {
        /// Why, as the gate found.
        reasons: Vec<Reason>,
        /// The genuine store's host, when one is known.
        genuine: Option<String>,
        /// Its address, for the link ([`Message::OpenGenuine`]).
        genuine_url: Option<String>,
    },
}

/// A message's id, its count, and the value of its one other placeholder, if any (see
/// [`Message::parts`]).
type Parts = (&'static str, Option<u64>, Option<(&'static str, String)>);

impl Status {
    /// The status as a message of the catalog.
    pub fn message(&self) -> Message<'_> {
        Message::Status(self)
    }

    fn parts(&self) -> Parts {
        match self {
            Status::Sending => ("sending", None, None),
            Status::Sent {
                destination_hint,
                channel,
            } => {
                let (alone, to) = match channel.as_str() {
                    "voice" => ("calling", "calling-to"),
                    "email" => ("sent-email", "sent-email-to"),
                    "whatsapp" => ("sent-whatsapp", "sent-whatsapp-to"),
                    _ => ("sent", "sent-to"),
                };
                match destination_hint {
                    Some(hint) => (to, None, Some(("destination", hint.clone()))),
                    None => (alone, None, None),
                }
            }
            Status::RunningOut { seconds_left, .. } => {
                if *seconds_left >= 60 && seconds_left.is_multiple_of(60) {
                    ("expires-in-minutes", Some(seconds_left / 60), None)
                } else {
                    ("expires-in-seconds", Some(*seconds_left), None)
                }
            }
            Status::ResendReady => ("resend-ready", None, None),
            Status::Checking => ("checking", None, None),
            Status::Verified => ("verified", None, None),
        }
    }
}

impl Alert {
    /// The alert as a message of the catalog.
    pub fn message(&self) -> Message<'_> {
        Message::Alert(self)
    }

    fn parts(&self) -> Parts {
        let host = |host: &str| Some(("host", host.to_string()));
        let status = |status: u16| Some(("status", status.to_string()));
        match self {
            Alert::Incomplete { length } => ("incomplete", Some(u64::from(*length)), None),
            Alert::WrongCode {
                attempts_remaining: Some(left),
            } => ("wrong-code-left", Some(u64::from(*left)), None),
            Alert::WrongCode { .. } => ("wrong-code", None, None),
            Alert::WrongOrExpired {
                attempts_remaining: Some(left),
            } => ("wrong-or-expired-left", Some(u64::from(*left)), None),
            Alert::WrongOrExpired { .. } => ("wrong-or-expired", None, None),
            Alert::Expired => ("expired", None, None),
            Alert::Locked => ("locked", None, None),
            Alert::WrongHost { host: named } => ("wrong-host", None, host(named)),
            Alert::RateLimited { retry_after_s } => (
                "rate-limited",
                None,
                Some(("time", format_mss(*retry_after_s))),
            ),
            Alert::SendsExhausted { .. } => ("sends-exhausted", None, None),
            Alert::Blocked {
                reasons, genuine, ..
            } => match (genuine, reasons.first()) {
                (None, _) => ("blocked", None, None),
                (Some(genuine), _) if reasons.contains(&Reason::HostNotAllowed) => {
                    ("blocked-host", None, host(genuine))
                }
                (Some(genuine), _) if reasons.contains(&Reason::Framed) => {
                    ("blocked-framed", None, host(genuine))
                }
                (Some(genuine), Some(Reason::InsecureScheme)) => {
                    ("blocked-insecure", None, host(genuine))
                }
                (Some(genuine), _) => ("blocked-endpoint", None, host(genuine)),
            },
            Alert::Failed { failure, during } => match (failure, during) {
                (Failure::Network, Request::Send) => ("send-network", None, None),
                (Failure::Network, Request::Check) => ("check-network", None, None),
                (Failure::Server(code), Request::Send) => ("send-server", None, status(*code)),
                (Failure::Server(code), Request::Check) => ("check-server", None, status(*code)),
                (Failure::Unrecognised(code), _) => ("unrecognised", None, status(*code)),
                (Failure::Timeout, Request::Send) => ("send-timeout", None, None),
                (Failure::Timeout, Request::Check) => ("check-timeout", None, None),
                (Failure::InvalidDestination(_), _) => ("invalid-destination", None, None),
                (Failure::Refused(_), _) => ("refused", None, None),
            },
        }
    }
}

impl Message<'_> {
    /// The message's id in the catalogs, its count (which picks the plural form), and the values
    /// of its other placeholders.
    fn parts(&self) -> Parts {
        let count = |n: u64| Some(n);
        let time = |s: u64| Some(("time", format_mss(s)));
        match self {
            Message::FieldLabel => ("field-label", None, None),
            Message::FieldHint { length } => ("field-hint", count(u64::from(*length)), None),
            Message::Verify => ("verify", None, None),
            Message::SendCode => ("send-code", None, None),
            Message::ResendCode => ("resend-code", None, None),
            Message::ResendCodeIn { wait_s } => ("resend-code-in", None, time(*wait_s)),
            Message::ChangeDestination { channel: "email" } => ("change-email", None, None),
            Message::ChangeDestination { .. } => ("change-number", None, None),
            Message::SendBy { channel } => match *channel {
                "voice" => ("send-by-voice", None, None),
                "sms" => ("send-by-sms", None, None),
                "email" => ("send-by-email", None, None),
                "whatsapp" => ("send-by-whatsapp", None, None),
                other => ("send-by-other", None, Some(("channel", other.to_string()))),
            },
            Message::SendsExhausted { .. } => ("sends-exhausted", None, None),
            Message::OpenGenuine { url } => {
                ("open-genuine", None, Some(("url", (*url).to_string())))
            }
            Message::Status(status) => status.parts(),
            Message::Alert(alert) => alert.parts(),
        }
    }

    /// The send button: "Send code" before the first code, then "Resend code", with the wait
    /// while the cooldown runs so the shopper knows when it will work.
    pub fn send_button(has_sent: bool, wait_s: u64) -> Self {
        match (has_sent, wait_s) {
            (false, _) => Message::SendCode,
            (true, 0) => Message::ResendCode,
            (true, wait_s) => Message::ResendCodeIn { wait_s },
        }
    }
}

/// Seconds as the timer shows them, `m:ss` (`9:59`, `0:05`, `61:00`), the same in every
/// language.
pub fn format_mss(seconds: u64) -> String {
    format!("{}:{:02}", seconds / 60, seconds % 60)
}
