//! The rules of one verification, with time passed in: code lifetime, wrong-attempt budget, resend
//! cooldown and send cap. The HTTP layer only maps these results to status codes.

use std::collections::HashMap;

use checkout_verify::core::config::ResendPolicy;

/// The numbers the server enforces. Defaults follow the numbers in docs/ARCHITECTURE.md ("The backend").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// Digits in a code. Default 6.
    pub code_length: u8,
    /// Seconds a code stays valid. Default 600.
    pub ttl_s: u64,
    /// Wait after each code, with backoff (30 s, 60 s, then 120 s for every further code), and
    /// codes per verification (5, the first included): the same rule the widget applies to
    /// backends that state none.
    pub resend: ResendPolicy,
    /// Wrong codes per verification, across resends (a resend does not refill it). Default 5.
    pub max_attempts: u32,
    /// New verifications per destination within `starts_window_s`: without a bound, starting
    /// over would undo the send cap and the wrong-attempt budget. Default 10.
    pub max_starts: u32,
    /// The sliding window for `max_starts`, in seconds. Default 3600.
    pub starts_window_s: u64,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            code_length: 6,
            ttl_s: 600,
            resend: ResendPolicy::default(),
            max_attempts: 5,
            max_starts: 10,
            starts_window_s: 3600,
        }
    }
}

/// One verification: who it is for, the current code and what has been used of its budgets.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Verification {
    /// Where codes go.
    pub destination: String,
    code: String,
    expires_at_ms: u64,
    next_send_at_ms: u64,
    sends: u32,
    attempts_left: u32,
}

/// Why a resend is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResendRefusal {
    /// Too soon: wait this many seconds.
    Cooldown {
        /// Seconds to wait.
        retry_after_s: u64,
    },
    /// No more codes for this verification; a new one may start after this many seconds.
    SendLimit {
        /// Seconds to wait.
        retry_after_s: u64,
    },
}

/// The result of checking a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckResult {
    /// Right code, in time: the verification is done and must be removed.
    Approved,
    /// Wrong code; this many tries are left.
    Wrong {
        /// Tries left.
        attempts_left: u32,
    },
    /// No tries left: the code is void.
    Exhausted,
    /// The code's time is up.
    Expired,
}

impl Verification {
    /// A new verification whose first code, `code`, is sent at `now_ms`.
    pub fn new(destination: String, code: String, now_ms: u64, policy: &Policy) -> Self {
        Self {
            destination,
            code,
            expires_at_ms: now_ms + policy.ttl_s * 1000,
            next_send_at_ms: now_ms + policy.resend.cooldown_after(1) * 1000,
            sends: 1,
            attempts_left: policy.max_attempts,
        }
    }

    /// Replaces the code with `code` if a send is allowed now; the old code stops working.
    pub fn resend(
        &mut self,
        code: String,
        now_ms: u64,
        policy: &Policy,
    ) -> Result<(), ResendRefusal> {
        if self.sends >= policy.resend.max_sends {
            return Err(ResendRefusal::SendLimit {
                retry_after_s: seconds_between(now_ms, self.expires_at_ms).max(1),
            });
        }
        if now_ms < self.next_send_at_ms {
            return Err(ResendRefusal::Cooldown {
                retry_after_s: seconds_between(now_ms, self.next_send_at_ms),
            });
        }
        self.code = code;
        self.sends += 1;
        self.expires_at_ms = now_ms + policy.ttl_s * 1000;
        self.next_send_at_ms = now_ms + policy.resend.cooldown_after(self.sends) * 1000;
        Ok(())
    }

    /// Checks `code`. A wrong code spends one try; the comparison takes the same time wherever
    /// the codes differ.
    pub fn check(&mut self, code: &str, now_ms: u64) -> CheckResult {
        if now_ms >= self.expires_at_ms {
            return CheckResult::Expired;
        }
        if self.attempts_left == 0 {
            return CheckResult::Exhausted;
        }
        if constant_time_eq(code.as_bytes(), self.code.as_bytes()) {
            return CheckResult::Approved;
        }
        self.attempts_left -= 1;
        match self.attempts_left {
            0 => CheckResult::Exhausted,
            n => CheckResult::Wrong { attempts_left: n },
        }
    }

    /// Seconds the current code stays valid.
    pub fn expires_in_s(&self, now_ms: u64) -> u64 {
        seconds_between(now_ms, self.expires_at_ms)
    }

    /// Seconds until another code may be sent.
    pub fn resend_in_s(&self, now_ms: u64) -> u64 {
        seconds_between(now_ms, self.next_send_at_ms)
    }

    /// Codes that may still be sent.
    pub fn sends_remaining(&self, policy: &Policy) -> u32 {
        policy.resend.max_sends.saturating_sub(self.sends)
    }

    /// Whether the verification can be forgotten: its code expired.
    pub fn is_stale(&self, now_ms: u64) -> bool {
        now_ms >= self.expires_at_ms
    }
}

impl crate::store::Record for Verification {
    fn keep_until_ms(&self) -> u64 {
        self.expires_at_ms
    }
}

/// When verifications were started, per destination: the bound on starting over.
#[derive(Debug, Default)]
pub struct Starts(HashMap<String, Vec<u64>>);

impl Starts {
    /// Records a new verification for `destination` at `now_ms` if the policy allows one;
    /// otherwise the seconds until it will.
    pub fn admit(&mut self, destination: &str, now_ms: u64, policy: &Policy) -> Result<(), u64> {
        let window_ms = policy.starts_window_s * 1000;
        self.0
            .retain(|_, starts| starts.last().is_some_and(|&t| now_ms < t + window_ms));
        // One destination however it is written: `+1 (415) 555-0123` is `+14155550123`.
        let key: String = destination
            .chars()
            .filter(|c| !c.is_whitespace() && !matches!(c, '(' | ')' | '-' | '.'))
            .flat_map(char::to_lowercase)
            .collect();
        let starts = self.0.entry(key).or_default();
        starts.retain(|&t| now_ms < t + window_ms);
        if starts.len() >= policy.max_starts as usize {
            let oldest = starts.first().copied().unwrap_or(now_ms);
            return Err(seconds_between(now_ms, oldest + window_ms).max(1));
        }
        starts.push(now_ms);
        Ok(())
    }
}

fn seconds_between(from_ms: u64, to_ms: u64) -> u64 {
    to_ms.saturating_sub(from_ms).div_ceil(1000)
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: u64 = 1_000_000;

    fn fresh() -> (Verification, Policy) {
        let policy = Policy::default();
        (
            Verification::new("+1".into(), "123456".into(), T0, &policy),
            policy,
        )
    }

    #[test]
    fn right_code_in_time_is_approved() {
        let (mut v, _) = fresh();
        assert_eq!(v.check("123456", T0 + 1), CheckResult::Approved);
    }

    #[test]
    fn wrong_codes_spend_the_budget_then_void_the_code() {
        let (mut v, _) = fresh();
        for left in (1..5).rev() {
            assert_eq!(
                v.check("000000", T0),
                CheckResult::Wrong {
                    attempts_left: left
                }
            );
        }
        assert_eq!(v.check("000000", T0), CheckResult::Exhausted);
        assert_eq!(
            v.check("123456", T0),
            CheckResult::Exhausted,
            "right code no longer works"
        );
    }

    #[test]
    fn code_expires_at_its_deadline() {
        let (mut v, _) = fresh();
        assert_eq!(v.expires_in_s(T0), 600);
        assert_eq!(v.check("123456", T0 + 600_000), CheckResult::Expired);
        assert!(v.is_stale(T0 + 600_000));
    }

    #[test]
    fn resend_waits_for_cooldown_and_replaces_the_code() {
        let (mut v, policy) = fresh();
        assert_eq!(
            v.resend("654321".into(), T0 + 10_000, &policy),
            Err(ResendRefusal::Cooldown { retry_after_s: 20 })
        );
        assert_eq!(v.resend("654321".into(), T0 + 30_000, &policy), Ok(()));
        assert_eq!(
            v.check("123456", T0 + 30_001),
            CheckResult::Wrong { attempts_left: 4 }
        );
        assert_eq!(v.check("654321", T0 + 30_002), CheckResult::Approved);
        assert_eq!(v.expires_in_s(T0 + 30_000), 600, "new code, new lifetime");
    }

    #[test]
    fn the_wait_between_codes_backs_off_then_caps() {
        let (mut v, policy) = fresh();
        let mut now = T0;
        let mut waits = vec![v.resend_in_s(now)];
        for n in 2..=5 {
            now += v.resend_in_s(now) * 1000;
            v.resend(format!("{n:06}"), now, &policy).unwrap();
            waits.push(v.resend_in_s(now));
        }
        assert_eq!(waits, [30, 60, 120, 120, 120]);
        assert_eq!(
            v.resend("999999".into(), now + 60_000, &policy),
            Err(ResendRefusal::SendLimit { retry_after_s: 540 }),
            "after the last code, only its expiry ends the wait"
        );
    }

    #[test]
    fn resend_does_not_refill_attempts() {
        let (mut v, policy) = fresh();
        for _ in 0..4 {
            v.check("000000", T0);
        }
        v.resend("654321".into(), T0 + 30_000, &policy).unwrap();
        assert_eq!(v.check("000000", T0 + 30_000), CheckResult::Exhausted);
    }

    #[test]
    fn send_cap_is_enforced() {
        let (mut v, policy) = fresh();
        let mut now = T0;
        for n in 1..policy.resend.max_sends {
            now += v.resend_in_s(now) * 1000;
            v.resend(format!("{n:06}"), now, &policy).unwrap();
        }
        assert_eq!(v.sends_remaining(&policy), 0);
        assert!(matches!(
            v.resend("999999".into(), now + 30_000, &policy),
            Err(ResendRefusal::SendLimit { .. })
        ));
    }

    #[test]
    fn starting_over_is_bounded_per_destination() {
        let policy = Policy::default();
        let mut starts = Starts::default();
        for n in 0..10 {
            assert_eq!(starts.admit("+1", T0 + n * 1_000, &policy), Ok(()));
        }
        assert_eq!(starts.admit("+1", T0 + 10_000, &policy), Err(3_590));
        assert_eq!(
            starts.admit("+2", T0 + 10_000, &policy),
            Ok(()),
            "per destination"
        );
        assert_eq!(
            starts.admit("+1", T0 + 3_600_000, &policy),
            Ok(()),
            "the window slides"
        );
    }

    #[test]
    fn comparison_needs_equal_length() {
        assert!(constant_time_eq(b"123456", b"123456"));
        assert!(!constant_time_eq(b"12345", b"123456"));
        assert!(!constant_time_eq(b"123457", b"123456"));
    }
}
