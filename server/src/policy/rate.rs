//! Send budgets as token buckets, kept as one number each (the generic cell rate algorithm): a
//! bucket is the time at which it would be full again, so a shared store holds it in one small
//! record and every take is one atomic update.

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

impl Bucket {
    /// Spends one send at `now_ms`, or says how many seconds until one is available.
    pub fn take(&mut self, now_ms: u64, rate: Rate) -> Result<(), u64> {
        let interval = rate.interval_ms();
        let slack = interval * u64::from(rate.burst.max(1) - 1);
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

    #[test]
    fn the_record_lives_until_the_bucket_is_full_again() {
        let mut bucket = Bucket::default();
        bucket.take(1_000, PER_MINUTE_3_AT_ONCE).expect("first");
        bucket.take(1_000, PER_MINUTE_3_AT_ONCE).expect("second");
        assert_eq!(bucket.keep_until_ms(), 121_000);
    }
}
