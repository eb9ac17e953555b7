//! Property tests of the countdown and the resend throttle: whatever the sequence of sends,
//! server answers, clock jumps (forward and back) and reloads, the widget never allows a send
//! before the time the server last stated, and never shows a code's time left growing.
//!
//! The model keeps the true time apart from the page's clock. A forward jump of the clock is time
//! passing (a sleeping laptop looks the same); a jump back is the clock being set, and true time
//! stands still.
#![cfg(not(target_arch = "wasm32"))]

use checkout_verify::core::backend::{CheckOutcome, SendOutcome, Sent, MAX_WAIT_S};
use checkout_verify::core::flow::resume::Resume;
use checkout_verify::{Config, Flow, Input, Phase};
use proptest::option::of;
use proptest::prelude::*;

/// One thing that can happen to a widget.
#[derive(Debug, Clone)]
enum Step {
    /// Time passes; the clock moves with it.
    Wait(u64),
    /// The clock is set back; no time passes.
    SetBack(u64),
    /// The widget takes an input: the shopper's action, the server's answer or the clock.
    Input(Input),
    /// The page is reloaded; while it is away, time passes and the clock may be set back.
    Reload { away_ms: u64, set_back_ms: u64 },
}

/// The inputs that move the countdown and the throttle, as the flow receives them.
fn input() -> impl Strategy<Value = Input> {
    let sent = (of(1..900u64), of(0..300u64), of(0..5u32)).prop_map(
        |(expires_in, resend_in, sends_remaining)| {
            Input::SendAnswered(SendOutcome::Sent(Sent {
                verification_id: "vrf_1".into(),
                expires_in,
                resend_in,
                sends_remaining,
                code_length: Some(6),
                destination_hint: None,
                kept: Vec::new(),
            }))
        },
    );
    let throttled = (1..=MAX_WAIT_S, any::<bool>()).prop_map(|(retry_after_s, sends_exhausted)| {
        Input::SendAnswered(SendOutcome::RateLimited {
            retry_after_s,
            sends_exhausted,
        })
    });
    prop_oneof![
        Just(Input::Send),
        sent,
        throttled,
        Just(Input::Submit("123456".into())),
        of(1..600u64).prop_map(|retry_after_s| {
            Input::CheckAnswered(CheckOutcome::Locked { retry_after_s })
        }),
        (1..600u64).prop_map(|retry_after_s| {
            Input::CheckAnswered(CheckOutcome::RateLimited { retry_after_s })
        }),
        of(0..5u32).prop_map(|attempts_remaining| {
            Input::CheckAnswered(CheckOutcome::InvalidCode { attempts_remaining })
        }),
        Just(Input::CheckAnswered(CheckOutcome::Expired)),
        Just(Input::Tick),
    ]
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        1 => (0..200_000u64).prop_map(Step::Wait),
        1 => (0..300_000u64).prop_map(Step::SetBack),
        4 => input().prop_map(Step::Input),
        1 => (0..120_000u64, prop_oneof![Just(0), 1..300_000u64]).prop_map(|(away_ms, set_back_ms)| {
            Step::Reload {
                away_ms,
                set_back_ms,
            }
        }),
    ]
}

/// The widget, the server's last word and what the shopper last saw.
struct World {
    config: Config,
    flow: Flow,
    true_ms: u64,
    clock_ms: u64,
    /// True time before which the server said no send may be made.
    server_allows_at: u64,
    /// The time left last shown, for the code now live.
    shown: Option<u64>,
}

impl World {
    fn new() -> Self {
        let config = Config {
            destination: Some("+14155550123".into()),
            ..Config::default()
        };
        let start = 1_700_000_000_000;
        Self {
            flow: Flow::new(config.clone()),
            config,
            true_ms: start,
            clock_ms: start,
            server_allows_at: 0,
            shown: None,
        }
    }

    fn apply(&mut self, step: Step) {
        let now = self.clock_ms;
        match step {
            Step::Wait(ms) => {
                self.true_ms += ms;
                self.clock_ms += ms;
            }
            Step::SetBack(ms) => self.clock_ms -= ms,
            Step::Input(input) => {
                // The server's word counts only where the flow takes the answer in.
                let before = self.flow.phase();
                let stated = match &input {
                    Input::SendAnswered(SendOutcome::Sent(sent)) if before == Phase::Sending => {
                        self.shown = None;
                        Some(sent.resend_in.unwrap_or(0))
                    }
                    Input::SendAnswered(SendOutcome::RateLimited { retry_after_s, .. })
                        if before == Phase::Sending =>
                    {
                        Some(*retry_after_s)
                    }
                    Input::CheckAnswered(CheckOutcome::Locked { retry_after_s })
                        if before == Phase::Verifying =>
                    {
                        *retry_after_s
                    }
                    _ => None,
                };
                if let Some(wait) = stated {
                    self.server_allows_at = self.true_ms + wait * 1000;
                }
                self.flow.handle(input, now);
            }
            Step::Reload {
                away_ms,
                set_back_ms,
            } => {
                let saved = self.flow.resume_point();
                self.true_ms += away_ms;
                self.clock_ms = self.clock_ms + away_ms - set_back_ms;
                let now = self.clock_ms;
                self.flow = Flow::new(self.config.clone());
                if let Some(saved) = saved {
                    let stored = Resume::from_json(&saved.to_json().to_string())
                        .expect("a saved record reads back");
                    self.flow.handle(Input::Resume(stored), now);
                }
            }
        }
    }

    /// What the shopper sees, as the shell shows it: refreshed by the once-a-second tick, which
    /// takes the clock reading in first.
    fn check(&mut self) -> Result<(), TestCaseError> {
        let now = self.clock_ms;
        self.flow.handle(Input::Tick, now);
        if self.flow.can_send(now) {
            prop_assert!(
                self.true_ms >= self.server_allows_at,
                "send allowed {} ms before the server's time",
                self.server_allows_at - self.true_ms
            );
        }
        let wait = self.flow.send_wait_s(now) * 1000;
        prop_assert!(
            self.true_ms + wait >= self.server_allows_at,
            "the wait shown ends before the server's time"
        );
        let left = self.flow.time_left_s(now);
        if let (Some(left), Some(before)) = (left, self.shown) {
            prop_assert!(left <= before, "time left grew from {before} to {left}");
        }
        self.shown = left.or(self.shown);
        Ok(())
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

    #[test]
    fn no_early_send_and_no_growing_time_left(steps in proptest::collection::vec(step(), 1..60)) {
        let mut world = World::new();
        for step in steps {
            world.apply(step);
            world.check()?;
        }
    }
}
