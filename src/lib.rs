//! checkout-verify: a checkout verification widget for storefronts, compiled to WebAssembly.
//!
//! [`core`] holds every rule (config, code normalisation, the verification flow, the reference API
//! contract) and builds natively. In the browser, `web` renders it with Leptos and exports the
//! JavaScript API: `mount(element, config)` returning a handle with `destroy()`, and the
//! [`CheckoutVerify`] component for Leptos apps.

pub mod core;

#[cfg(target_arch = "wasm32")]
mod web;

#[cfg(target_arch = "wasm32")]
pub use web::{mount, CheckoutVerify, WidgetHandle};
