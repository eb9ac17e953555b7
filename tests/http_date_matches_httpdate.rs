//! The hand-written HTTP-date reader (`core::backend::http_date`, kept so the `httpdate` crate
//! stays out of the browser package) against that crate, over generated instants from 1970 to
//! the end of 9999.
//!
//! Each instant is written by `httpdate` as an IMF-fixdate, and from that date's own fields as
//! the two obsolete forms a recipient must also read (RFC 9110 §5.6.7): RFC 850 and asctime.
//! Our reader must give the instant back wherever `httpdate` reads the text, and for RFC 850
//! wherever its two-digit year means the instant's year (1970 to 2069 with the fixed pivot both
//! readers use: `70`–`99` are 19xx, `00`–`69` are 20xx). Then dates written field by field,
//! impossible ones included: ours reads and refuses them as `httpdate` does (weekday aside, and
//! RFC 9110's leap second). Last, date-like texts built from the formats' tokens, mostly broken:
//! wherever `httpdate` reads one, ours reads the same instant, but for the two places where
//! `httpdate` reads more than the grammar ([`beyond_the_grammar`]).
#![cfg(not(target_arch = "wasm32"))]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use checkout_verify::core::backend::http_date;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;

/// 9999-12-31 23:59:59, the last instant an HTTP-date's four-digit year can name.
const LAST: u64 = 253_402_300_799;

/// `httpdate`'s reading of `text`, as seconds since the epoch.
fn httpdate_secs(text: &str) -> Option<u64> {
    let at = httpdate::parse_http_date(text).ok()?;
    let secs = at
        .duration_since(UNIX_EPOCH)
        .expect("httpdate reads no date before 1970");
    Some(secs.as_secs())
}

/// An IMF-fixdate's fields: `Sun, 06 Nov 1994 08:49:37 GMT`.
struct Fields<'a> {
    weekday: &'a str,
    day: u32,
    month: &'a str,
    year: u32,
    time: &'a str,
}

fn fields(imf: &str) -> Fields<'_> {
    let parts: Vec<&str> = imf.split(' ').collect();
    let [weekday, day, month, year, time, "GMT"] = parts[..] else {
        panic!("httpdate wrote {imf:?}, not an IMF-fixdate");
    };
    Fields {
        weekday: weekday.trim_end_matches(','),
        day: day.parse().expect("a two-digit day"),
        month,
        year: year.parse().expect("a four-digit year"),
        time,
    }
}

fn full_weekday(short: &str) -> &'static str {
    match short {
        "Mon" => "Monday",
        "Tue" => "Tuesday",
        "Wed" => "Wednesday",
        "Thu" => "Thursday",
        "Fri" => "Friday",
        "Sat" => "Saturday",
        "Sun" => "Sunday",
        other => panic!("httpdate wrote the weekday {other:?}"),
    }
}

/// `Sunday, 06-Nov-94 08:49:37 GMT`
fn rfc850(f: &Fields<'_>) -> String {
    let weekday = full_weekday(f.weekday);
    let (day, month, yy, time) = (f.day, f.month, f.year % 100, f.time);
    format!("{weekday}, {day:02}-{month}-{yy:02} {time} GMT")
}

/// `Sun Nov  6 08:49:37 1994`
fn asctime(f: &Fields<'_>) -> String {
    let (weekday, month, day, time, year) = (f.weekday, f.month, f.day, f.time, f.year);
    format!("{weekday} {month} {day:>2} {time} {year}")
}

/// Instants over the whole range, with the edges and the two-digit-year pivot drawn more often.
fn instant() -> impl Strategy<Value = u64> {
    let year = |y: u64| (y - 1970) * 31_556_952; // a mean Gregorian year: close enough to aim at
    prop_oneof![
        4 => 0..=LAST,
        2 => 0..=year(2100),
        1 => year(2068)..=year(2071),
        1 => prop_oneof![Just(0), Just(LAST), 0..=86_400u64, LAST - 86_400..=LAST],
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4096))]

    /// Dates written field by field, impossible ones included (31 April, 29 February 2023, hour
    /// 24): ours reads what `httpdate` reads and refuses what it refuses, whatever the weekday
    /// says (ours ignores it). One difference is RFC 9110's own: its `second` may be 60, a leap
    /// second, which `httpdate` refuses; ours reads it as the second after :59.
    #[test]
    fn reads_and_refuses_date_fields_as_httpdate_does(
        f in date_fields(),
        weekday in proptest::sample::select(WEEKDAYS.to_vec()),
    ) {
        let expected = if f.second == 60 {
            DateFields { second: 59, ..f }.httpdate_secs().map(|secs| secs + 1)
        } else {
            f.httpdate_secs()
        };
        let text = f.write(weekday);
        prop_assert_eq!(http_date::parse(&text), expected, "{:?}", text);
    }

    #[test]
    fn reads_every_form_of_every_instant_as_httpdate_does(secs in instant()) {
        let imf = httpdate::fmt_http_date(UNIX_EPOCH + Duration::from_secs(secs));
        prop_assert_eq!(http_date::parse(&imf), Some(secs), "IMF-fixdate {}", imf);

        let f = fields(&imf);
        let asctime = asctime(&f);
        prop_assert_eq!(httpdate_secs(&asctime), Some(secs), "httpdate on asctime {}", &asctime);
        prop_assert_eq!(http_date::parse(&asctime), Some(secs), "asctime {}", asctime);

        let rfc850 = rfc850(&f);
        if (1970..=2069).contains(&f.year) {
            prop_assert_eq!(httpdate_secs(&rfc850), Some(secs), "httpdate on RFC 850 {}", &rfc850);
            prop_assert_eq!(http_date::parse(&rfc850), Some(secs), "RFC 850 {}", rfc850);
        } else if let Some(theirs) = httpdate_secs(&rfc850) {
            // Another century's date, read as the pivot says; httpdate reads it only when the
            // weekday happens to fit that year.
            prop_assert_eq!(http_date::parse(&rfc850), Some(theirs), "RFC 850 {}", rfc850);
        }
    }

    #[test]
    fn agrees_with_httpdate_on_date_like_text(text in date_like()) {
        if let Some(theirs) = httpdate_secs(&text) {
            if !beyond_the_grammar(&text) {
                prop_assert_eq!(http_date::parse(&text), Some(theirs), "{:?}", text);
            }
        }
    }
}

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A date's fields, each in its range or just out of it (day 0 to 32, year 1969 to 10000, hour
/// 24, minute 60, second 61), and which form to write it in.
#[derive(Debug, Clone, Copy)]
struct DateFields {
    day: u32,
    month: usize,
    year: u32,
    hour: u32,
    minute: u32,
    second: u32,
    form: u8,
}

fn date_fields() -> impl Strategy<Value = DateFields> {
    let year = prop_oneof![1969..=2101u32, 9998..=10_000u32, 1969..=10_000u32];
    let time = (0..=24u32, 0..=60u32, 0..=61u32);
    (0..=32u32, 0..12usize, year, time, 0..3u8).prop_map(
        |(day, month, year, (hour, minute, second), form)| DateFields {
            day,
            month,
            year,
            hour,
            minute,
            second,
            form,
        },
    )
}

impl DateFields {
    /// The date written with `weekday` (short), whether or not it is the right one.
    fn write(&self, weekday: &str) -> String {
        let (day, month, year) = (self.day, MONTHS[self.month], self.year);
        let time = format!("{:02}:{:02}:{:02}", self.hour, self.minute, self.second);
        match self.form {
            0 => format!("{weekday}, {day:02} {month} {year:04} {time} GMT"),
            1 => {
                let weekday = full_weekday(weekday);
                format!("{weekday}, {day:02}-{month}-{:02} {time} GMT", year % 100)
            }
            _ => format!("{weekday} {month} {day:>2} {time} {year}"),
        }
    }

    /// `httpdate`'s reading of these fields: it checks the weekday, so try each.
    fn httpdate_secs(&self) -> Option<u64> {
        WEEKDAYS.iter().find_map(|w| httpdate_secs(&self.write(w)))
    }
}

/// One of the three forms of a generated instant, cut into tokens; some tokens then swapped for
/// others of the same kind or any kind (days 0 and 32, 29 February, hour 24, second 60, year
/// 1969 and 10000, other zones, separators doubled or dropped), or removed.
fn date_like() -> impl Strategy<Value = String> {
    let token = select(vec![
        "Mon", "Sunday", "Thursday", "Sun,", "Feb", "Jun", "Dec", "Foo", "jan", "0", "00", "1",
        "06", "29", "30", "31", "32", "94", "69", "70", "1969", "1970", "2000", "2100", "9999",
        "10000", "00:00:00", "23:59:59", "23:59:60", "24:00:00", "8:49:37", "08:49", "GMT", "UTC",
        "gmt", "-", ",", " ", "  ", "\t",
    ]);
    let edit = prop_oneof![
        3 => (any::<prop::sample::Index>(), token).prop_map(|(at, t)| (at, Some(t))),
        1 => any::<prop::sample::Index>().prop_map(|at| (at, None)),
    ];
    (instant(), 0..3usize, vec(edit, 0..3)).prop_map(|(secs, form, edits)| {
        let imf = httpdate::fmt_http_date(UNIX_EPOCH + Duration::from_secs(secs));
        let text = match form {
            0 => imf.clone(),
            1 => rfc850(&fields(&imf)),
            _ => asctime(&fields(&imf)),
        };
        // Tokens with the separators kept as tokens of their own, so edits can touch them.
        let mut tokens: Vec<String> = Vec::new();
        for c in text.chars() {
            match tokens.last_mut() {
                Some(last) if c.is_ascii_alphanumeric() || c == ':' => {
                    if last.chars().all(|l| l.is_ascii_alphanumeric() || l == ':') {
                        last.push(c);
                    } else {
                        tokens.push(c.to_string());
                    }
                }
                _ => tokens.push(c.to_string()),
            }
        }
        for (at, replacement) in edits {
            let at = at.index(tokens.len());
            match replacement {
                Some(t) => tokens[at] = t.to_string(),
                None => {
                    tokens.remove(at);
                }
            }
        }
        tokens.concat()
    })
}

/// Where `httpdate` reads more than RFC 9110's grammar, which ours need not follow: white space
/// other than spaces around the date (it trims any), and any byte in place of the space between
/// an RFC 850 date's year and time (it checks the bytes around that one, not that one).
fn beyond_the_grammar(text: &str) -> bool {
    let rfc850_gap = text
        .trim()
        .split_once(", ")
        .is_some_and(|(_, rest)| rest.len() == 22 && rest.as_bytes()[9] != b' ');
    text.trim() != text.trim_matches(' ') || rfc850_gap
}

#[test]
fn httpdate_reads_more_than_the_grammar_and_ours_does_not() {
    for text in [
        "Thursday, 01-Jan-70\t00:00:00 GMT",
        "Thursday, 01-Jan-70000:00:00 GMT",
        "Thu, 01 Jan 1970 00:00:00 GMT\t",
        "\t Thu, 01 Jan 1970 00:00:00 GMT",
    ] {
        assert!(beyond_the_grammar(text), "{text:?}");
        assert_eq!(httpdate_secs(text), Some(0), "{text:?}");
        assert_eq!(http_date::parse(text), None, "{text:?}");
    }
}

#[test]
fn the_examples_of_rfc_9110_read_alike() {
    let rfc = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777);
    for text in [
        "Sun, 06 Nov 1994 08:49:37 GMT",
        "Sunday, 06-Nov-94 08:49:37 GMT",
        "Sun Nov  6 08:49:37 1994",
    ] {
        assert_eq!(httpdate::parse_http_date(text).ok(), Some(rfc), "{text}");
        assert_eq!(http_date::parse(text), Some(784_111_777), "{text}");
    }
}
