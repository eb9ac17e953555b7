//! The rules the server enforces, as pure functions of their inputs with time passed in: one
//! verification's code, lifetime and budgets ([`verification`]), what a destination is
//! ([`destination`]), how often it may be used and guessed at ([`record`]), and send budgets per
//! client, per network and overall ([`rate`]). Every number lives in [`Policy`]; the HTTP layer only maps results to answers.

pub mod destination;
pub mod rate;
pub mod record;
pub mod verification;

use checkout_verify::core::config::ResendPolicy;

pub use destination::Destination;
pub use rate::{Bucket, Rate, Standing};
pub use record::{DestinationRecord, DestinationRefusal, GuessRefusal};
pub use verification::{CheckResult, ResendRefusal, Verification};

/// Every number the server enforces, in one table. The defaults follow NIST SP 800-63B and the
/// OWASP notes summarised in docs/ARCHITECTURE.md ("The backend"); the send budgets are sized for
/// a store sending 10 codes a second sustained (36,000 an hour) with bursts of 3,000 at once,
/// which never meets the overall cap.
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
    /// Wrong codes per verification, across resends (a resend does not refill it); the last one
    /// answers `410`. Default 5.
    pub max_attempts: u32,
    /// New verifications per destination within `starts_window_s`: without a bound, starting
    /// over would undo the send cap and the wrong-attempt budget. Default 10.
    pub max_starts: u32,
    /// The sliding window for `max_starts`, in seconds. Default 3600.
    pub starts_window_s: u64,
    /// Wrong codes in a row from one client (an IPv4 address or an IPv6 /64) for one
    /// destination, across its verifications, before that client is locked out of that
    /// destination for `failures_window_s`; others are not. Each `max_failures` in a row from
    /// all clients together also makes the destination wait (`throttle_waits_s`). The client's
    /// right code resets its count. Default 20.
    pub max_failures: u32,
    /// Wrong codes in a row for one destination from all clients together before it is locked
    /// for everyone for `failures_window_s`: NIST SP 800-63B's ceiling of 100 consecutive failed
    /// attempts on one account. A right code resets the count. Default 100.
    pub destination_max_failures: u32,
    /// Seconds a destination waits before any more codes for it are checked, after each
    /// `max_failures` wrong codes in a row from all clients together: the first wait, the
    /// second, and so on, the last repeating. Sends go on meanwhile, and codes stay valid.
    /// Default 60, 300, 900, 3600.
    pub throttle_waits_s: Vec<u64>,
    /// How long a locked client or destination stays locked, and how long wrong codes are
    /// remembered after the last one, in seconds. Default 86 400 (a day).
    pub failures_window_s: u64,
    /// Sends (first codes and resends) per client: an IPv4 address or an IPv6 /64. Default 60
    /// an hour, 10 at once.
    pub client_sends: Rate,
    /// Sends per network, an IPv4 /24 or an IPv6 /48, so that the addresses of one network
    /// share one budget; never less than `client_sends` ([`Policy::network_rate`]). Default 720
    /// an hour, 60 at once.
    pub network_sends: Rate,
    /// Sends from everyone together: the ceiling on what SMS pumping can cost. Default 72,000
    /// an hour, 6,000 at once: twice the design figure.
    pub overall_sends: Rate,
    /// Percent of a shared budget's burst (a network's, everyone's) kept for clients whose own
    /// budget is full: a client that sent lately is refused once no more than this is left, so
    /// a flood slows the flooders while a quiet shopper's code still goes. Default 25.
    pub quiet_reserve_percent: u32,
    /// Seconds a proof of verification may wait for its redemption. Default 300.
    pub proof_ttl_s: u64,
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
            max_failures: 20,
            destination_max_failures: 100,
            throttle_waits_s: vec![60, 300, 900, 3600],
            failures_window_s: 86_400,
            client_sends: Rate {
                per_hour: 60,
                burst: 10,
            },
            network_sends: Rate {
                per_hour: 720,
                burst: 60,
            },
            overall_sends: Rate {
                per_hour: 72_000,
                burst: 6_000,
            },
            quiet_reserve_percent: 25,
            proof_ttl_s: 300,
        }
    }
}

impl Policy {
    /// The budget of a network: `network_sends`, raised where `client_sends` is larger (a
    /// network holds at least one client).
    pub fn network_rate(&self) -> Rate {
        Rate {
            per_hour: self.network_sends.per_hour.max(self.client_sends.per_hour),
            burst: self.network_sends.burst.max(self.client_sends.burst),
        }
    }

    /// Sends of a shared budget of `rate` kept for quiet clients: `quiet_reserve_percent` of its
    /// burst, rounded down.
    pub fn quiet_reserve(&self, rate: Rate) -> u32 {
        let reserve = u64::from(rate.burst) * u64::from(self.quiet_reserve_percent.min(100)) / 100;
        u32::try_from(reserve).unwrap_or(rate.burst)
    }

    /// Seconds a destination waits after its `round`-th `max_failures` wrong codes in a row (the
    /// first round is 1).
    pub fn throttle_wait_s(&self, round: u32) -> u64 {
        let index = usize::try_from(round.max(1) - 1).unwrap_or(usize::MAX);
        self.throttle_waits_s
            .get(index)
            .or(self.throttle_waits_s.last())
            .copied()
            .unwrap_or(0)
    }
}

/// Whole seconds from `from_ms` to `to_ms`, rounded up; 0 when `to_ms` has passed.
pub fn seconds_between(from_ms: u64, to_ms: u64) -> u64 {
    to_ms.saturating_sub(from_ms).div_ceil(1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_network_never_has_less_than_one_client() {
        let mut policy = Policy::default();
        assert_eq!(policy.network_rate(), policy.network_sends);
        policy.client_sends = Rate {
            per_hour: 36_000,
            burst: 3_000,
        };
        assert_eq!(policy.network_rate(), policy.client_sends);
    }

    #[test]
    fn a_quarter_of_each_shared_burst_is_kept_for_quiet_clients() {
        let mut policy = Policy::default();
        assert_eq!(policy.quiet_reserve(policy.overall_sends), 1_500);
        assert_eq!(policy.quiet_reserve(policy.network_rate()), 15);
        policy.quiet_reserve_percent = 250;
        assert_eq!(
            policy.quiet_reserve(policy.overall_sends),
            6_000,
            "at most all"
        );
    }

    #[test]
    fn throttle_waits_grow_then_repeat_the_last() {
        let policy = Policy::default();
        let waits: Vec<u64> = (1..=6).map(|round| policy.throttle_wait_s(round)).collect();
        assert_eq!(waits, [60, 300, 900, 3_600, 3_600, 3_600]);
        let none = Policy {
            throttle_waits_s: Vec::new(),
            ..Policy::default()
        };
        assert_eq!(none.throttle_wait_s(1), 0);
    }

    #[test]
    fn the_design_figure_never_meets_the_overall_cap() {
        // 10 codes a second sustained after a burst of 3,000, all from clients that sent
        // lately: not even the reserve kept for quiet clients is touched.
        let policy = Policy::default();
        let (rate, recent) = (policy.overall_sends, Standing::Recent { quiet_in_s: 60 });
        let reserve = policy.quiet_reserve(rate);
        let mut everyone = Bucket::default();
        for n in 0..3_000 {
            assert_eq!(
                everyone.take_shared(0, rate, reserve, recent),
                Ok(()),
                "burst {n}"
            );
        }
        for n in 0..36_000u64 {
            let now = 1 + n * 100;
            let taken = everyone.take_shared(now, rate, reserve, recent);
            assert_eq!(taken, Ok(()), "second {}", n / 10);
        }
    }
}
