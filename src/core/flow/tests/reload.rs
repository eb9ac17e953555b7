//! A reload of the checkout: what is kept, what is taken back, and what never is.

use super::*;

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
fn a_reload_keeps_the_channel_the_shopper_chose() {
    let config = Config {
        channels: vec!["sms".into(), "voice".into()],
        ..Config::default()
    };
    let mut flow = Flow::new(config.clone());
    flow.handle(Input::Send, T0);
    flow.handle(Input::SendAnswered(sent("v1", 600, 30, 4)), T0);
    flow.handle(Input::SendBy("voice".into()), T0 + 30_000);
    flow.handle(Input::SendAnswered(sent("v1", 600, 60, 3)), T0 + 30_000);
    let saved = flow.resume_point().expect("a record");
    let mut reloaded = Flow::new(config);
    assert!(resumed(&mut reloaded, saved.clone(), T0 + 40_000));
    assert_eq!(reloaded.channel(), "voice");
    // A page that no longer offers calls does not take the channel back from storage.
    let mut narrowed = Flow::new(Config::default());
    assert!(resumed(&mut narrowed, saved, T0 + 40_000));
    assert_eq!(narrowed.channel(), "sms");
}
