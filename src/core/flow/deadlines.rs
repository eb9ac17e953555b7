//! Every deadline of a verification in one table, and the one rule for a clock set back.
//!
//! Deadlines are absolute milliseconds since the epoch, computed when an answer arrived, so a
//! display that re-reads the clock is right at once after a throttled tab or a sleeping laptop.
//! A clock reading behind the latest one seen is the clock being set back, not time running
//! backwards: every deadline moves back with it ([`Deadlines::observe`]), so the time left never
//! grows and no wait the server asked for is cut short. A saved table restored after a reload
//! goes through the same rule.

/// A deadline the flow keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deadline {
    /// The current code expires.
    Expiry,
    /// Another code may be asked for.
    Resend,
    /// Another check may be sent, after the server throttled one.
    Check,
}

/// Seconds before expiry of the last spoken countdown milestone.
pub const LAST_SECONDS: u64 = 10;

/// The deadlines, and the latest clock reading seen. A deadline of 0 has passed long ago.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Deadlines {
    at_ms: [u64; 3],
    seen_ms: u64,
}

impl Deadlines {
    /// A table restored from a record saved at `saved_at_ms`: a reading taken since then that is
    /// behind it moves the deadlines back as any clock set back does.
    pub fn restored(expiry_ms: u64, resend_ms: u64, saved_at_ms: u64) -> Self {
        Self {
            at_ms: [expiry_ms, resend_ms, 0],
            seen_ms: saved_at_ms,
        }
    }

    /// When `deadline` falls (ms since the epoch).
    pub fn at(&self, deadline: Deadline) -> u64 {
        self.at_ms[deadline as usize]
    }

    /// Sets `deadline` to `seconds` after `now_ms`.
    pub fn set(&mut self, deadline: Deadline, now_ms: u64, seconds: u64) {
        self.at_ms[deadline as usize] = now_ms.saturating_add(seconds.saturating_mul(1000));
    }

    /// Moves `deadline` to at least `seconds` after `now_ms`, keeping a later one already set
    /// (a lock's wait never cuts a resend wait short).
    pub fn extend(&mut self, deadline: Deadline, now_ms: u64, seconds: u64) {
        let until = now_ms.saturating_add(seconds.saturating_mul(1000));
        let at = &mut self.at_ms[deadline as usize];
        *at = (*at).max(until);
    }

    /// Takes a clock reading in; a reading behind the last one moves every deadline back by the
    /// difference, keeping the time left and the waits as they were.
    pub fn observe(&mut self, now_ms: u64) {
        let back = self.seen_ms.saturating_sub(now_ms);
        for at in &mut self.at_ms {
            *at = at.saturating_sub(back);
        }
        self.seen_ms = now_ms;
    }

    /// The latest clock reading taken in.
    pub fn seen_ms(&self) -> u64 {
        self.seen_ms
    }

    /// A reading of the clock as the deadlines see it: never behind one already seen, so a clock
    /// set back shows no more time left until the next [`observe`](Self::observe) moves the
    /// deadlines with it.
    pub fn clock(&self, now_ms: u64) -> u64 {
        now_ms.max(self.seen_ms)
    }

    /// Whether `deadline` has passed at `now_ms`.
    pub fn passed(&self, deadline: Deadline, now_ms: u64) -> bool {
        self.clock(now_ms) >= self.at(deadline)
    }

    /// Whole seconds left until `deadline`, rounded up so `0` means it has passed.
    pub fn seconds_left(&self, deadline: Deadline, now_ms: u64) -> u64 {
        seconds_until(self.at(deadline), self.clock(now_ms))
    }
}

/// Whole seconds from `now_ms` until `deadline_ms`, rounded up so "0:00" means it has passed.
pub fn seconds_until(deadline_ms: u64, now_ms: u64) -> u64 {
    deadline_ms.saturating_sub(now_ms).div_ceil(1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_partial_seconds_up_and_never_goes_negative() {
        assert_eq!(seconds_until(10_000, 0), 10);
        assert_eq!(seconds_until(10_000, 1), 10);
        assert_eq!(seconds_until(10_000, 999), 10);
        assert_eq!(seconds_until(10_000, 1_000), 9);
        assert_eq!(seconds_until(10_000, 9_999), 1);
        assert_eq!(seconds_until(10_000, 10_000), 0);
        assert_eq!(seconds_until(10_000, 50_000), 0);
    }

    #[test]
    fn a_clock_set_back_moves_every_deadline_with_it() {
        let mut deadlines = Deadlines::default();
        deadlines.observe(100_000);
        deadlines.set(Deadline::Expiry, 100_000, 600);
        deadlines.set(Deadline::Resend, 100_000, 30);
        deadlines.set(Deadline::Check, 100_000, 5);
        // Read while set back, before it is taken in: no time is added.
        assert_eq!(deadlines.seconds_left(Deadline::Expiry, 40_000), 600);
        deadlines.observe(40_000);
        assert_eq!(deadlines.seconds_left(Deadline::Expiry, 40_000), 600);
        assert_eq!(deadlines.seconds_left(Deadline::Resend, 40_000), 30);
        assert!(!deadlines.passed(Deadline::Check, 44_999));
        assert!(deadlines.passed(Deadline::Check, 45_000));
    }

    #[test]
    fn an_extension_never_shortens_a_deadline() {
        let mut deadlines = Deadlines::default();
        deadlines.set(Deadline::Resend, 0, 120);
        deadlines.extend(Deadline::Resend, 0, 60);
        assert_eq!(deadlines.at(Deadline::Resend), 120_000);
        deadlines.extend(Deadline::Resend, 0, 300);
        assert_eq!(deadlines.at(Deadline::Resend), 300_000);
    }

    #[test]
    fn a_restored_table_follows_a_clock_set_back_since_the_save() {
        let mut deadlines = Deadlines::restored(700_000, 130_000, 100_000);
        deadlines.observe(50_000);
        assert_eq!(deadlines.at(Deadline::Expiry), 650_000);
        assert_eq!(deadlines.at(Deadline::Resend), 80_000);
    }
}
