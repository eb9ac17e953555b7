//! The JavaScript embedding API: `mount(element, config)` renders the widget inside an open
//! shadow root of `element` (so the store's CSS and ours never collide) and returns a handle whose
//! `destroy()` removes it again.

use std::any::Any;

use leptos::mount::mount_to;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use web_sys::{HtmlElement, ShadowRoot, ShadowRootInit, ShadowRootMode};

use super::dom_events::dispatch;
use super::locales;
use super::page;
use super::widget::CheckoutVerify;
use crate::core::config::Config;
use crate::core::events::Event;

/// The widget's stylesheet, adopted by the shadow root. Theme it from the page with the
/// `--cv-*` custom properties, which inherit through the shadow boundary.
const STYLE: &str = include_str!(concat!(env!("OUT_DIR"), "/checkout-verify.min.css"));

/// A mounted widget. Call `destroy()` to remove it and stop its timers.
///
/// Dropping the handle (or JavaScript garbage-collecting it, which pages that ignore `mount`'s
/// return value cause) leaves the widget on the page: only `destroy()` removes it.
#[wasm_bindgen]
pub struct WidgetHandle {
    container: Option<HtmlElement>,
    /// The mounted view's `UnmountHandle` (dropping it unmounts). Boxed as `Any` rather than
    /// type-erased with `into_any()`, whose dynamic view machinery costs 5.9 KiB gzip of the
    /// package (re-measured with `make package` once the adapter was in: 133.4 KiB against
    /// 139.3 KiB).
    view: Option<Box<dyn Any>>,
}

#[wasm_bindgen]
impl WidgetHandle {
    /// Removes the widget from the page and releases its timers and listeners. Safe to call twice.
    pub fn destroy(&mut self) {
        self.view.take();
        if let Some(container) = self.container.take() {
            container.remove();
        }
    }
}

impl Drop for WidgetHandle {
    fn drop(&mut self) {
        if let Some(view) = self.view.take() {
            std::mem::forget(view);
        }
    }
}

/// Mounts the widget into `element` with `config` (a plain object; see the README for fields).
///
/// Throws an `Error` naming the field and value when the config is invalid, and dispatches
/// `checkout-verify:<what>` events on `element` as the verification proceeds.
#[wasm_bindgen]
pub fn mount(element: HtmlElement, config: JsValue) -> Result<WidgetHandle, JsError> {
    let config = read_config(&config)?;
    let root = shadow_root(&element)?;
    if root.query_selector(".cv-root").ok().flatten().is_some() {
        return Err(JsError::new(
            "checkout-verify is already mounted in this element; call destroy() on its handle first",
        ));
    }
    let container: HtmlElement = document()
        .create_element("div")
        .map_err(|_| JsError::new("checkout-verify: cannot create its container element"))?
        .unchecked_into();
    container.set_class_name("cv-root");
    adopt_style(&root)?;
    root.append_child(&container)
        .map_err(|_| JsError::new("checkout-verify: cannot attach to the element"))?;

    // A page may mount from inside a widget's event listener (remounting on
    // `checkout-verify:change-destination`, say), where that widget's reactive owner is current.
    // The new widget must not become its child, or destroying the old one would take it along.
    let outer = Owner::current();
    if let Some(owner) = outer.clone() {
        owner.unset();
    }
    // The widget speaks the language of where it is mounted, unless the config names one.
    let config = locales::with_inherited_locale(config, &element);
    let host = element.clone();
    let view = mount_to(container.clone(), move || {
        // Owned by the mounted view, and released with it.
        let locale = locales::locale(&config);
        let on_event = Callback::new(move |event: Event| dispatch(&host, &event, &locale));
        view! { <CheckoutVerify config=config on_event=on_event/> }
    });
    if let Some(owner) = outer {
        owner.set();
    }
    Ok(WidgetHandle {
        container: Some(container),
        view: Some(Box::new(view)),
    })
}

/// Assesses the current page with `config`'s authenticity rules, exactly as a widget mounted with
/// it would: `{trusted, reasons, genuine}`. A storefront gates its own sensitive fields (a card's
/// security code, say) on the same verdict. Throws like `mount` on an invalid config.
#[wasm_bindgen(js_name = assessPage)]
pub fn assess_page(config: JsValue) -> Result<JsValue, JsError> {
    let config = read_config(&config)?;
    let page = page::current();
    let verdict = config.guard(&page).assess(&page);
    js_sys::JSON::parse(&verdict.to_json().to_string())
        .map_err(|_| JsError::new("checkout-verify: cannot build the verdict object"))
}

/// Stringifies the page's object and hands it to the core's validator.
fn read_config(config: &JsValue) -> Result<Config, JsError> {
    let text = if config.is_undefined() || config.is_null() {
        "null".to_string()
    } else {
        js_sys::JSON::stringify(config)
            .ok()
            .and_then(|s| s.as_string())
            .ok_or_else(|| {
                JsError::new(
                    "checkout-verify config must be a plain object that JSON can represent",
                )
            })?
    };
    Config::from_json(&text).map_err(|e| JsError::new(&e.to_string()))
}

/// Gives the shadow root the widget's stylesheet as a constructable stylesheet: no `<style>`
/// element, which a strict Content Security Policy (`style-src 'self'`) would refuse.
fn adopt_style(root: &ShadowRoot) -> Result<(), JsError> {
    let sheet = web_sys::CssStyleSheet::new()
        .and_then(|sheet| sheet.replace_sync(STYLE).map(|()| sheet))
        .map_err(|_| {
            JsError::new("checkout-verify: this browser has no constructable stylesheets")
        })?;
    root.set_adopted_style_sheets(&js_sys::Array::of1(&sheet));
    Ok(())
}

/// The element's open shadow root, attached on first use.
fn shadow_root(element: &HtmlElement) -> Result<ShadowRoot, JsError> {
    if let Some(root) = element.shadow_root() {
        return Ok(root);
    }
    element
        .attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))
        .map_err(|_| {
            JsError::new(&format!(
                "checkout-verify cannot mount into <{}>: use a <div> or another element that can host a shadow root",
                element.tag_name().to_ascii_lowercase()
            ))
        })
}
