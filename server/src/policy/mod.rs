//! The rules the server enforces, as pure functions of their inputs with time passed in: one
//! verification's code, lifetime and budgets ([`verification`]), what a destination is and how
//! often it may be used ([`destination`]), and send budgets per client and overall ([`rate`]).
//! Every number lives in [`Policy`]; the HTTP layer only maps results to answers.

pub mod destination;
pub mod rate;
pub mod verification;

use checkout_verify::core::config::ResendPolicy;

pub use destination::{Destination, DestinationRecord};
pub use rate::{Bucket, Rate};
pub use verification::{CheckResult, ResendRefusal, Verification};

/// Every number the server enforces, in one table. The defaults follow NIST SP 800-63B and the
/// OWASP notes summarised in docs/ARCHITECTURE.md ("The backend").
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
    /// Consecutive wrong codes per destination, across verifications, before the destination is
    /// locked (NIST allows at most 100). A right code resets the count. Default 20.
    pub max_failures: u32,
    /// How long a locked destination stays locked, and how long failures are remembered after
    /// the last one, in seconds. Default 86 400 (a day).
    pub failures_window_s: u64,
    /// Sends (first codes and resends) per client address. Default 60 an hour, 10 at once.
    pub client_sends: Rate,
    /// Sends from everyone together: the ceiling on what SMS pumping can cost. Default 3600 an
    /// hour, 300 at once.
    pub overall_sends: Rate,
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
            failures_window_s: 86_400,
            client_sends: Rate {
                per_hour: 60,
                burst: 10,
            },
            overall_sends: Rate {
                per_hour: 3600,
                burst: 300,
            },
            proof_ttl_s: 300,
        }
    }
}

/// Whole seconds from `from_ms` to `to_ms`, rounded up; 0 when `to_ms` has passed.
pub fn seconds_between(from_ms: u64, to_ms: u64) -> u64 {
    to_ms.saturating_sub(from_ms).div_ceil(1000)
}
