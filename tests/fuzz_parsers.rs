//! Fuzzing of every hand-written parser of untrusted input, with generated inputs on stable
//! Rust: the JSON reader (API bodies), the config reader (the page's JSON), the code reader
//! (pasted text and SMS, with the selection it lands in) and `Retry-After` (header, `Date` and
//! body, through the classifier too). Whatever the input, no parser may panic, and each keeps
//! the one invariant that is cheap to state.
//!
//! Inputs mix arbitrary Unicode with texts built from each format's own tokens, since random
//! characters rarely get past a parser's first check: JSON tokens nested around the depth limit,
//! config fields with values in and out of range, SMS with code words, amounts and origin-bound
//! lines, dates from real date tokens with a few broken.
//!
//! `FUZZ_CASES` sets the inputs per parser (2000 by default, to keep `make test` fast; `make
//! fuzz` gives a million). With `FUZZ_REPORT=1` every parser call is also timed, and each parser
//! prints `fuzz <name>: <N> inputs, 0 panics, slowest <X> µs` and fails if one input took over
//! 1 ms. A call slower than any before is timed four more times and the fastest kept, so that
//! a moment the machine spent elsewhere is not blamed on the input. Without `FUZZ_REPORT`
//! nothing is timed.
#![cfg(not(target_arch = "wasm32"))]

use std::cell::{Cell, RefCell};
use std::fmt::Debug;
use std::hint::black_box;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};

use checkout_verify::core::backend::{
    http_date, retry_after, CheckOutcome, CheckRequest, HttpAnswer, SendOutcome, SendRequest,
    MAX_WAIT_S,
};
use checkout_verify::core::code::edit::{before_input, paste, Edit};
use checkout_verify::core::code::{accept, Alphabet, Entry};
use checkout_verify::core::json::Json;
use checkout_verify::Config;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::{
    Config as RunnerConfig, TestCaseError, TestCaseResult, TestError, TestRunner,
};

/// No input may take longer than this to parse (checked only under `FUZZ_REPORT=1`).
const SLOWEST_ALLOWED: Duration = Duration::from_millis(1);

/// The instant an HTTP-date can name last: 9999-12-31 23:59:60 (the reader allows a leap second).
const LAST_HTTP_DATE: u64 = 253_402_300_800;

/// One parser's run: how many inputs, panics, and its slowest call.
struct Fuzz {
    name: &'static str,
    timed: bool,
    inputs: Cell<u64>,
    panics: Cell<u64>,
    slowest: Cell<Duration>,
    slowest_input: RefCell<String>,
}

impl Fuzz {
    /// Calls the parser on `input`: a panic becomes this input's failure, and under
    /// `FUZZ_REPORT` the call is timed.
    fn call<T>(&self, input: &impl Debug, parse: impl Fn() -> T) -> Result<T, TestCaseError> {
        if !self.timed {
            return self.guard(&parse);
        }
        let start = Instant::now();
        let out = self.guard(&parse)?;
        let mut took = start.elapsed();
        if took > self.slowest.get() {
            for _ in 0..4 {
                let start = Instant::now();
                black_box(parse());
                took = took.min(start.elapsed());
            }
            if took > self.slowest.get() {
                self.slowest.set(took);
                *self.slowest_input.borrow_mut() = format!("{input:?}");
            }
        }
        Ok(out)
    }

    fn guard<T>(&self, parse: &impl Fn() -> T) -> Result<T, TestCaseError> {
        catch_unwind(AssertUnwindSafe(parse)).map_err(|payload| {
            self.panics.set(self.panics.get() + 1);
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            TestCaseError::fail(format!("{} panicked: {message}", self.name))
        })
    }
}

/// Runs `property` on `FUZZ_CASES` inputs from `strategy`; on a failure, panics with the
/// minimal input proptest shrank it to.
fn fuzz<S>(name: &'static str, strategy: S, property: impl Fn(&Fuzz, &S::Value) -> TestCaseResult)
where
    S: Strategy,
    S::Value: Debug,
{
    let cases = match std::env::var("FUZZ_CASES") {
        Ok(n) => n
            .parse()
            .unwrap_or_else(|_| panic!("FUZZ_CASES={n:?} is not a number of inputs")),
        Err(_) => 2000,
    };
    let fuzz = Fuzz {
        name,
        timed: std::env::var("FUZZ_REPORT").is_ok_and(|v| v == "1"),
        inputs: Cell::new(0),
        panics: Cell::new(0),
        slowest: Cell::new(Duration::ZERO),
        slowest_input: RefCell::new(String::new()),
    };
    let config = RunnerConfig {
        cases,
        failure_persistence: None,
        ..RunnerConfig::default()
    };
    let result = TestRunner::new(config).run(&strategy, |input| {
        fuzz.inputs.set(fuzz.inputs.get() + 1);
        property(&fuzz, &input)
    });
    match result {
        Ok(()) => {}
        Err(TestError::Fail(why, input)) => {
            panic!("fuzz {name}: {why}\nminimal failing input: {input:?}")
        }
        Err(TestError::Abort(why)) => panic!("fuzz {name}: aborted: {why}"),
    }
    if fuzz.timed {
        let slowest = fuzz.slowest.get();
        println!(
            "fuzz {name}: {} inputs, {} panics, slowest {:.1} µs",
            fuzz.inputs.get(),
            fuzz.panics.get(),
            slowest.as_secs_f64() * 1e6,
        );
        assert!(
            slowest <= SLOWEST_ALLOWED,
            "fuzz {name}: an input took {slowest:?}, over {SLOWEST_ALLOWED:?}: {}",
            fuzz.slowest_input.borrow()
        );
    }
}

/// Arbitrary Unicode (controls, unassigned, astral, combining) of up to `max` characters.
fn unicode(max: usize) -> impl Strategy<Value = String> {
    vec(any::<char>(), 0..=max).prop_map(String::from_iter)
}

/// One of the `|`-separated `choices`.
fn pick(choices: &'static str) -> impl Strategy<Value = &'static str> + Clone {
    select(choices.split('|').collect::<Vec<_>>())
}

/// Up to `max` of the `|`-separated `tokens`, strung together.
fn tokens(tokens: &'static str, max: usize) -> impl Strategy<Value = String> {
    vec(pick(tokens), 0..=max).prop_map(|t| t.concat())
}

const JSON_TOKENS: &str = "{|}|[|]|,|:|\"|\\|\\u|\\\"|\\n|\\u00e9|\\ud83d|\\ude00|\\uD83D\\uDE00|\
    \\uzzzz|0|7|-|12|.5|e|E+|1e999|true|false|null|tru|nul| |\n|\t|\r|\"key\"|\"a\":|é|😀|\u{0}|\
    \u{7f}|\u{2028}";

/// JSON-ish text: arbitrary Unicode, token soup, token soup nested around the depth limit of 32,
/// and generated documents (valid, long, or with one token inserted or the end cut off).
fn json_text() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just(Json::Null),
        any::<bool>().prop_map(Json::Bool),
        pick("0|-0|6|-1.5e3|18446744073709551616|1E-7").prop_map(|n| Json::Number(n.to_string())),
        unicode(12).prop_map(Json::String),
    ];
    let value = leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..6).prop_map(Json::Array),
            vec((unicode(6), inner), 0..6).prop_map(Json::Object),
        ]
    });
    let nested_soup =
        (28..=36usize, 0..=3usize, tokens(JSON_TOKENS, 8)).prop_map(|(depth, missing, soup)| {
            let opens: String = (0..depth).map(|i| ["[", "{\"k\":"][i % 2]).collect();
            let closes: String = (missing..depth).rev().map(|i| ["]", "}"][i % 2]).collect();
            format!("{opens}{soup}{closes}")
        });
    let nested_value = (0..=34usize, value.clone())
        .prop_map(|(depth, v)| (0..depth).fold(v, |v, _| Json::Array(vec![v])).to_string());
    // A long body now and then, as a misbehaving proxy may answer.
    let long = vec(value.clone(), 0..=40).prop_map(|items| Json::Array(items).to_string());
    let edited = (
        value,
        any::<prop::sample::Index>(),
        pick(JSON_TOKENS),
        any::<bool>(),
    )
        .prop_map(|(v, at, token, cut)| {
            let mut text = v.to_string();
            let at = char_boundary(&text, at);
            if cut {
                text.truncate(at);
            } else {
                text.insert_str(at, token);
            }
            text
        });
    prop_oneof![
        unicode(256),
        tokens(JSON_TOKENS, 64),
        nested_soup,
        nested_value,
        long,
        edited,
    ]
}

/// A character boundary of `text` picked by `at`.
fn char_boundary(text: &str, at: prop::sample::Index) -> usize {
    let boundaries: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain([text.len()])
        .collect();
    *at.get(&boundaries)
}

#[test]
fn fuzz_json() {
    fuzz("json", json_text(), |fuzz, text| {
        let Ok(value) = fuzz.call(text, || Json::parse(text))? else {
            return Ok(());
        };
        // What was read writes out as text that reads back the same.
        let written = value.to_string();
        let again = fuzz.call(&written, || Json::parse(&written))?;
        prop_assert_eq!(again, Ok(value), "written as {}", written);
        Ok(())
    });
}

/// Config documents: each field with values of its own kind in and out of range (so that many
/// documents are valid and reach every check), of other kinds, unknown fields, repeated fields,
/// and now and then an edit that breaks the JSON.
fn config_text() -> impl Strategy<Value = String> {
    let n = |choices| {
        pick(choices)
            .prop_map(|n| Json::Number(n.to_string()))
            .boxed()
    };
    let s = |choices| {
        pick(choices)
            .prop_map(|s| Json::String(s.to_string()))
            .boxed()
    };
    let named = |name: &'static str, value: BoxedStrategy<Json>| {
        value.prop_map(move |v| (name.to_string(), v)).boxed()
    };
    let text = prop_oneof![
        s("| |sms| x |email|+14155550123|\u{a0}|\t"),
        unicode(16).prop_map(Json::String)
    ]
    .boxed();
    let seconds = n("0|1|60|600|86400|86401|-1|6.0|1e3|18446744073709551616");
    let other = prop_oneof![
        Just(Json::Null),
        any::<bool>().prop_map(Json::Bool),
        seconds.clone(),
        text.clone(),
        vec(seconds.clone(), 0..3).prop_map(Json::Array),
    ]
    .boxed();
    let endpoint = s(
        "/api/x|https://shop.example/v|HTTPS://shop.example|http://shop.example/v|\
        //evil.example|javascript:x|https://|https://user@evil.example|https://[::1]/| /x |",
    );
    let endpoints = vec(
        prop_oneof![
            named("send", endpoint.clone()),
            named("verify", endpoint),
            named("other", other.clone()),
        ],
        0..3,
    )
    .prop_map(Json::Object)
    .boxed();
    let flag = (
        pick("auto_send|auto_submit|web_otp|change_destination"),
        any::<bool>(),
    )
        .prop_map(|(name, on)| (name.to_string(), Json::Bool(on)));
    let any_field = pick(
        "destination|channel|code_length|alphabet|auto_send|auto_submit|web_otp|\
        change_destination|endpoints|code_lifetime|warn_before|resend_backoff|max_sends|\
        sends_exhausted|storage_key|codeLength|send|verify||endpoints.send",
    );
    let field = prop_oneof![
        named("destination", text.clone()),
        named("channel", text.clone()),
        named("sends_exhausted", text.clone()),
        named("storage_key", text),
        named("code_length", n("3|4|6|10|11|255|256|6.0|-6")),
        named("alphabet", s("digits|alphanumeric|Digits|")),
        flag,
        named("code_lifetime", seconds.clone()),
        named("warn_before", seconds),
        named("max_sends", n("0|1|5|100|101|4294967297")),
        named(
            "resend_backoff",
            vec(n("0|30|86400|86401|-1"), 0..12)
                .prop_map(Json::Array)
                .boxed()
        ),
        named("endpoints", endpoints),
        // Any field, known or not, with a value of any kind.
        (any_field, other).prop_map(|(name, v)| (name.to_string(), v)),
    ];
    let document =
        (vec(field, 0..8), any::<prop::sample::Index>(), 0..8u8).prop_map(|(pairs, at, edit)| {
            let mut text = Json::Object(pairs).to_string();
            let at = char_boundary(&text, at);
            match edit {
                0 => text.truncate(at),
                1 => text.insert_str(at, ",\"x\""),
                _ => {}
            }
            text
        });
    prop_oneof![1 => unicode(128), 1 => json_text(), 4 => document]
}

#[test]
fn fuzz_config() {
    fuzz("config", config_text(), |fuzz, text| {
        match fuzz.call(text, || Config::from_json(text))? {
            Ok(c) => {
                prop_assert!((4..=10).contains(&c.code_length), "{c:?}");
                prop_assert!((1..=86_400).contains(&c.code_lifetime), "{c:?}");
                prop_assert!(c.warn_before <= 86_400, "{c:?}");
                prop_assert!((1..=100).contains(&c.resend.max_sends), "{c:?}");
                let waits = &c.resend.cooldowns_s;
                prop_assert!((1..=10).contains(&waits.len()), "{c:?}");
                prop_assert!(waits.iter().all(|w| *w <= 86_400), "{c:?}");
                for text in [&c.channel, &c.storage_key]
                    .into_iter()
                    .chain(&c.destination)
                    .chain(&c.sends_exhausted)
                {
                    prop_assert!(!text.is_empty() && text.trim() == text, "{c:?}");
                }
            }
            // The message names the field and value; writing it must not fail either.
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
        Ok(())
    });
}

/// Text as it arrives in a code field: arbitrary Unicode, or an SMS made of digits in four
/// scripts, letters, code words in five languages, amounts, separators and invisible marks,
/// often ending with an origin-bound line for this host, a parent, another or a malformed one.
fn pasted_text() -> impl Strategy<Value = String> {
    let digit = prop_oneof![
        (b'0'..=b'9').prop_map(char::from),
        select(vec!['０', '９', '٠', '٩', '۰', '۹']),
    ];
    let letter = prop_oneof![
        (b'a'..=b'z').prop_map(char::from),
        (b'A'..=b'Z').prop_map(char::from),
        select(vec!['Ａ', 'ｚ', 'é', 'Д']),
    ];
    let run = |chars: BoxedStrategy<char>| vec(chars, 1..=12).prop_map(String::from_iter);
    let word = pick("code|Code|CODE|passcode|PIN|OTP|verification|código|clave|senha|код|Код|\
        пароль|验证码|码|Your|is|order|#|$|€|12.50|1,299|$9.99|+1 415 555 0123|https://shop.example/|\
        @|:");
    let separator = pick(
        " | |-|.|,|\n|\r\n|\t|\u{a0}|\u{2009}|\u{2013}|\u{3000}|\u{200f}|\
        \u{2067}|\u{2069}|\u{feff}|\u{200b}",
    );
    let token = prop_oneof![
        3 => run(digit.boxed()),
        1 => run(letter.boxed()),
        2 => word.prop_map(str::to_string),
        3 => separator.prop_map(str::to_string),
    ];
    let host = pick(
        "shop.example|pay.shop.example|SHOP.EXAMPLE|shop.example.|evil.example|\
        shop.example.evil.io|evilshop.example|localhost||sh op|-x.example|.example|\
        xn--shp-2na.example|shop.example:443|https://shop.example",
    );
    let line_code = prop_oneof![
        (b'0'..=b'9').prop_map(char::from),
        (b'A'..=b'Z').prop_map(char::from),
        any::<char>(),
    ];
    let embedded = prop_oneof![
        Just(String::new()),
        host.clone().prop_map(|h| format!(" @{h}"))
    ];
    let bound = (
        pick("\n|\n\n|\r\n| |"),
        host,
        vec(line_code, 0..=12).prop_map(String::from_iter),
        embedded,
        pick("|\n| | trailing"),
    )
        .prop_map(|(before, host, code, embedded, after)| {
            format!("{before}@{host} #{code}{embedded}{after}")
        });
    // Now and then a long text: an e-mail or a whole conversation copied at once.
    let token = token.boxed();
    let tokens = prop_oneof![9 => vec(token.clone(), 0..=40), 1 => vec(token, 0..=400)];
    let sms = (tokens, prop::option::of(bound))
        .prop_map(|(tokens, bound)| tokens.concat() + &bound.unwrap_or_default());
    prop_oneof![1 => unicode(128), 3 => sms]
}

/// A paste: the field's value, the selection it replaces (also reversed or far out of range),
/// what is pasted, the code's length and alphabet, and the page's host.
type Paste = (String, (usize, usize), String, u8, Alphabet, String);

fn paste_input() -> impl Strategy<Value = Paste> {
    let selection = prop_oneof![
        (0..12usize, 0..12usize),
        (any::<usize>(), any::<usize>()),
        Just((usize::MAX, 0)),
    ];
    let alphabet = prop_oneof![Just(Alphabet::Digits), Just(Alphabet::Alphanumeric)];
    let page_host = prop_oneof![
        pick("shop.example|pay.shop.example|evil.example||localhost").prop_map(str::to_string),
        unicode(12),
    ];
    (
        pasted_text(),
        selection,
        pasted_text(),
        4..=10u8,
        alphabet,
        page_host,
    )
}

/// What every reading must be: a code of at most `length` code characters (ASCII digits, and
/// upper-case ASCII letters for alphanumeric codes), or a refusal naming a host.
fn well_formed(entry: &Entry, length: u8, alphabet: Alphabet) -> TestCaseResult {
    match entry {
        Entry::Code(code) => {
            prop_assert!(code.len() <= usize::from(length), "{entry:?}");
            let code_char = |c: char| match alphabet {
                Alphabet::Digits => c.is_ascii_digit(),
                Alphabet::Alphanumeric => c.is_ascii_digit() || c.is_ascii_uppercase(),
            };
            prop_assert!(code.chars().all(code_char), "{entry:?}");
        }
        Entry::WrongHost { host } => prop_assert!(!host.is_empty(), "{entry:?}"),
    }
    Ok(())
}

#[test]
fn fuzz_pasted_text() {
    fuzz("pasted text", paste_input(), |fuzz, input| {
        let (value, selection, pasted, length, alphabet, host) = input;
        let (length, alphabet) = (*length, *alphabet);
        let typed = fuzz.call(input, || accept(pasted, length, alphabet, host))?;
        well_formed(&typed, length, alphabet)?;
        let typed = fuzz.call(input, || accept(value, length, alphabet, host))?;
        well_formed(&typed, length, alphabet)?;
        let edit = fuzz.call(input, || {
            paste(value, *selection, pasted, length, alphabet, host)
        })?;
        match edit {
            Ok(edit) => edit_well_formed(&edit, value, length, alphabet)?,
            Err(host) => prop_assert!(!host.is_empty(), "refused for no host"),
        }
        // The same text typed in one go (a keyboard's suggestion, a dictation).
        let edit = fuzz.call(input, || {
            before_input(
                value,
                *selection,
                "insertText",
                Some(pasted),
                length,
                alphabet,
            )
        })?;
        edit_well_formed(&edit, value, length, alphabet)
    });
}

/// An edit stays inside the value, and what it puts in is code characters only, as many as fit
/// beside what it keeps.
fn edit_well_formed(edit: &Edit, value: &str, length: u8, alphabet: Alphabet) -> TestCaseResult {
    let filled = value.chars().count();
    match edit {
        Edit::Allow | Edit::Refuse => {}
        Edit::Over { start, end } => prop_assert!(start < end && *end <= filled, "{edit:?}"),
        Edit::Insert { start, end, text } => {
            prop_assert!(start <= end && *end <= filled, "{edit:?}");
            well_formed(&Entry::Code(text.clone()), length, alphabet)?;
            prop_assert!(
                text.len() + filled - (end - start) <= usize::from(length).max(filled),
                "{edit:?} overfills {value:?}"
            );
        }
    }
    Ok(())
}

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
