//! Time left as the shopper reads it: whole seconds until a deadline, shown as `m:ss`.
//!
//! Deadlines are absolute milliseconds; the caller passes the current time in, so the same
//! functions serve the browser clock, a test clock and a clock that jumped.

/// Whole seconds from `now_ms` until `deadline_ms`, rounded up so "0:00" means it has passed.
pub fn seconds_until(deadline_ms: u64, now_ms: u64) -> u64 {
    deadline_ms.saturating_sub(now_ms).div_ceil(1000)
}

/// Formats seconds as `m:ss` (`9:59`, `0:05`, `61:00`).
pub fn format_mss(seconds: u64) -> String {
    format!("{}:{:02}", seconds / 60, seconds % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_minutes_and_padded_seconds() {
        assert_eq!(format_mss(0), "0:00");
        assert_eq!(format_mss(5), "0:05");
        assert_eq!(format_mss(59), "0:59");
        assert_eq!(format_mss(60), "1:00");
        assert_eq!(format_mss(599), "9:59");
        assert_eq!(format_mss(600), "10:00");
        assert_eq!(format_mss(3661), "61:01");
    }

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
}
