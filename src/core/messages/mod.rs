//! Every sentence the shopper reads or hears, as data: the flow says *what* to tell the shopper
//! ([`Status`] for the `role="status"` region, [`Alert`] for the `role="alert"` region), the
//! shell asks for the widget's fixed texts ([`Message`]), and one catalog per language turns
//! each into words with one exhaustive `match`, so a message without a translation does not
//! compile. The code reader's keywords ([`keywords`]) live here too, beside the languages they
//! come from.

pub mod en;
pub mod keywords;

use super::backend::{Failure, Request};
use super::guard::Reason;

/// A language the widget speaks. Default English.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Locale {
    /// English.
    #[default]
    En,
}

impl Locale {
    /// `message` in this language.
    pub fn text(self, message: &Message<'_>) -> String {
        match self {
            Locale::En => en::text(message),
        }
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
    /// The words before the time left (`Code expires in ` 9:59).
    ExpiresIn,
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

impl Status {
    /// The status as a message of the catalog.
    pub fn message(&self) -> Message<'_> {
        Message::Status(self)
    }
}

impl Alert {
    /// The alert as a message of the catalog.
    pub fn message(&self) -> Message<'_> {
        Message::Alert(self)
    }
}

impl Message<'_> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_send_button_names_the_wait() {
        let say = |has_sent, wait| Locale::En.text(&Message::send_button(has_sent, wait));
        assert_eq!(say(false, 0), "Send code");
        assert_eq!(say(false, 30), "Send code");
        assert_eq!(say(true, 0), "Resend code");
        assert_eq!(say(true, 25), "Resend code in 0:25");
    }

    #[test]
    fn formats_minutes_and_padded_seconds() {
        assert_eq!(format_mss(0), "0:00");
        assert_eq!(format_mss(5), "0:05");
        assert_eq!(format_mss(59), "0:59");
        assert_eq!(format_mss(60), "1:00");
        assert_eq!(format_mss(599), "9:59");
        assert_eq!(format_mss(600), "10:00");
        assert_eq!(format_mss(3661), "61:01");
    }
}
