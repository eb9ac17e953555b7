//! The code field's edits, carried out through the browser's own editing path: the core decides
//! ([`crate::core::code::edit`]), this makes it happen without setting the value from script,
//! which would replace the browser's undo history and break an IME composition.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{HtmlDocument, HtmlInputElement, InputEvent};

use crate::core::code::edit::Edit;

/// The selection as character offsets (the field holds ASCII code characters, so the browser's
/// UTF-16 offsets are characters), start first.
pub fn selection(field: &HtmlInputElement) -> (usize, usize) {
    let at = |offset: Result<Option<u32>, _>| offset.ok().flatten().unwrap_or(0) as usize;
    let (start, end) = (at(field.selection_start()), at(field.selection_end()));
    (start.min(end), start.max(end))
}

/// Carries out `edit` for the `beforeinput` event `event` on `field`.
pub fn apply(field: &HtmlInputElement, edit: Edit, event: &InputEvent) {
    match edit {
        Edit::Allow => {}
        Edit::Refuse => event.prevent_default(),
        Edit::Over { start, end } => select(field, start, end),
        Edit::Insert { start, end, text } => {
            event.prevent_default();
            insert(field, start, end, &text);
        }
    }
}

/// Makes `edit` on `field` outside a `beforeinput` event (a paste the widget read itself): only
/// an insertion changes anything.
pub fn make(field: &HtmlInputElement, edit: Edit) {
    if let Edit::Insert { start, end, text } = edit {
        insert(field, start, end, &text);
    }
}

/// Replaces the whole value with `text` as one edit the shopper can undo.
pub fn replace_all(field: &HtmlInputElement, text: &str) {
    let length = field.value().chars().count();
    insert(field, 0, length, text);
}

/// `text` in place of `start..end`, as the browser inserts typed text (an `input` event follows),
/// one undo step of its own; where the browser cannot, the value is set.
fn insert(field: &HtmlInputElement, start: usize, end: usize, text: &str) {
    // Moving the selection away and back ends the browser's run of typing, so this edit is
    // undone on its own rather than with the keys before it.
    select(field, 0, 0);
    select(field, start, end);
    let inserted = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.dyn_into::<HtmlDocument>().ok())
        .and_then(|d| {
            d.exec_command_with_show_ui_and_value("insertText", false, text)
                .ok()
        })
        .unwrap_or(false);
    if !inserted {
        // Select-and-insert failed (an old browser): the range is replaced all the same.
        let (start, end) = (start as u32, end as u32);
        let _ = field.set_range_text_with_start_and_end(text, start, end);
        let caret = start + text.len() as u32;
        let _ = field.set_selection_range(caret, caret);
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        if let Ok(event) = web_sys::Event::new_with_event_init_dict("input", &init) {
            let _ = field.dispatch_event(&event);
        }
    }
}

fn select(field: &HtmlInputElement, start: usize, end: usize) {
    // Offsets of a short code field fit in u32.
    let _ = field.set_selection_range(start as u32, end as u32);
}

/// Calls `moved` whenever the page's selection moves (arrows, Home/End, a tap, an edit): inside a
/// shadow root the browser tells only the document. Returns what removes the listener.
pub fn on_selection_change(moved: impl Fn() + 'static) -> impl FnOnce() {
    let listener = Closure::<dyn Fn()>::new(moved).into_js_value();
    let document = web_sys::window().and_then(|w| w.document());
    if let Some(document) = &document {
        let _ =
            document.add_event_listener_with_callback("selectionchange", listener.unchecked_ref());
    }
    move || {
        if let Some(document) = document {
            let _ = document
                .remove_event_listener_with_callback("selectionchange", listener.unchecked_ref());
        }
    }
}
