//! The `<CheckoutVerify>` component: renders the core [`Flow`] and carries out its effects.
//! Thin by design: every decision (what is allowed, what is said, what is sent) is the core's.

use std::sync::atomic::{AtomicUsize, Ordering};

use gloo_timers::callback::Interval;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;

use super::api;
use crate::core::code::normalize;
use crate::core::config::{Config, Endpoints};
use crate::core::contract::{classify_send, classify_verify, Failure, SendOutcome, VerifyOutcome};
use crate::core::countdown::format_mss;
use crate::core::events::Event;
use crate::core::flow::{Effect, Flow};
use crate::core::messages::{self, Status};

/// The browser's clock, in milliseconds since the Unix epoch.
fn now_ms() -> u64 {
    // Date.now() is a whole, non-negative number of milliseconds well inside u64.
    js_sys::Date::now() as u64
}

/// A prefix that keeps element ids unique when several widgets share a document.
fn next_id_prefix() -> String {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    format!("cv{}", NEXT.fetch_add(1, Ordering::Relaxed))
}

/// The reactive handles the effects need; all `Copy`, so closures and tasks can share them.
#[derive(Clone, Copy)]
struct Widget {
    flow: RwSignal<Flow>,
    code: RwSignal<String>,
    now: RwSignal<u64>,
    endpoints: StoredValue<Endpoints>,
    on_event: Option<Callback<Event>>,
}

impl Widget {
    /// Runs one transition of the flow at the current time and carries out what it asks for.
    /// The time shown is refreshed with the same reading, so a deadline set by this transition
    /// is never displayed against an older clock. After the widget is gone (`destroy()` while a
    /// request was in flight) the signals are disposed and this is a no-op.
    ///
    /// Views are notified only when the flow really changed: a clock tick that changes nothing
    /// must not rewrite the live regions, or screen readers may announce them again.
    fn step(self, transition: impl FnOnce(&mut Flow, u64) -> Vec<Effect>) {
        let now = now_ms();
        self.now.try_set(now);
        let changed = self.flow.try_maybe_update(|flow| {
            let before = flow.clone();
            let effects = transition(flow, now);
            (*flow != before, effects)
        });
        if let Some(effects) = changed {
            self.run(effects);
        }
    }

    /// Carries out effects: requests run as tasks whose answers are further steps.
    fn run(self, effects: Vec<Effect>) {
        for effect in effects {
            match effect {
                Effect::Send(request) => spawn_local(async move {
                    let Some(url) = self.endpoints.try_with_value(|e| e.send.clone()) else {
                        return;
                    };
                    let outcome = match api::post_json(&url, request.to_json()).await {
                        Some(reply) => classify_send(reply.answer()),
                        None => SendOutcome::Failed(Failure::Network),
                    };
                    self.step(|flow, now| flow.send_answered(outcome, now));
                }),
                Effect::Check(request) => spawn_local(async move {
                    let Some(url) = self.endpoints.try_with_value(|e| e.verify.clone()) else {
                        return;
                    };
                    let outcome = match api::post_json(&url, request.to_json()).await {
                        Some(reply) => classify_verify(reply.answer()),
                        None => VerifyOutcome::Failed(Failure::Network),
                    };
                    self.step(|flow, _| flow.verify_answered(outcome));
                }),
                Effect::Emit(event) => {
                    if let Some(on_event) = self.on_event {
                        on_event.run(event);
                    }
                }
                Effect::ClearCode => {
                    self.code.try_set(String::new());
                }
            }
        }
    }
}

/// The checkout verification widget: a labelled code field, "Verify" and "Send code" / "Resend
/// code" buttons, the time left as `m:ss`, and status and alert regions.
///
/// Mount it in a Leptos app directly, or from JavaScript through `mount(element, config)`, which
/// also turns `on_event` into `checkout-verify:<what>` DOM events.
#[component]
pub fn CheckoutVerify(
    /// The validated configuration (see [`Config`] for fields and defaults).
    config: Config,
    /// Called with every event the widget announces (code sent, verified, invalid, …).
    #[prop(optional, into)]
    on_event: Option<Callback<Event>>,
) -> impl IntoView {
    let widget = Widget {
        flow: RwSignal::new(Flow::new(&config)),
        code: RwSignal::new(String::new()),
        now: RwSignal::new(now_ms()),
        endpoints: StoredValue::new(config.endpoints.clone()),
        on_event,
    };
    let Widget {
        flow, code, now, ..
    } = widget;

    // The clock is re-read every second; the timer is dropped (stopped) with the widget.
    let ticker = Interval::new(1_000, move || widget.step(Flow::tick));
    StoredValue::new_local(ticker);
    if config.auto_send {
        widget.step(Flow::request_send);
    }

    let ids = next_id_prefix();
    let input_id = format!("{ids}-code");
    let hint_id = format!("{ids}-hint");
    let alert_id = format!("{ids}-alert");
    let described_by = format!("{hint_id} {alert_id}");

    let can_send = move || flow.with(|f| f.can_send(now.get()));
    let time_left = move || flow.with(|f| f.time_left_s(now.get()));
    let send_label = move || {
        let (has_sent, wait) = flow.with(|f| (f.has_sent(), f.send_wait_s(now.get())));
        messages::send_button(has_sent, wait)
    };

    let on_input = move |ev: leptos::ev::Event| {
        let Some(field) = ev
            .target()
            .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
        else {
            return;
        };
        code.set(normalize(
            &field.value(),
            flow.with_untracked(Flow::code_length),
        ));
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = code.get_untracked();
        widget.step(|f, now| f.submit(&typed, now));
    };
    let on_send = move |_| widget.step(Flow::request_send);

    view! {
        <div class="cv" data-phase=move || flow.with(|f| f.phase().name())>
            <form class="cv-form" novalidate on:submit=on_submit>
                <label class="cv-label" for=input_id.clone()>{messages::FIELD_LABEL}</label>
                <p class="cv-hint" id=hint_id>
                    {move || messages::field_hint(flow.with(Flow::code_length))}
                </p>
                <div class="cv-row">
                    <input
                        id=input_id
                        class="cv-input"
                        type="text"
                        inputmode="numeric"
                        autocomplete="one-time-code"
                        spellcheck="false"
                        dir="ltr"
                        aria-describedby=described_by
                        prop:value=move || code.get()
                        disabled=move || !flow.with(Flow::field_enabled)
                        readonly=move || flow.with(Flow::field_read_only)
                        on:input=on_input
                    />
                    <button
                        class="cv-verify"
                        type="submit"
                        disabled=move || !flow.with(Flow::accepts_code)
                    >
                        {messages::VERIFY}
                    </button>
                </div>
                <p class="cv-timer" hidden=move || time_left().is_none()>
                    {messages::EXPIRES_IN}
                    <time>{move || time_left().map(format_mss)}</time>
                </p>
                <button class="cv-send" type="button" disabled=move || !can_send() on:click=on_send>
                    {send_label}
                </button>
            </form>
            <p class="cv-status" role="status">
                {move || flow.with(|f| f.status().map(Status::text))}
            </p>
            <p class="cv-alert" role="alert" id=alert_id>
                {move || flow.with(|f| f.alert().map(ToString::to_string))}
            </p>
        </div>
    }
}
