//! The `<CheckoutVerify>` component: renders the core [`Flow`] and carries out its effects.
//! Thin by design: every decision (what is allowed, what is said, what is sent) is the core's.

use std::sync::atomic::{AtomicUsize, Ordering};

use gloo_timers::callback::Interval;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;

use super::api;
use super::storage;
use super::web_otp::Listener;
use crate::core::code::{accept, active_slot, paste, Alphabet, Entry};
use crate::core::config::{Config, Endpoints};
use crate::core::contract::{classify_send, classify_verify, HttpAnswer};
use crate::core::countdown::format_mss;
use crate::core::events::Event;
use crate::core::flow::{Effect, Flow};
use crate::core::json::Json;
use crate::core::messages::{self, Status};

/// The browser's clock, in milliseconds since the Unix epoch.
fn now_ms() -> u64 {
    // Date.now() is a whole, non-negative number of milliseconds well inside u64.
    js_sys::Date::now() as u64
}

/// The host the page was served from, as the browser reports it (lower-case, punycode).
fn page_host() -> String {
    web_sys::window()
        .and_then(|w| w.location().hostname().ok())
        .unwrap_or_default()
}

/// The `<input>` an event happened on.
fn input_of(event: &web_sys::Event) -> Option<HtmlInputElement> {
    event.target().and_then(|t| t.dyn_into().ok())
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
    /// Where the reload record lives in `sessionStorage`.
    storage_key: StoredValue<String>,
    on_event: Option<Callback<Event>>,
    /// The WebOTP ask under way, if any.
    otp: StoredValue<Option<Listener>, LocalStorage>,
    /// The code field, found from the shopper's first action (a `NodeRef` costs ~2 KB of wasm).
    field: StoredValue<Option<HtmlInputElement>, LocalStorage>,
}

impl Widget {
    /// Runs one transition of the flow at the current time, keeps the reload record up to date
    /// and carries out what the flow asks for. The time shown is refreshed with the same reading,
    /// so a deadline set by this transition is never displayed against an older clock. After the
    /// widget is gone (`destroy()` while a request was in flight) the signals are disposed and
    /// this is a no-op.
    fn step(self, transition: impl FnOnce(&mut Flow, u64) -> Vec<Effect>) {
        let mut transition = Some(transition);
        self.step_dyn(&mut |flow, now| transition.take().map_or_else(Vec::new, |t| t(flow, now)));
    }

    /// [`Widget::step`] compiled once rather than once per call site (the package's size budget).
    fn step_dyn(self, transition: &mut dyn FnMut(&mut Flow, u64) -> Vec<Effect>) {
        let now = now_ms();
        if let Some(effects) = self.flow.try_update(|flow| transition(flow, now)) {
            self.now.try_set(now);
            if let Some(key) = self.storage_key.try_get_value() {
                storage::save(&key, self.flow.with_untracked(Flow::resume_point));
            }
            self.run(effects);
        }
    }

    /// The clock: once a second, and at once when the tab becomes visible again (timers are
    /// throttled or stopped in background tabs and during sleep). Text that did not change is
    /// not rewritten, so a quiet second never touches the live regions.
    fn tick(self) {
        self.step(Flow::tick);
    }

    /// POSTs `body` to the endpoint `url` picks, then feeds the answer (or its absence) to the flow.
    fn exchange(
        self,
        url: fn(&Endpoints) -> &String,
        body: Json,
        answered: fn(&mut Flow, Option<HttpAnswer<'_>>, u64) -> Vec<Effect>,
    ) {
        spawn_local(async move {
            let Some(url) = self.endpoints.try_with_value(|e| url(e).clone()) else {
                return;
            };
            let reply = api::post_json(&url, body).await;
            self.step(move |flow, now| answered(flow, reply.as_ref().map(|r| r.answer(now)), now));
        });
    }

    /// Withdraws the WebOTP ask under way, if any.
    fn stop_listening(self) {
        self.otp
            .try_with_value(|otp| otp.as_ref().map(Listener::stop));
    }

    /// The browser handed over the code from the SMS with the shopper's consent: show it and
    /// check it, as MDN's WebOTP flow does.
    fn code_arrived(self, text: &str) {
        let Some((length, alphabet)) = self
            .flow
            .try_with_untracked(|f| (f.code_length(), f.alphabet()))
        else {
            return;
        };
        if let Entry::Code(code) = accept(text, length, alphabet, &page_host()) {
            self.code.try_set(code.clone());
            self.step(move |f, now| f.submit(&code, now));
        }
    }

    /// Keeps the code field of the form `event` happened in, for [`Effect::FocusCode`].
    fn remember_field(self, event: &web_sys::Event) {
        let field = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("form").ok().flatten())
            .and_then(|form| form.query_selector(".cv-input").ok().flatten())
            .and_then(|e| e.dyn_into::<HtmlInputElement>().ok());
        self.field.try_set_value(field);
    }

    /// Carries out effects: requests run as tasks whose answers are further steps.
    fn run(self, effects: Vec<Effect>) {
        for effect in effects {
            match effect {
                Effect::Send(request) => {
                    self.exchange(
                        |e| &e.send,
                        request.to_json(),
                        |flow, answer, now| flow.send_answered(classify_send(answer), now),
                    );
                }
                Effect::Check(request) => {
                    self.exchange(
                        |e| &e.verify,
                        request.to_json(),
                        |flow, answer, now| flow.verify_answered(classify_verify(answer), now),
                    );
                }
                Effect::Emit(event) => {
                    if let Some(on_event) = self.on_event {
                        on_event.run(event);
                    }
                }
                Effect::ListenForCode => {
                    self.stop_listening();
                    let listener = Listener::start(move |text| self.code_arrived(&text));
                    self.otp.try_set_value(listener);
                }
                Effect::StopListening => self.stop_listening(),
                Effect::FocusCode => {
                    // On the next frame: the field may have been enabled by this very step.
                    if let Some(Some(input)) = self.field.try_get_value() {
                        // A macrotask runs after this step's DOM updates, which may only now
                        // enable the field.
                        gloo_timers::callback::Timeout::new(0, move || {
                            let _ = input.focus();
                        })
                        .forget();
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
        storage_key: StoredValue::new(config.storage_key.clone()),
        on_event,
        otp: StoredValue::new_local(None),
        field: StoredValue::new_local(None),
    };
    let Widget {
        flow, code, now, ..
    } = widget;

    // A verification under way before a reload carries on: same deadlines, same cooldown.
    if let Some(saved) = storage::load(&config.storage_key) {
        widget.step(move |f, now| {
            f.resume(saved, now);
            Vec::new()
        });
    }
    // The clock is re-read every second, and when the tab is shown again; the timer is dropped
    // (stopped) with the widget, the listener removed.
    let ticker = Interval::new(1_000, move || widget.tick());
    StoredValue::new_local(ticker);
    let shown = window_event_listener_untyped("visibilitychange", move |_| widget.tick());
    // A WebOTP ask must not outlive the widget.
    on_cleanup(move || {
        widget.stop_listening();
        shown.remove();
    });
    // A code already on its way (resumed after a reload) is not replaced by a new one.
    if config.auto_send && !flow.with_untracked(Flow::has_sent) {
        widget.step(Flow::request_send);
    }

    let change_label = messages::change_destination(&config.channel);
    let ids = next_id_prefix();
    let input_id = format!("{ids}-code");
    let hint_id = format!("{ids}-hint");
    let alert_id = format!("{ids}-alert");
    let timer_id = format!("{ids}-timer");
    // The time left is read with the field on focus, not announced every second.
    let described_by = format!("{hint_id} {timer_id} {alert_id}");

    let can_send = move || flow.with(|f| f.can_send(now.get()));
    let time_left = move || flow.with(|f| f.time_left_s(now.get()));
    let exhausted = move || flow.with(|f| f.sends_exhausted(now.get()));
    let send_label = move || {
        let (has_sent, wait) = flow.with(|f| (f.has_sent(), f.send_wait_s(now.get())));
        messages::send_button(has_sent, wait)
    };

    // Every way text arrives ends here: the core decides what the field holds.
    let take = move |read: &dyn Fn(u8, Alphabet, &str) -> Entry| {
        let (length, alphabet) = flow.with_untracked(|f| (f.code_length(), f.alphabet()));
        match read(length, alphabet, &page_host()) {
            Entry::Code(value) => {
                code.set(value.clone());
                widget.step(move |f, now| f.code_entered(&value, now));
            }
            Entry::WrongHost { host } => widget.step(|f, _| f.code_refused(host)),
        }
    };
    let on_input = move |ev: leptos::ev::Event| {
        if let Some(field) = input_of(&ev) {
            take(&|length, alphabet, host| accept(&field.value(), length, alphabet, host));
        }
    };
    let on_paste = move |ev: leptos::ev::ClipboardEvent| {
        let pasted = ev
            .clipboard_data()
            .and_then(|data| data.get_data("text").ok());
        let (Some(field), Some(pasted)) = (input_of(&ev), pasted) else {
            return;
        };
        ev.prevent_default();
        let value = field.value();
        let selection = (
            field.selection_start().ok().flatten().unwrap_or(0) as usize,
            field.selection_end().ok().flatten().unwrap_or(0) as usize,
        );
        take(&|length, alphabet, host| paste(&value, selection, &pasted, length, alphabet, host));
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        widget.remember_field(&ev);
        let typed = code.get_untracked();
        widget.step(|f, now| f.submit(&typed, now));
    };
    let on_send = move |ev: leptos::ev::MouseEvent| {
        widget.remember_field(&ev);
        widget.step(Flow::request_send);
    };

    view! {
        <div
            class="cv"
            data-phase=move || flow.with(|f| f.phase().name())
            data-expiring=move || flow.with(|f| f.expiring_soon(now.get()))
        >
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
                        inputmode=config.alphabet.input_mode()
                        autocapitalize="characters"
                        autocomplete="one-time-code"
                        spellcheck="false"
                        dir="ltr"
                        aria-describedby=described_by
                        // Slot count and caret slot, for the slots drawn by the stylesheet.
                        style=move || {
                            let length = flow.with(Flow::code_length);
                            let active = code.with(|c| active_slot(c.len(), length));
                            format!("--cv-n:{length};--cv-i:{active}")
                        }
                        prop:value=move || code.get()
                        disabled=move || !flow.with(Flow::field_enabled)
                        readonly=move || flow.with(Flow::field_read_only)
                        on:input=on_input
                        on:paste=on_paste
                    />
                    <button
                        class="cv-verify"
                        type="submit"
                        disabled=move || !flow.with(Flow::accepts_code)
                    >
                        {messages::VERIFY}
                    </button>
                </div>
                <p class="cv-timer" id=timer_id aria-live="off" hidden=move || time_left().is_none()>
                    {messages::EXPIRES_IN}
                    <time>
                        {move || time_left().map(format_mss)}
                    </time>
                </p>
                <button class="cv-send" type="button" disabled=move || !can_send() on:click=on_send>
                    {send_label}
                </button>
                <p class="cv-note" hidden=move || !exhausted()>
                    {config.sends_exhausted.clone()}
                </p>
                <button
                    class="cv-change"
                    type="button"
                    hidden=move || !flow.with(Flow::offers_change_destination)
                    on:click=move |_| widget.step(|f, _| f.request_change_destination())
                >
                    {change_label}
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
