//! The flow's tests, one file per behaviour: sending (and resending, by any channel), checking
//! a code, deadlines on a clock that jumps, reloads, and the gate. Shared here: the clock's
//! start, ready-made answers and a flow awaiting its code.

mod checking;
mod deadlines;
mod gate;
mod reload;
mod sending;

pub(super) use super::*;
pub(super) use crate::core::backend::{Failure, Sent};
pub(super) use crate::core::guard::Reason;

pub(super) const T0: u64 = 1_700_000_000_000;

pub(super) fn sent(id: &str, expires_in: u64, resend_in: u64, sends_remaining: u32) -> SendOutcome {
    SendOutcome::Sent(Sent {
        verification_id: id.into(),
        expires_in: Some(expires_in),
        resend_in: Some(resend_in),
        sends_remaining: Some(sends_remaining),
        code_length: Some(6),
        destination_hint: Some("+1 ••• 4567".into()),
        kept: Vec::new(),
    })
}

/// An alert as the shopper reads it in English.
pub(super) fn english(alert: &Alert) -> String {
    crate::core::messages::Locale::english().text(&alert.message())
}

/// Resumes `flow` from `saved` at `now`; whether it was taken (it then holds a verification or a
/// wait).
pub(super) fn resumed(flow: &mut Flow, saved: Resume, now: u64) -> bool {
    flow.handle(Input::Resume(saved), now);
    flow.has_sent() || flow.send_wait_s(now) > 0
}

/// A flow with a code sent at T0, valid 600 s, resend after 30 s.
pub(super) fn awaiting() -> Flow {
    let mut flow = Flow::new(Config::default());
    flow.handle(Input::Send, T0);
    flow.handle(Input::SendAnswered(sent("v1", 600, 30, 4)), T0);
    flow
}

pub(super) fn checks(effects: &[Effect]) -> usize {
    effects
        .iter()
        .filter(|e| matches!(e, Effect::Check(_)))
        .count()
}

pub(super) fn emitted(effects: &[Effect]) -> Vec<&'static str> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Emit(ev) => Some(ev.name()),
            _ => None,
        })
        .collect()
}
