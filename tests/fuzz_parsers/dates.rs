//! `Retry-After` and HTTP-dates, through the classifier too.

use super::*;
use crate::json::json_text;

/// Date-like text: a real HTTP-date in one of its three forms, or tokens of those forms strung
/// together (out-of-range fields, huge numbers, wrong zones, separators doubled or missing).
fn date_text() -> impl Strategy<Value = String> {
    let real = (0..=LAST_HTTP_DATE - 1, 0..3u8).prop_map(|(secs, form)| {
        let imf = httpdate::fmt_http_date(std::time::UNIX_EPOCH + Duration::from_secs(secs));
        let p: Vec<&str> = imf.split(' ').collect();
        match (form, &p[..]) {
            (1, [wd, d, m, y, t, _]) => format!("{wd} {d}-{m}-{} {t} GMT", &y[2..]),
            (2, [wd, d, m, y, t, _]) => format!("{} {m} {d:>2} {t} {y}", wd.trim_end_matches(',')),
            _ => imf,
        }
    });
    let token = pick(
        "Sun,|Mon|Wednesday,|06|6|0|31|32|99999999999999999999|Nov|Feb|nov|1994|94|\
        69|70|1969|9999|10000|08:49:37|23:59:60|24:00:00|8:9:7|00:00|1:2:3:4|::|:|-1:00:00|\
        +1:+2:+3|99999999999999999:0:0|0:99999999999999999:0|0:0:99999999999999999|\
        5124095576030432:0:0|GMT|UTC| | | |  |,|-|\t",
    );
    let soup = vec(token, 0..=10).prop_map(|t| t.concat());
    let number = prop_oneof![
        any::<u64>().prop_map(|n| n.to_string()),
        (0..200u64).prop_map(|n| n.to_string()),
        pick("| 5 |+5|-5|5.0|1e3|0x10|99999999999999999999999").prop_map(str::to_string),
    ];
    prop_oneof![2 => real, 3 => soup, 1 => number, 1 => unicode(40)]
}

/// The first send the answers are classified for.
const SEND: SendRequest = SendRequest {
    destination: None,
    channel: String::new(),
    verification_id: None,
    context: None,
    locale: None,
    kept: Vec::new(),
};

/// The check the answers are classified for.
fn check() -> CheckRequest {
    CheckRequest {
        verification_id: "v".into(),
        code: "123456".into(),
        destination: None,
        channel: "sms".into(),
        context: None,
        kept: Vec::new(),
    }
}

/// An answer to classify: status, `Retry-After` and `Date` headers, when it arrived (ms since
/// the epoch), its body, and `retry_after` as the body repeats it.
type Answer = (
    u16,
    Option<String>,
    Option<String>,
    u64,
    String,
    Option<u64>,
);

fn answer() -> impl Strategy<Value = Answer> {
    let status = prop_oneof![select(vec![200u16, 202, 410, 422, 429, 500]), any::<u16>()];
    let received = prop_oneof![any::<u64>(), 0..=LAST_HTTP_DATE * 1000];
    let kind = pick(
        "urn:checkout-verify:rate-limited|urn:checkout-verify:send-limit|\
        urn:checkout-verify:too-many-attempts|urn:checkout-verify:expired|other",
    );
    let problem = (kind, any::<u64>(), pick("0|-1|1e3|\"30\"|null")).prop_map(|(kind, wait, n)| {
        let fields = format!(r#""retry_after":{wait},"attempts_remaining":{n}"#);
        format!(r#"{{"type":"{kind}","status":429,{fields}}}"#)
    });
    let body = prop_oneof![problem, json_text()];
    let header = || prop::option::of(date_text());
    let in_body = prop::option::of(any::<u64>());
    (status, header(), header(), received, body, in_body)
}

#[test]
fn fuzz_retry_after() {
    fuzz("retry-after", answer(), |fuzz, input| {
        let (status, header, date, received_at_ms, body, in_body) = input;
        let answer = HttpAnswer {
            status: *status,
            retry_after: header.as_deref(),
            date: date.as_deref(),
            received_at_ms: *received_at_ms,
            body,
        };
        let wait = fuzz.call(input, || retry_after(answer, *in_body))?;
        prop_assert!((1..=MAX_WAIT_S).contains(&wait), "waits {}", wait);
        for text in [header, date].into_iter().flatten() {
            if let Some(at) = fuzz.call(text, || http_date::parse(text))? {
                prop_assert!(at <= LAST_HTTP_DATE, "{:?} read as {}", text, at);
            }
        }
        let backend = checkout_verify::Config::default().backend;
        let sent = fuzz.call(input, || backend.classify_send(&SEND, Ok(answer)))?;
        let checked = fuzz.call(input, || backend.classify_check(&check(), Ok(answer)))?;
        let waits = [
            match sent {
                SendOutcome::RateLimited { retry_after_s, .. } => Some(retry_after_s),
                _ => None,
            },
            match checked {
                CheckOutcome::RateLimited { retry_after_s }
                | CheckOutcome::Locked {
                    retry_after_s: Some(retry_after_s),
                } => Some(retry_after_s),
                _ => None,
            },
        ];
        for wait in waits.into_iter().flatten() {
            prop_assert!((1..=MAX_WAIT_S).contains(&wait), "waits {}", wait);
        }
        Ok(())
    });
}
