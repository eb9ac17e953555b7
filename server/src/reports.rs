//! Clone reports: what widgets send when they refuse a page (`POST /api/clone-report`, by
//! `navigator.sendBeacon`). The reference server grades each with the core's lookalike classifier
//! against the store's own hosts, keeps the latest for `GET /dev/clone-reports` and, in dev mode,
//! prints each one: a real deployment would alert, enrich and request takedowns.
//!
//! Reports come from any origin (a copy of the store is by definition elsewhere), so each client
//! address may send only a few a minute, and the table of clients is bounded.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;

use checkout_verify::core::guard::report::{CloneReport, GradedReport};
use checkout_verify::core::url::host::HostPattern;

/// How many reports are kept for listing.
pub const KEPT_REPORTS: usize = 100;
/// Reports one client address may send per window.
pub const REPORTS_PER_CLIENT: u32 = 10;
/// The window, in milliseconds.
pub const REPORT_WINDOW_MS: u64 = 60_000;
/// Client addresses remembered at once; past this, the oldest windows are dropped first.
pub const MAX_CLIENTS: usize = 10_000;

/// Reports received, and who sent how many lately.
#[derive(Debug)]
pub struct Reports {
    state: Mutex<State>,
    /// The store's own hosts, against which reports are graded.
    store: Vec<HostPattern>,
    print: bool,
}

#[derive(Debug, Default)]
struct State {
    latest: Vec<GradedReport>,
    /// Per client: when its window started and how many reports it sent in it.
    clients: HashMap<IpAddr, (u64, u32)>,
}

/// Why a report was not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The client sent its share for this window: try again in this many seconds.
    TooMany {
        /// Seconds until its window ends.
        retry_after_s: u64,
    },
}

impl Reports {
    /// No reports yet. `store` are the hosts reports are graded against; `print` echoes each
    /// report to standard output (dev mode).
    pub fn new(store: Vec<HostPattern>, print: bool) -> Self {
        Self {
            state: Mutex::new(State::default()),
            store,
            print,
        }
    }

    /// Grades, keeps and (in dev mode) prints a report from `client` at `now_ms`, unless the
    /// client sent too many lately.
    pub fn receive(&self, report: CloneReport, client: IpAddr, now_ms: u64) -> Result<(), Refusal> {
        let mut state = self.lock();
        state.admit(client, now_ms)?;
        let graded = report.grade(&self.store);
        if self.print {
            // Debug formatting escapes anything a terminal would act on; the fields are checked
            // before they get here anyway.
            println!(
                "--- clone report: {:?} ({}; imitates {:?}; {:?}; framed by {:?}) ---",
                graded.host, graded.kind, graded.lookalike_of, graded.reasons, graded.ancestors
            );
        }
        if state.latest.len() == KEPT_REPORTS {
            state.latest.remove(0);
        }
        state.latest.push(graded);
        Ok(())
    }

    /// The reports kept, graded, newest last.
    pub fn list(&self) -> Vec<GradedReport> {
        self.lock().latest.clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic while holding the lock leaves plain data behind; keep serving it.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl State {
    /// Counts a report from `client`, or refuses it when its window is full.
    fn admit(&mut self, client: IpAddr, now_ms: u64) -> Result<(), Refusal> {
        if !self.clients.contains_key(&client) && self.clients.len() >= MAX_CLIENTS {
            self.clients
                .retain(|_, (start, _)| now_ms.saturating_sub(*start) < REPORT_WINDOW_MS);
            if self.clients.len() >= MAX_CLIENTS {
                // Every remembered client is inside its window: treat the newcomer as over its
                // share rather than grow without bound.
                return Err(Refusal::TooMany {
                    retry_after_s: REPORT_WINDOW_MS / 1000,
                });
            }
        }
        let (start, count) = self.clients.entry(client).or_insert((now_ms, 0));
        if now_ms.saturating_sub(*start) >= REPORT_WINDOW_MS {
            (*start, *count) = (now_ms, 0);
        }
        if *count >= REPORTS_PER_CLIENT {
            let ends = start.saturating_add(REPORT_WINDOW_MS);
            return Err(Refusal::TooMany {
                retry_after_s: ends.saturating_sub(now_ms).div_ceil(1000).max(1),
            });
        }
        *count += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(host: &str) -> CloneReport {
        CloneReport {
            reasons: vec!["host-not-allowed".into()],
            host: host.into(),
            ancestors: Vec::new(),
            version: "0.1.0".into(),
        }
    }

    fn reports() -> Reports {
        let store = vec![HostPattern::parse("shop.example").expect("a host")];
        Reports::new(store, false)
    }

    #[test]
    fn reports_are_graded_against_the_store() {
        let reports = reports();
        let client = IpAddr::from([127, 0, 0, 1]);
        assert_eq!(reports.receive(report("sh0p.example"), client, 0), Ok(()));
        assert_eq!(reports.receive(report("evil.io"), client, 0), Ok(()));
        let listed = reports.list();
        assert_eq!(listed[0].lookalike_of.as_deref(), Some("shop.example"));
        assert_eq!(listed[0].kind, "homograph");
        assert_eq!(listed[1].kind, "none");
    }

    #[test]
    fn each_client_sends_a_few_a_minute() {
        let reports = reports();
        let (one, two) = (IpAddr::from([10, 0, 0, 1]), IpAddr::from([10, 0, 0, 2]));
        for _ in 0..REPORTS_PER_CLIENT {
            assert_eq!(reports.receive(report("evil.io"), one, 1_000), Ok(()));
        }
        assert_eq!(
            reports.receive(report("evil.io"), one, 31_000),
            Err(Refusal::TooMany { retry_after_s: 30 })
        );
        assert_eq!(reports.receive(report("evil.io"), two, 31_000), Ok(()));
        assert_eq!(reports.receive(report("evil.io"), one, 61_000), Ok(()));
        assert_eq!(reports.list().len(), KEPT_REPORTS.min(12));
    }

    #[test]
    fn the_table_of_clients_stays_bounded() {
        let reports = reports();
        for i in 0..MAX_CLIENTS as u32 {
            let client = IpAddr::from(i.to_be_bytes());
            assert_eq!(reports.receive(report("evil.io"), client, 0), Ok(()));
        }
        let newcomer = IpAddr::from([255, 255, 255, 255]);
        assert!(reports.receive(report("evil.io"), newcomer, 1).is_err());
        assert_eq!(
            reports.receive(report("evil.io"), newcomer, REPORT_WINDOW_MS),
            Ok(()),
            "old windows are swept once they end"
        );
        assert!(reports.lock().clients.len() <= MAX_CLIENTS);
        assert_eq!(reports.list().len(), KEPT_REPORTS);
    }
}
