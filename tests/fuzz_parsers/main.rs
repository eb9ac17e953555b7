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

mod config;
mod dates;
mod json;
mod pasted;

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
pub(crate) const LAST_HTTP_DATE: u64 = 253_402_300_800;

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
pub(crate) fn fuzz<S>(
    name: &'static str,
    strategy: S,
    property: impl Fn(&Fuzz, &S::Value) -> TestCaseResult,
) where
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
pub(crate) fn unicode(max: usize) -> impl Strategy<Value = String> {
    vec(any::<char>(), 0..=max).prop_map(String::from_iter)
}

/// One of the `|`-separated `choices`.
pub(crate) fn pick(choices: &'static str) -> impl Strategy<Value = &'static str> + Clone {
    select(choices.split('|').collect::<Vec<_>>())
}

/// Up to `max` of the `|`-separated `tokens`, strung together.
pub(crate) fn tokens(tokens: &'static str, max: usize) -> impl Strategy<Value = String> {
    vec(pick(tokens), 0..=max).prop_map(|t| t.concat())
}
