//! What the shell may ask the flow between inputs: the phase, what the shopper reads, and what is
//! allowed now (typing, sending, another channel), each a function of the state and the clock.

use super::deadlines::Deadline;
use super::{Flow, Phase};
use crate::core::code::Alphabet;
use crate::core::config::Config;
use crate::core::messages::{Alert, Status};

impl Flow {
    /// The configuration the flow runs on.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The current phase.
    pub fn phase(&self) -> Phase {
        self.phase
    }

    /// Characters in the code: the config's until the server names its own.
    pub fn code_length(&self) -> u8 {
        self.code_length
    }

    /// Which characters the code is made of.
    pub fn alphabet(&self) -> Alphabet {
        self.config.alphabet
    }

    /// The progress message for `role="status"`, if any.
    pub fn status(&self) -> Option<&Status> {
        self.status.as_ref()
    }

    /// The problem for `role="alert"`, if any.
    pub fn alert(&self) -> Option<&Alert> {
        self.alert.as_ref()
    }

    /// The genuine store's address, on a page the gate refused: the shopper is sent there.
    pub fn genuine_url(&self) -> Option<&str> {
        match &self.alert {
            Some(Alert::Blocked { genuine_url, .. }) => genuine_url.as_deref(),
            _ => None,
        }
    }

    /// Whether a code was ever sent (the button then reads "Resend code").
    pub fn has_sent(&self) -> bool {
        self.verification_id.is_some()
    }

    /// Whether the shopper may type a code now.
    pub fn accepts_code(&self) -> bool {
        matches!(
            self.phase,
            Phase::AwaitingCode | Phase::Invalid | Phase::Error
        ) && self.has_sent()
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
        let live = self.field_enabled();
        live.then(|| self.deadlines.seconds_left(Deadline::Expiry, now_ms))
    }

    /// Whether the code is about to expire (within the configured warning time): the widget
    /// shows it and makes "Resend code" prominent, so the shopper can extend the time limit.
    pub fn expiring_soon(&self, now_ms: u64) -> bool {
        self.accepts_code()
            && self
                .time_left_s(now_ms)
                .is_some_and(|left| left <= self.config.warn_before)
    }

    /// The channel codes go by now.
    pub fn channel(&self) -> &str {
        &self.channel
    }

    /// The other channels the shopper may ask for the next code by ("Call me instead"): the
    /// configured `channels` but the current one, once a code was sent and another may be asked
    /// for.
    pub fn offered_channels(&self, now_ms: u64) -> Vec<&str> {
        if !self.has_sent() || !self.can_send(now_ms) {
            return Vec::new();
        }
        self.config
            .channels
            .iter()
            .map(String::as_str)
            .filter(|channel| *channel != self.channel)
            .collect()
    }

    /// Whether "Use a different number" is offered: configured, a code was sent, and the
    /// verification is not being checked or done.
    pub fn offers_change_destination(&self) -> bool {
        self.config.change_destination
            && self.has_sent()
            && !matches!(self.phase, Phase::Verifying | Phase::Verified)
    }

    /// Whether the current verification is over by its clock (or there is none): once it is, a
    /// new one may start even when its sends ran out.
    pub(super) fn verification_over(&self, now_ms: u64) -> bool {
        !self.has_sent() || self.deadlines.passed(Deadline::Expiry, now_ms)
    }

    /// Whether a (new) code may be requested now: not while a request is under way or after
    /// success, not before the last stated wait, and not beyond the codes left for a verification
    /// that still runs.
    pub fn can_send(&self, now_ms: u64) -> bool {
        !matches!(
            self.phase,
            Phase::Sending | Phase::Verifying | Phase::Verified | Phase::Blocked
        ) && self.deadlines.passed(Deadline::Resend, now_ms)
            && (self.throttle.remaining > 0 || self.verification_over(now_ms))
    }

    /// Seconds until a send is allowed by the wait (0 when it is).
    pub fn send_wait_s(&self, now_ms: u64) -> u64 {
        self.deadlines.seconds_left(Deadline::Resend, now_ms)
    }

    /// Whether no more codes can be sent for this verification now: the widget then shows the
    /// configured advice (`sends_exhausted`), for the shopper to know what to do next.
    pub fn sends_exhausted(&self, now_ms: u64) -> bool {
        self.has_sent()
            && self.throttle.remaining == 0
            && self.phase != Phase::Verified
            && !self.can_send(now_ms)
    }
}
