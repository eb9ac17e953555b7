//! The pure core: every rule of the widget, in plain Rust with no browser API, tested natively.
//! The browser shell only renders what these modules decide and carries out their effects.
//!
//! One folder per concern; below them, the shared pieces they are written in.
//!
//! | module | owns |
//! |---|---|
//! | [`code`] | what the shopper types, pastes or autofills, normalised into a code |
//! | [`flow`] | the verification state machine, its deadlines, resend throttle and reload record |
//! | [`backend`] | the requests to a verify API and the classification of its answers |
//! | [`messages`] | every sentence the shopper reads, one catalog per language |
//! | [`guard`] | page authenticity: the exact gate, the lookalike classifier, clone reports |
//! | [`config`] | the page's configuration, checked field by field |
//! | [`events`] | the DOM events the host page receives |
//! | [`url`] | host names and URLs, read once for every concern |
//! | [`json`] | the small JSON reader and writer of the widget's documents |

pub mod backend;
pub mod code;
pub mod config;
pub mod events;
pub mod flow;
pub mod guard;
pub mod json;
pub mod messages;
pub mod text;
pub mod url;
