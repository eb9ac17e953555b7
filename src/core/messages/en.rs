//! English: every message of the catalog in one exhaustive `match`.

use super::{format_mss, Alert, Message, Status};
use crate::core::backend::{Failure, Request};
use crate::core::guard::Reason;

/// `message` in English.
pub fn text(message: &Message<'_>) -> String {
    match message {
        Message::FieldLabel => "Verification code".into(),
        Message::FieldHint { length } => format!("Enter the {length}-digit code we sent you."),
        Message::Verify => "Verify".into(),
        Message::SendCode => "Send code".into(),
        Message::ResendCode => "Resend code".into(),
        Message::ResendCodeIn { wait_s } => format!("Resend code in {}", format_mss(*wait_s)),
        Message::ExpiresIn => "Code expires in ".into(),
        Message::ChangeDestination { channel: "email" } => "Use a different e-mail address".into(),
        Message::ChangeDestination { .. } => "Use a different number".into(),
        Message::SendsExhausted { advice: Some(advice) } => (*advice).into(),
        Message::SendsExhausted { advice: None } => {
            "No more codes can be sent now. Try again later, or contact the store.".into()
        }
        Message::OpenGenuine { url } => format!("Open {url} to continue."),
        Message::Status(Status::Sending) => "Sending a code…".into(),
        Message::SendBy { channel } => match *channel {
            "voice" => "Call me instead".into(),
            "sms" => "Text me instead".into(),
            "email" => "E-mail me instead".into(),
            "whatsapp" => "Send it by WhatsApp instead".into(),
            other => format!("Send it by {other} instead"),
        },
        Message::Status(Status::Sent {
            destination_hint,
            channel,
        }) => {
            let to = destination_hint
                .as_deref()
                .map_or_else(String::new, |hint| format!(" to {hint}"));
            match channel.as_str() {
                "voice" => format!(
                    "Calling {} now to read out the code.",
                    destination_hint.as_deref().unwrap_or("you")
                ),
                "email" => format!("Code sent by e-mail{to}."),
                "whatsapp" => format!("Code sent by WhatsApp{to}."),
                _ => format!("Code sent{to}."),
            }
        }
        Message::Status(Status::RunningOut {
            seconds_left,
            can_resend,
        }) => format!(
            "The code expires in {}.{}",
            duration(*seconds_left),
            if *can_resend {
                " Need more time? Resend code."
            } else {
                ""
            }
        ),
        Message::Status(Status::ResendReady) => {
            "No code yet? You can ask for a new one now.".into()
        }
        Message::Status(Status::Checking) => "Checking the code…".into(),
        Message::Status(Status::Verified) => "Verified. You can continue with your order.".into(),
        Message::Alert(Alert::Incomplete { length }) => {
            format!("Enter all {length} digits of the code.")
        }
        Message::Alert(Alert::WrongCode { attempts_remaining }) => format!(
            "That code is not right. {}",
            attempts(*attempts_remaining, "Check the message and try again.")
        ),
        Message::Alert(Alert::WrongOrExpired { attempts_remaining }) => format!(
            "That code is not right, or it has expired. {}",
            attempts(
                *attempts_remaining,
                "Check the message and try again, or ask for a new code."
            )
        ),
        Message::Alert(Alert::Expired) => "This code has expired. Ask for a new code.".into(),
        Message::Alert(Alert::Locked) => {
            "Too many wrong codes. This code no longer works; ask for a new code.".into()
        }
        Message::Alert(Alert::WrongHost { host }) => format!(
            "This code was sent for {host}, not for this page. Don't enter it here; check the address bar."
        ),
        Message::Alert(Alert::RateLimited { retry_after_s }) => {
            format!("Too many requests. Try again in {}.", format_mss(*retry_after_s))
        }
        Message::Alert(Alert::SendsExhausted { advice }) => text(&Message::SendsExhausted {
            advice: advice.as_deref(),
        }),
        Message::Alert(Alert::Blocked {
            reasons, genuine, ..
        }) => match (genuine, reasons.first()) {
            (None, _) => {
                "This page cannot show that it is the store's. Don't enter a code here.".into()
            }
            (Some(genuine), _) if reasons.contains(&Reason::HostNotAllowed) => {
                format!("This page is not {genuine}. Don't enter a code here.")
            }
            (Some(genuine), _) if reasons.contains(&Reason::Framed) => format!(
                "This page is shown inside another site, not by {genuine}. Don't enter a code here."
            ),
            (Some(genuine), Some(Reason::InsecureScheme)) => format!(
                "This page of {genuine} is not secure (no HTTPS). Don't enter a code here."
            ),
            (Some(genuine), _) => format!(
                "This page of {genuine} would send your code to another site, so it is turned off. Contact the store."
            ),
        },
        Message::Alert(Alert::Failed { failure, during }) => match (failure, during) {
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
            (Failure::Timeout, Request::Send) => {
                "The store took too long to answer. Try again in a moment.".into()
            }
            (Failure::Timeout, Request::Check) => {
                "The store took too long to answer. Your code is kept: press Verify again.".into()
            }
            (Failure::InvalidDestination, _) => {
                "This number or address cannot receive codes. Check it, or use another one.".into()
            }
            (Failure::Refused, _) => {
                "The store cannot verify you this way right now. Contact the store.".into()
            }
        },
    }
}

/// How many tries are left, or `otherwise` when the server does not say.
fn attempts(attempts_remaining: Option<u32>, otherwise: &str) -> String {
    match attempts_remaining {
        Some(1) => "1 attempt left.".into(),
        Some(n) => format!("{n} attempts left."),
        None => otherwise.into(),
    }
}

/// Seconds in words for a sentence that is read out: "1 minute", "2 minutes", "45 seconds".
fn duration(seconds: u64) -> String {
    let (count, unit) = if seconds >= 60 && seconds.is_multiple_of(60) {
        (seconds / 60, "minute")
    } else {
        (seconds, "second")
    };
    format!("{count} {unit}{}", if count == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(status: Status) -> String {
        text(&status.message())
    }

    fn alert(alert: Alert) -> String {
        text(&alert.message())
    }

    #[test]
    fn statuses_read_naturally() {
        assert_eq!(
            status(Status::Sent {
                destination_hint: Some("+1 ••• 4567".into()),
                channel: "sms".into()
            }),
            "Code sent to +1 ••• 4567."
        );
        assert_eq!(
            status(Status::Sent {
                destination_hint: None,
                channel: "sms".into()
            }),
            "Code sent."
        );
        assert_eq!(
            status(Status::Sent {
                destination_hint: Some("+1 ••• 4567".into()),
                channel: "voice".into()
            }),
            "Calling +1 ••• 4567 now to read out the code."
        );
        assert!(status(Status::Verified).contains("Verified"));
        assert_eq!(
            status(Status::RunningOut {
                seconds_left: 60,
                can_resend: true
            }),
            "The code expires in 1 minute. Need more time? Resend code."
        );
        assert_eq!(
            status(Status::RunningOut {
                seconds_left: 10,
                can_resend: false
            }),
            "The code expires in 10 seconds."
        );
    }

    #[test]
    fn send_button_names_the_wait() {
        assert_eq!(text(&Message::SendCode), "Send code");
        assert_eq!(text(&Message::ResendCode), "Resend code");
        assert_eq!(
            text(&Message::ResendCodeIn { wait_s: 25 }),
            "Resend code in 0:25"
        );
        assert_eq!(
            text(&Message::FieldHint { length: 8 }),
            "Enter the 8-digit code we sent you."
        );
        assert_eq!(
            text(&Message::ChangeDestination { channel: "sms" }),
            "Use a different number"
        );
        assert_eq!(
            text(&Message::ChangeDestination { channel: "email" }),
            "Use a different e-mail address"
        );
    }

    #[test]
    fn wrong_code_counts_attempts_with_plurals() {
        let wrong = |n| {
            alert(Alert::WrongCode {
                attempts_remaining: n,
            })
        };
        assert_eq!(wrong(Some(4)), "That code is not right. 4 attempts left.");
        assert_eq!(wrong(Some(1)), "That code is not right. 1 attempt left.");
        assert!(wrong(None).contains("try again"));
    }

    #[test]
    fn failures_say_whether_the_code_is_kept() {
        let check = alert(Alert::Failed {
            failure: Failure::Network,
            during: Request::Check,
        });
        assert!(check.contains("code is kept"));
        let send = alert(Alert::Failed {
            failure: Failure::Server(503),
            during: Request::Send,
        });
        assert!(send.contains("503"));
        let odd = alert(Alert::Failed {
            failure: Failure::Unrecognised(200),
            during: Request::Check,
        });
        assert!(!odd.contains("Verified"));
    }

    #[test]
    fn rate_limit_shows_time_as_mss() {
        assert_eq!(
            alert(Alert::RateLimited { retry_after_s: 42 }),
            "Too many requests. Try again in 0:42."
        );
    }

    #[test]
    fn a_blocked_page_names_the_genuine_store() {
        let blocked = |reasons: Vec<Reason>, genuine: Option<&str>| {
            alert(Alert::Blocked {
                reasons,
                genuine: genuine.map(String::from),
                genuine_url: None,
            })
        };
        assert_eq!(
            blocked(vec![Reason::HostNotAllowed], Some("shop.example")),
            "This page is not shop.example. Don't enter a code here."
        );
        assert!(blocked(vec![Reason::Framed], Some("shop.example")).contains("inside another site"));
        assert!(blocked(vec![Reason::InsecureScheme], Some("shop.example")).contains("not secure"));
        assert!(
            blocked(vec![Reason::EndpointNotAllowed], Some("shop.example"))
                .contains("another site")
        );
        assert!(blocked(vec![Reason::HostNotAllowed], None).contains("Don't enter a code"));
        assert_eq!(
            text(&Message::OpenGenuine {
                url: "https://shop.example/"
            }),
            "Open https://shop.example/ to continue."
        );
    }

    #[test]
    fn the_sends_exhausted_advice_is_the_pages_when_given() {
        assert_eq!(
            alert(Alert::SendsExhausted {
                advice: Some("Call us on 0800 123 456.".into())
            }),
            "Call us on 0800 123 456."
        );
        assert!(alert(Alert::SendsExhausted { advice: None }).contains("contact the store"));
    }
}
