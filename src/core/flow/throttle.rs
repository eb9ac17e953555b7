//! Resend throttling: how many codes were sent and may still be sent, and how long to wait after
//! each. The wait itself is a deadline ([`super::deadlines`]).
//!
//! The server is the authority. Its latest word (`resend_in` and `sends_remaining` in a send
//! answer, or a `429` with its wait) wins; the widget's own backoff and send cap
//! ([`ResendPolicy`]) only fill in when a backend says nothing.

use crate::core::backend::MAX_WAIT_S;
use crate::core::config::ResendPolicy;

/// The codes of one verification: sent, and still allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Throttle {
    /// Codes sent for the current verification.
    pub sends: u32,
    /// Codes that may still be sent for it.
    pub remaining: u32,
}

impl Throttle {
    /// A throttle before the first code.
    pub fn new(policy: &ResendPolicy) -> Self {
        Self {
            sends: 0,
            remaining: policy.max_sends,
        }
    }

    /// A code was sent; the server's `resend_in` and `sends_remaining` win over the policy when
    /// given. Returns the wait, in seconds, until another may be asked for.
    pub fn sent(
        &mut self,
        resend_in: Option<u64>,
        sends_remaining: Option<u32>,
        policy: &ResendPolicy,
    ) -> u64 {
        self.sends = self.sends.saturating_add(1);
        self.remaining =
            sends_remaining.unwrap_or_else(|| policy.max_sends.saturating_sub(self.sends));
        // An absurd wait would hold resends for good, even across reloads: clamp it as a 429's.
        resend_in
            .unwrap_or_else(|| policy.cooldown_after(self.sends))
            .min(MAX_WAIT_S)
    }

    /// The server refused a send; with `exhausted`, no more codes may be sent for this
    /// verification.
    pub fn refused(&mut self, exhausted: bool) {
        if exhausted {
            self.remaining = 0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_fills_in_only_where_the_server_is_silent() {
        let policy = ResendPolicy::default();
        let mut throttle = Throttle::new(&policy);
        assert_eq!(throttle.sent(None, None, &policy), 30);
        assert_eq!(throttle.remaining, 4);
        assert_eq!(throttle.sent(None, None, &policy), 60);
        assert_eq!(throttle.sent(Some(5), Some(9), &policy), 5);
        assert_eq!(throttle.remaining, 9);
        assert_eq!(
            throttle.sent(Some(u64::MAX), None, &policy),
            MAX_WAIT_S,
            "an absurd wait is clamped"
        );
    }

    #[test]
    fn a_send_limit_empties_the_sends() {
        let policy = ResendPolicy::default();
        let mut throttle = Throttle::new(&policy);
        throttle.sent(Some(30), Some(3), &policy);
        throttle.refused(false);
        assert_eq!(throttle.remaining, 3);
        throttle.refused(true);
        assert_eq!(throttle.remaining, 0);
        assert_eq!(
            Throttle::new(&policy),
            Throttle {
                sends: 0,
                remaining: 5
            }
        );
    }
}
