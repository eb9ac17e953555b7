//! The flow's tests: every input in every phase that matters, deadlines on a clock that jumps,
//! milestones, reloads.

use super::*;
use crate::core::backend::{Failure, Sent};
use crate::core::guard::Reason;

const T0: u64 = 1_700_000_000_000;

fn sent(id: &str, expires_in: u64, resend_in: u64, sends_remaining: u32) -> SendOutcome {
    SendOutcome::Sent(Sent {
        verification_id: id.into(),
        expires_in: Some(expires_in),
        resend_in: Some(resend_in),
        sends_remaining: Some(sends_remaining),
        code_length: Some(6),
        destination_hint: Some("+1 ••• 4567".into()),
        kept: Vec::new(),
    })
}

/// An alert as the shopper reads it in English.
fn english(alert: &Alert) -> String {
    crate::core::messages::Locale::En.text(&alert.message())
}

/// Resumes `flow` from `saved` at `now`; whether it was taken (it then holds a verification or a
/// wait).
fn resumed(flow: &mut Flow, saved: Resume, now: u64) -> bool {
    flow.handle(Input::Resume(saved), now);
    flow.has_sent() || flow.send_wait_s(now) > 0
}

/// A flow with a code sent at T0, valid 600 s, resend after 30 s.
fn awaiting() -> Flow {
    let mut flow = Flow::new(Config::default());
    flow.handle(Input::Send, T0);
    flow.handle(Input::SendAnswered(sent("v1", 600, 30, 4)), T0);
    flow
}

fn checks(effects: &[Effect]) -> usize {
    effects
        .iter()
        .filter(|e| matches!(e, Effect::Check(_)))
        .count()
}

fn emitted(effects: &[Effect]) -> Vec<&'static str> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Emit(ev) => Some(ev.name()),
            _ => None,
        })
        .collect()
}

#[test]
fn first_send_carries_destination_and_channel() {
    let config = Config {
        destination: Some("+14155550123".into()),
        ..Config::default()
    };
    let mut flow = Flow::new(config.clone());
    assert_eq!(flow.phase(), Phase::Idle);
    assert!(!flow.accepts_code());
    let effects = flow.handle(Input::Send, T0);
    assert_eq!(
        effects,
        vec![
            Effect::Send(SendRequest {
                destination: Some("+14155550123".into()),
                channel: "sms".into(),
                verification_id: None,
                kept: Vec::new(),
            }),
            Effect::ListenForCode,
        ]
    );
    assert_eq!(flow.phase(), Phase::Sending);
    assert_eq!(flow.status(), Some(&Status::Sending));
    assert!(
        flow.handle(Input::Send, T0).is_empty(),
        "one send at a time"
    );
}

#[test]
fn sent_code_opens_entry_with_deadlines() {
    let mut flow = Flow::new(Config::default());
    assert!(!flow.field_enabled());
    flow.handle(Input::Send, T0);
    let effects = flow.handle(Input::SendAnswered(sent("v1", 600, 30, 4)), T0);
    assert!(flow.field_enabled() && !flow.field_read_only());
    assert_eq!(effects[..2], [Effect::ClearCode, Effect::FocusCode]);
    assert_eq!(emitted(&effects), ["checkout-verify:sent"]);
    assert_eq!(flow.phase(), Phase::AwaitingCode);
    assert!(flow.accepts_code());
    assert!(flow.has_sent());
    assert_eq!(flow.time_left_s(T0), Some(600));
    assert_eq!(flow.time_left_s(T0 + 1), Some(600));
    assert_eq!(flow.time_left_s(T0 + 1000), Some(599));
    assert!(!flow.can_send(T0 + 29_999));
    assert_eq!(flow.send_wait_s(T0 + 10_000), 20);
    assert!(flow.can_send(T0 + 30_000));
}

#[test]
fn server_code_length_wins() {
    let mut flow = Flow::new(Config::default());
    flow.handle(Input::Send, T0);
    flow.handle(
        Input::SendAnswered(SendOutcome::Sent(Sent {
            verification_id: "v".into(),
            expires_in: Some(60),
            resend_in: Some(0),
            sends_remaining: Some(1),
            code_length: Some(8),
            destination_hint: None,
            kept: Vec::new(),
        })),
        T0,
    );
    assert_eq!(flow.code_length(), 8);
    assert!(flow.handle(Input::Submit("123456".into()), T0).is_empty());
    assert_eq!(flow.alert(), Some(&Alert::Incomplete { length: 8 }));
}

#[test]
fn complete_code_is_checked_exactly_once() {
    let mut flow = awaiting();
    let effects = flow.handle(Input::Submit("123456".into()), T0 + 5_000);
    assert_eq!(
        effects,
        vec![
            Effect::StopListening,
            Effect::Check(CheckRequest {
                verification_id: "v1".into(),
                code: "123456".into(),
                destination: None,
                channel: "sms".into(),
                kept: Vec::new(),
            })
        ]
    );
    assert_eq!(flow.phase(), Phase::Verifying);
    assert!(!flow.accepts_code());
    assert!(
        flow.field_enabled() && flow.field_read_only(),
        "typed code stays visible"
    );
    for _ in 0..5 {
        assert!(flow
            .handle(Input::Submit("123456".into()), T0 + 5_001)
            .is_empty());
    }
    assert!(!flow.can_send(T0 + 60_000), "no resend while verifying");
}

#[test]
fn a_complete_code_is_checked_as_it_arrives_when_configured() {
    let mut flow = Flow::new(Config {
        auto_submit: true,
        ..Config::default()
    });
    flow.handle(Input::Send, T0);
    flow.handle(Input::SendAnswered(sent("v1", 600, 30, 4)), T0);
    assert!(flow
        .handle(Input::CodeEntered("12345".into()), T0)
        .is_empty());
    assert_eq!(flow.alert(), None, "no alert while typing");
    assert_eq!(
        checks(&flow.handle(Input::CodeEntered("123456".into()), T0)),
        1
    );
    assert_eq!(flow.phase(), Phase::Verifying);
    assert!(
        flow.handle(Input::CodeEntered("123456".into()), T0)
            .is_empty(),
        "still exactly once"
    );

    let mut manual = awaiting();
    assert!(
        manual
            .handle(Input::CodeEntered("123456".into()), T0)
            .is_empty(),
        "off by default"
    );
    assert_eq!(
        checks(&manual.handle(Input::Submit("123456".into()), T0)),
        1
    );
}

#[test]
fn incomplete_code_asks_for_all_digits_without_a_request() {
    let mut flow = awaiting();
    assert!(flow.handle(Input::Submit("123".into()), T0).is_empty());
    assert_eq!(flow.alert(), Some(&Alert::Incomplete { length: 6 }));
    assert_eq!(flow.phase(), Phase::AwaitingCode);
}

#[test]
fn approved_code_is_verified_and_final() {
    let mut flow = awaiting();
    flow.handle(Input::Submit("123456".into()), T0);
    let effects = flow.handle(
        Input::CheckAnswered(CheckOutcome::Verified {
            token: Some("tok".into()),
        }),
        T0,
    );
    assert_eq!(
        effects,
        vec![Effect::Emit(Event::Verified {
            verification_id: "v1".into(),
            token: Some("tok".into())
        })]
    );
    assert_eq!(flow.phase(), Phase::Verified);
    assert_eq!(flow.status(), Some(&Status::Verified));
    assert_eq!(flow.time_left_s(T0), None);
    assert!(!flow.can_send(T0 + 1_000_000));
    assert!(flow.handle(Input::Submit("123456".into()), T0).is_empty());
    assert!(flow.handle(Input::Tick, T0 + 10_000_000).is_empty());
}

#[test]
fn wrong_code_clears_field_and_allows_another_try() {
    let mut flow = awaiting();
    flow.handle(Input::Submit("000000".into()), T0);
    let effects = flow.handle(
        Input::CheckAnswered(CheckOutcome::InvalidCode {
            attempts_remaining: Some(4),
        }),
        T0,
    );
    assert_eq!(effects[..2], [Effect::ClearCode, Effect::FocusCode]);
    assert_eq!(emitted(&effects), ["checkout-verify:invalid"]);
    assert_eq!(flow.phase(), Phase::Invalid);
    assert_eq!(
        flow.alert().map(english).as_deref(),
        Some("That code is not right. 4 attempts left.")
    );
    assert!(flow.accepts_code());
    assert_eq!(checks(&flow.handle(Input::Submit("123456".into()), T0)), 1);
}

#[test]
fn network_failure_keeps_the_code_and_allows_retry() {
    let mut flow = awaiting();
    flow.handle(Input::Submit("123456".into()), T0);
    let effects = flow.handle(
        Input::CheckAnswered(CheckOutcome::Failed(Failure::Network)),
        T0,
    );
    assert!(!effects.contains(&Effect::ClearCode));
    assert_eq!(emitted(&effects), ["checkout-verify:error"]);
    assert_eq!(flow.phase(), Phase::Error);
    assert!(flow.accepts_code());
    assert_eq!(checks(&flow.handle(Input::Submit("123456".into()), T0)), 1);
}

#[test]
fn unrecognised_answer_is_never_verified() {
    let mut flow = awaiting();
    flow.handle(Input::Submit("123456".into()), T0);
    flow.handle(
        Input::CheckAnswered(CheckOutcome::Failed(Failure::Unrecognised(200))),
        T0,
    );
    assert_ne!(flow.phase(), Phase::Verified);
    assert_ne!(flow.status(), Some(&Status::Verified));
}

#[test]
fn deadline_expires_the_code() {
    let mut flow = awaiting();
    assert!(flow.handle(Input::Tick, T0 + 599_999).is_empty());
    let effects = flow.handle(Input::Tick, T0 + 600_000);
    assert_eq!(emitted(&effects), ["checkout-verify:expired"]);
    assert!(effects.contains(&Effect::ClearCode));
    assert!(
        !effects.contains(&Effect::FocusCode),
        "a tick never moves focus"
    );
    assert_eq!(flow.phase(), Phase::Expired);
    assert!(!flow.accepts_code());
    assert_eq!(flow.time_left_s(T0 + 600_000), None);
    assert!(
        flow.handle(Input::Tick, T0 + 700_000).is_empty(),
        "expires once"
    );
}

#[test]
fn submitting_after_the_deadline_expires_instead_of_checking() {
    let mut flow = awaiting();
    let effects = flow.handle(Input::Submit("123456".into()), T0 + 600_000);
    assert_eq!(emitted(&effects), ["checkout-verify:expired"]);
    assert_eq!(flow.phase(), Phase::Expired);
}

#[test]
fn check_in_flight_is_not_expired_by_the_clock() {
    let mut flow = awaiting();
    flow.handle(Input::Submit("123456".into()), T0 + 599_000);
    assert!(flow.handle(Input::Tick, T0 + 601_000).is_empty());
    assert_eq!(flow.phase(), Phase::Verifying);
    flow.handle(Input::CheckAnswered(CheckOutcome::Expired), T0);
    assert_eq!(flow.phase(), Phase::Expired);
}

#[test]
fn locked_then_resend_starts_a_new_verification() {
    let mut flow = awaiting();
    flow.handle(Input::Submit("000000".into()), T0);
    let effects = flow.handle(
        Input::CheckAnswered(CheckOutcome::Locked {
            retry_after_s: None,
        }),
        T0,
    );
    assert_eq!(emitted(&effects), ["checkout-verify:locked"]);
    assert_eq!(flow.phase(), Phase::Locked);
    assert!(!flow.accepts_code());
    assert!(
        flow.handle(Input::Send, T0 + 1_000).is_empty(),
        "cooldown still runs"
    );
    let effects = flow.handle(Input::Send, T0 + 30_000);
    let Some(Effect::Send(request)) = effects.first() else {
        panic!("no send")
    };
    assert_eq!(
        request.verification_id, None,
        "its wrong attempts are spent"
    );
    flow.handle(Input::SendAnswered(sent("v2", 600, 60, 3)), T0 + 31_000);
    assert_eq!(flow.phase(), Phase::AwaitingCode);
    assert_eq!(flow.alert(), None);
    assert_eq!(flow.time_left_s(T0 + 31_000), Some(600));
}

#[test]
fn throttled_send_returns_to_previous_phase_and_extends_cooldown() {
    let mut flow = awaiting();
    flow.handle(Input::Send, T0 + 30_000);
    let effects = flow.handle(
        Input::SendAnswered(SendOutcome::RateLimited {
            retry_after_s: 42,
            sends_exhausted: false,
        }),
        T0 + 30_000,
    );
    assert_eq!(emitted(&effects), ["checkout-verify:throttled"]);
    assert_eq!(flow.phase(), Phase::AwaitingCode);
    assert!(!flow.can_send(T0 + 71_999));
    assert!(flow.can_send(T0 + 72_000));
    assert_eq!(
        flow.alert(),
        Some(&Alert::RateLimited { retry_after_s: 42 })
    );
}

#[test]
fn failed_first_send_returns_to_idle_with_an_alert() {
    let mut flow = Flow::new(Config::default());
    flow.handle(Input::Send, T0);
    let effects = flow.handle(
        Input::SendAnswered(SendOutcome::Failed(Failure::Server(503))),
        T0,
    );
    assert_eq!(emitted(&effects), ["checkout-verify:error"]);
    assert_eq!(flow.phase(), Phase::Idle);
    assert!(flow.can_send(T0));
    assert!(flow.alert().is_some());
}

#[test]
fn no_sends_left_means_no_resend_until_the_code_is_over() {
    let mut flow = Flow::new(Config::default());
    flow.handle(Input::Send, T0);
    flow.handle(Input::SendAnswered(sent("v1", 600, 0, 0)), T0);
    assert!(!flow.can_send(T0 + 599_000));
    assert!(flow.sends_exhausted(T0 + 1_000));
    // Once the code is over, a new verification may start, subject to the server.
    assert!(flow.can_send(T0 + 600_000));
    assert!(!flow.sends_exhausted(T0 + 600_000));
    let effects = flow.handle(Input::Send, T0 + 600_000);
    let Some(Effect::Send(request)) = effects.first() else {
        panic!("no send")
    };
    assert_eq!(request.verification_id, None, "a new verification");
}

#[test]
fn a_send_limit_tells_the_shopper_what_to_do_next() {
    let config = Config {
        sends_exhausted: Some("Call us.".into()),
        ..Config::default()
    };
    let mut flow = Flow::new(config.clone());
    flow.handle(Input::Send, T0);
    flow.handle(Input::SendAnswered(sent("v1", 600, 30, 2)), T0);
    flow.handle(Input::Send, T0 + 30_000);
    let effects = flow.handle(
        Input::SendAnswered(SendOutcome::RateLimited {
            retry_after_s: 570,
            sends_exhausted: true,
        }),
        T0 + 30_000,
    );
    assert_eq!(
        effects,
        vec![Effect::Emit(Event::Throttled {
            retry_after: 570,
            sends_exhausted: true
        })]
    );
    assert_eq!(flow.alert().map(english).as_deref(), Some("Call us."));
    assert!(flow.sends_exhausted(T0 + 31_000));
    assert!(flow.accepts_code(), "the code already sent still works");
    assert!(!flow.can_send(T0 + 599_999));
    assert!(flow.can_send(T0 + 600_000));
}

#[test]
fn the_widgets_backoff_applies_only_when_the_backend_is_silent() {
    let mut flow = Flow::new(Config::default());
    let silent = || {
        SendOutcome::Sent(Sent {
            verification_id: "v".into(),
            expires_in: None,
            resend_in: None,
            sends_remaining: None,
            code_length: Some(6),
            destination_hint: None,
            kept: Vec::new(),
        })
    };
    let mut now = T0;
    let mut waits = Vec::new();
    for _ in 0..4 {
        assert!(!flow.handle(Input::Send, now).is_empty());
        let effects = flow.handle(Input::SendAnswered(silent()), now);
        let Some(Effect::Emit(Event::Sent {
            resend_in,
            expires_in,
            ..
        })) = effects.last()
        else {
            panic!("not sent")
        };
        assert_eq!(*expires_in, 600, "the config's lifetime");
        waits.push(*resend_in);
        assert!(!flow.can_send(now + resend_in * 1000 - 1));
        now += resend_in * 1000;
    }
    assert_eq!(waits, [30, 60, 120, 120]);
    flow.handle(Input::Send, now);
    flow.handle(Input::SendAnswered(sent("v", 600, 7, 9)), now);
    assert_eq!(flow.send_wait_s(now), 7, "the server's word wins");
}

#[test]
fn milestones_are_announced_once_each_and_never_every_second() {
    let mut flow = awaiting();
    let quiet = |flow: &mut Flow, seconds: std::ops::Range<u64>| {
        let before = flow.clone();
        for s in seconds {
            assert!(flow.handle(Input::Tick, T0 + s * 1000).is_empty());
            assert_eq!(flow.status(), before.status(), "quiet at {s} s");
        }
    };
    let sent_status = flow.status().cloned();
    quiet(&mut flow, 1..30);
    flow.handle(Input::Tick, T0 + 30_000);
    assert_eq!(flow.status(), Some(&Status::ResendReady));
    assert_ne!(flow.status().cloned(), sent_status);
    quiet(&mut flow, 31..540);
    assert!(!flow.expiring_soon(T0 + 539_001));
    assert!(flow.expiring_soon(T0 + 540_000));
    flow.handle(Input::Tick, T0 + 540_000);
    assert_eq!(
        flow.status(),
        Some(&Status::RunningOut {
            seconds_left: 60,
            can_resend: true
        })
    );
    quiet(&mut flow, 541..590);
    flow.handle(Input::Tick, T0 + 590_000);
    assert_eq!(
        flow.status(),
        Some(&Status::RunningOut {
            seconds_left: 10,
            can_resend: true
        })
    );
    quiet(&mut flow, 591..600);
    assert_eq!(
        emitted(&flow.handle(Input::Tick, T0 + 600_000)),
        ["checkout-verify:expired"]
    );
}

#[test]
fn after_a_sleep_the_most_urgent_milestone_is_said_and_the_rest_dropped() {
    let mut flow = awaiting();
    flow.handle(Input::Tick, T0 + 595_000);
    assert_eq!(
        flow.status(),
        Some(&Status::RunningOut {
            seconds_left: 5,
            can_resend: true
        })
    );
    let said = flow.status().cloned();
    flow.handle(Input::Tick, T0 + 596_000);
    assert_eq!(flow.status().cloned(), said);
    let mut slept = awaiting();
    assert_eq!(
        emitted(&slept.handle(Input::Tick, T0 + 3_600_000)),
        ["checkout-verify:expired"]
    );
}

#[test]
fn a_short_lived_code_is_not_greeted_with_a_warning() {
    let mut flow = Flow::new(Config::default());
    flow.handle(Input::Send, T0);
    flow.handle(Input::SendAnswered(sent("v1", 45, 0, 4)), T0);
    flow.handle(Input::Tick, T0 + 1_000);
    assert!(
        matches!(flow.status(), Some(Status::Sent { .. })),
        "warning and resend already passed"
    );
    flow.handle(Input::Tick, T0 + 35_000);
    assert!(
        matches!(
            flow.status(),
            Some(Status::RunningOut {
                seconds_left: 10,
                ..
            })
        ),
        "the last seconds are still said"
    );
}

#[test]
fn a_clock_set_back_neither_adds_time_nor_shortens_a_wait() {
    let mut flow = awaiting();
    flow.handle(Input::Tick, T0 + 100_000);
    assert_eq!(flow.time_left_s(T0 + 100_000), Some(500));
    // Set back an hour: before any transition the display holds...
    let back = T0 + 100_000 - 3_600_000;
    assert_eq!(flow.time_left_s(back), Some(500));
    flow.handle(Input::Tick, back);
    // ...and after it, time runs on from there.
    assert_eq!(flow.time_left_s(back), Some(500));
    assert_eq!(flow.time_left_s(back + 1_000), Some(499));
    assert!(flow.can_send(back), "the wait was over before the jump");
    let mut waiting = awaiting();
    waiting.handle(Input::Tick, T0 + 10_000);
    waiting.handle(Input::Tick, T0 + 10_000 - 3_600_000);
    assert_eq!(waiting.send_wait_s(T0 + 10_000 - 3_600_000), 20);
    assert!(!waiting.can_send(T0 + 29_000 - 3_600_000));
}

#[test]
fn after_expiry_a_resend_starts_a_new_verification() {
    let mut flow = awaiting();
    flow.handle(Input::Tick, T0 + 600_000);
    let Some(Effect::Send(request)) = flow.handle(Input::Send, T0 + 600_000).first().cloned()
    else {
        panic!("no send")
    };
    assert_eq!(request.verification_id, None);
    let mut refused = awaiting();
    refused.handle(Input::Submit("123456".into()), T0 + 40_000);
    refused.handle(Input::CheckAnswered(CheckOutcome::Expired), T0 + 40_000);
    let Some(Effect::Send(request)) = refused.handle(Input::Send, T0 + 40_000).first().cloned()
    else {
        panic!("no send")
    };
    assert_eq!(request.verification_id, None, "the server said it is over");
}

#[test]
fn a_throttled_check_holds_the_next_one_until_the_stated_time() {
    let mut flow = awaiting();
    flow.handle(Input::Submit("123456".into()), T0 + 1_000);
    flow.handle(
        Input::CheckAnswered(CheckOutcome::RateLimited { retry_after_s: 20 }),
        T0 + 1_000,
    );
    assert!(flow.accepts_code(), "the code stays in the field");
    assert!(flow
        .handle(Input::Submit("123456".into()), T0 + 20_999)
        .is_empty());
    assert_eq!(
        flow.alert(),
        Some(&Alert::RateLimited { retry_after_s: 20 }),
        "the server's word stays up"
    );
    assert_eq!(
        checks(&flow.handle(Input::Submit("123456".into()), T0 + 21_000)),
        1
    );
}

#[test]
fn a_lock_never_shortens_the_wait_already_stated() {
    let mut flow = Flow::new(Config::default());
    flow.handle(Input::Send, T0);
    flow.handle(Input::SendAnswered(sent("v1", 600, 120, 4)), T0);
    flow.handle(Input::Submit("000000".into()), T0 + 1_000);
    flow.handle(
        Input::CheckAnswered(CheckOutcome::Locked {
            retry_after_s: Some(5),
        }),
        T0 + 1_000,
    );
    assert_eq!(flow.send_wait_s(T0 + 1_000), 119);
}

#[test]
fn locked_with_a_wait_holds_the_resend_until_then() {
    let mut flow = awaiting();
    flow.handle(Input::Submit("000000".into()), T0 + 40_000);
    let effects = flow.handle(
        Input::CheckAnswered(CheckOutcome::Locked {
            retry_after_s: Some(120),
        }),
        T0 + 40_000,
    );
    assert_eq!(
        effects.last(),
        Some(&Effect::Emit(Event::Locked {
            retry_after: Some(120)
        }))
    );
    assert_eq!(flow.send_wait_s(T0 + 40_000), 120);
    assert!(!flow.can_send(T0 + 159_999));
    assert!(flow.can_send(T0 + 160_000));
}

#[test]
fn a_reload_resumes_the_deadlines_and_the_cooldown() {
    let config = Config {
        destination: Some("+14155550123".into()),
        ..Config::default()
    };
    let mut flow = Flow::new(config.clone());
    flow.handle(Input::Send, T0);
    flow.handle(Input::SendAnswered(sent("v1", 600, 30, 4)), T0);
    flow.handle(Input::Tick, T0 + 10_000);
    let saved = flow.resume_point().expect("something to keep");
    let stored = Resume::from_json(&saved.to_json().to_string()).expect("readable");

    let mut reloaded = Flow::new(config.clone());
    assert!(resumed(&mut reloaded, stored.clone(), T0 + 12_000));
    assert_eq!(reloaded.phase(), Phase::AwaitingCode);
    assert_eq!(reloaded.time_left_s(T0 + 12_000), Some(588));
    assert_eq!(
        reloaded.send_wait_s(T0 + 12_000),
        18,
        "the cooldown survives"
    );
    assert!(!reloaded.can_send(T0 + 29_999));
    reloaded.handle(Input::Tick, T0 + 13_000);
    assert!(
        matches!(reloaded.status(), Some(Status::Sent { .. })),
        "no milestone replayed"
    );
    let Some(Effect::Send(request)) = reloaded.handle(Input::Send, T0 + 30_000).first().cloned()
    else {
        panic!("no resend")
    };
    assert_eq!(request.verification_id.as_deref(), Some("v1"));

    // Set back between the save and the load: the deadlines move with the clock.
    let mut set_back = Flow::new(config.clone());
    assert!(resumed(&mut set_back, stored.clone(), T0 - 50_000));
    assert_eq!(set_back.time_left_s(T0 - 50_000), Some(590));
    assert_eq!(set_back.send_wait_s(T0 - 50_000), 20);

    // Expired, but a wait still runs: shown as expired with the cooldown.
    let mut late = Flow::new(config.clone());
    let waiting = Resume {
        resend_at_ms: T0 + 700_000,
        ..stored.clone()
    };
    assert!(resumed(&mut late, waiting, T0 + 650_000));
    assert_eq!(late.phase(), Phase::Expired);
    assert_eq!(late.send_wait_s(T0 + 650_000), 50);

    // Over and done, or someone else's: not taken.
    assert!(!resumed(
        &mut Flow::new(config.clone()),
        stored.clone(),
        T0 + 600_000
    ));
    assert!(!resumed(
        &mut Flow::new(Config::default()),
        stored,
        T0 + 12_000
    ));
}

#[test]
fn nothing_is_kept_before_a_send_or_after_success() {
    assert_eq!(Flow::new(Config::default()).resume_point(), None);
    let mut flow = awaiting();
    assert!(flow.resume_point().is_some());
    flow.handle(Input::Submit("123456".into()), T0);
    flow.handle(
        Input::CheckAnswered(CheckOutcome::Verified {
            token: Some("t".into()),
        }),
        T0,
    );
    assert_eq!(flow.resume_point(), None);
}

#[test]
fn a_code_bound_to_another_host_is_refused_with_an_alert() {
    let mut flow = awaiting();
    let effects = flow.handle(
        Input::CodeRefused {
            host: "shop.example".into(),
        },
        T0,
    );
    assert_eq!(effects, vec![Effect::ClearCode, Effect::FocusCode]);
    assert_eq!(
        flow.alert(),
        Some(&Alert::WrongHost {
            host: "shop.example".into()
        })
    );
    assert_eq!(flow.phase(), Phase::AwaitingCode);
    let mut idle = Flow::new(Config::default());
    assert!(idle
        .handle(
            Input::CodeRefused {
                host: "x.example".into()
            },
            T0
        )
        .is_empty());
}

#[test]
fn web_otp_listens_from_each_send_until_the_code_is_no_longer_wanted() {
    let mut flow = Flow::new(Config::default());
    assert!(flow
        .handle(Input::Send, T0)
        .contains(&Effect::ListenForCode));
    flow.handle(Input::SendAnswered(sent("v1", 600, 30, 4)), T0);
    assert!(flow
        .handle(Input::Submit("123456".into()), T0)
        .starts_with(&[Effect::StopListening]));
    flow.handle(
        Input::CheckAnswered(CheckOutcome::InvalidCode {
            attempts_remaining: Some(4),
        }),
        T0,
    );
    assert!(
        flow.handle(Input::Send, T0 + 30_000)
            .contains(&Effect::ListenForCode),
        "a resend asks again"
    );
    flow.handle(Input::SendAnswered(sent("v1", 600, 30, 3)), T0 + 30_000);
    assert!(flow
        .handle(Input::Tick, T0 + 630_000)
        .contains(&Effect::StopListening));

    let mut off = Flow::new(Config {
        web_otp: false,
        ..Config::default()
    });
    assert!(!off.handle(Input::Send, T0).contains(&Effect::ListenForCode));
}

#[test]
fn a_different_destination_is_offered_only_when_configured_and_useful() {
    let mut off = awaiting();
    assert!(!off.offers_change_destination());
    assert!(off.handle(Input::ChangeDestination, T0).is_empty());

    let mut flow = Flow::new(Config {
        change_destination: true,
        ..Config::default()
    });
    assert!(!flow.offers_change_destination(), "nothing sent yet");
    flow.handle(Input::Send, T0);
    flow.handle(Input::SendAnswered(sent("v1", 600, 30, 4)), T0);
    assert!(flow.offers_change_destination());
    let effects = flow.handle(Input::ChangeDestination, T0);
    assert_eq!(emitted(&effects), ["checkout-verify:change-destination"]);
    assert!(effects.contains(&Effect::StopListening));
    flow.handle(Input::Submit("123456".into()), T0);
    assert!(!flow.offers_change_destination(), "not while checking");
}

#[test]
fn stray_answers_are_ignored() {
    let mut flow = awaiting();
    let before = flow.clone();
    assert!(flow
        .handle(Input::SendAnswered(sent("v9", 1, 1, 1)), T0)
        .is_empty());
    assert!(flow
        .handle(
            Input::CheckAnswered(CheckOutcome::Verified {
                token: Some("t".into())
            }),
            T0
        )
        .is_empty());
    assert_eq!(flow, before);
}

/// A widget configured for `shop.example` that reports to it, loaded on `url`.
fn loaded_on(url: &str) -> (Flow, Vec<Effect>) {
    let config = Config::from_json(
        r#"{"allow":["shop.example"],"report":"https://shop.example/api/clone-report",
            "auto_send":true}"#,
    )
    .expect("a config");
    let mut flow = Flow::new(config);
    let page = Page::at(url).expect("a URL");
    let effects = flow.handle(Input::PageLoaded(page), T0);
    (flow, effects)
}

#[test]
fn the_genuine_page_passes_the_gate_silently() {
    let (mut flow, effects) = loaded_on("https://shop.example/checkout");
    assert!(effects.is_empty());
    assert_eq!(flow.phase(), Phase::Idle);
    assert!(flow.alert().is_none());
    assert!(flow.can_send(T0));
    assert_eq!(
        flow.handle(Input::Send, T0)
            .first()
            .map(|e| matches!(e, Effect::Send(_))),
        Some(true)
    );
}

#[test]
fn a_copy_is_blocked_before_anything_is_typed_and_reported_once() {
    let (mut flow, effects) = loaded_on("https://shop.examp1e/checkout");
    assert_eq!(flow.phase(), Phase::Blocked);
    assert_eq!(emitted(&effects), ["checkout-verify:blocked"]);
    assert_eq!(
        effects[0],
        Effect::Emit(Event::Blocked {
            reasons: vec![Reason::HostNotAllowed, Reason::EndpointNotAllowed],
            genuine: Some("shop.example".into()),
        })
    );
    let Some(Effect::Report { url, report }) = effects.get(1) else {
        panic!("no report in {effects:?}")
    };
    assert_eq!(url, "https://shop.example/api/clone-report");
    assert_eq!(report.host, "shop.examp1e");
    assert_eq!(
        flow.alert(),
        Some(&Alert::Blocked {
            reasons: vec![Reason::HostNotAllowed, Reason::EndpointNotAllowed],
            genuine: Some("shop.example".into()),
            genuine_url: Some("https://shop.example/".into()),
        })
    );
    assert!(!flow.field_enabled() && !flow.can_send(T0));
    for input in [
        Input::Send,
        Input::Submit("123456".into()),
        Input::CodeEntered("123456".into()),
        Input::SendAnswered(sent("v1", 600, 30, 4)),
        Input::Tick,
        Input::PageLoaded(Page::at("https://shop.example/").expect("a URL")),
    ] {
        assert!(flow.handle(input.clone(), T0).is_empty(), "{input:?}");
        assert_eq!(flow.phase(), Phase::Blocked, "{input:?}");
    }
    assert_eq!(flow.resume_point(), None);
}

#[test]
fn a_report_goes_only_to_an_allowed_address() {
    let config = Config::from_json(
        r#"{"allow":["shop.example"],"report":"https://collector.example/report"}"#,
    )
    .expect("a config");
    let mut flow = Flow::new(config);
    let effects = flow.handle(
        Input::PageLoaded(Page::at("https://shop.examp1e/").expect("a URL")),
        T0,
    );
    assert_eq!(flow.phase(), Phase::Blocked);
    assert!(
        !effects.iter().any(|e| matches!(e, Effect::Report { .. })),
        "{effects:?}"
    );
}
