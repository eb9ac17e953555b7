//! Send budgets as token buckets, kept as one number each (the generic cell rate algorithm): a
//! bucket is the time at which it would be full again, so a shared store holds it in one small
//! record and every take is one atomic update.
//!
//! A send is paid from the client's own bucket first, then from the buckets it shares with
//! others (its network's, everyone's). A shared bucket keeps a reserve for clients whose own
//! bucket was full, so when many addresses flood, those that keep sending are refused while a
//! shopper's first code still goes.

use serde::{Deserialize, Serialize};

use crate::store::Record;

/// A budget: `per_hour` on average, up to `burst` at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    /// Sends an hour, on average. At least 1.
    pub per_hour: u32,
    /// Sends allowed at once, after a quiet spell. At least 1.
    pub burst: u32,
}

impl Rate {
    /// Milliseconds one send costs.
    fn interval_ms(self) -> u64 {
        3_600_000 / u64::from(self.per_hour.max(1))
    }
}

/// One budget's state: when it will be full again (its "theoretical arrival time").
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bucket {
    full_at_ms: u64,
}

/// How a client stood with its own budget when it asked for a send: what the shared budgets
/// look at to decide who may have their reserve.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Its own bucket was full: it had sent nothing lately.
    Quiet,
    /// It had sent lately.
    Recent {
        /// Seconds until its own bucket is full again (were this send given back).
        quiet_in_s: u64,
    },
}

impl Bucket {
    /// Spends one send at `now_ms`, or says how many seconds until one is available.
    pub fn take(&mut self, now_ms: u64, rate: Rate) -> Result<(), u64> {
        self.take_leaving(now_ms, rate, 0)
    }

    /// Spends one send from a client's own bucket at `now_ms`, saying how the client stood
    /// before it; or says how many seconds until one is available.
    pub fn take_own(&mut self, now_ms: u64, rate: Rate) -> Result<Standing, u64> {
        let standing = if self.full_at_ms <= now_ms {
            Standing::Quiet
        } else {
            Standing::Recent {
                quiet_in_s: super::seconds_between(now_ms, self.full_at_ms),
            }
        };
        self.take(now_ms, rate).map(|()| standing)
    }

    /// Spends one send at `now_ms` from a bucket clients share: a quiet client may have the
    /// last one, a recent one only while `reserve` or more would be left. Refused, says how
    /// many seconds until this client could be served: for a recent one, the sooner of the
    /// reserve growing back and the client becoming quiet.
    pub fn take_shared(
        &mut self,
        now_ms: u64,
        rate: Rate,
        reserve: u32,
        standing: Standing,
    ) -> Result<(), u64> {
        match standing {
            Standing::Quiet => self.take(now_ms, rate),
            Standing::Recent { quiet_in_s } => self
                .take_leaving(now_ms, rate, reserve)
                .map_err(|wait| wait.min(quiet_in_s.max(1))),
        }
    }

    /// Gives back one send taken from this bucket for a request that a later budget refused: a
    /// refused send costs nothing.
    pub fn give_back(&mut self, rate: Rate) {
        self.full_at_ms = self.full_at_ms.saturating_sub(rate.interval_ms());
    }

    /// Spends one send at `now_ms` unless fewer than `keep` (at most the burst less one) would
    /// be left; refused, says how many seconds until it would not be.
    fn take_leaving(&mut self, now_ms: u64, rate: Rate, keep: u32) -> Result<(), u64> {
        let interval = rate.interval_ms();
        let burst = rate.burst.max(1);
        let slack = interval * u64::from(burst - 1 - keep.min(burst - 1));
        let full_at = self.full_at_ms.max(now_ms);
        let owed = full_at - now_ms;
        if owed > slack {
            return Err(super::seconds_between(now_ms, full_at - slack).max(1));
        }
        self.full_at_ms = full_at + interval;
        Ok(())
    }
}

impl Record for Bucket {
    fn keep_until_ms(&self) -> u64 {
        self.full_at_ms
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PER_MINUTE_3_AT_ONCE: Rate = Rate {
        per_hour: 60,
        burst: 3,
    };

    #[test]
    fn a_burst_then_the_average_rate() {
        let mut bucket = Bucket::default();
        for _ in 0..3 {
            assert_eq!(bucket.take(0, PER_MINUTE_3_AT_ONCE), Ok(()));
        }
        assert_eq!(bucket.take(0, PER_MINUTE_3_AT_ONCE), Err(60));
        assert_eq!(bucket.take(30_000, PER_MINUTE_3_AT_ONCE), Err(30));
        assert_eq!(bucket.take(60_000, PER_MINUTE_3_AT_ONCE), Ok(()));
        assert_eq!(bucket.take(60_000, PER_MINUTE_3_AT_ONCE), Err(60));
    }

    #[test]
    fn a_quiet_spell_refills_up_to_the_burst_only() {
        let mut bucket = Bucket::default();
        bucket.take(0, PER_MINUTE_3_AT_ONCE).expect("first");
        let later = 3_600_000;
        for _ in 0..3 {
            assert_eq!(bucket.take(later, PER_MINUTE_3_AT_ONCE), Ok(()));
        }
        assert!(bucket.take(later, PER_MINUTE_3_AT_ONCE).is_err());
    }

    /// Ten sends an hour (one per 6 minutes), ten at once.
    const SHARED: Rate = Rate {
        per_hour: 10,
        burst: 10,
    };

    #[test]
    fn a_clients_own_bucket_says_whether_it_had_been_quiet() {
        let mut own = Bucket::default();
        assert_eq!(own.take_own(0, PER_MINUTE_3_AT_ONCE), Ok(Standing::Quiet));
        assert_eq!(
            own.take_own(20_000, PER_MINUTE_3_AT_ONCE),
            Ok(Standing::Recent { quiet_in_s: 40 })
        );
        assert_eq!(
            own.take_own(20_000, PER_MINUTE_3_AT_ONCE),
            Ok(Standing::Recent { quiet_in_s: 100 })
        );
        assert_eq!(own.take_own(20_000, PER_MINUTE_3_AT_ONCE), Err(40));
        assert_eq!(
            own.take_own(180_000, PER_MINUTE_3_AT_ONCE),
            Ok(Standing::Quiet),
            "full again after a quiet spell"
        );
    }

    #[test]
    fn a_shared_bucket_keeps_its_reserve_for_quiet_clients() {
        let recent = Standing::Recent { quiet_in_s: 3_600 };
        let mut shared = Bucket::default();
        for n in 0..7 {
            assert_eq!(shared.take_shared(0, SHARED, 3, recent), Ok(()), "send {n}");
        }
        // Three are left: the reserve. A client that sent lately waits for it to grow back.
        assert_eq!(shared.take_shared(0, SHARED, 3, recent), Err(360));
        for n in 0..3 {
            assert_eq!(
                shared.take_shared(0, SHARED, 3, Standing::Quiet),
                Ok(()),
                "quiet {n}"
            );
        }
        assert_eq!(
            shared.take_shared(0, SHARED, 3, Standing::Quiet),
            Err(360),
            "the reserve is a share of the cap, not more"
        );
        assert_eq!(
            shared.take_shared(0, SHARED, 3, Standing::Recent { quiet_in_s: 30 }),
            Err(30),
            "a recent client may come back once it is quiet, if sooner"
        );
        assert_eq!(
            shared.take_shared(0, SHARED, 3, recent),
            Err(1_440),
            "the reserve grows back first"
        );
    }

    #[test]
    fn a_reserve_as_large_as_the_burst_still_leaves_recent_clients_one_send() {
        let mut shared = Bucket::default();
        let recent = Standing::Recent { quiet_in_s: 60 };
        assert_eq!(shared.take_shared(0, SHARED, 10, recent), Ok(()));
        assert_eq!(shared.take_shared(0, SHARED, 10, recent), Err(60));
        assert_eq!(shared.take_shared(0, SHARED, 10, Standing::Quiet), Ok(()));
    }

    #[test]
    fn a_send_given_back_leaves_the_bucket_as_it_was() {
        let mut own = Bucket::default();
        assert_eq!(own.take_own(0, PER_MINUTE_3_AT_ONCE), Ok(Standing::Quiet));
        own.give_back(PER_MINUTE_3_AT_ONCE);
        assert_eq!(own, Bucket::default());
        assert_eq!(own.take_own(0, PER_MINUTE_3_AT_ONCE), Ok(Standing::Quiet));
        own.give_back(PER_MINUTE_3_AT_ONCE);
        own.give_back(PER_MINUTE_3_AT_ONCE);
        assert_eq!(own, Bucket::default(), "never more than was taken");
    }

    #[test]
    fn the_record_lives_until_the_bucket_is_full_again() {
        let mut bucket = Bucket::default();
        bucket.take(1_000, PER_MINUTE_3_AT_ONCE).expect("first");
        bucket.take(1_000, PER_MINUTE_3_AT_ONCE).expect("second");
        assert_eq!(bucket.keep_until_ms(), 121_000);
    }
}
