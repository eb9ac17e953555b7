//! The verification state machine: idle → sending → awaiting code → verifying → verified, or
//! invalid / expired / locked / error, with the way back from each.
//!
//! Pure: the current time comes in as milliseconds, and every transition returns the [`Effect`]s
//! the shell must carry out (a request, an event, clearing the field). The code itself lives in
//! the shell's input; the flow sees it only when asked to submit it.
//!
//! Time is kept as absolute deadlines computed when an answer arrived, so a display that re-reads
//! the clock is right at once after a throttled tab or a sleeping laptop. A clock reading behind
//! the latest one seen is the clock being set back, not time running backwards: the deadlines
//! move back with it, so the time left never grows and no wait the server asked for is cut short.

use super::code::{is_complete, Alphabet};
use super::config::Config;
use super::contract::{CheckRequest, SendOutcome, SendRequest, VerifyOutcome};
use super::countdown::seconds_until;
use super::events::Event;
use super::messages::{Alert, Request, Status};
use super::resend::{ResendPolicy, Throttle};
use super::resume::{fingerprint, Resume};

/// Seconds before expiry of the last spoken countdown milestone.
pub const LAST_SECONDS: u64 = 10;

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
}

/// Countdown milestones already announced for the current code, so each is said once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Announced {
    resend_ready: bool,
    warning: bool,
    last_seconds: bool,
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
    code_lifetime_s: u64,
    warn_before_s: u64,
    policy: ResendPolicy,
    sends_exhausted: String,
    session: Option<Session>,
    destination_hint: Option<String>,
    throttle: Throttle,
    announced: Announced,
    /// Earliest time another check may be sent, after the server throttled one.
    check_allowed_at_ms: u64,
    /// The latest clock reading seen.
    seen_ms: u64,
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
            code_lifetime_s: config.code_lifetime,
            warn_before_s: config.warn_before,
            policy: config.resend.clone(),
            sends_exhausted: config.sends_exhausted.clone(),
            session: None,
            destination_hint: None,
            throttle: Throttle::new(&config.resend),
            announced: Announced::default(),
            check_allowed_at_ms: 0,
            seen_ms: 0,
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

    /// A reading of the clock as the deadlines see it: never behind one already seen, so a clock
    /// set back shows no more time left until the next transition moves the deadlines with it.
    fn clock(&self, now_ms: u64) -> u64 {
        now_ms.max(self.seen_ms)
    }

    /// Takes a clock reading in; a reading behind the last one moves every deadline back by the
    /// difference, keeping the time left and the wait as they were.
    fn observe(&mut self, now_ms: u64) {
        let back = self.seen_ms.saturating_sub(now_ms);
        if back > 0 {
            if let Some(session) = self.session.as_mut() {
                session.expires_at_ms = session.expires_at_ms.saturating_sub(back);
            }
            self.throttle.allowed_at_ms = self.throttle.allowed_at_ms.saturating_sub(back);
            self.check_allowed_at_ms = self.check_allowed_at_ms.saturating_sub(back);
        }
        self.seen_ms = now_ms;
    }

    /// Seconds the current code stays valid, while there is one to enter or being checked.
    pub fn time_left_s(&self, now_ms: u64) -> Option<u64> {
        let live = self.accepts_code() || self.phase == Phase::Verifying;
        self.session
            .as_ref()
            .filter(|_| live)
            .map(|s| seconds_until(s.expires_at_ms, self.clock(now_ms)))
    }

    /// Whether the code is about to expire (within the configured warning time): the widget
    /// shows it and makes "Resend code" prominent, so the shopper can extend the time limit.
    pub fn expiring_soon(&self, now_ms: u64) -> bool {
        self.accepts_code()
            && self
                .time_left_s(now_ms)
                .is_some_and(|left| left <= self.warn_before_s)
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

    /// Whether the current verification is over by its clock (or there is none): once it is, a
    /// new one may start even when its sends ran out.
    fn verification_over(&self, now_ms: u64) -> bool {
        self.session
            .as_ref()
            .is_none_or(|s| self.clock(now_ms) >= s.expires_at_ms)
    }

    /// Whether a (new) code may be requested now: not while a request is under way or after
    /// success, not before the last stated wait, and not beyond the codes left for a verification
    /// that still runs.
    pub fn can_send(&self, now_ms: u64) -> bool {
        !matches!(
            self.phase,
            Phase::Sending | Phase::Verifying | Phase::Verified
        ) && self.throttle.wait_over(self.clock(now_ms))
            && (self.throttle.remaining > 0 || self.verification_over(now_ms))
    }

    /// Seconds until a send is allowed by the wait (0 when it is).
    pub fn send_wait_s(&self, now_ms: u64) -> u64 {
        seconds_until(self.throttle.allowed_at_ms, self.clock(now_ms))
    }

    /// Whether no more codes can be sent for this verification now: the widget then shows the
    /// configured advice (`sends_exhausted`), for the shopper to know what to do next.
    pub fn sends_exhausted(&self, now_ms: u64) -> bool {
        self.has_sent()
            && self.throttle.remaining == 0
            && self.phase != Phase::Verified
            && !self.can_send(now_ms)
    }

    /// The shopper asked for a code. Refused (no effects) while not allowed.
    pub fn request_send(&mut self, now_ms: u64) -> Vec<Effect> {
        self.observe(now_ms);
        if !self.can_send(now_ms) {
            return Vec::new();
        }
        // A verification that expired, locked or ran out of codes cannot take another code (the
        // reference server forgets expired ones and never refills wrong attempts): start anew.
        let finished = matches!(self.phase, Phase::Expired | Phase::Locked)
            || self.throttle.remaining == 0
            || self.verification_over(now_ms);
        if finished {
            self.session = None;
            self.throttle.restart(&self.policy);
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
        self.observe(now_ms);
        if self.phase != Phase::Sending {
            return Vec::new();
        }
        match outcome {
            SendOutcome::Sent(sent) => {
                let expires_in = sent.expires_in.unwrap_or(self.code_lifetime_s);
                let resend_in =
                    self.throttle
                        .sent(now_ms, sent.resend_in, sent.sends_remaining, &self.policy);
                self.phase = Phase::AwaitingCode;
                self.code_length = sent.code_length;
                self.session = Some(Session {
                    verification_id: sent.verification_id.clone(),
                    expires_at_ms: now_ms.saturating_add(expires_in.saturating_mul(1000)),
                });
                self.destination_hint = sent.destination_hint.clone();
                self.status = Some(Status::Sent {
                    destination_hint: sent.destination_hint.clone(),
                });
                self.announced = Announced::default();
                self.pass_milestones(now_ms);
                vec![
                    Effect::ClearCode,
                    Effect::FocusCode,
                    Effect::Emit(Event::Sent {
                        verification_id: sent.verification_id,
                        expires_in,
                        resend_in,
                        sends_remaining: self.throttle.remaining,
                        destination_hint: sent.destination_hint,
                    }),
                ]
            }
            SendOutcome::RateLimited {
                retry_after_s,
                sends_exhausted,
            } => {
                self.phase = self.before_send;
                self.status = None;
                self.throttle
                    .refused(now_ms, retry_after_s, sends_exhausted);
                self.alert = Some(if sends_exhausted {
                    Alert::SendsExhausted {
                        advice: self.sends_exhausted.clone(),
                    }
                } else {
                    Alert::RateLimited { retry_after_s }
                });
                vec![Effect::Emit(Event::Throttled {
                    retry_after: retry_after_s,
                    sends_exhausted,
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
        self.observe(now_ms);
        let Some(session) = self.session.as_ref().filter(|_| self.accepts_code()) else {
            return Vec::new();
        };
        if now_ms >= session.expires_at_ms {
            return self.expire();
        }
        if now_ms < self.check_allowed_at_ms {
            // The server asked for a pause; its alert stays up and the code stays in the field.
            return Vec::new();
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
    pub fn verify_answered(&mut self, outcome: VerifyOutcome, now_ms: u64) -> Vec<Effect> {
        self.observe(now_ms);
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
            VerifyOutcome::Locked { retry_after_s } => {
                if let Some(wait) = retry_after_s {
                    self.throttle.hold(now_ms, wait);
                }
                self.phase = Phase::Locked;
                self.alert = Some(Alert::Locked);
                vec![
                    Effect::ClearCode,
                    Effect::Emit(Event::Locked {
                        retry_after: retry_after_s,
                    }),
                ]
            }
            VerifyOutcome::RateLimited { retry_after_s } => {
                self.check_allowed_at_ms =
                    now_ms.saturating_add(retry_after_s.saturating_mul(1000));
                self.phase = Phase::Error;
                self.alert = Some(Alert::RateLimited { retry_after_s });
                vec![Effect::Emit(Event::Throttled {
                    retry_after: retry_after_s,
                    sends_exhausted: false,
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

    /// The countdown milestones reached at `now_ms` and not yet announced, most urgent first.
    fn milestones_due(&self, now_ms: u64) -> Announced {
        let Some(left) = self.time_left_s(now_ms).filter(|_| self.accepts_code()) else {
            return Announced::default();
        };
        Announced {
            resend_ready: !self.announced.resend_ready && self.can_send(now_ms),
            warning: !self.announced.warning && left <= self.warn_before_s,
            last_seconds: !self.announced.last_seconds && left <= LAST_SECONDS,
        }
    }

    /// Marks milestones already reached as said: a fresh code that is short-lived, or a resumed
    /// one, is not greeted with a warning the shopper did not wait for.
    fn pass_milestones(&mut self, now_ms: u64) {
        let due = self.milestones_due(now_ms);
        self.announced.resend_ready |= due.resend_ready;
        self.announced.warning |= due.warning;
        self.announced.last_seconds |= due.last_seconds;
    }

    /// Whether the code's deadline has passed while the shopper could still enter it.
    fn expiry_due(&self, now_ms: u64) -> bool {
        self.accepts_code() && self.verification_over(now_ms)
    }

    /// The once-a-second clock: takes the reading in (a clock set back moves the deadlines), expires
    /// a code whose deadline is reached while the shopper could enter it (a check already under
    /// way is left to the server's answer), and announces the milestones reached: when several
    /// are due at once (after a sleep), the most urgent is said. A quiet second changes nothing
    /// the shopper reads, so the live regions are written only at milestones.
    pub fn tick(&mut self, now_ms: u64) -> Vec<Effect> {
        self.observe(now_ms);
        if self.expiry_due(now_ms) {
            return self.expire();
        }
        let due = self.milestones_due(now_ms);
        if due.last_seconds || due.warning {
            self.status = self
                .time_left_s(now_ms)
                .map(|seconds_left| Status::RunningOut {
                    seconds_left,
                    can_resend: self.can_send(now_ms),
                });
        } else if due.resend_ready {
            self.status = Some(Status::ResendReady);
        }
        self.pass_milestones(now_ms);
        Vec::new()
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

    /// What must survive a reload of the checkout: the verification, its deadline and its
    /// throttle, never the code. `None` when there is nothing to keep (nothing sent and no wait,
    /// or done).
    pub fn resume_point(&self) -> Option<Resume> {
        let session = self.session.as_ref();
        let keep = self.phase != Phase::Verified
            && (session.is_some() || !self.throttle.wait_over(self.seen_ms));
        keep.then(|| Resume {
            owner: fingerprint(self.destination.as_deref(), &self.channel),
            verification_id: session
                .map(|s| s.verification_id.clone())
                .unwrap_or_default(),
            code_length: self.code_length,
            destination_hint: self.destination_hint.clone(),
            expires_at_ms: session.map_or(0, |s| s.expires_at_ms),
            throttle: self.throttle,
            locked: self.phase == Phase::Locked,
            saved_at_ms: self.seen_ms,
        })
    }

    /// Picks up a verification saved before a reload, if it belongs to this destination and still
    /// matters (its code is valid or a wait still runs). Returns whether it was taken.
    pub fn resume(&mut self, saved: Resume, now_ms: u64) -> bool {
        // A clock set back since the save moves the saved deadlines with it.
        let back = saved.saved_at_ms.saturating_sub(now_ms);
        let expires_at_ms = saved.expires_at_ms.saturating_sub(back);
        let throttle = Throttle {
            allowed_at_ms: saved.throttle.allowed_at_ms.saturating_sub(back),
            ..saved.throttle
        };
        let matters = now_ms < expires_at_ms || !throttle.wait_over(now_ms);
        let ours = saved.owner == fingerprint(self.destination.as_deref(), &self.channel);
        if self.phase != Phase::Idle || !matters || !ours {
            return false;
        }
        self.seen_ms = now_ms;
        self.throttle = throttle;
        if saved.verification_id.is_empty() {
            // Only a wait was running (the first send was refused): it alone carries over.
            return true;
        }
        self.code_length = saved.code_length;
        self.session = Some(Session {
            verification_id: saved.verification_id,
            expires_at_ms,
        });
        (self.phase, self.status, self.alert) = if saved.locked {
            (Phase::Locked, None, Some(Alert::Locked))
        } else if now_ms >= expires_at_ms {
            (Phase::Expired, None, Some(Alert::Expired))
        } else {
            let sent = Status::Sent {
                destination_hint: saved.destination_hint.clone(),
            };
            (Phase::AwaitingCode, Some(sent), None)
        };
        self.destination_hint = saved.destination_hint;
        self.pass_milestones(now_ms);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::contract::{Failure, SendAccepted};
    use crate::core::resend::Throttle;

    const T0: u64 = 1_700_000_000_000;

    fn sent(id: &str, expires_in: u64, resend_in: u64, sends_remaining: u32) -> SendOutcome {
        SendOutcome::Sent(SendAccepted {
            verification_id: id.into(),
            expires_in: Some(expires_in),
            resend_in: Some(resend_in),
            sends_remaining: Some(sends_remaining),
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
                expires_in: Some(60),
                resend_in: Some(0),
                sends_remaining: Some(1),
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
        let effects = flow.verify_answered(
            VerifyOutcome::Verified {
                token: "tok".into(),
            },
            T0,
        );
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
        let effects = flow.verify_answered(
            VerifyOutcome::InvalidCode {
                attempts_remaining: Some(4),
            },
            T0,
        );
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
        let effects = flow.verify_answered(VerifyOutcome::Failed(Failure::Network), T0);
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
        flow.verify_answered(VerifyOutcome::Failed(Failure::Unrecognised(200)), T0);
        assert_ne!(flow.phase(), Phase::Verified);
        assert_ne!(flow.status(), Some(&Status::Verified));
    }

    #[test]
    fn deadline_expires_the_code() {
        let mut flow = awaiting();
        assert!(flow.tick(T0 + 599_999).is_empty());
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
        flow.verify_answered(VerifyOutcome::Expired, T0);
        assert_eq!(flow.phase(), Phase::Expired);
    }

    #[test]
    fn locked_then_resend_starts_a_new_verification() {
        let mut flow = awaiting();
        flow.submit("000000", T0);
        let effects = flow.verify_answered(
            VerifyOutcome::Locked {
                retry_after_s: None,
            },
            T0,
        );
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
        assert_eq!(
            request.verification_id, None,
            "its wrong attempts are spent"
        );
        flow.send_answered(sent("v2", 600, 60, 3), T0 + 31_000);
        assert_eq!(flow.phase(), Phase::AwaitingCode);
        assert_eq!(flow.alert(), None);
        assert_eq!(flow.time_left_s(T0 + 31_000), Some(600));
    }

    #[test]
    fn throttled_send_returns_to_previous_phase_and_extends_cooldown() {
        let mut flow = awaiting();
        flow.request_send(T0 + 30_000);
        let effects = flow.send_answered(
            SendOutcome::RateLimited {
                retry_after_s: 42,
                sends_exhausted: false,
            },
            T0 + 30_000,
        );
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
    fn no_sends_left_means_no_resend_until_the_code_is_over() {
        let mut flow = Flow::new(&Config::default());
        flow.request_send(T0);
        flow.send_answered(sent("v1", 600, 0, 0), T0);
        assert!(!flow.can_send(T0 + 599_000));
        assert!(flow.sends_exhausted(T0 + 1_000));
        // Once the code is over, a new verification may start, subject to the server.
        assert!(flow.can_send(T0 + 600_000));
        assert!(!flow.sends_exhausted(T0 + 600_000));
        let effects = flow.request_send(T0 + 600_000);
        let Some(Effect::Send(request)) = effects.first() else {
            panic!("no send")
        };
        assert_eq!(request.verification_id, None, "a new verification");
    }

    #[test]
    fn a_send_limit_tells_the_shopper_what_to_do_next() {
        let config = Config {
            sends_exhausted: "Call us.".into(),
            ..Config::default()
        };
        let mut flow = Flow::new(&config);
        flow.request_send(T0);
        flow.send_answered(sent("v1", 600, 30, 2), T0);
        flow.request_send(T0 + 30_000);
        let effects = flow.send_answered(
            SendOutcome::RateLimited {
                retry_after_s: 570,
                sends_exhausted: true,
            },
            T0 + 30_000,
        );
        assert_eq!(
            effects,
            vec![Effect::Emit(Event::Throttled {
                retry_after: 570,
                sends_exhausted: true
            })]
        );
        assert_eq!(
            flow.alert().map(ToString::to_string).as_deref(),
            Some("Call us.")
        );
        assert!(flow.sends_exhausted(T0 + 31_000));
        assert!(flow.accepts_code(), "the code already sent still works");
        assert!(!flow.can_send(T0 + 599_999));
        assert!(flow.can_send(T0 + 600_000));
    }

    #[test]
    fn the_widgets_backoff_applies_only_when_the_backend_is_silent() {
        let mut flow = Flow::new(&Config::default());
        let silent = || {
            SendOutcome::Sent(SendAccepted {
                verification_id: "v".into(),
                expires_in: None,
                resend_in: None,
                sends_remaining: None,
                code_length: 6,
                destination_hint: None,
            })
        };
        let mut now = T0;
        let mut waits = Vec::new();
        for _ in 0..4 {
            assert!(!flow.request_send(now).is_empty());
            let effects = flow.send_answered(silent(), now);
            let Some(Effect::Emit(Event::Sent {
                resend_in,
                expires_in,
                ..
            })) = effects.last()
            else {
                panic!("not sent")
            };
            assert_eq!(*expires_in, 600, "the config's lifetime");
            waits.push(*resend_in);
            assert!(!flow.can_send(now + resend_in * 1000 - 1));
            now += resend_in * 1000;
        }
        assert_eq!(waits, [30, 60, 120, 120]);
        flow.request_send(now);
        flow.send_answered(sent("v", 600, 7, 9), now);
        assert_eq!(flow.send_wait_s(now), 7, "the server's word wins");
    }

    #[test]
    fn milestones_are_announced_once_each_and_never_every_second() {
        let mut flow = awaiting();
        let quiet = |flow: &mut Flow, seconds: std::ops::Range<u64>| {
            let before = flow.clone();
            for s in seconds {
                assert!(flow.tick(T0 + s * 1000).is_empty());
                assert_eq!(flow.status(), before.status(), "quiet at {s} s");
            }
        };
        let sent_status = flow.status().cloned();
        quiet(&mut flow, 1..30);
        flow.tick(T0 + 30_000);
        assert_eq!(flow.status(), Some(&Status::ResendReady));
        assert_ne!(flow.status().cloned(), sent_status);
        quiet(&mut flow, 31..540);
        assert!(!flow.expiring_soon(T0 + 539_001));
        assert!(flow.expiring_soon(T0 + 540_000));
        flow.tick(T0 + 540_000);
        assert_eq!(
            flow.status(),
            Some(&Status::RunningOut {
                seconds_left: 60,
                can_resend: true
            })
        );
        quiet(&mut flow, 541..590);
        flow.tick(T0 + 590_000);
        assert_eq!(
            flow.status(),
            Some(&Status::RunningOut {
                seconds_left: 10,
                can_resend: true
            })
        );
        quiet(&mut flow, 591..600);
        assert_eq!(
            emitted(&flow.tick(T0 + 600_000)),
            ["checkout-verify:expired"]
        );
    }

    #[test]
    fn after_a_sleep_the_most_urgent_milestone_is_said_and_the_rest_dropped() {
        let mut flow = awaiting();
        flow.tick(T0 + 595_000);
        assert_eq!(
            flow.status(),
            Some(&Status::RunningOut {
                seconds_left: 5,
                can_resend: true
            })
        );
        let said = flow.status().cloned();
        flow.tick(T0 + 596_000);
        assert_eq!(flow.status().cloned(), said);
        let mut slept = awaiting();
        assert_eq!(
            emitted(&slept.tick(T0 + 3_600_000)),
            ["checkout-verify:expired"]
        );
    }

    #[test]
    fn a_short_lived_code_is_not_greeted_with_a_warning() {
        let mut flow = Flow::new(&Config::default());
        flow.request_send(T0);
        flow.send_answered(sent("v1", 45, 0, 4), T0);
        flow.tick(T0 + 1_000);
        assert!(
            matches!(flow.status(), Some(Status::Sent { .. })),
            "warning and resend already passed"
        );
        flow.tick(T0 + 35_000);
        assert!(
            matches!(
                flow.status(),
                Some(Status::RunningOut {
                    seconds_left: 10,
                    ..
                })
            ),
            "the last seconds are still said"
        );
    }

    #[test]
    fn a_clock_set_back_neither_adds_time_nor_shortens_a_wait() {
        let mut flow = awaiting();
        flow.tick(T0 + 100_000);
        assert_eq!(flow.time_left_s(T0 + 100_000), Some(500));
        // Set back an hour: before any transition the display holds...
        let back = T0 + 100_000 - 3_600_000;
        assert_eq!(flow.time_left_s(back), Some(500));
        flow.tick(back);
        // ...and after it, time runs on from there.
        assert_eq!(flow.time_left_s(back), Some(500));
        assert_eq!(flow.time_left_s(back + 1_000), Some(499));
        assert!(flow.can_send(back), "the wait was over before the jump");
        let mut waiting = awaiting();
        waiting.tick(T0 + 10_000);
        waiting.tick(T0 + 10_000 - 3_600_000);
        assert_eq!(waiting.send_wait_s(T0 + 10_000 - 3_600_000), 20);
        assert!(!waiting.can_send(T0 + 29_000 - 3_600_000));
    }

    #[test]
    fn after_expiry_a_resend_starts_a_new_verification() {
        let mut flow = awaiting();
        flow.tick(T0 + 600_000);
        let Some(Effect::Send(request)) = flow.request_send(T0 + 600_000).first().cloned() else {
            panic!("no send")
        };
        assert_eq!(request.verification_id, None);
        let mut refused = awaiting();
        refused.submit("123456", T0 + 40_000);
        refused.verify_answered(VerifyOutcome::Expired, T0 + 40_000);
        let Some(Effect::Send(request)) = refused.request_send(T0 + 40_000).first().cloned() else {
            panic!("no send")
        };
        assert_eq!(request.verification_id, None, "the server said it is over");
    }

    #[test]
    fn a_throttled_check_holds_the_next_one_until_the_stated_time() {
        let mut flow = awaiting();
        flow.submit("123456", T0 + 1_000);
        flow.verify_answered(VerifyOutcome::RateLimited { retry_after_s: 20 }, T0 + 1_000);
        assert!(flow.accepts_code(), "the code stays in the field");
        assert!(flow.submit("123456", T0 + 20_999).is_empty());
        assert_eq!(
            flow.alert(),
            Some(&Alert::RateLimited { retry_after_s: 20 }),
            "the server's word stays up"
        );
        assert_eq!(checks(&flow.submit("123456", T0 + 21_000)), 1);
    }

    #[test]
    fn a_lock_never_shortens_the_wait_already_stated() {
        let mut flow = Flow::new(&Config::default());
        flow.request_send(T0);
        flow.send_answered(sent("v1", 600, 120, 4), T0);
        flow.submit("000000", T0 + 1_000);
        flow.verify_answered(
            VerifyOutcome::Locked {
                retry_after_s: Some(5),
            },
            T0 + 1_000,
        );
        assert_eq!(flow.send_wait_s(T0 + 1_000), 119);
    }

    #[test]
    fn locked_with_a_wait_holds_the_resend_until_then() {
        let mut flow = awaiting();
        flow.submit("000000", T0 + 40_000);
        let effects = flow.verify_answered(
            VerifyOutcome::Locked {
                retry_after_s: Some(120),
            },
            T0 + 40_000,
        );
        assert_eq!(
            effects.last(),
            Some(&Effect::Emit(Event::Locked {
                retry_after: Some(120)
            }))
        );
        assert_eq!(flow.send_wait_s(T0 + 40_000), 120);
        assert!(!flow.can_send(T0 + 159_999));
        assert!(flow.can_send(T0 + 160_000));
    }

    #[test]
    fn a_reload_resumes_the_deadlines_and_the_cooldown() {
        let config = Config {
            destination: Some("+14155550123".into()),
            ..Config::default()
        };
        let mut flow = Flow::new(&config);
        flow.request_send(T0);
        flow.send_answered(sent("v1", 600, 30, 4), T0);
        flow.tick(T0 + 10_000);
        let saved = flow.resume_point().expect("something to keep");
        let stored = Resume::from_json(&saved.to_json().to_string()).expect("readable");

        let mut reloaded = Flow::new(&config);
        assert!(reloaded.resume(stored.clone(), T0 + 12_000));
        assert_eq!(reloaded.phase(), Phase::AwaitingCode);
        assert_eq!(reloaded.time_left_s(T0 + 12_000), Some(588));
        assert_eq!(
            reloaded.send_wait_s(T0 + 12_000),
            18,
            "the cooldown survives"
        );
        assert!(!reloaded.can_send(T0 + 29_999));
        reloaded.tick(T0 + 13_000);
        assert!(
            matches!(reloaded.status(), Some(Status::Sent { .. })),
            "no milestone replayed"
        );
        let Some(Effect::Send(request)) = reloaded.request_send(T0 + 30_000).first().cloned()
        else {
            panic!("no resend")
        };
        assert_eq!(request.verification_id.as_deref(), Some("v1"));

        // Set back between the save and the load: the deadlines move with the clock.
        let mut set_back = Flow::new(&config);
        assert!(set_back.resume(stored.clone(), T0 - 50_000));
        assert_eq!(set_back.time_left_s(T0 - 50_000), Some(590));
        assert_eq!(set_back.send_wait_s(T0 - 50_000), 20);

        // Expired, but a wait still runs: shown as expired with the cooldown.
        let mut late = Flow::new(&config);
        let waiting = Resume {
            throttle: Throttle {
                allowed_at_ms: T0 + 700_000,
                ..stored.throttle
            },
            ..stored.clone()
        };
        assert!(late.resume(waiting, T0 + 650_000));
        assert_eq!(late.phase(), Phase::Expired);
        assert_eq!(late.send_wait_s(T0 + 650_000), 50);

        // Over and done, or someone else's: not taken.
        assert!(!Flow::new(&config).resume(stored.clone(), T0 + 600_000));
        assert!(!Flow::new(&Config::default()).resume(stored, T0 + 12_000));
    }

    #[test]
    fn nothing_is_kept_before_a_send_or_after_success() {
        assert_eq!(Flow::new(&Config::default()).resume_point(), None);
        let mut flow = awaiting();
        assert!(flow.resume_point().is_some());
        flow.submit("123456", T0);
        flow.verify_answered(VerifyOutcome::Verified { token: "t".into() }, T0);
        assert_eq!(flow.resume_point(), None);
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
        flow.verify_answered(
            VerifyOutcome::InvalidCode {
                attempts_remaining: Some(4),
            },
            T0,
        );
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
            .verify_answered(VerifyOutcome::Verified { token: "t".into() }, T0)
            .is_empty());
        assert_eq!(flow, before);
    }
}
