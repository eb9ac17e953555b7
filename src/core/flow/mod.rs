//! The verification state machine: idle → sending → awaiting code → verifying → verified, or
//! invalid / expired / locked / error, with the way back from each.
//!
//! Pure and driven by data: everything that happens comes in as an [`Input`] with the current
//! time, through the one [`Flow::handle`], which returns the [`Effect`]s the shell must carry out
//! (a request, an event, clearing the field). The code itself lives in the shell's input; the
//! flow sees it only when it is entered or submitted. Every deadline is kept in one table
//! ([`Deadlines`]) with the one rule for a clock set back.

pub mod deadlines;
mod queries;
pub mod resume;
#[cfg(test)]
mod tests;
pub mod throttle;

use deadlines::{Deadline, Deadlines, LAST_SECONDS};
use resume::Resume;
use throttle::Throttle;

use super::backend::{CheckOutcome, CheckRequest, Request, SendOutcome, SendRequest};
use super::code::is_complete;
use super::config::Config;
use super::events::Event;
use super::guard::report::CloneReport;
use super::guard::Page;
use super::json::Json;
use super::messages::{Alert, Status};

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
    /// The page is not the genuine store (the gate refused it): nothing can be typed or sent.
    /// Final.
    Blocked,
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
            Phase::Blocked => "blocked",
        }
    }
}

/// Everything that can happen to a widget: the shopper's actions, the backend's answers, the
/// clock, and a reload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// The widget appeared on this page: the gate assesses it before anything else, and a page
    /// it refuses blocks the widget for good.
    PageLoaded(Page),
    /// The shopper pressed Send / Resend. Refused (no effects) while not allowed.
    Send,
    /// The shopper asked for the next code by another of the configured `channels` ("Call me
    /// instead"). Refused while a send is not allowed, or for a channel not offered.
    SendBy(String),
    /// The send request came back, classified.
    SendAnswered(SendOutcome),
    /// The field now holds this code (typed, pasted or autofilled): with `auto_submit`, a
    /// complete code is checked at once; an incomplete one is left alone.
    CodeEntered(String),
    /// The shopper submitted this code (Enter, Verify, or the browser's WebOTP sheet). At most
    /// one check is in flight: a submit while verifying, verified or without a live code does
    /// nothing.
    Submit(String),
    /// Text that arrived in the field named another host in its origin-bound line: say so, and
    /// let the shell clear the field. Nothing is sent.
    CodeRefused {
        /// The host the message names.
        host: String,
    },
    /// The check request came back, classified.
    CheckAnswered(CheckOutcome),
    /// The clock: once a second, and when the tab is shown again.
    Tick,
    /// The shopper asked to use another destination: the page, which owns that form, is told.
    ChangeDestination,
    /// A verification saved before a reload: taken when it belongs to this destination and still
    /// matters (its code is valid or a wait still runs).
    Resume(Resume),
}

/// Something the shell must do after an input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Send this request to the send endpoint; its answer is [`Input::SendAnswered`].
    Send(SendRequest),
    /// Send this request to the check endpoint; its answer is [`Input::CheckAnswered`].
    Check(CheckRequest),
    /// Dispatch this event on the host element.
    Emit(Event),
    /// Empty the code field (the code is wrong, void or replaced).
    ClearCode,
    /// Ask the browser for the code from the incoming SMS (WebOTP), replacing any earlier ask.
    /// Its answer is an [`Input::Submit`].
    ListenForCode,
    /// Withdraw the WebOTP ask: the code was entered by hand, or is no longer wanted.
    StopListening,
    /// Send this clone report to `url` with `navigator.sendBeacon`, once.
    Report {
        /// The configured `report` URL, on an allowed host.
        url: String,
        /// What the gate found.
        report: CloneReport,
    },
    /// Move focus to the code field: a code was just sent, or the shopper must type it again.
    /// Only after the shopper's own actions, never on a clock tick.
    FocusCode,
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
    config: Config,
    phase: Phase,
    /// Phase to return to when a send fails or is throttled.
    before_send: Phase,
    /// Characters in the code: the config's until the server names its own.
    code_length: u8,
    /// The channel codes go by: the config's, until the shopper chooses another.
    channel: String,
    /// The channel of the send under way, taken as the channel once a code is sent by it.
    sending_channel: String,
    /// The verification the server told us about, if any.
    verification_id: Option<String>,
    /// Values of the last send answer the backend's later requests name (`sent.*`).
    kept: Vec<(String, Json)>,
    destination_hint: Option<String>,
    throttle: Throttle,
    deadlines: Deadlines,
    announced: Announced,
    status: Option<Status>,
    alert: Option<Alert>,
}

impl Flow {
    /// A flow in [`Phase::Idle`] for this configuration.
    pub fn new(config: Config) -> Self {
        Self {
            phase: Phase::Idle,
            before_send: Phase::Idle,
            code_length: config.code_length,
            channel: config.channel.clone(),
            sending_channel: config.channel.clone(),
            verification_id: None,
            kept: Vec::new(),
            destination_hint: None,
            throttle: Throttle::new(&config.resend),
            deadlines: Deadlines::default(),
            announced: Announced::default(),
            status: None,
            alert: None,
            config,
        }
    }

    /// Takes `input` in at `now_ms` (ms since the epoch) and returns what the shell must do.
    /// The clock reading is taken in first: a clock set back moves every deadline with it.
    pub fn handle(&mut self, input: Input, now_ms: u64) -> Vec<Effect> {
        self.deadlines.observe(now_ms);
        if self.phase == Phase::Blocked {
            return Vec::new();
        }
        match input {
            Input::PageLoaded(page) => self.assess(&page),
            Input::Send => self.send(self.channel.clone(), now_ms),
            Input::SendBy(channel) => {
                if !self.offered_channels(now_ms).contains(&channel.as_str()) {
                    return Vec::new();
                }
                self.send(channel, now_ms)
            }
            Input::SendAnswered(outcome) => self.send_answered(outcome, now_ms),
            Input::CodeEntered(code) => {
                let complete = is_complete(&code, self.code_length, self.config.alphabet);
                if self.config.auto_submit && complete {
                    self.submit(code, now_ms)
                } else {
                    Vec::new()
                }
            }
            Input::Submit(code) => self.submit(code, now_ms),
            Input::CodeRefused { host } => {
                if !self.accepts_code() {
                    return Vec::new();
                }
                self.alert = Some(Alert::WrongHost { host });
                vec![Effect::ClearCode, Effect::FocusCode]
            }
            Input::CheckAnswered(outcome) => self.check_answered(outcome, now_ms),
            Input::Tick => self.tick(now_ms),
            Input::ChangeDestination => {
                if !self.offers_change_destination() {
                    return Vec::new();
                }
                vec![
                    Effect::StopListening,
                    Effect::Emit(Event::ChangeDestination),
                ]
            }
            Input::Resume(saved) => {
                self.resume(saved, now_ms);
                Vec::new()
            }
        }
    }

    /// Runs the gate on `page`; a refusal blocks the widget, tells the page and, where a report
    /// URL is configured and allowed, the genuine store.
    fn assess(&mut self, page: &Page) -> Vec<Effect> {
        let guard = self.config.guard(page);
        let verdict = guard.assess(page);
        if verdict.trusted {
            return Vec::new();
        }
        self.phase = Phase::Blocked;
        self.status = None;
        let mut effects = vec![Effect::Emit(Event::Blocked {
            reasons: verdict.reasons.clone(),
            genuine: verdict.genuine.clone(),
        })];
        if let Some(url) = self
            .config
            .report
            .clone()
            .filter(|url| guard.allows_endpoint(url, &page.host))
        {
            let report = CloneReport::new(&verdict, page);
            effects.push(Effect::Report { url, report });
        }
        self.alert = Some(Alert::Blocked {
            reasons: verdict.reasons,
            genuine: verdict.genuine,
            genuine_url: verdict.genuine_url,
        });
        effects
    }

    fn send(&mut self, channel: String, now_ms: u64) -> Vec<Effect> {
        if !self.can_send(now_ms) {
            return Vec::new();
        }
        // A verification that expired, locked or ran out of codes cannot take another code (the
        // reference server forgets expired ones and never refills wrong attempts): start anew.
        let finished = matches!(self.phase, Phase::Expired | Phase::Locked)
            || self.throttle.remaining == 0
            || self.verification_over(now_ms);
        if finished {
            self.verification_id = None;
            self.kept.clear();
            self.throttle = Throttle::new(&self.config.resend);
        }
        self.before_send = self.phase;
        self.phase = Phase::Sending;
        self.status = Some(Status::Sending);
        self.alert = None;
        self.sending_channel = channel.clone();
        // WebOTP must be asking before the SMS arrives, so it starts with the request.
        let mut effects = vec![Effect::Send(SendRequest {
            destination: self.config.destination.clone(),
            channel,
            // The order is bound to the verification when it starts.
            context: self
                .config
                .context
                .clone()
                .filter(|_| self.verification_id.is_none()),
            locale: self.config.locale.clone(),
            verification_id: self.verification_id.clone(),
            kept: self.kept.clone(),
        })];
        if self.config.web_otp {
            effects.push(Effect::ListenForCode);
        }
        effects
    }

    fn send_answered(&mut self, outcome: SendOutcome, now_ms: u64) -> Vec<Effect> {
        if self.phase != Phase::Sending {
            return Vec::new();
        }
        match outcome {
            SendOutcome::Sent(sent) => {
                let expires_in = sent.expires_in.unwrap_or(self.config.code_lifetime);
                let resend_in =
                    self.throttle
                        .sent(sent.resend_in, sent.sends_remaining, &self.config.resend);
                self.deadlines.set(Deadline::Resend, now_ms, resend_in);
                self.deadlines.set(Deadline::Expiry, now_ms, expires_in);
                self.phase = Phase::AwaitingCode;
                self.channel = self.sending_channel.clone();
                self.code_length = sent.code_length.unwrap_or(self.code_length);
                self.verification_id = Some(sent.verification_id.clone());
                self.kept = sent.kept;
                self.destination_hint = sent.destination_hint.clone();
                self.status = Some(Status::Sent {
                    destination_hint: sent.destination_hint.clone(),
                    channel: self.channel.clone(),
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
                        channel: self.channel.clone(),
                    }),
                ]
            }
            SendOutcome::RateLimited {
                retry_after_s,
                sends_exhausted,
            } => {
                self.phase = self.before_send;
                self.status = None;
                self.throttle.refused(sends_exhausted);
                self.deadlines.set(Deadline::Resend, now_ms, retry_after_s);
                self.alert = Some(if sends_exhausted {
                    Alert::SendsExhausted {
                        advice: self.config.sends_exhausted.clone(),
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

    fn submit(&mut self, code: String, now_ms: u64) -> Vec<Effect> {
        let Some(verification_id) = self.verification_id.clone().filter(|_| self.accepts_code())
        else {
            return Vec::new();
        };
        if self.deadlines.passed(Deadline::Expiry, now_ms) {
            return self.expire();
        }
        if !self.deadlines.passed(Deadline::Check, now_ms) {
            // The server asked for a pause; its alert stays up and the code stays in the field.
            return Vec::new();
        }
        if !is_complete(&code, self.code_length, self.config.alphabet) {
            self.alert = Some(Alert::Incomplete {
                length: self.code_length,
            });
            return Vec::new();
        }
        self.phase = Phase::Verifying;
        self.status = Some(Status::Checking);
        self.alert = None;
        vec![
            Effect::StopListening,
            Effect::Check(CheckRequest {
                verification_id,
                code,
                destination: self.config.destination.clone(),
                channel: self.channel.clone(),
                context: self.config.context.clone(),
                kept: self.kept.clone(),
            }),
        ]
    }

    fn check_answered(&mut self, outcome: CheckOutcome, now_ms: u64) -> Vec<Effect> {
        if self.phase != Phase::Verifying {
            return Vec::new();
        }
        self.status = None;
        match outcome {
            CheckOutcome::Verified { token } => {
                self.phase = Phase::Verified;
                self.status = Some(Status::Verified);
                vec![Effect::Emit(Event::Verified {
                    verification_id: self.verification_id.clone().unwrap_or_default(),
                    token,
                })]
            }
            CheckOutcome::InvalidCode { attempts_remaining } => {
                self.wrong_code(Alert::WrongCode { attempts_remaining }, attempts_remaining)
            }
            CheckOutcome::InvalidOrExpired { attempts_remaining } => self.wrong_code(
                Alert::WrongOrExpired { attempts_remaining },
                attempts_remaining,
            ),
            CheckOutcome::Expired => self.expire(),
            CheckOutcome::Locked { retry_after_s } => {
                if let Some(wait) = retry_after_s {
                    self.deadlines.extend(Deadline::Resend, now_ms, wait);
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
            CheckOutcome::RateLimited { retry_after_s } => {
                self.deadlines.set(Deadline::Check, now_ms, retry_after_s);
                self.phase = Phase::Error;
                self.alert = Some(Alert::RateLimited { retry_after_s });
                vec![Effect::Emit(Event::Throttled {
                    retry_after: retry_after_s,
                    sends_exhausted: false,
                })]
            }
            CheckOutcome::Failed(failure) => {
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

    /// The code was not right (or, where the backend cannot tell, not right or expired): the
    /// field is cleared for another try.
    fn wrong_code(&mut self, alert: Alert, attempts_remaining: Option<u32>) -> Vec<Effect> {
        self.phase = Phase::Invalid;
        self.alert = Some(alert);
        vec![
            Effect::ClearCode,
            Effect::FocusCode,
            Effect::Emit(Event::Invalid { attempts_remaining }),
        ]
    }

    /// The countdown milestones reached at `now_ms` and not yet announced, most urgent first.
    fn milestones_due(&self, now_ms: u64) -> Announced {
        let Some(left) = self.time_left_s(now_ms).filter(|_| self.accepts_code()) else {
            return Announced::default();
        };
        Announced {
            resend_ready: !self.announced.resend_ready && self.can_send(now_ms),
            warning: !self.announced.warning && left <= self.config.warn_before,
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

    /// Expires a code whose deadline is reached while the shopper could enter it (a check
    /// already under way is left to the server's answer), and announces the milestones reached:
    /// when several are due at once (after a sleep), the most urgent is said. A quiet second
    /// changes nothing the shopper reads, so the live regions are written only at milestones.
    fn tick(&mut self, now_ms: u64) -> Vec<Effect> {
        if self.accepts_code() && self.verification_over(now_ms) {
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
}
