//! The browser shell: Leptos components that render the core's state, effects that touch the
//! browser (fetch, timers, DOM events) and the JavaScript embedding API. No rule lives here.

mod api;
mod dom_events;
mod field;
mod locales;
mod mount;
mod page;
mod storage;
mod web_otp;
mod widget;

pub use locales::register_locale;
pub use mount::{assess_page, mount, WidgetHandle};
pub use widget::CheckoutVerify;
