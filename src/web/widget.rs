//! The `<CheckoutVerify>` component: renders the core [`Flow`] and carries out its effects.
//! Thin by design: every decision (what is allowed, what is said, what is sent) is the core's.

use std::sync::atomic::{AtomicUsize, Ordering};

use gloo_timers::callback::Interval;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;

use super::api;
use super::page;
use super::storage;
use super::web_otp::Listener;
use crate::core::backend::{CheckRequest, Request, SendRequest};
use crate::core::code::{accept, active_slot, paste, Alphabet, Entry};
use crate::core::config::Config;
use crate::core::events::Event;
use crate::core::flow::{Effect, Flow, Input};
use crate::core::messages::{format_mss, Locale, Message};

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

/// A request the flow asked for, kept with its answer for the adapter to classify.
enum Call {
    Send(SendRequest),
    Check(CheckRequest),
}

/// The reactive handles the effects need; all `Copy`, so closures and tasks can share them.
#[derive(Clone, Copy)]
struct Widget {
    flow: RwSignal<Flow>,
    code: RwSignal<String>,
    now: RwSignal<u64>,
    on_event: Option<Callback<Event>>,
    /// The WebOTP ask under way, if any.
    otp: StoredValue<Option<Listener>, LocalStorage>,
    /// The code field, for [`Effect::FocusCode`].
    field: NodeRef<html::Input>,
}

impl Widget {
    /// Feeds `input` to the flow at the current time, keeps the reload record up to date and
    /// carries out what the flow asks for. The time shown is refreshed with the same reading, so
    /// a deadline set by this input is never displayed against an older clock. After the widget
    /// is gone (`destroy()` while a request was in flight) the signals are disposed and this is
    /// a no-op.
    fn handle(self, input: Input) {
        let now = now_ms();
        let Some(effects) = self.flow.try_update(|flow| flow.handle(input, now)) else {
            return;
        };
        self.now.try_set(now);
        self.flow.with_untracked(|flow| {
            storage::save(&flow.config().storage_key, flow.resume_point());
        });
        self.run(effects);
    }

    /// Sends `call` through the adapter, then feeds the classified answer (or the failure to
    /// get one) back to the flow. An answer the adapter could not place is explained on the
    /// console for the store's developer; the shopper reads the plain alert.
    fn call(self, call: Call) {
        let Some((request, timeout_s)) = self.flow.try_with_untracked(|flow| {
            let adapter = &flow.config().backend;
            let page = page::values(adapter);
            let request = match &call {
                Call::Send(send) => adapter.send_request(send, &page),
                Call::Check(check) => adapter.check_request(check, &page),
            };
            (request, adapter.timeout_s)
        }) else {
            return;
        };
        spawn_local(async move {
            let reply = api::fetch(request, timeout_s).await;
            let answer = reply.as_ref().map(|r| r.answer(now_ms())).map_err(|f| *f);
            let Some(input) = self.flow.try_with_untracked(|flow| {
                let adapter = &flow.config().backend;
                let (input, unplaced) = match &call {
                    Call::Send(send) => {
                        let outcome = adapter.classify_send(send, answer);
                        let unplaced = outcome.unplaced();
                        (Input::SendAnswered(outcome), unplaced)
                    }
                    Call::Check(check) => {
                        let outcome = adapter.classify_check(check, answer);
                        let unplaced = outcome.unplaced();
                        (Input::CheckAnswered(outcome), unplaced)
                    }
                };
                if let (true, Ok(answer)) = (unplaced, answer) {
                    let (request, resend) = match &call {
                        Call::Send(send) => (Request::Send, send.verification_id.is_some()),
                        Call::Check(_) => (Request::Check, false),
                    };
                    web_sys::console::warn_1(&adapter.explain(request, resend, &answer).into());
                }
                input
            }) else {
                return;
            };
            self.handle(input);
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
            self.handle(Input::Submit(code));
        }
    }

    /// Carries out effects: requests run as tasks whose answers are further inputs.
    fn run(self, effects: Vec<Effect>) {
        for effect in effects {
            match effect {
                Effect::Send(request) => self.call(Call::Send(request)),
                Effect::Check(request) => self.call(Call::Check(request)),
                Effect::Emit(event) => {
                    if let Some(on_event) = self.on_event {
                        // After the current script: a page that listens right after `mount()`
                        // (as most do) still hears what the widget said while mounting.
                        spawn_local(async move { on_event.run(event) });
                    }
                }
                Effect::Report { url, report } => page::send_report(&url, &report),
                Effect::ListenForCode => {
                    self.stop_listening();
                    let listener = Listener::start(move |text| self.code_arrived(&text));
                    self.otp.try_set_value(listener);
                }
                Effect::StopListening => self.stop_listening(),
                Effect::FocusCode => {
                    if let Some(input) = self.field.get_untracked() {
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
    let locale = Locale::default();
    let say = move |message: Message<'_>| locale.text(&message);
    let widget = Widget {
        flow: RwSignal::new(Flow::new(config.clone())),
        code: RwSignal::new(String::new()),
        now: RwSignal::new(now_ms()),
        on_event,
        otp: StoredValue::new_local(None),
        field: NodeRef::new(),
    };
    let Widget {
        flow, code, now, ..
    } = widget;

    // A verification under way before a reload carries on: same deadlines, same cooldown. It is
    // read before the first input, whose record would replace it.
    let saved = storage::load(&config.storage_key);
    // The gate first: on a page that is not the genuine store nothing else happens.
    widget.handle(Input::PageLoaded(page::current()));
    if let Some(saved) = saved {
        widget.handle(Input::Resume(saved));
    }
    // The clock is re-read every second, and when the tab is shown again; the timer is dropped
    // (stopped) with the widget, the listener removed.
    let ticker = Interval::new(1_000, move || widget.handle(Input::Tick));
    StoredValue::new_local(ticker);
    let shown =
        window_event_listener_untyped("visibilitychange", move |_| widget.handle(Input::Tick));
    // A WebOTP ask must not outlive the widget.
    on_cleanup(move || {
        widget.stop_listening();
        shown.remove();
    });
    // A code already on its way (resumed after a reload) is not replaced by a new one.
    if config.auto_send && !flow.with_untracked(Flow::has_sent) {
        widget.handle(Input::Send);
    }

    let change_label = say(Message::ChangeDestination {
        channel: &config.channel,
    });
    let exhausted_advice = say(Message::SendsExhausted {
        advice: config.sends_exhausted.as_deref(),
    });
    let ids = next_id_prefix();
    let input_id = format!("{ids}-code");
    let hint_id = format!("{ids}-hint");
    let alert_id = format!("{ids}-alert");
    let timer_id = format!("{ids}-timer");
    // The time left is read with the field on focus, not announced every second.
    let described_by = format!("{hint_id} {timer_id} {alert_id}");

    let genuine_url = move || flow.with(|f| f.genuine_url().map(str::to_string));
    let can_send = move || flow.with(|f| f.can_send(now.get()));
    let time_left = move || flow.with(|f| f.time_left_s(now.get()));
    let exhausted = move || flow.with(|f| f.sends_exhausted(now.get()));
    let send_label = move || {
        let (has_sent, wait) = flow.with(|f| (f.has_sent(), f.send_wait_s(now.get())));
        say(Message::send_button(has_sent, wait))
    };

    // Every way text arrives ends here: the core decides what the field holds.
    let take = move |read: &dyn Fn(u8, Alphabet, &str) -> Entry| {
        let (length, alphabet) = flow.with_untracked(|f| (f.code_length(), f.alphabet()));
        match read(length, alphabet, &page_host()) {
            Entry::Code(value) => {
                code.set(value.clone());
                widget.handle(Input::CodeEntered(value));
            }
            Entry::WrongHost { host } => widget.handle(Input::CodeRefused { host }),
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
        widget.handle(Input::Submit(code.get_untracked()));
    };
    let on_send = move |_: leptos::ev::MouseEvent| {
        widget.handle(Input::Send);
    };
    // One button per configured channel, shown while the shopper may switch to it.
    let channel_buttons = config
        .channels
        .iter()
        .map(|channel| {
            let label = say(Message::SendBy { channel });
            let offered = channel.clone();
            let chosen = channel.clone();
            view! {
                <button
                    class="cv-channel"
                    type="button"
                    data-channel=channel.clone()
                    hidden=move || {
                        !flow.with(|f| f.offered_channels(now.get()).contains(&offered.as_str()))
                    }
                    on:click=move |_| widget.handle(Input::SendBy(chosen.clone()))
                >
                    {label}
                </button>
            }
        })
        .collect_view();

    view! {
        <div
            class="cv"
            data-phase=move || flow.with(|f| f.phase().name())
            data-expiring=move || flow.with(|f| f.expiring_soon(now.get()))
        >
            <form class="cv-form" novalidate on:submit=on_submit>
                <label class="cv-label" for=input_id.clone()>{say(Message::FieldLabel)}</label>
                <p class="cv-hint" id=hint_id>
                    {move || say(Message::FieldHint { length: flow.with(Flow::code_length) })}
                </p>
                <div class="cv-row">
                    <input
                        id=input_id
                        node_ref=widget.field
                        class="cv-input"
                        type="text"
                        inputmode=config.alphabet.input_mode()
                        autocapitalize="characters"
                        autocomplete="one-time-code"
                        spellcheck="false"
                        dir="ltr"
                        aria-describedby=described_by
                        // Slot count and caret slot, for the slots the stylesheet draws, set
                        // through the CSSOM (`style.setProperty`): a strict CSP refuses a
                        // `style` attribute written as text.
                        style=("--cv-n", move || flow.with(Flow::code_length).to_string())
                        style=(
                            "--cv-i",
                            move || {
                                let length = flow.with(Flow::code_length);
                                code.with(|c| active_slot(c.len(), length)).to_string()
                            },
                        )
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
                        {say(Message::Verify)}
                    </button>
                </div>
                <p class="cv-timer" id=timer_id aria-live="off" hidden=move || time_left().is_none()>
                    {say(Message::ExpiresIn)}
                    <time>
                        {move || time_left().map(format_mss)}
                    </time>
                </p>
                <button class="cv-send" type="button" disabled=move || !can_send() on:click=on_send>
                    {send_label}
                </button>
                {channel_buttons}
                <p class="cv-note" hidden=move || !exhausted()>
                    {exhausted_advice}
                </p>
                <button
                    class="cv-change"
                    type="button"
                    hidden=move || !flow.with(Flow::offers_change_destination)
                    on:click=move |_| widget.handle(Input::ChangeDestination)
                >
                    {change_label}
                </button>
            </form>
            <p class="cv-status" role="status">
                {move || flow.with(|f| f.status().map(|status| say(status.message())))}
            </p>
            <p class="cv-alert" role="alert" id=alert_id>
                {move || flow.with(|f| f.alert().map(|alert| say(alert.message())))}
                <a class="cv-genuine" href=genuine_url hidden=move || genuine_url().is_none()>
                    {move || genuine_url().map(|url| say(Message::OpenGenuine { url: &url }))}
                </a>
            </p>
        </div>
    }
}
