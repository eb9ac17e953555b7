//! The clone report: what a widget refusing a page tells the genuine store, once, with
//! `navigator.sendBeacon` — the verdict and the page's host, never the code, a phone number or
//! cookies. The reference server checks each report it receives against this shape.

use serde::{Deserialize, Serialize};

use super::lookalike::Kind;
use super::{Reason, Verdict};
use crate::core::json::Json;
use crate::core::url::host::canonical;

/// Body of `POST /api/clone-report`, sent once with `navigator.sendBeacon` when the guard refuses
/// a page and a report URL is configured: what was found, never the code, a phone number or
/// cookies. Unknown fields are refused, so nothing else can ride along.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CloneReport {
    /// The grade: `lookalike` when the host imitates an allowed one or spoofs with IDN,
    /// `untrusted` otherwise (a host not listed, plain http, framing).
    pub verdict: String,
    /// The guard's reasons (`host-not-allowed`, `lookalike`, …).
    pub reasons: Vec<String>,
    /// The refused page's host.
    pub host: String,
    /// The allowed host it imitates, if any.
    #[serde(default)]
    pub lookalike_of: Option<String>,
    /// How it imitates it (`homograph`, `typo`, …), if it does.
    #[serde(default)]
    pub lookalike: Option<String>,
    /// The widget's version.
    pub version: String,
}

impl CloneReport {
    /// The report of `verdict` on a page served from `host`.
    pub fn new(verdict: &Verdict, host: &str) -> Self {
        let suspicious = verdict
            .reasons
            .iter()
            .any(|r| matches!(r, Reason::Lookalike | Reason::IdnSpoof));
        Self {
            verdict: if suspicious { "lookalike" } else { "untrusted" }.into(),
            reasons: verdict
                .reasons
                .iter()
                .map(|r| r.name().to_string())
                .collect(),
            host: host.to_string(),
            lookalike_of: verdict.lookalike.as_ref().map(|l| l.target.clone()),
            lookalike: verdict
                .lookalike
                .as_ref()
                .map(|l| l.kind.name().to_string()),
            version: env!("CARGO_PKG_VERSION").into(),
        }
    }

    /// Whether a report received is one a widget could have sent: known verdict, reasons and
    /// kind names, host names in canonical form, a short version. Anything else is refused
    /// rather than counted or printed.
    pub fn is_well_formed(&self) -> bool {
        let host = |h: &str| canonical(h).as_deref() == Some(h);
        let reason = |r: &String| Reason::ALL.iter().any(|known| known.name() == r);
        let kind = |k: &String| Kind::ALL.iter().any(|known| known.name() == k);
        matches!(self.verdict.as_str(), "lookalike" | "untrusted")
            && (1..=Reason::ALL.len()).contains(&self.reasons.len())
            && self.reasons.iter().all(reason)
            && host(&self.host)
            && self.lookalike_of.as_deref().is_none_or(host)
            && self.lookalike.as_ref().is_none_or(kind)
            && self.version.len() <= 32
            && self
                .version
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'+'))
    }

    /// The body as the widget sends it.
    pub fn to_json(&self) -> Json {
        let reasons = self
            .reasons
            .iter()
            .map(|r| Json::from(r.as_str()))
            .collect();
        Json::object([
            ("verdict", self.verdict.as_str().into()),
            ("reasons", Json::Array(reasons)),
            ("host", self.host.as_str().into()),
            ("lookalike_of", self.lookalike_of.as_deref().into()),
            ("lookalike", self.lookalike.as_deref().into()),
            ("version", self.version.as_str().into()),
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::guard::{Guard, Page};
    use crate::core::url::host::HostPattern;

    #[test]
    fn a_clone_report_grades_and_carries_only_the_verdict() {
        let guard = Guard {
            allow: vec![HostPattern::parse("shop.example").expect("a host")],
            ..Guard::default()
        };
        let page = Page::at("https://shop.example.com.evil.io/").expect("a URL");
        let report = CloneReport::new(&guard.assess(&page), &page.host);
        assert_eq!(
            report.to_json().to_string(),
            format!(
                r#"{{"verdict":"lookalike","reasons":["host-not-allowed","lookalike"],"host":"shop.example.com.evil.io","lookalike_of":"shop.example","lookalike":"embedded","version":"{}"}}"#,
                env!("CARGO_PKG_VERSION")
            )
        );
        let plain = Page::at("http://shop.example/").expect("a URL");
        assert_eq!(
            CloneReport::new(&guard.assess(&plain), "shop.example").verdict,
            "untrusted"
        );
        assert!(report.is_well_formed());
        for forged in [
            CloneReport {
                verdict: "pwned".into(),
                ..report.clone()
            },
            CloneReport {
                reasons: vec![],
                ..report.clone()
            },
            CloneReport {
                reasons: vec!["\u{1b}[31mred".into()],
                ..report.clone()
            },
            CloneReport {
                reasons: vec!["lookalike".into(); 8],
                ..report.clone()
            },
            CloneReport {
                host: "evil.io\nok".into(),
                ..report.clone()
            },
            CloneReport {
                host: "Evil.IO".into(),
                ..report.clone()
            },
            CloneReport {
                lookalike_of: Some("+14155550123".into()),
                ..report.clone()
            },
            CloneReport {
                lookalike: Some("phone".into()),
                ..report.clone()
            },
            CloneReport {
                version: "x".repeat(33),
                ..report.clone()
            },
        ] {
            assert!(!forged.is_well_formed(), "{forged:?}");
        }
    }
}
