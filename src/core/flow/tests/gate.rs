//! The gate on the page the widget appears on: silent on the genuine page, final on a copy.

use super::*;

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
