//! checkout-verify: a checkout verification widget for storefronts, compiled to WebAssembly.
//!
//! [`core`] holds every rule (code entry, the verification flow, the backend's requests and
//! answers, the shopper's messages, page authenticity, configuration) and builds natively. In
//! the browser, `web` renders it with Leptos and exports the JavaScript API: `mount(element,
//! config)` returning a handle with `destroy()`, and the [`CheckoutVerify`] component for Leptos
//! apps. `docs/ARCHITECTURE.md` walks through the folders.
#![warn(missing_docs)]

pub mod core;
// The doctor is a tool on the core: native, and in the doctor's own WebAssembly build.
#[cfg(any(not(target_arch = "wasm32"), feature = "doctor"))]
pub mod doctor;

// The browser shell, left out of the doctor's build.
#[cfg(all(target_arch = "wasm32", not(feature = "doctor")))]
mod web;

pub use core::config::{Config, ConfigError};
pub use core::events::Event;
pub use core::flow::{Effect, Flow, Input, Phase};
pub use core::messages::Locale;

#[cfg(all(target_arch = "wasm32", not(feature = "doctor")))]
pub use web::{assess_page, mount, register_locale, CheckoutVerify, WidgetHandle};
