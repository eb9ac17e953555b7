//! Checking a code: once only, every answer a check can get, and what the field does meanwhile.

use super::*;

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
                context: None,
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
