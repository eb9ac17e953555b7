//! Every sentence the shopper reads, in one place: progress for the `role="status"` region and
//! problems for the `role="alert"` region.

use thiserror::Error;

use super::contract::Failure;
use super::countdown::format_mss;

/// The field's visible label.
pub const FIELD_LABEL: &str = "Verification code";
/// The submit button.
pub const VERIFY: &str = "Verify";
/// Before the time left (`Code expires in 9:59`).
pub const EXPIRES_IN: &str = "Code expires in ";

/// The button that hands the choice of destination back to the page.
pub fn change_destination(channel: &str) -> &'static str {
    if channel == "email" {
        "Use a different e-mail address"
    } else {
        "Use a different number"
    }
}

/// The hint under the label.
pub fn field_hint(code_length: u8) -> String {
    format!("Enter the {code_length}-digit code we sent you.")
}

/// The send button: "Send code" before the first code, then "Resend code", with the wait while
/// the cooldown runs so the shopper knows when it will work.
pub fn send_button(has_sent: bool, wait_s: u64) -> String {
    match (has_sent, wait_s) {
        (false, _) => "Send code".into(),
        (true, 0) => "Resend code".into(),
        (true, wait) => format!("Resend code in {}", format_mss(wait)),
    }
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

impl Status {
    /// The sentence shown and announced.
    pub fn text(&self) -> String {
        match self {
            Status::Sending => "Sending a code…".into(),
            Status::Sent {
                destination_hint: Some(hint),
            } => format!("Code sent to {hint}."),
            Status::Sent {
                destination_hint: None,
            } => "Code sent.".into(),
            Status::RunningOut {
                seconds_left,
                can_resend,
            } => format!(
                "The code expires in {}.{}",
                duration_words(*seconds_left),
                if *can_resend {
                    " Need more time? Resend code."
                } else {
                    ""
                }
            ),
            Status::ResendReady => "No code yet? You can ask for a new one now.".into(),
            Status::Checking => "Checking the code…".into(),
            Status::Verified => "Verified. You can continue with your order.".into(),
        }
    }
}

/// Seconds in words for a sentence that is read out: "1 minute", "2 minutes", "45 seconds".
pub fn duration_words(seconds: u64) -> String {
    let (count, unit) = if seconds >= 60 && seconds.is_multiple_of(60) {
        (seconds / 60, "minute")
    } else {
        (seconds, "second")
    };
    format!("{count} {unit}{}", if count == 1 { "" } else { "s" })
}

/// Which request a failure happened in: it changes what the shopper should do next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Request {
    /// Sending a code.
    Send,
    /// Checking a code.
    Check,
}

/// A problem the shopper must notice (`role="alert"`). `Display` is the sentence shown.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Alert {
    /// Verify was pressed before the code was complete.
    #[error("Enter all {length} digits of the code.")]
    Incomplete {
        /// Digits in the code.
        length: u8,
    },
    /// The server said the code is wrong.
    #[error("That code is not right. {}", attempts_left(*attempts_remaining))]
    WrongCode {
        /// Tries left, when the server says.
        attempts_remaining: Option<u32>,
    },
    /// The code is past its deadline, or the server said it expired.
    #[error("This code has expired. Ask for a new code.")]
    Expired,
    /// Too many wrong codes: this code no longer works.
    #[error("Too many wrong codes. This code no longer works; ask for a new code.")]
    Locked,
    /// The pasted or autofilled message binds its code to another site.
    #[error("This code was sent for {host}, not for this page. Don't enter it here; check the address bar.")]
    WrongHost {
        /// The host the message names.
        host: String,
    },
    /// The server asked us to slow down.
    #[error("Too many requests. Try again in {}.", format_mss(*retry_after_s))]
    RateLimited {
        /// Seconds to wait.
        retry_after_s: u64,
    },
    /// No more codes can be sent for this verification; the text is the page's advice
    /// (config `sends_exhausted`).
    #[error("{advice}")]
    SendsExhausted {
        /// What the shopper can do next.
        advice: String,
    },
    /// A request produced nothing usable.
    #[error("{}", failure_text(*failure, *during))]
    Failed {
        /// What went wrong.
        failure: Failure,
        /// Which request it was.
        during: Request,
    },
}

fn attempts_left(attempts: Option<u32>) -> String {
    match attempts {
        Some(1) => "1 attempt left.".into(),
        Some(n) => format!("{n} attempts left."),
        None => "Check the message and try again.".into(),
    }
}

fn failure_text(failure: Failure, during: Request) -> String {
    match (failure, during) {
        (Failure::Network, Request::Send) => {
            "We could not reach the store to send a code. Check your connection and try again."
                .into()
        }
        (Failure::Network, Request::Check) => {
            "We could not reach the store. Your code is kept: check your connection and press Verify again."
                .into()
        }
        (Failure::Server(status), Request::Send) => {
            format!("The store could not send a code (error {status}). Try again in a moment.")
        }
        (Failure::Server(status), Request::Check) => format!(
            "The store could not check the code (error {status}). Your code is kept: try again in a moment."
        ),
        (Failure::Unrecognised(status), _) => format!(
            "The store sent an answer we do not understand (status {status}), so nothing is confirmed. Try again or contact the store."
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_read_naturally() {
        assert_eq!(
            Status::Sent {
                destination_hint: Some("+1 ••• 4567".into())
            }
            .text(),
            "Code sent to +1 ••• 4567."
        );
        assert_eq!(
            Status::Sent {
                destination_hint: None
            }
            .text(),
            "Code sent."
        );
        assert!(Status::Verified.text().contains("Verified"));
    }

    #[test]
    fn send_button_names_the_wait() {
        assert_eq!(send_button(false, 0), "Send code");
        assert_eq!(send_button(false, 30), "Send code");
        assert_eq!(send_button(true, 0), "Resend code");
        assert_eq!(send_button(true, 25), "Resend code in 0:25");
        assert_eq!(field_hint(8), "Enter the 8-digit code we sent you.");
        assert_eq!(change_destination("sms"), "Use a different number");
        assert_eq!(
            change_destination("email"),
            "Use a different e-mail address"
        );
    }

    #[test]
    fn wrong_code_counts_attempts_with_plurals() {
        let text = |n| {
            Alert::WrongCode {
                attempts_remaining: n,
            }
            .to_string()
        };
        assert_eq!(text(Some(4)), "That code is not right. 4 attempts left.");
        assert_eq!(text(Some(1)), "That code is not right. 1 attempt left.");
        assert!(text(None).contains("try again"));
    }

    #[test]
    fn failures_say_whether_the_code_is_kept() {
        let check = Alert::Failed {
            failure: Failure::Network,
            during: Request::Check,
        };
        assert!(check.to_string().contains("code is kept"));
        let send = Alert::Failed {
            failure: Failure::Server(503),
            during: Request::Send,
        };
        assert!(send.to_string().contains("503"));
        let odd = Alert::Failed {
            failure: Failure::Unrecognised(200),
            during: Request::Check,
        };
        assert!(!odd.to_string().contains("Verified"));
    }

    #[test]
    fn rate_limit_shows_time_as_mss() {
        assert_eq!(
            Alert::RateLimited { retry_after_s: 42 }.to_string(),
            "Too many requests. Try again in 0:42."
        );
    }
}
