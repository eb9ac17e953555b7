//! The verification state machine: idle → sending → awaiting code → verifying → verified, or
//! invalid / expired / locked / error, with the way back from each.
//!
//! Pure: the current time comes in as milliseconds, and every transition returns the [`Effect`]s
//! the shell must carry out (a request, an event, clearing the field). The code itself lives in
//! the shell's input; the flow sees it only when asked to submit it.

use super::code::{is_complete, Alphabet};
use super::config::Config;
use super::contract::{CheckRequest, SendOutcome, SendRequest, VerifyOutcome};
use super::countdown::seconds_until;
use super::events::Event;
use super::messages::{Alert, Request, Status};

/// Where the verification stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// No code sent yet.
    Idle,
    /// A send request is under way.
    Sending,
    /// A code was sent and is valid: the shopper can enter it.
    AwaitingCode,
    /// A check request is under way; the field is read-only.
    Verifying,
    /// The server approved the code. Final.
    Verified,
    /// The last code entered was wrong; another try is allowed.
    Invalid,
    /// The code expired: only a new code helps.
    Expired,
    /// Too many wrong codes: only a new code helps.
    Locked,
    /// A request failed; the typed code is kept for another try.
    Error,
}

impl Phase {
    /// A stable kebab-case name, used as the widget's `data-phase` for styling and tests.
    pub fn name(self) -> &'static str {
        match self {
            Phase::Idle => "idle",
            Phase::Sending => "sending",
            Phase::AwaitingCode => "awaiting-code",
            Phase::Verifying => "verifying",
            Phase::Verified => "verified",
            Phase::Invalid => "invalid",
            Phase::Expired => "expired",
            Phase::Locked => "locked",
            Phase::Error => "error",
        }
    }
}

/// Something the shell must do after a transition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// POST this body to the send endpoint, then call [`Flow::send_answered`].
    Send(SendRequest),
    /// POST this body to the verify endpoint, then call [`Flow::verify_answered`].
    Check(CheckRequest),
    /// Dispatch this event on the host element.
    Emit(Event),
    /// Empty the code field (the code is wrong, void or replaced).
    ClearCode,
    /// Ask the browser for the code from the incoming SMS (WebOTP), replacing any earlier ask.
    /// Its answer goes to [`Flow::submit`].
    ListenForCode,
    /// Withdraw the WebOTP ask: the code was entered by hand, or is no longer wanted.
    StopListening,
    /// Move focus to the code field: a code was just sent, or the shopper must type it again.
    /// Only after the shopper's own actions, never on a clock tick.
    FocusCode,
}

/// The live verification the server told us about.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Session {
    verification_id: String,
    expires_at_ms: u64,
    sends_remaining: u32,
}

/// The state machine. Create one per widget with [`Flow::new`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flow {
    phase: Phase,
    /// Phase to return to when a send fails or is throttled.
    before_send: Phase,
    code_length: u8,
    alphabet: Alphabet,
    auto_submit: bool,
    web_otp: bool,
    change_destination: bool,
    destination: Option<String>,
    channel: String,
    session: Option<Session>,
    /// Earliest time a send may be requested, as the server last said.
    send_allowed_at_ms: u64,
    status: Option<Status>,
    alert: Option<Alert>,
}

impl Flow {
    /// A flow in [`Phase::Idle`] for this configuration.
    pub fn new(config: &Config) -> Self {
        Self {
            phase: Phase::Idle,
            before_send: Phase::Idle,
            code_length: config.code_length,
            alphabet: config.alphabet,
            auto_submit: config.auto_submit,
            web_otp: config.web_otp,
            change_destination: config.change_destination,
            destination: config.destination.clone(),
            channel: config.channel.clone(),
            session: None,
            send_allowed_at_ms: 0,
            status: None,
            alert: None,
        }
    }

    /// The current phase.
    pub fn phase(&self) -> Phase {
        self.phase
    }

    /// Digits in the code: the config's until the server names its own.
    pub fn code_length(&self) -> u8 {
        self.code_length
    }

    /// The progress message for `role="status"`, if any.
    pub fn status(&self) -> Option<&Status> {
        self.status.as_ref()
    }

    /// The problem for `role="alert"`, if any.
    pub fn alert(&self) -> Option<&Alert> {
        self.alert.as_ref()
    }

    /// Which characters the code is made of.
    pub fn alphabet(&self) -> Alphabet {
        self.alphabet
    }

    /// Whether a code was ever sent (the button then reads "Resend code").
    pub fn has_sent(&self) -> bool {
        self.session.is_some()
    }

    /// Whether the shopper may type a code now.
    pub fn accepts_code(&self) -> bool {
        matches!(
            self.phase,
            Phase::AwaitingCode | Phase::Invalid | Phase::Error
        ) && self.session.is_some()
    }

    /// Whether the code field is enabled: while a code can be entered, and (read-only) while it is
    /// being checked, so the shopper still sees what they typed.
    pub fn field_enabled(&self) -> bool {
        self.accepts_code() || self.phase == Phase::Verifying
    }

    /// Whether the code field is read-only: while a check is under way.
    pub fn field_read_only(&self) -> bool {
        self.phase == Phase::Verifying
    }

    /// Seconds the current code stays valid, while there is one to enter or being checked.
    pub fn time_left_s(&self, now_ms: u64) -> Option<u64> {
        let live = self.accepts_code() || self.phase == Phase::Verifying;
        self.session
            .as_ref()
            .filter(|_| live)
            .map(|s| seconds_until(s.expires_at_ms, now_ms))
    }

    /// Whether "Use a different number" is offered: configured, a code was sent, and the
    /// verification is not being checked or done.
    pub fn offers_change_destination(&self) -> bool {
        self.change_destination
            && self.has_sent()
            && !matches!(self.phase, Phase::Verifying | Phase::Verified)
    }

    /// The shopper asked to use another destination: tell the page, which owns that form.
    pub fn request_change_destination(&mut self) -> Vec<Effect> {
        if !self.offers_change_destination() {
            return Vec::new();
        }
        vec![
            Effect::StopListening,
            Effect::Emit(Event::ChangeDestination),
        ]
    }

    /// Whether a (new) code may be requested now.
    pub fn can_send(&self, now_ms: u64) -> bool {
        !matches!(
            self.phase,
            Phase::Sending | Phase::Verifying | Phase::Verified
        ) && now_ms >= self.send_allowed_at_ms
            && self.session.as_ref().is_none_or(|s| s.sends_remaining > 0)
    }

    /// Seconds until a send is allowed by the cooldown (0 when it is).
    pub fn send_wait_s(&self, now_ms: u64) -> u64 {
        seconds_until(self.send_allowed_at_ms, now_ms)
    }

    /// The shopper asked for a code. Refused (no effects) while not allowed.
    pub fn request_send(&mut self, now_ms: u64) -> Vec<Effect> {
        if !self.can_send(now_ms) {
            return Vec::new();
        }
        self.before_send = self.phase;
        self.phase = Phase::Sending;
        self.status = Some(Status::Sending);
        self.alert = None;
        // WebOTP must be asking before the SMS arrives, so it starts with the request.
        let mut effects = vec![Effect::Send(SendRequest {
            destination: self.destination.clone(),
            channel: self.channel.clone(),
            verification_id: self.session.as_ref().map(|s| s.verification_id.clone()),
        })];
        if self.web_otp {
            effects.push(Effect::ListenForCode);
        }
        effects
    }

    /// The send request came back.
    pub fn send_answered(&mut self, outcome: SendOutcome, now_ms: u64) -> Vec<Effect> {
        if self.phase != Phase::Sending {
            return Vec::new();
        }
        match outcome {
            SendOutcome::Sent(sent) => {
                self.phase = Phase::AwaitingCode;
                self.code_length = sent.code_length;
                self.send_allowed_at_ms = now_ms.saturating_add(sent.resend_in * 1000);
                self.session = Some(Session {
                    verification_id: sent.verification_id.clone(),
                    expires_at_ms: now_ms.saturating_add(sent.expires_in * 1000),
                    sends_remaining: sent.sends_remaining,
                });
                self.status = Some(Status::Sent {
                    destination_hint: sent.destination_hint.clone(),
                });
                vec![
                    Effect::ClearCode,
                    Effect::FocusCode,
                    Effect::Emit(Event::Sent {
                        verification_id: sent.verification_id,
                        expires_in: sent.expires_in,
                        resend_in: sent.resend_in,
                        sends_remaining: sent.sends_remaining,
                        destination_hint: sent.destination_hint,
                    }),
                ]
            }
            SendOutcome::RateLimited { retry_after_s } => {
                self.phase = self.before_send;
                self.status = None;
                self.send_allowed_at_ms = self
                    .send_allowed_at_ms
                    .max(now_ms.saturating_add(retry_after_s * 1000));
                self.alert = Some(Alert::RateLimited { retry_after_s });
                vec![Effect::Emit(Event::Throttled {
                    retry_after: retry_after_s,
                })]
            }
            SendOutcome::Failed(failure) => {
                self.phase = self.before_send;
                self.status = None;
                self.alert = Some(Alert::Failed {
                    failure,
                    during: Request::Send,
                });
                vec![Effect::Emit(Event::Error {
                    failure,
                    during: Request::Send,
                })]
            }
        }
    }

    /// The shopper submitted `code` (Enter or the Verify button). At most one check is in flight:
    /// a submit while verifying, verified or without a live code does nothing.
    pub fn submit(&mut self, code: &str, now_ms: u64) -> Vec<Effect> {
        let Some(session) = self.session.as_ref().filter(|_| self.accepts_code()) else {
            return Vec::new();
        };
        if now_ms >= session.expires_at_ms {
            return self.expire();
        }
        if !is_complete(code, self.code_length, self.alphabet) {
            self.alert = Some(Alert::Incomplete {
                length: self.code_length,
            });
            return Vec::new();
        }
        let request = CheckRequest {
            verification_id: session.verification_id.clone(),
            code: code.to_string(),
        };
        self.phase = Phase::Verifying;
        self.status = Some(Status::Checking);
        self.alert = None;
        vec![Effect::StopListening, Effect::Check(request)]
    }

    /// The field now holds `code` (typed, pasted or autofilled): with `auto_submit`, a complete
    /// code is checked at once; an incomplete one is left alone (no alert while typing).
    pub fn code_entered(&mut self, code: &str, now_ms: u64) -> Vec<Effect> {
        if self.auto_submit && is_complete(code, self.code_length, self.alphabet) {
            self.submit(code, now_ms)
        } else {
            Vec::new()
        }
    }

    /// Text that arrived in the field named another host in its origin-bound line: say so, and
    /// let the shell clear the field. Nothing is sent.
    pub fn code_refused(&mut self, host: String) -> Vec<Effect> {
        if !self.accepts_code() {
            return Vec::new();
        }
        self.alert = Some(Alert::WrongHost { host });
        vec![Effect::ClearCode, Effect::FocusCode]
    }

    /// The check request came back.
    pub fn verify_answered(&mut self, outcome: VerifyOutcome) -> Vec<Effect> {
        if self.phase != Phase::Verifying {
            return Vec::new();
        }
        self.status = None;
        match outcome {
            VerifyOutcome::Verified { token } => {
                self.phase = Phase::Verified;
                self.status = Some(Status::Verified);
                let verification_id = self
                    .session
                    .as_ref()
                    .map(|s| s.verification_id.clone())
                    .unwrap_or_default();
                vec![Effect::Emit(Event::Verified {
                    verification_id,
                    token,
                })]
            }
            VerifyOutcome::InvalidCode { attempts_remaining } => {
                self.phase = Phase::Invalid;
                self.alert = Some(Alert::WrongCode { attempts_remaining });
                vec![
                    Effect::ClearCode,
                    Effect::FocusCode,
                    Effect::Emit(Event::Invalid { attempts_remaining }),
                ]
            }
            VerifyOutcome::Expired => self.expire(),
            VerifyOutcome::Locked => {
                self.phase = Phase::Locked;
                self.alert = Some(Alert::Locked);
                vec![Effect::ClearCode, Effect::Emit(Event::Locked)]
            }
            VerifyOutcome::RateLimited { retry_after_s } => {
                self.phase = Phase::Error;
                self.alert = Some(Alert::RateLimited { retry_after_s });
                vec![Effect::Emit(Event::Throttled {
                    retry_after: retry_after_s,
                })]
            }
            VerifyOutcome::Failed(failure) => {
                self.phase = Phase::Error;
                self.alert = Some(Alert::Failed {
                    failure,
                    during: Request::Check,
                });
                vec![Effect::Emit(Event::Error {
                    failure,
                    during: Request::Check,
                })]
            }
        }
    }

    /// Whether [`Flow::tick`] at `now_ms` would expire the code: lets a clock skip ticks that
    /// change nothing.
    pub fn expiry_due(&self, now_ms: u64) -> bool {
        self.accepts_code()
            && self
                .session
                .as_ref()
                .is_some_and(|s| now_ms >= s.expires_at_ms)
    }

    /// Time passed. Expires a code whose deadline is reached while the shopper could enter it;
    /// a check already under way is left to the server's answer.
    pub fn tick(&mut self, now_ms: u64) -> Vec<Effect> {
        if self.expiry_due(now_ms) {
            self.expire()
        } else {
            Vec::new()
        }
    }

    fn expire(&mut self) -> Vec<Effect> {
        self.phase = Phase::Expired;
        self.status = None;
        self.alert = Some(Alert::Expired);
        vec![
            Effect::StopListening,
            Effect::ClearCode,
            Effect::Emit(Event::Expired),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::contract::{Failure, SendAccepted};

    const T0: u64 = 1_700_000_000_000;

    fn sent(id: &str, expires_in: u64, resend_in: u64, sends_remaining: u32) -> SendOutcome {
        SendOutcome::Sent(SendAccepted {
            verification_id: id.into(),
            expires_in,
            resend_in,
            sends_remaining,
            code_length: 6,
            destination_hint: Some("+1 ••• 4567".into()),
        })
    }

    /// A flow with a code sent at T0, valid 600 s, resend after 30 s.
    fn awaiting() -> Flow {
        let mut flow = Flow::new(&Config::default());
        flow.request_send(T0);
        flow.send_answered(sent("v1", 600, 30, 4), T0);
        flow
    }

    fn checks(effects: &[Effect]) -> usize {
        effects
            .iter()
            .filter(|e| matches!(e, Effect::Check(_)))
            .count()
    }

    fn emitted(effects: &[Effect]) -> Vec<&'static str> {
        effects
            .iter()
            .filter_map(|e| match e {
                Effect::Emit(ev) => Some(ev.name()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn first_send_carries_destination_and_channel() {
        let config = Config {
            destination: Some("+14155550123".into()),
            ..Config::default()
        };
        let mut flow = Flow::new(&config);
        assert_eq!(flow.phase(), Phase::Idle);
        assert!(!flow.accepts_code());
        let effects = flow.request_send(T0);
        assert_eq!(
            effects,
            vec![
                Effect::Send(SendRequest {
                    destination: Some("+14155550123".into()),
                    channel: "sms".into(),
                    verification_id: None,
                }),
                Effect::ListenForCode,
            ]
        );
        assert_eq!(flow.phase(), Phase::Sending);
        assert_eq!(flow.status(), Some(&Status::Sending));
        assert!(flow.request_send(T0).is_empty(), "one send at a time");
    }

    #[test]
    fn sent_code_opens_entry_with_deadlines() {
        let mut flow = Flow::new(&Config::default());
        assert!(!flow.field_enabled());
        flow.request_send(T0);
        let effects = flow.send_answered(sent("v1", 600, 30, 4), T0);
        assert!(flow.field_enabled() && !flow.field_read_only());
        assert_eq!(effects[..2], [Effect::ClearCode, Effect::FocusCode]);
        assert_eq!(emitted(&effects), ["checkout-verify:sent"]);
        assert_eq!(flow.phase(), Phase::AwaitingCode);
        assert!(flow.accepts_code());
        assert!(flow.has_sent());
        assert_eq!(flow.time_left_s(T0), Some(600));
        assert_eq!(flow.time_left_s(T0 + 1), Some(600));
        assert_eq!(flow.time_left_s(T0 + 1000), Some(599));
        assert!(!flow.can_send(T0 + 29_999));
        assert_eq!(flow.send_wait_s(T0 + 10_000), 20);
        assert!(flow.can_send(T0 + 30_000));
    }

    #[test]
    fn server_code_length_wins() {
        let mut flow = Flow::new(&Config::default());
        flow.request_send(T0);
        flow.send_answered(
            SendOutcome::Sent(SendAccepted {
                verification_id: "v".into(),
                expires_in: 60,
                resend_in: 0,
                sends_remaining: 1,
                code_length: 8,
                destination_hint: None,
            }),
            T0,
        );
        assert_eq!(flow.code_length(), 8);
        assert!(flow.submit("123456", T0).is_empty());
        assert_eq!(flow.alert(), Some(&Alert::Incomplete { length: 8 }));
    }

    #[test]
    fn complete_code_is_checked_exactly_once() {
        let mut flow = awaiting();
        let effects = flow.submit("123456", T0 + 5_000);
        assert_eq!(
            effects,
            vec![
                Effect::StopListening,
                Effect::Check(CheckRequest {
                    verification_id: "v1".into(),
                    code: "123456".into()
                })
            ]
        );
        assert_eq!(flow.phase(), Phase::Verifying);
        assert!(!flow.accepts_code());
        assert!(
            flow.field_enabled() && flow.field_read_only(),
            "typed code stays visible"
        );
        for _ in 0..5 {
            assert!(flow.submit("123456", T0 + 5_001).is_empty());
        }
        assert!(!flow.can_send(T0 + 60_000), "no resend while verifying");
    }

    #[test]
    fn a_complete_code_is_checked_as_it_arrives_when_configured() {
        let mut flow = Flow::new(&Config {
            auto_submit: true,
            ..Config::default()
        });
        flow.request_send(T0);
        flow.send_answered(sent("v1", 600, 30, 4), T0);
        assert!(flow.code_entered("12345", T0).is_empty());
        assert_eq!(flow.alert(), None, "no alert while typing");
        assert_eq!(checks(&flow.code_entered("123456", T0)), 1);
        assert_eq!(flow.phase(), Phase::Verifying);
        assert!(
            flow.code_entered("123456", T0).is_empty(),
            "still exactly once"
        );

        let mut manual = awaiting();
        assert!(
            manual.code_entered("123456", T0).is_empty(),
            "off by default"
        );
        assert_eq!(checks(&manual.submit("123456", T0)), 1);
    }

    #[test]
    fn incomplete_code_asks_for_all_digits_without_a_request() {
        let mut flow = awaiting();
        assert!(flow.submit("123", T0).is_empty());
        assert_eq!(flow.alert(), Some(&Alert::Incomplete { length: 6 }));
        assert_eq!(flow.phase(), Phase::AwaitingCode);
    }

    #[test]
    fn approved_code_is_verified_and_final() {
        let mut flow = awaiting();
        flow.submit("123456", T0);
        let effects = flow.verify_answered(VerifyOutcome::Verified {
            token: "tok".into(),
        });
        assert_eq!(
            effects,
            vec![Effect::Emit(Event::Verified {
                verification_id: "v1".into(),
                token: "tok".into()
            })]
        );
        assert_eq!(flow.phase(), Phase::Verified);
        assert_eq!(flow.status(), Some(&Status::Verified));
        assert_eq!(flow.time_left_s(T0), None);
        assert!(!flow.can_send(T0 + 1_000_000));
        assert!(flow.submit("123456", T0).is_empty());
        assert!(flow.tick(T0 + 10_000_000).is_empty());
    }

    #[test]
    fn wrong_code_clears_field_and_allows_another_try() {
        let mut flow = awaiting();
        flow.submit("000000", T0);
        let effects = flow.verify_answered(VerifyOutcome::InvalidCode {
            attempts_remaining: Some(4),
        });
        assert_eq!(effects[..2], [Effect::ClearCode, Effect::FocusCode]);
        assert_eq!(emitted(&effects), ["checkout-verify:invalid"]);
        assert_eq!(flow.phase(), Phase::Invalid);
        assert_eq!(
            flow.alert().map(ToString::to_string).as_deref(),
            Some("That code is not right. 4 attempts left.")
        );
        assert!(flow.accepts_code());
        assert_eq!(checks(&flow.submit("123456", T0)), 1);
    }

    #[test]
    fn network_failure_keeps_the_code_and_allows_retry() {
        let mut flow = awaiting();
        flow.submit("123456", T0);
        let effects = flow.verify_answered(VerifyOutcome::Failed(Failure::Network));
        assert!(!effects.contains(&Effect::ClearCode));
        assert_eq!(emitted(&effects), ["checkout-verify:error"]);
        assert_eq!(flow.phase(), Phase::Error);
        assert!(flow.accepts_code());
        assert_eq!(checks(&flow.submit("123456", T0)), 1);
    }

    #[test]
    fn unrecognised_answer_is_never_verified() {
        let mut flow = awaiting();
        flow.submit("123456", T0);
        flow.verify_answered(VerifyOutcome::Failed(Failure::Unrecognised(200)));
        assert_ne!(flow.phase(), Phase::Verified);
        assert_ne!(flow.status(), Some(&Status::Verified));
    }

    #[test]
    fn deadline_expires_the_code() {
        let mut flow = awaiting();
        assert!(!flow.expiry_due(T0 + 599_999));
        assert!(flow.tick(T0 + 599_999).is_empty());
        assert!(flow.expiry_due(T0 + 600_000));
        let effects = flow.tick(T0 + 600_000);
        assert_eq!(emitted(&effects), ["checkout-verify:expired"]);
        assert!(effects.contains(&Effect::ClearCode));
        assert!(
            !effects.contains(&Effect::FocusCode),
            "a tick never moves focus"
        );
        assert_eq!(flow.phase(), Phase::Expired);
        assert!(!flow.accepts_code());
        assert_eq!(flow.time_left_s(T0 + 600_000), None);
        assert!(!flow.expiry_due(T0 + 700_000));
        assert!(flow.tick(T0 + 700_000).is_empty(), "expires once");
    }

    #[test]
    fn submitting_after_the_deadline_expires_instead_of_checking() {
        let mut flow = awaiting();
        let effects = flow.submit("123456", T0 + 600_000);
        assert_eq!(emitted(&effects), ["checkout-verify:expired"]);
        assert_eq!(flow.phase(), Phase::Expired);
    }

    #[test]
    fn check_in_flight_is_not_expired_by_the_clock() {
        let mut flow = awaiting();
        flow.submit("123456", T0 + 599_000);
        assert!(flow.tick(T0 + 601_000).is_empty());
        assert_eq!(flow.phase(), Phase::Verifying);
        flow.verify_answered(VerifyOutcome::Expired);
        assert_eq!(flow.phase(), Phase::Expired);
    }

    #[test]
    fn locked_then_resend_starts_over_on_the_same_verification() {
        let mut flow = awaiting();
        flow.submit("000000", T0);
        let effects = flow.verify_answered(VerifyOutcome::Locked);
        assert_eq!(emitted(&effects), ["checkout-verify:locked"]);
        assert_eq!(flow.phase(), Phase::Locked);
        assert!(!flow.accepts_code());
        assert!(
            flow.request_send(T0 + 1_000).is_empty(),
            "cooldown still runs"
        );
        let effects = flow.request_send(T0 + 30_000);
        let Some(Effect::Send(request)) = effects.first() else {
            panic!("no send")
        };
        assert_eq!(request.verification_id.as_deref(), Some("v1"));
        flow.send_answered(sent("v1", 600, 60, 3), T0 + 31_000);
        assert_eq!(flow.phase(), Phase::AwaitingCode);
        assert_eq!(flow.alert(), None);
        assert_eq!(flow.time_left_s(T0 + 31_000), Some(600));
    }

    #[test]
    fn throttled_send_returns_to_previous_phase_and_extends_cooldown() {
        let mut flow = awaiting();
        flow.request_send(T0 + 30_000);
        let effects =
            flow.send_answered(SendOutcome::RateLimited { retry_after_s: 42 }, T0 + 30_000);
        assert_eq!(emitted(&effects), ["checkout-verify:throttled"]);
        assert_eq!(flow.phase(), Phase::AwaitingCode);
        assert!(!flow.can_send(T0 + 71_999));
        assert!(flow.can_send(T0 + 72_000));
        assert_eq!(
            flow.alert(),
            Some(&Alert::RateLimited { retry_after_s: 42 })
        );
    }

    #[test]
    fn failed_first_send_returns_to_idle_with_an_alert() {
        let mut flow = Flow::new(&Config::default());
        flow.request_send(T0);
        let effects = flow.send_answered(SendOutcome::Failed(Failure::Server(503)), T0);
        assert_eq!(emitted(&effects), ["checkout-verify:error"]);
        assert_eq!(flow.phase(), Phase::Idle);
        assert!(flow.can_send(T0));
        assert!(flow.alert().is_some());
    }

    #[test]
    fn no_sends_left_means_no_resend() {
        let mut flow = Flow::new(&Config::default());
        flow.request_send(T0);
        flow.send_answered(sent("v1", 600, 0, 0), T0);
        assert!(!flow.can_send(T0 + 1_000_000));
    }

    #[test]
    fn a_code_bound_to_another_host_is_refused_with_an_alert() {
        let mut flow = awaiting();
        let effects = flow.code_refused("shop.example".into());
        assert_eq!(effects, vec![Effect::ClearCode, Effect::FocusCode]);
        assert_eq!(
            flow.alert(),
            Some(&Alert::WrongHost {
                host: "shop.example".into()
            })
        );
        assert_eq!(flow.phase(), Phase::AwaitingCode);
        let mut idle = Flow::new(&Config::default());
        assert!(idle.code_refused("x.example".into()).is_empty());
    }

    #[test]
    fn web_otp_listens_from_each_send_until_the_code_is_no_longer_wanted() {
        let mut flow = Flow::new(&Config::default());
        assert!(flow.request_send(T0).contains(&Effect::ListenForCode));
        flow.send_answered(sent("v1", 600, 30, 4), T0);
        assert!(flow
            .submit("123456", T0)
            .starts_with(&[Effect::StopListening]));
        flow.verify_answered(VerifyOutcome::InvalidCode {
            attempts_remaining: Some(4),
        });
        assert!(
            flow.request_send(T0 + 30_000)
                .contains(&Effect::ListenForCode),
            "a resend asks again"
        );
        flow.send_answered(sent("v1", 600, 30, 3), T0 + 30_000);
        assert!(flow.tick(T0 + 630_000).contains(&Effect::StopListening));

        let mut off = Flow::new(&Config {
            web_otp: false,
            ..Config::default()
        });
        assert!(!off.request_send(T0).contains(&Effect::ListenForCode));
    }

    #[test]
    fn a_different_destination_is_offered_only_when_configured_and_useful() {
        let mut off = awaiting();
        assert!(!off.offers_change_destination());
        assert!(off.request_change_destination().is_empty());

        let mut flow = Flow::new(&Config {
            change_destination: true,
            ..Config::default()
        });
        assert!(!flow.offers_change_destination(), "nothing sent yet");
        flow.request_send(T0);
        flow.send_answered(sent("v1", 600, 30, 4), T0);
        assert!(flow.offers_change_destination());
        let effects = flow.request_change_destination();
        assert_eq!(emitted(&effects), ["checkout-verify:change-destination"]);
        assert!(effects.contains(&Effect::StopListening));
        flow.submit("123456", T0);
        assert!(!flow.offers_change_destination(), "not while checking");
    }

    #[test]
    fn stray_answers_are_ignored() {
        let mut flow = awaiting();
        let before = flow.clone();
        assert!(flow.send_answered(sent("v9", 1, 1, 1), T0).is_empty());
        assert!(flow
            .verify_answered(VerifyOutcome::Verified { token: "t".into() })
            .is_empty());
        assert_eq!(flow, before);
    }
}
