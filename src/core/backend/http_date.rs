//! HTTP-dates (RFC 9110 §5.6.7), for `Retry-After` and `Date`: a server may name the time to
//! retry at instead of a number of seconds, and the `Date` of the same answer tells how far its
//! clock is from ours.
//!
//! All three formats a recipient must accept are read: IMF-fixdate (`Sun, 06 Nov 1994 08:49:37
//! GMT`), the obsolete RFC 850 form (`Sunday, 06-Nov-94 08:49:37 GMT`) and asctime (`Sun Nov  6
//! 08:49:37 1994`). A few dozen lines instead of the `httpdate` crate, which costs 3.2 KiB gzip
//! more in the package (re-measured with `make package` once the adapter was in: 133.4 KiB against
//! 136.6 KiB); a native test checks this parser against that crate over generated dates.

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Seconds since the Unix epoch named by an HTTP-date; `None` when `text` is not one.
pub fn parse(text: &str) -> Option<u64> {
    let tokens = text
        .split([' ', ',', '-'])
        .filter(|t| !t.is_empty())
        // The weekday adds nothing once the date is known.
        .skip(1);
    // Day comes before year in all three forms.
    let (mut month, mut time, mut day, mut year) = (None, None, None, None);
    for token in tokens {
        if let Some(m) = MONTHS.iter().position(|m| *m == token) {
            month = Some(m as u64 + 1);
        } else if token.contains(':') {
            time = Some(clock(token)?);
        } else if !token.bytes().all(|b| b.is_ascii_digit()) {
            if token != "GMT" {
                return None;
            }
        } else if day.is_none() {
            day = Some(token);
        } else if year.is_none() {
            year = Some(token);
        } else {
            return None;
        }
    }
    let day: u64 = day?.parse().ok().filter(|d| (1..=31).contains(d))?;
    let year = year?;
    let year: u64 = match (year.len(), year.parse().ok()?) {
        // RFC 850's two-digit year: RFC 9110 reads one more than 50 years ahead as the past.
        (2, yy) if yy >= 70 => 1900 + yy,
        (2, yy) => 2000 + yy,
        (4, yyyy) if yyyy >= 1970 => yyyy,
        _ => return None,
    };
    let month = month?;
    if day > days_in_month(year, month) {
        // 29 February 2005 is not 1 March: an impossible date is not a date.
        return None;
    }
    Some(days_since_epoch(year, month, day) * 86_400 + time?)
}

/// Days in `month` (1–12) of `year`, by the Gregorian leap rule.
fn days_in_month(year: u64, month: u64) -> u64 {
    let leap = year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `hh:mm:ss` as seconds into the day.
fn clock(token: &str) -> Option<u64> {
    let mut parts = token.split(':').map(|p| p.parse::<u64>().ok());
    let (h, m, s) = (parts.next()??, parts.next()??, parts.next()??);
    // Checked before the sum is formed: a huge hour would overflow it.
    (parts.next().is_none() && h < 24 && m < 60 && s <= 60).then(|| h * 3600 + m * 60 + s)
}

/// Days from 1970-01-01 to the given civil date (proleptic Gregorian), for years from 1970.
fn days_since_epoch(year: u64, month: u64, day: u64) -> u64 {
    // Howard Hinnant's days_from_civil, with March as the first month so leap days come last.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y / 400;
    let year_of_era = y - era * 400;
    let shifted_month = (month + 9) % 12;
    let day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn impossible_days_and_huge_clocks_are_not_dates() {
        for bad in [
            "Mon, 29 Feb 2005 00:00:00 GMT",
            "Sat, 31 Jun 2026 00:00:00 GMT",
            "Mon, 30 Feb 2004 00:00:00 GMT",
            "Sun, 5124095576030432:0:0",
            "Sun, 06 Nov 1994 0:307445734561825861:0 GMT",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
        assert_eq!(parse("Sun, 29 Feb 2004 00:00:00 GMT"), Some(1_078_012_800));
        assert_eq!(parse("Tue, 29 Feb 2000 00:00:00 GMT"), Some(951_782_400));
    }

    /// `date -u -d '1994-11-06 08:49:37' +%s`
    const RFC_EXAMPLE: u64 = 784_111_777;

    #[test]
    fn reads_the_three_formats_of_rfc_9110() {
        assert_eq!(parse("Sun, 06 Nov 1994 08:49:37 GMT"), Some(RFC_EXAMPLE));
        assert_eq!(parse("Sunday, 06-Nov-94 08:49:37 GMT"), Some(RFC_EXAMPLE));
        assert_eq!(parse("Sun Nov  6 08:49:37 1994"), Some(RFC_EXAMPLE));
    }

    #[test]
    fn knows_the_calendar() {
        assert_eq!(parse("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        // 2024 is a leap year; 2100 will not be.
        assert_eq!(parse("Thu, 29 Feb 2024 12:00:00 GMT"), Some(1_709_208_000));
        assert_eq!(parse("Fri, 01 Mar 2024 00:00:00 GMT"), Some(1_709_251_200));
        assert_eq!(parse("Mon, 01 Mar 2100 00:00:00 GMT"), Some(4_107_542_400));
        assert_eq!(parse("Sat, 21 Nov 2026 07:24:00 GMT"), Some(1_795_245_840));
        assert_eq!(
            parse("Wednesday, 01-Jan-25 00:00:00 GMT"),
            Some(1_735_689_600)
        );
    }

    #[test]
    fn refuses_what_is_not_an_http_date() {
        for bad in [
            "",
            "42",
            "soon",
            "Sun, 06 Nov 1994 08:49 GMT",
            "Sun, 06 Nov 1994 24:00:00 GMT",
            "Sun, 32 Nov 1994 08:49:37 GMT",
            "Sun, 06 Foo 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 08:49:37 CET",
            "Sun, 06 Nov 1969 08:49:37 GMT",
            "Sun, 06 Nov 08:49:37 GMT",
            "Sun, 06 Nov 1994 1994 08:49:37 GMT",
            "Sun, 06 Nov 199 08:49:37 GMT",
            "Sun, 06 Nov 1994 08:49:37:01 GMT",
        ] {
            assert_eq!(parse(bad), None, "{bad:?}");
        }
    }
}
