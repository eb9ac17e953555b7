//! What the server remembers per destination, across verifications, in one record so that
//! every rule on it is one atomic update: the verifications started lately (the bound on starting
//! over), and the wrong codes entered in a row, from each client and from all together.
//!
//! Wrong codes lock out the client that entered them, not the destination's owner: after
//! `max_failures` in a row, one client (an address, an IPv6 /64) gets no more codes for the
//! destination and has none checked, for a day. All clients together are throttled, not locked:
//! each `max_failures` in a row from everyone makes the destination wait a while before another
//! code is checked, each wait longer; only at `destination_max_failures` (NIST SP 800-63B's
//! ceiling of 100) is it locked for everyone. A right code resets the count of the client that
//! entered it and the destination's.

use serde::{Deserialize, Serialize};

use super::{seconds_between, Policy};
use crate::store::Record;

/// Clients whose wrong codes a destination remembers, at most; beyond it the one whose last wrong
/// code is oldest is forgotten. Forgetting a client frees it only from its own lock: the counts
/// of the destination as a whole still bound every guess.
pub const MAX_CLIENTS: usize = 16;

/// What the server remembers about one destination across its verifications: when they were
/// started (the bound on starting over), and the wrong codes entered in a row, from all clients
/// together and per client.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DestinationRecord {
    starts: Vec<u64>,
    failures: u32,
    failed_at_ms: u64,
    #[serde(default)]
    throttled_until_ms: u64,
    #[serde(default)]
    clients: Vec<ClientFailures>,
    window_end_ms: u64,
}

/// One client's wrong codes in a row for a destination. The client is named by an opaque tag (a
/// keyed hash of its address), never by its address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct ClientFailures {
    client: String,
    failures: u32,
    failed_at_ms: u64,
}

/// Why a destination may not be used now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DestinationRefusal {
    /// Too many verifications started lately: wait this many seconds.
    TooManyStarts {
        /// Seconds to wait.
        retry_after_s: u64,
    },
    /// Too many wrong codes in a row, from this client or from everyone: locked for this many
    /// seconds.
    Locked {
        /// Seconds to wait.
        retry_after_s: u64,
    },
}

/// Why a code for a destination is not compared now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GuessRefusal {
    /// Locked, for this client or for everyone: no code of it is checked for this many seconds.
    Locked {
        /// Seconds to wait.
        retry_after_s: u64,
    },
    /// Many wrong codes in a row from all clients: the destination waits this many seconds
    /// before another code is checked; codes stay valid meanwhile.
    Throttled {
        /// Seconds to wait.
        retry_after_s: u64,
    },
}

impl DestinationRecord {
    /// Seconds `client` may not use the destination, if it is locked for it: for everyone
    /// after `destination_max_failures` wrong codes in a row, for this client after its own
    /// `max_failures`.
    pub fn locked(&self, now_ms: u64, policy: &Policy, client: &str) -> Option<u64> {
        let window_ms = policy.failures_window_s * 1000;
        let everyone = (self.failures >= policy.destination_max_failures)
            .then_some(self.failed_at_ms + window_ms);
        let own = self
            .client(client)
            .filter(|c| c.failures >= policy.max_failures)
            .map(|c| c.failed_at_ms + window_ms);
        everyone
            .into_iter()
            .chain(own)
            .filter(|&until| now_ms < until)
            .max()
            .map(|until| seconds_between(now_ms, until).max(1))
    }

    /// Seconds before another code for the destination may be checked, if it waits after many
    /// wrong codes in a row from all clients.
    fn throttled(&self, now_ms: u64) -> Option<u64> {
        (now_ms < self.throttled_until_ms)
            .then(|| seconds_between(now_ms, self.throttled_until_ms).max(1))
    }

    /// Records a new verification at `now_ms` for `client` if the policy allows one.
    pub fn admit(
        &mut self,
        now_ms: u64,
        policy: &Policy,
        client: &str,
    ) -> Result<(), DestinationRefusal> {
        if let Some(retry_after_s) = self.locked(now_ms, policy, client) {
            return Err(DestinationRefusal::Locked { retry_after_s });
        }
        let window_ms = policy.starts_window_s * 1000;
        self.starts.retain(|&t| now_ms < t + window_ms);
        if self.starts.len() >= policy.max_starts as usize {
            let oldest = self.starts.first().copied().unwrap_or(now_ms);
            return Err(DestinationRefusal::TooManyStarts {
                retry_after_s: seconds_between(now_ms, oldest + window_ms).max(1),
            });
        }
        self.starts.push(now_ms);
        self.window_end_ms = self.window_end_ms.max(now_ms + window_ms);
        Ok(())
    }

    /// Takes back the verification admitted at `now_ms` whose first code could not be delivered:
    /// a gateway's failure does not count against the destination.
    pub fn release(&mut self, admitted_at_ms: u64) {
        if let Some(at) = self.starts.iter().rposition(|&t| t == admitted_at_ms) {
            self.starts.remove(at);
        }
    }

    /// A code from `client` about to be compared, in the one step that must come before the
    /// comparison: refused while the destination is locked for this client or waits; else
    /// counted as a wrong code in advance, saying how long this client would be locked out if it
    /// is wrong (taken back with [`Self::succeed`] or [`Self::take_back`] otherwise).
    pub fn guess(
        &mut self,
        now_ms: u64,
        policy: &Policy,
        client: &str,
    ) -> Result<Option<u64>, GuessRefusal> {
        if let Some(retry_after_s) = self.locked(now_ms, policy, client) {
            return Err(GuessRefusal::Locked { retry_after_s });
        }
        if let Some(retry_after_s) = self.throttled(now_ms) {
            return Err(GuessRefusal::Throttled { retry_after_s });
        }
        Ok(self.fail(now_ms, policy, client))
    }

    /// Counts a wrong code from `client`; says how long it locks that client out, when it does.
    /// Each `max_failures` in a row from all clients makes the destination wait.
    fn fail(&mut self, now_ms: u64, policy: &Policy, client: &str) -> Option<u64> {
        let window_ms = policy.failures_window_s * 1000;
        if now_ms >= self.failed_at_ms + window_ms {
            self.failures = 0;
        }
        self.failures += 1;
        self.failed_at_ms = now_ms;
        let every = policy.max_failures.max(1);
        if self.failures.is_multiple_of(every) {
            let wait_s = policy.throttle_wait_s(self.failures / every);
            self.throttled_until_ms = now_ms + wait_s * 1000;
        }
        self.clients.retain(|c| now_ms < c.failed_at_ms + window_ms);
        let mut own = match self.clients.iter().position(|c| c.client == client) {
            Some(at) => self.clients.remove(at),
            None => ClientFailures {
                client: client.to_string(),
                failures: 0,
                failed_at_ms: now_ms,
            },
        };
        own.failures += 1;
        own.failed_at_ms = now_ms;
        self.clients.push(own);
        if self.clients.len() > MAX_CLIENTS {
            self.clients.remove(0);
        }
        self.window_end_ms = self
            .window_end_ms
            .max(now_ms + window_ms)
            .max(self.throttled_until_ms);
        self.locked(now_ms, policy, client)
    }

    /// A right code from `client`: the wrong ones in a row before it no longer count, its own
    /// and the destination's (and the wait they set); other clients' stay as they were.
    pub fn succeed(&mut self, client: &str) {
        self.failures = 0;
        self.throttled_until_ms = 0;
        self.clients.retain(|c| c.client != client);
    }

    /// Takes back a failure of `client` counted in advance for a guess that compared nothing
    /// (its code had expired or was void), with the wait that count set.
    pub fn take_back(&mut self, policy: &Policy, client: &str) {
        if self.failures > 0 && self.failures.is_multiple_of(policy.max_failures.max(1)) {
            self.throttled_until_ms = 0;
        }
        self.failures = self.failures.saturating_sub(1);
        if let Some(own) = self.clients.iter_mut().find(|c| c.client == client) {
            own.failures = own.failures.saturating_sub(1);
        }
    }

    /// Wrong codes in a row counted now, from all clients together.
    pub fn failures(&self) -> u32 {
        self.failures
    }

    fn client(&self, client: &str) -> Option<&ClientFailures> {
        self.clients.iter().find(|c| c.client == client)
    }
}

impl Record for DestinationRecord {
    fn keep_until_ms(&self) -> u64 {
        self.window_end_ms
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: u64 = 1_000_000;
    const OWNER: &str = "owner";
    const STRANGER: &str = "stranger";

    /// Counts `n` wrong codes from `client` at `now_ms`, each allowed; the last one's answer.
    fn wrong_codes(
        record: &mut DestinationRecord,
        n: u32,
        client: &str,
        now_ms: u64,
    ) -> Option<u64> {
        let policy = Policy::default();
        let mut last = None;
        for _ in 0..n {
            last = record.guess(now_ms, &policy, client).expect("compared");
        }
        last
    }

    #[test]
    fn a_start_released_after_a_failed_delivery_does_not_count() {
        let policy = Policy::default();
        let mut record = DestinationRecord::default();
        for n in 0..policy.max_starts {
            record
                .admit(T0 + u64::from(n), &policy, OWNER)
                .expect("admitted");
        }
        assert!(
            record.admit(T0 + 100, &policy, OWNER).is_err(),
            "the bound holds"
        );
        record.release(T0 + 1);
        assert_eq!(record.admit(T0 + 100, &policy, OWNER), Ok(()));
        record.release(T0 + 999);
        assert!(
            record.admit(T0 + 101, &policy, OWNER).is_err(),
            "releasing nothing frees nothing"
        );
    }

    #[test]
    fn starting_over_is_bounded() {
        let policy = Policy::default();
        let mut record = DestinationRecord::default();
        for n in 0..10 {
            assert_eq!(record.admit(T0 + n * 1_000, &policy, OWNER), Ok(()));
        }
        assert_eq!(
            record.admit(T0 + 10_000, &policy, OWNER),
            Err(DestinationRefusal::TooManyStarts {
                retry_after_s: 3_590
            })
        );
        assert_eq!(
            record.admit(T0 + 3_600_000, &policy, OWNER),
            Ok(()),
            "the window slides"
        );
    }

    #[test]
    fn wrong_codes_in_a_row_lock_out_the_client_that_entered_them_for_a_day() {
        let policy = Policy::default();
        let mut record = DestinationRecord::default();
        assert_eq!(wrong_codes(&mut record, 19, STRANGER, T0), None);
        assert_eq!(
            wrong_codes(&mut record, 1, STRANGER, T0 + 100),
            Some(86_400),
            "the 20th locks"
        );
        assert_eq!(record.locked(T0 + 100, &policy, STRANGER), Some(86_400));
        assert_eq!(
            record.guess(T0 + 200, &policy, STRANGER),
            Err(GuessRefusal::Locked {
                retry_after_s: 86_400
            })
        );
        assert_eq!(
            record.admit(T0 + 200, &policy, STRANGER),
            Err(DestinationRefusal::Locked {
                retry_after_s: 86_400
            })
        );
        assert_eq!(
            record.locked(T0 + 100, &policy, OWNER),
            None,
            "not the owner"
        );
        assert_eq!(record.admit(T0 + 200, &policy, OWNER), Ok(()));
        assert_eq!(
            record.locked(T0 + 100 + 86_400_000, &policy, STRANGER),
            None
        );
        assert!(record.keep_until_ms() >= T0 + 100 + 86_400_000);
    }

    #[test]
    fn everyones_wrong_codes_make_the_destination_wait_longer_each_time() {
        let policy = Policy::default();
        let mut record = DestinationRecord::default();
        let mut now = T0;
        for (round, wait_s) in [60, 300, 900, 3_600].into_iter().enumerate() {
            let client = format!("client {round}");
            assert_eq!(
                wrong_codes(&mut record, 20, &client, now),
                Some(86_400),
                "round {round}: the client is locked out"
            );
            assert_eq!(
                record.guess(now, &policy, OWNER),
                Err(GuessRefusal::Throttled {
                    retry_after_s: wait_s
                }),
                "round {round}: everyone waits"
            );
            assert_eq!(
                record.admit(now, &policy, OWNER),
                Ok(()),
                "codes are still sent"
            );
            now += wait_s * 1000;
        }
        assert_eq!(record.failures(), 80);
        assert_eq!(
            record.guess(now, &policy, OWNER),
            Ok(None),
            "after the wait"
        );
    }

    #[test]
    fn a_hundred_wrong_codes_in_a_row_lock_the_destination_for_everyone() {
        let policy = Policy::default();
        let mut record = DestinationRecord::default();
        let mut now = T0;
        for round in 0..5 {
            wrong_codes(&mut record, 20, &format!("client {round}"), now);
            now += 3_600_000;
        }
        assert_eq!(record.failures(), policy.destination_max_failures);
        let locked_at = now - 3_600_000;
        assert_eq!(
            record.guess(now, &policy, OWNER),
            Err(GuessRefusal::Locked {
                retry_after_s: 86_400 - 3_600
            })
        );
        assert!(record.admit(now, &policy, OWNER).is_err());
        assert_eq!(record.locked(locked_at + 86_400_000, &policy, OWNER), None);
    }

    #[test]
    fn a_right_code_resets_its_clients_count_and_the_destinations_only() {
        let policy = Policy::default();
        let mut record = DestinationRecord::default();
        wrong_codes(&mut record, 20, STRANGER, T0);
        wrong_codes(&mut record, 19, "guesser", T0 + 60_000);
        wrong_codes(&mut record, 1, OWNER, T0 + 60_000);
        assert!(record.throttled(T0 + 60_000).is_some(), "40 in a row");
        record.succeed(OWNER);
        assert_eq!(record.failures(), 0);
        assert_eq!(record.throttled(T0 + 60_000), None);
        assert_eq!(
            record.guess(T0 + 60_000, &policy, OWNER),
            Ok(None),
            "the owner starts over"
        );
        assert!(
            record.locked(T0 + 60_000, &policy, STRANGER).is_some(),
            "the stranger stays locked out"
        );
        assert_eq!(
            record.guess(T0 + 60_000, &policy, "guesser"),
            Ok(Some(86_400)),
            "and the guesser's count goes on"
        );
    }

    #[test]
    fn a_guess_that_compared_nothing_is_taken_back_with_its_wait() {
        let policy = Policy::default();
        let mut record = DestinationRecord::default();
        wrong_codes(&mut record, 19, OWNER, T0);
        assert_eq!(record.guess(T0, &policy, STRANGER), Ok(None));
        assert!(record.throttled(T0).is_some(), "the 20th in a row");
        record.take_back(&policy, STRANGER);
        assert_eq!(record.failures(), 19);
        assert_eq!(record.throttled(T0), None);
        assert_eq!(record.client(STRANGER).map(|c| c.failures), Some(0));
    }

    #[test]
    fn wrong_codes_are_forgotten_a_day_after_the_last() {
        let policy = Policy::default();
        let mut record = DestinationRecord::default();
        wrong_codes(&mut record, 19, STRANGER, T0);
        let later = T0 + 86_400_000;
        assert_eq!(record.guess(later, &policy, STRANGER), Ok(None));
        assert_eq!(record.failures(), 1);
        assert_eq!(record.client(STRANGER).map(|c| c.failures), Some(1));
    }

    #[test]
    fn a_destination_remembers_a_bounded_number_of_clients() {
        let policy = Policy::default();
        let mut record = DestinationRecord::default();
        for n in 0..MAX_CLIENTS + 5 {
            record.fail(T0 + n as u64, &policy, &format!("client {n}"));
        }
        assert_eq!(record.clients.len(), MAX_CLIENTS);
        assert!(
            record.client("client 0").is_none(),
            "the oldest is forgotten"
        );
        assert_eq!(
            record.failures(),
            MAX_CLIENTS as u32 + 5,
            "but not its count"
        );
    }

    #[test]
    fn a_record_written_before_per_client_counts_is_read() {
        let old = r#"{"starts":[1],"failures":3,"failed_at_ms":5,"window_end_ms":9}"#;
        let record: DestinationRecord = serde_json::from_str(old).expect("read");
        assert_eq!(record.failures(), 3);
        assert!(record.clients.is_empty());
    }
}
