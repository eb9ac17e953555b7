//! Clone reports: what widgets send when they refuse a page (`POST /api/clone-report`, by
//! `navigator.sendBeacon`). The reference server counts them, keeps the latest for
//! `GET /dev/clone-reports` and, in dev mode, prints each one: a real deployment would alert,
//! enrich and request takedowns.

use std::sync::Mutex;

use checkout_verify::core::guard::report::CloneReport;
use serde::Serialize;

/// How many reports are kept for listing; the count goes on.
pub const KEPT_REPORTS: usize = 100;

/// Reports received.
#[derive(Debug)]
pub struct Reports {
    state: Mutex<State>,
    print: bool,
}

#[derive(Debug, Default, Clone, Serialize)]
struct State {
    count: u64,
    latest: Vec<CloneReport>,
}

impl Reports {
    /// No reports yet; `print` echoes each one to standard output (dev mode).
    pub fn new(print: bool) -> Self {
        Self {
            state: Mutex::new(State::default()),
            print,
        }
    }

    /// Counts, keeps and (in dev mode) prints a report.
    pub fn receive(&self, report: CloneReport) {
        if self.print {
            // Debug formatting escapes anything a terminal would act on; the fields are checked
            // before they get here anyway.
            println!(
                "--- clone report: {:?} on {:?} (imitates {:?}; {:?}) ---",
                report.verdict, report.host, report.lookalike_of, report.reasons
            );
        }
        let mut state = self.lock();
        state.count += 1;
        if state.latest.len() == KEPT_REPORTS {
            state.latest.remove(0);
        }
        state.latest.push(report);
    }

    /// `{"count", "latest": [...]}`, newest last.
    pub fn summary(&self) -> serde_json::Value {
        serde_json::to_value(self.lock().clone()).unwrap_or_default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic while holding the lock leaves plain data behind; keep serving it.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
