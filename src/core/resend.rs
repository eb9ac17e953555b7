//! Resend throttling: when the shopper may ask for another code, and how many codes are left.
//!
//! The server is the authority. Its latest word (`resend_in` and `sends_remaining` in a send
//! answer, or a `429` with its wait) sets the next allowed time; the widget's own backoff and send
//! cap only fill in when a backend says nothing. Times are absolute milliseconds passed in by the
//! caller, never read here.

use super::contract::MAX_RETRY_AFTER_S;

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

/// The throttle of one verification: codes sent, codes left, and the earliest next send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Throttle {
    /// Codes sent for the current verification.
    pub sends: u32,
    /// Codes that may still be sent for it.
    pub remaining: u32,
    /// Earliest time (ms) another send may be asked for.
    pub allowed_at_ms: u64,
}

impl Throttle {
    /// A throttle before the first code.
    pub fn new(policy: &ResendPolicy) -> Self {
        Self {
            sends: 0,
            remaining: policy.max_sends,
            allowed_at_ms: 0,
        }
    }

    /// A code was sent at `now_ms`; the server's `resend_in` and `sends_remaining` win over the
    /// policy when given. Returns the wait, in seconds, that now applies.
    pub fn sent(
        &mut self,
        now_ms: u64,
        resend_in: Option<u64>,
        sends_remaining: Option<u32>,
        policy: &ResendPolicy,
    ) -> u64 {
        self.sends = self.sends.saturating_add(1);
        self.remaining =
            sends_remaining.unwrap_or_else(|| policy.max_sends.saturating_sub(self.sends));
        // An absurd wait would hold resends for good, even across reloads: clamp it as a 429's.
        let wait = resend_in
            .unwrap_or_else(|| policy.cooldown_after(self.sends))
            .min(MAX_RETRY_AFTER_S);
        self.wait(now_ms, wait);
        wait
    }

    /// The server said to wait `seconds` from `now_ms`; with `exhausted`, no more codes may be
    /// sent for this verification.
    pub fn refused(&mut self, now_ms: u64, seconds: u64, exhausted: bool) {
        if exhausted {
            self.remaining = 0;
        }
        self.wait(now_ms, seconds);
    }

    /// Holds sends for at least `seconds` from `now_ms`, keeping any later time already stated
    /// (a lock's wait never cuts a resend wait short).
    pub fn hold(&mut self, now_ms: u64, seconds: u64) {
        let until = now_ms.saturating_add(seconds.saturating_mul(1000));
        self.allowed_at_ms = self.allowed_at_ms.max(until);
    }

    fn wait(&mut self, now_ms: u64, seconds: u64) {
        self.allowed_at_ms = now_ms.saturating_add(seconds.saturating_mul(1000));
    }

    /// Whether the wait is over at `now_ms` (codes left is the caller's question).
    pub fn wait_over(&self, now_ms: u64) -> bool {
        now_ms >= self.allowed_at_ms
    }

    /// A new verification starts: its sends are counted afresh, the wait stays.
    pub fn restart(&mut self, policy: &ResendPolicy) {
        *self = Self {
            allowed_at_ms: self.allowed_at_ms,
            ..Self::new(policy)
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn the_policy_fills_in_only_where_the_server_is_silent() {
        let policy = ResendPolicy::default();
        let mut throttle = Throttle::new(&policy);
        assert!(throttle.wait_over(0));
        assert_eq!(throttle.sent(1_000, None, None, &policy), 30);
        assert_eq!((throttle.allowed_at_ms, throttle.remaining), (31_000, 4));
        assert_eq!(throttle.sent(31_000, None, None, &policy), 60);
        assert_eq!(throttle.sent(91_000, Some(5), Some(9), &policy), 5);
        assert_eq!((throttle.allowed_at_ms, throttle.remaining), (96_000, 9));
        assert!(!throttle.wait_over(95_999) && throttle.wait_over(96_000));
        assert_eq!(
            throttle.sent(0, Some(u64::MAX), None, &policy),
            MAX_RETRY_AFTER_S,
            "an absurd wait is clamped"
        );
    }

    #[test]
    fn a_refusal_sets_the_wait_and_a_send_limit_empties_the_sends() {
        let policy = ResendPolicy::default();
        let mut throttle = Throttle::new(&policy);
        throttle.sent(0, Some(30), Some(3), &policy);
        throttle.refused(10_000, 42, false);
        assert_eq!((throttle.allowed_at_ms, throttle.remaining), (52_000, 3));
        throttle.refused(10_000, 300, true);
        assert_eq!((throttle.allowed_at_ms, throttle.remaining), (310_000, 0));
        throttle.restart(&policy);
        assert_eq!(
            throttle,
            Throttle {
                sends: 0,
                remaining: 5,
                allowed_at_ms: 310_000
            }
        );
    }
}
