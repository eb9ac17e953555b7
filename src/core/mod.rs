//! The pure core: every rule of the widget, in plain Rust with no browser API, tested natively.
//! The browser shell only renders what these modules decide and carries out their effects.

pub mod address;
pub mod code;
pub mod config;
pub mod contract;
pub mod countdown;
pub mod events;
pub mod flow;
pub mod guard;
pub mod host;
pub mod http_date;
pub mod json;
pub mod lookalike;
pub mod messages;
pub mod punycode;
pub mod resend;
pub mod resume;
pub mod skeleton;
