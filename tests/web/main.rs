//! Browser tests of the widget as a page embeds it: `mount(element, config)` in a real Chromium
//! (`wasm-pack test --headless --chrome`), one module per behaviour.
//!
//! The network is replaced by a scripted `fetch` so that answers the reference server never gives
//! (a dropped connection, a 2xx that is not an approval) can be shown; the end-to-end tests in
//! `e2e/` drive the same widget against the real server.
#![cfg(target_arch = "wasm32")]

mod checking;
mod deadlines;
mod entry;
mod faults;
mod gate;
mod mounting;
mod support;
mod web_otp;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
