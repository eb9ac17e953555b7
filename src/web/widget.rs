//! The `<CheckoutVerify>` component: renders the core [`Flow`] and carries out its effects.
//! Thin by design: every decision (what is allowed, what is said, what is sent) is the core's.

use std::sync::atomic::{AtomicUsize, Ordering};

use gloo_timers::callback::{Interval, Timeout};
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;

use super::api;
use super::field;
use super::locales;
use super::page;
use super::storage;
use super::web_otp::Listener;
use crate::core::backend::{CheckRequest, Request, SendRequest};
use crate::core::code::edit::{before_input, caret_slot, paste};
use crate::core::code::{accept, Entry};
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

/// What a widget holds on to until it goes: the WebOTP ask under way, the clock, and the removal
/// of the selection listener, in one stored value (each type of stored value is compiled apart:
/// one for the three is 0.4 KiB gzip lighter than three, make package).
#[derive(Default)]
struct Held {
    otp: Option<Listener>,
    ticker: Option<Interval>,
    stop_following: Option<Box<dyn FnOnce()>>,
    /// The console advice, said a moment after mounting unless the widget is gone by then (the
    /// element mounts again as soon as a later script sets its `config`).
    advice: Option<Timeout>,
}

/// The reactive handles the effects need; all `Copy`, so closures and tasks can share them.
#[derive(Clone, Copy)]
struct Widget {
    flow: RwSignal<Flow>,
    /// Where the caret is in the field (characters), for the frame on its slot.
    /// (A u64 like `now`: each type of signal is compiled apart, and one fewer is 0.8 KiB gzip
    /// lighter, make package.)
    caret: RwSignal<u64>,
    now: RwSignal<u64>,
    on_event: Option<Callback<Event>>,
    /// What the widget holds on to until it goes.
    held: StoredValue<Held, LocalStorage>,
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
            let request = match &call {
                Call::Send(send) => adapter.send_request(send, &page::value),
                Call::Check(check) => adapter.check_request(check, &page::value),
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
        self.held
            .try_with_value(|held| held.otp.as_ref().map(Listener::stop));
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
            self.show(&code);
            self.handle(Input::Submit(code));
        }
    }

    /// Puts `code` in the field from script: only for what the shopper did not type (a cleared
    /// field, the browser's WebOTP code, autofill the browser wrote unclean).
    fn show(self, code: &str) {
        if let Some(field) = self.field.get_untracked() {
            if field.value() != code {
                field.set_value(code);
            }
        }
        self.caret.try_set(code.len() as u64);
    }

    /// What the field holds after an edit: the core reads it (a message becomes its code, a code
    /// bound to another host is refused), the field is cleaned only if it must be, and a
    /// complete code may be checked at once.
    fn read(self, field: &HtmlInputElement) {
        let Some((length, alphabet)) = self
            .flow
            .try_with_untracked(|f| (f.code_length(), f.alphabet()))
        else {
            return;
        };
        match accept(&field.value(), length, alphabet, &page_host()) {
            Entry::Code(code) => {
                self.show(&code);
                self.caret.try_set(field::selection(field).0 as u64);
                self.handle(Input::CodeEntered(code));
            }
            Entry::WrongHost { host } => self.handle(Input::CodeRefused { host }),
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
                    self.held.try_update_value(|held| held.otp = listener);
                }
                Effect::StopListening => self.stop_listening(),
                Effect::FocusCode => {
                    if let Some(input) = self.field.get_untracked() {
                        // A macrotask runs after this step's DOM updates, which may only now
                        // enable the field.
                        Timeout::new(0, move || {
                            let _ = input.focus();
                        })
                        .forget();
                    }
                }
                Effect::ClearCode => self.show(""),
            }
        }
    }
}

/// The checkout verification widget: a labelled code field, "Verify" and "Send code" / "Resend
/// code" buttons, the time left as `m:ss`, and status and alert regions.
///
/// Mount it in a Leptos app directly, or from JavaScript through `mount(element, config)`, which
/// also turns `on_event` into `checkout-verify:<what>` DOM events.
///
/// ```ignore
/// use checkout_verify::{CheckoutVerify, Config};
/// let config = Config::from_json(r#"{"destination": "+14155550123", "allow": ["shop.example"]}"#)?;
/// view! { <CheckoutVerify config=config on_event=move |event: Event| log!("{}", event.name())/> }
/// ```
///
/// ## Events
///
/// `on_event` is called with every [`Event`], in order: `Sent` (a code is on its way: the
/// verification id, its lifetime, the resend wait, the codes left, the masked destination, the
/// channel), `Verified` (the backend's proof, `token`, for your server to redeem before it places
/// the order: the widget's "Verified" is never the authorisation), `Invalid` (the tries left),
/// `Expired`, `Locked`, `Throttled` (the wait, and whether no more codes can be sent), `Blocked`
/// (the page is not the genuine store: the reasons and the store's host), `ChangeDestination`
/// (the shopper asked for another number; mount again with it) and `Error` (what failed, during
/// which request, whether a retry may help). `Event::name` and `Event::detail` give the DOM
/// event's name and JSON detail, which never hold the code.
///
/// ## Styling
///
/// The stylesheet is the widget's own (adopted by its shadow root when mounted with `mount`).
/// Theme it with custom properties on the host element, which inherit inside: `--cv-font`,
/// `--cv-text`, `--cv-muted`, `--cv-background`, `--cv-border`, `--cv-accent`, `--cv-accent-text`,
/// `--cv-danger`, `--cv-success`, `--cv-radius`, `--cv-focus`. Beyond them, `::part()` reaches
/// `field`, `verify`, `send`, `channel`, `change`, `status` and `alert`. The root carries
/// `data-phase` (`idle`, `sending`, `awaiting-code`, `verifying`, `verified`, `invalid`,
/// `expired`, `locked`, `error`, `blocked`) and, in the code's last `warn_before` seconds,
/// `data-expiring`; its `lang` and `dir` follow the shopper's language.
#[component]
pub fn CheckoutVerify(
    /// The validated configuration (see [`Config`] for fields and defaults).
    config: Config,
    /// Called with every event the widget announces (code sent, verified, invalid, …).
    #[prop(optional, into)]
    on_event: Option<Callback<Event>>,
) -> impl IntoView {
    // The shopper's language: the catalog the page loaded for it, the page's own words over it.
    let locale = locales::locale(&config);
    let (lang, dir) = (
        locale.tag().to_string(),
        if locale.right_to_left() { "rtl" } else { "ltr" },
    );
    // The backend words its message in the same language (`{{locale}}`).
    let mut config = config;
    config.locale = Some(lang.clone());
    let locale = StoredValue::new_local(locale);
    let say = move |message: Message<'_>| locale.with_value(|l| l.text(&message));
    // What the view needs of the config; the rest is the flow's.
    let change_label = say(Message::ChangeDestination {
        channel: &config.channel,
    });
    let exhausted_advice = say(Message::SendsExhausted {
        advice: config.sends_exhausted.as_deref(),
    });
    let input_mode = config.alphabet.input_mode();
    let (before_time, after_time) = locale.with_value(Locale::around_time_left);
    let saved = storage::load(&config.storage_key);
    let auto_send = config.auto_send;
    let page = page::current();
    let advice = config.advice(&page);
    let channels = config.channels.clone();
    let widget = Widget {
        flow: RwSignal::new(Flow::new(config)),
        caret: RwSignal::new(0),
        now: RwSignal::new(now_ms()),
        on_event,
        held: StoredValue::new_local(Held::default()),
        field: NodeRef::new(),
    };
    let Widget {
        flow, caret, now, ..
    } = widget;

    // A verification under way before a reload carries on: same deadlines, same cooldown. It was
    // read before the first input, whose record would replace it.
    // The gate first: on a page that is not the genuine store nothing else happens.
    widget.handle(Input::PageLoaded(page));
    if let Some(saved) = saved {
        widget.handle(Input::Resume(saved));
    }
    // The clock is re-read every second, and when the tab is shown again; the timer is dropped
    // (stopped) with the widget, the listener removed.
    let ticker = Interval::new(1_000, move || widget.handle(Input::Tick));
    let shown =
        window_event_listener_untyped("visibilitychange", move |_| widget.handle(Input::Tick));
    // The frame follows the caret: arrows, Home/End, a tap on a slot, an edit.
    let moved = field::on_selection_change(move || {
        if let Some(input) = widget.field.get_untracked() {
            caret.try_set(field::selection(&input).0 as u64);
        }
    });
    widget.held.update_value(|held| {
        held.ticker = Some(ticker);
        held.stop_following = Some(Box::new(moved));
        held.advice = (!advice.is_empty()).then(|| {
            Timeout::new(1_000, move || {
                for line in &advice {
                    web_sys::console::warn_1(&line.into());
                }
            })
        });
    });
    // A WebOTP ask must not outlive the widget, nor the listeners.
    on_cleanup(move || {
        widget.stop_listening();
        shown.remove();
        if let Some(stop) = widget
            .held
            .try_update_value(|held| held.stop_following.take())
            .flatten()
        {
            stop();
        }
    });
    // A code already on its way (resumed after a reload) is not replaced by a new one.
    if auto_send && !flow.with_untracked(Flow::has_sent) {
        widget.handle(Input::Send);
    }

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

    // Typing is decided before the browser makes it, so undo and composition stay the browser's.
    let on_before_input = move |ev: leptos::ev::Targeted<web_sys::InputEvent, HtmlInputElement>| {
        if ev.is_composing() {
            return;
        }
        let field = ev.target();
        let (length, alphabet) = flow.with_untracked(|f| (f.code_length(), f.alphabet()));
        let edit = before_input(
            &field.value(),
            field::selection(&field),
            &ev.input_type(),
            ev.data().as_deref(),
            length,
            alphabet,
        );
        field::apply(&field, edit, &ev);
    };
    // Every way text arrives ends here; nothing is read while a composition is still open.
    let on_input = move |ev: leptos::ev::Targeted<web_sys::Event, HtmlInputElement>| {
        let composing = ev
            .dyn_ref::<web_sys::InputEvent>()
            .is_some_and(web_sys::InputEvent::is_composing);
        if !composing {
            widget.read(&ev.target());
        }
    };
    // A finished composition (full-width digits from an IME) is cleaned as one edit.
    let on_composition_end =
        move |ev: leptos::ev::Targeted<web_sys::CompositionEvent, HtmlInputElement>| {
            let field = ev.target();
            let (length, alphabet) = flow.with_untracked(|f| (f.code_length(), f.alphabet()));
            match accept(&field.value(), length, alphabet, &page_host()) {
                Entry::Code(code) if code != field.value() => field::replace_all(&field, &code),
                _ => widget.read(&field),
            }
        };
    // Pastes are read from the clipboard (the field would drop the line breaks of a text message)
    // and go in as one edit the shopper can undo.
    let on_paste = move |ev: leptos::ev::Targeted<web_sys::ClipboardEvent, HtmlInputElement>| {
        let Some(pasted) = ev
            .clipboard_data()
            .and_then(|data| data.get_data("text").ok())
        else {
            return;
        };
        ev.prevent_default();
        let field = ev.target();
        let (length, alphabet) = flow.with_untracked(|f| (f.code_length(), f.alphabet()));
        let selection = field::selection(&field);
        match paste(
            &field.value(),
            selection,
            &pasted,
            length,
            alphabet,
            &page_host(),
        ) {
            Ok(edit) => field::make(&field, edit),
            Err(host) => widget.handle(Input::CodeRefused { host }),
        }
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        // The field holds the code as the core read it after the last edit.
        let code = widget
            .field
            .get_untracked()
            .map(|f| f.value())
            .unwrap_or_default();
        widget.handle(Input::Submit(code));
    };
    let on_send = move |_: leptos::ev::MouseEvent| {
        widget.handle(Input::Send);
    };
    // One button per configured channel, shown while the shopper may switch to it.
    let channel_buttons = channels
        .iter()
        .map(|channel| {
            let label = say(Message::SendBy { channel });
            let offered = channel.clone();
            let chosen = channel.clone();
            view! {
                <button
                    class="cv-channel"
                    part="channel"
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
            lang=lang
            dir=dir
            data-phase=move || flow.with(|f| f.phase().name())
            data-expiring=move || flow.with(|f| f.expiring_soon(now.get()))
        >
            <form class="cv-form" novalidate on:submit=on_submit>
                <label class="cv-label" for=input_id.clone()>{say(Message::FieldLabel)}</label>
                <p class="cv-hint" id=hint_id>
                    {move || {
                        flow.with(|f| f.has_sent().then(|| say(Message::FieldHint { length: f.code_length() })))
                    }}
                </p>
                <div class="cv-row">
                    <input
                        id=input_id
                        node_ref=widget.field
                        class="cv-input"
                        part="field"
                        type="text"
                        inputmode=input_mode
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
                            move || caret_slot(caret.get() as usize, flow.with(Flow::code_length)).to_string(),
                        )
                        disabled=move || !flow.with(Flow::field_enabled)
                        readonly=move || flow.with(Flow::field_read_only)
                        on:beforeinput:target=on_before_input
                        on:input:target=on_input
                        on:compositionend:target=on_composition_end
                        on:paste:target=on_paste
                    />
                    <button
                        class="cv-verify"
                        part="verify"
                        type="submit"
                        disabled=move || !flow.with(Flow::accepts_code)
                    >
                        {say(Message::Verify)}
                    </button>
                </div>
                <p class="cv-timer" id=timer_id aria-live="off" hidden=move || time_left().is_none()>
                    {before_time}
                    <time>{move || time_left().map(format_mss)}</time>
                    {after_time}
                </p>
                <button class="cv-send" part="send" type="button" disabled=move || !can_send() on:click=on_send>
                    {send_label}
                </button>
                {channel_buttons}
                <p class="cv-note" hidden=move || !exhausted()>
                    {exhausted_advice}
                </p>
                <button
                    class="cv-change"
                    part="change"
                    type="button"
                    hidden=move || !flow.with(Flow::offers_change_destination)
                    on:click=move |_| widget.handle(Input::ChangeDestination)
                >
                    {change_label}
                </button>
            </form>
            <p class="cv-status" part="status" role="status">
                {move || flow.with(|f| f.status().map(|status| say(status.message())))}
            </p>
            <p class="cv-alert" part="alert" role="alert" id=alert_id>
                {move || flow.with(|f| f.alert().map(|alert| say(alert.message())))}
                <a class="cv-genuine" href=genuine_url hidden=move || genuine_url().is_none()>
                    {move || genuine_url().map(|url| say(Message::OpenGenuine { url: &url }))}
                </a>
            </p>
        </div>
    }
}
