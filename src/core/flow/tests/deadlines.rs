//! Deadlines: expiry, the milestones said once each, and a clock that sleeps or is set back.

use super::*;

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
