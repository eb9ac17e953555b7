//! Sending and resending: what a send carries, the answers to it, backoff, limits, and starting anew.

use super::*;

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
                context: None,
                locale: None,
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
fn the_order_goes_with_the_first_send_only() {
    let mut flow = Flow::new(Config {
        context: Some("order-42".into()),
        ..Config::default()
    });
    let context_of = |effects: &[Effect]| match effects.first() {
        Some(Effect::Send(request)) => request.context.clone(),
        other => panic!("no send: {other:?}"),
    };
    assert_eq!(
        context_of(&flow.handle(Input::Send, T0)),
        Some("order-42".into())
    );
    flow.handle(Input::SendAnswered(sent("v1", 600, 30, 4)), T0);
    let resend = flow.handle(Input::Send, T0 + 30_000);
    assert_eq!(
        context_of(&resend),
        None,
        "a resend belongs to the bound order"
    );
    let checked = flow.handle(Input::SendAnswered(sent("v1", 600, 60, 3)), T0 + 30_000);
    assert_eq!(emitted(&checked), ["checkout-verify:sent"]);
    match flow
        .handle(Input::Submit("123456".into()), T0 + 31_000)
        .as_slice()
    {
        [_, Effect::Check(check)] => assert_eq!(check.context.as_deref(), Some("order-42")),
        other => panic!("no check: {other:?}"),
    }
}

/// A flow that may switch between SMS and a call, with a code sent by SMS at T0.
fn with_channels() -> Flow {
    let mut flow = Flow::new(Config {
        channels: vec!["sms".into(), "voice".into()],
        ..Config::default()
    });
    flow.handle(Input::Send, T0);
    flow.handle(Input::SendAnswered(sent("v1", 600, 30, 4)), T0);
    flow
}

#[test]
fn another_channel_is_offered_once_a_new_code_may_be_asked_for() {
    let mut flow = with_channels();
    assert!(flow.offered_channels(T0).is_empty(), "not during the wait");
    assert!(
        flow.handle(Input::SendBy("voice".into()), T0 + 1_000)
            .is_empty(),
        "refused during the wait"
    );
    assert_eq!(flow.offered_channels(T0 + 30_000), ["voice"]);
    assert!(
        flow.handle(Input::SendBy("email".into()), T0 + 30_000)
            .is_empty(),
        "a channel the page did not offer"
    );
    let effects = flow.handle(Input::SendBy("voice".into()), T0 + 30_000);
    match effects.first() {
        Some(Effect::Send(request)) => {
            assert_eq!(request.channel, "voice");
            assert_eq!(request.verification_id.as_deref(), Some("v1"), "a resend");
        }
        other => panic!("no send: {other:?}"),
    }
    assert_eq!(flow.channel(), "sms", "until the call is placed");
    let effects = flow.handle(Input::SendAnswered(sent("v1", 600, 60, 3)), T0 + 31_000);
    assert_eq!(flow.channel(), "voice");
    assert!(effects.iter().any(|e| matches!(
        e,
        Effect::Emit(Event::Sent { channel, .. }) if channel == "voice"
    )));
    assert!(
        matches!(flow.status(), Some(Status::Sent { channel, .. }) if channel == "voice"),
        "{:?}",
        flow.status()
    );
    // The next resend goes by the channel chosen, and SMS is offered back after the wait.
    assert_eq!(flow.offered_channels(T0 + 91_000), ["sms"]);
    match flow.handle(Input::Send, T0 + 91_000).first() {
        Some(Effect::Send(request)) => assert_eq!(request.channel, "voice"),
        other => panic!("no send: {other:?}"),
    }
}

#[test]
fn a_channel_switch_that_fails_keeps_the_channel_that_worked() {
    let mut flow = with_channels();
    flow.handle(Input::SendBy("voice".into()), T0 + 30_000);
    flow.handle(
        Input::SendAnswered(SendOutcome::Failed(Failure::Server(503))),
        T0 + 31_000,
    );
    assert_eq!(flow.channel(), "sms");
    assert_eq!(
        flow.phase(),
        Phase::AwaitingCode,
        "the SMS code still works"
    );
    assert_eq!(
        flow.offered_channels(T0 + 31_000),
        ["voice"],
        "may try again"
    );
}
