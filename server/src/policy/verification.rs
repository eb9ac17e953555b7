//! One verification: the current code (kept only as its keyed hash), its lifetime, the resend
//! cooldown and send cap, and the wrong-attempt budget.

use serde::{Deserialize, Serialize};

use super::{seconds_between, Policy};
use crate::store::Record;

/// One verification: who it is for, the current code's keyed hash and what has been used of its
/// budgets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verification {
    /// Where codes go, canonical (E.164 or a lower-cased address).
    pub destination: String,
    /// The keyed hash naming the destination in the store and in proofs.
    pub destination_key: String,
    /// The store's checkout or order id the shopper is verifying for, if it said.
    pub context: Option<String>,
    code_mac: String,
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
    /// No more codes for this verification (all sent, or too many wrong ones entered); a new
    /// one may start after this many seconds.
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
    /// Wrong code, and it spent the last try: the code is void now.
    Exhausted,
    /// No tries were left (nothing was compared): the code was already void.
    Void,
    /// The code's time is up.
    Expired,
}

/// Who a new verification is for and what its first code is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Start {
    /// Canonical destination.
    pub destination: String,
    /// Its keyed hash.
    pub destination_key: String,
    /// The store's checkout or order id, if given.
    pub context: Option<String>,
    /// The keyed hash of the first code.
    pub code_mac: String,
}

impl Verification {
    /// A new verification whose first code is sent at `now_ms`.
    pub fn new(start: Start, now_ms: u64, policy: &Policy) -> Self {
        Self {
            destination: start.destination,
            destination_key: start.destination_key,
            context: start.context,
            code_mac: start.code_mac,
            expires_at_ms: now_ms + policy.ttl_s * 1000,
            next_send_at_ms: now_ms + policy.resend.cooldown_after(1) * 1000,
            sends: 1,
            attempts_left: policy.max_attempts,
        }
    }

    /// Replaces the code (given as its keyed hash) if a send is allowed now; the old code stops
    /// working. A verification locked by wrong codes sends no more: its code could never work.
    pub fn resend(
        &mut self,
        code_mac: String,
        now_ms: u64,
        policy: &Policy,
    ) -> Result<(), ResendRefusal> {
        if self.sends >= policy.resend.max_sends || self.attempts_left == 0 {
            return Err(ResendRefusal::SendLimit {
                retry_after_s: seconds_between(now_ms, self.expires_at_ms).max(1),
            });
        }
        if now_ms < self.next_send_at_ms {
            return Err(ResendRefusal::Cooldown {
                retry_after_s: seconds_between(now_ms, self.next_send_at_ms),
            });
        }
        self.code_mac = code_mac;
        self.sends += 1;
        self.expires_at_ms = now_ms + policy.ttl_s * 1000;
        self.next_send_at_ms = now_ms + policy.resend.cooldown_after(self.sends) * 1000;
        Ok(())
    }

    /// Undoes a resend whose code could not be delivered, if the verification still holds that
    /// code (`failed_mac`): the code, the send count and the deadlines go back to `before`'s, so
    /// the shopper's earlier code works again and the failed send is not counted. Tries spent
    /// meanwhile stay spent.
    pub fn withdraw(&mut self, failed_mac: &str, before: &Verification) {
        if self.code_mac == failed_mac {
            self.code_mac = before.code_mac.clone();
            self.sends = before.sends;
            self.expires_at_ms = before.expires_at_ms;
            self.next_send_at_ms = before.next_send_at_ms;
        }
    }

    /// Checks a code, given as its keyed hash. A wrong code spends one try; the comparison takes
    /// the same time wherever the hashes differ.
    pub fn check(&mut self, code_mac: &str, now_ms: u64) -> CheckResult {
        if now_ms >= self.expires_at_ms {
            return CheckResult::Expired;
        }
        if self.attempts_left == 0 {
            return CheckResult::Void;
        }
        if constant_time_eq(code_mac.as_bytes(), self.code_mac.as_bytes()) {
            return CheckResult::Approved;
        }
        self.attempts_left -= 1;
        match self.attempts_left {
            0 => CheckResult::Exhausted,
            n => CheckResult::Wrong { attempts_left: n },
        }
    }

    /// Voids the code: no try is left (its destination was locked).
    pub fn lock(&mut self) {
        self.attempts_left = 0;
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
}

impl Record for Verification {
    fn keep_until_ms(&self) -> u64 {
        self.expires_at_ms
    }
}

/// Equality of two byte strings in time that depends only on their lengths.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: u64 = 1_000_000;

    fn fresh() -> (Verification, Policy) {
        let policy = Policy::default();
        let start = Start {
            destination: "+14155550300".into(),
            destination_key: "k".into(),
            context: None,
            code_mac: "123456".into(),
        };
        (Verification::new(start, T0, &policy), policy)
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
            CheckResult::Void,
            "right code no longer works"
        );
    }

    #[test]
    fn code_expires_at_its_deadline() {
        let (mut v, _) = fresh();
        assert_eq!(v.expires_in_s(T0), 600);
        assert_eq!(v.check("123456", T0 + 600_000), CheckResult::Expired);
        assert_eq!(v.keep_until_ms(), T0 + 600_000);
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
    fn a_resend_withdrawn_after_a_failed_delivery_leaves_the_earlier_code() {
        let (mut v, policy) = fresh();
        let before = v.clone();
        assert_eq!(v.resend("654321".into(), T0 + 30_000, &policy), Ok(()));
        assert_eq!(
            v.check("000000", T0 + 30_001),
            CheckResult::Wrong { attempts_left: 4 }
        );
        v.withdraw("654321", &before);
        assert_eq!(
            v.resend_in_s(T0 + 30_000),
            0,
            "the failed send set no new wait"
        );
        assert_eq!(v.sends, 1, "the failed send is not counted");
        assert_eq!(v.attempts_left, 4, "the try spent stays spent");
        assert_eq!(v.check("123456", T0 + 30_002), CheckResult::Approved);
        // A verification that moved on (another resend since) is left alone.
        let (mut v, _) = fresh();
        let before = v.clone();
        v.resend("111111".into(), T0 + 30_000, &policy)
            .expect("resend");
        v.withdraw("654321", &before);
        assert_eq!(v.check("111111", T0 + 30_001), CheckResult::Approved);
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
        assert_eq!(v.check("654321", T0 + 30_000), CheckResult::Void);
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
    fn a_locked_verification_sends_no_more_codes() {
        let (mut v, policy) = fresh();
        for _ in 0..policy.max_attempts {
            v.check("000000", T0);
        }
        assert_eq!(
            v.resend("654321".into(), T0 + 60_000, &policy),
            Err(ResendRefusal::SendLimit { retry_after_s: 540 })
        );
    }

    #[test]
    fn comparison_needs_equal_length() {
        assert!(constant_time_eq(b"123456", b"123456"));
        assert!(!constant_time_eq(b"12345", b"123456"));
        assert!(!constant_time_eq(b"123457", b"123456"));
    }
}
