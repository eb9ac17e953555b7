//! The clone report: what a widget refusing a page tells the genuine store, once, with
//! `navigator.sendBeacon` — the gate's reasons, the page's host and the origins framing it, never
//! the code, a phone number or cookies. The store grades each report it receives with the
//! [`lookalike`](super::lookalike) classifier, which never ships in the widget.

use serde::{Deserialize, Serialize};

use super::lookalike::Grade;
use super::{Page, Reason, Verdict};
use crate::core::json::Json;
use crate::core::url::address;
use crate::core::url::host::{canonical, HostPattern};

/// The most ancestor origins a report may carry: frames nest a few deep, not hundreds.
pub const MAX_ANCESTORS: usize = 16;

/// Body of `POST /api/clone-report`, as the widget sends it. Unknown fields are refused, so
/// nothing else can ride along.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CloneReport {
    /// The gate's reasons (`host-not-allowed`, `framed`, …).
    pub reasons: Vec<String>,
    /// The refused page's host, as the browser reports it.
    pub host: String,
    /// The origins of the frames around the page, innermost first, when it is framed.
    #[serde(default)]
    pub ancestors: Vec<String>,
    /// The widget's version.
    pub version: String,
}

/// A clone report as the store keeps it: graded by the classifier against the store's hosts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GradedReport {
    /// The refused page's host.
    pub host: String,
    /// The widget's reasons, then the grade's (`lookalike`, `idn-spoof`).
    pub reasons: Vec<String>,
    /// The origins framing the page, when it was framed.
    pub ancestors: Vec<String>,
    /// The store's host it imitates, if any.
    pub lookalike_of: Option<String>,
    /// How: `homograph`, `typo`, `other-suffix`, `embedded`, `separated`, `combined`,
    /// `idn-spoof`, or `none`.
    pub kind: &'static str,
    /// The widget's version.
    pub version: String,
}

impl CloneReport {
    /// The report of `verdict` on `page`.
    pub fn new(verdict: &Verdict, page: &Page) -> Self {
        Self {
            reasons: verdict
                .reasons
                .iter()
                .map(|r| r.name().to_string())
                .collect(),
            host: page.host().to_string(),
            ancestors: page
                .ancestors
                .clone()
                .filter(|_| page.framed)
                .unwrap_or_default(),
            version: env!("CARGO_PKG_VERSION").into(),
        }
    }

    /// Whether a report received is one a widget could have sent: known reasons, the host in
    /// canonical form, origins as browsers serialise them, a short version. Anything else is
    /// refused rather than counted or printed.
    pub fn is_well_formed(&self) -> bool {
        let reason = |r: &String| Reason::from_name(r).is_some();
        (1..=Reason::ALL.len()).contains(&self.reasons.len())
            && self.reasons.iter().all(reason)
            && canonical(&self.host).as_deref() == Some(self.host.as_str())
            && self.ancestors.len() <= MAX_ANCESTORS
            && self.ancestors.iter().all(|o| is_origin(o))
            && self.version.len() <= 32
            && self
                .version
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'+'))
    }

    /// The body as the widget sends it.
    pub fn to_json(&self) -> Json {
        let strings =
            |items: &[String]| Json::Array(items.iter().map(|s| s.as_str().into()).collect());
        Json::object([
            ("reasons", strings(&self.reasons)),
            ("host", self.host.as_str().into()),
            ("ancestors", strings(&self.ancestors)),
            ("version", self.version.as_str().into()),
        ])
    }

    /// The report graded against the store's own hosts.
    pub fn grade(self, store: &[HostPattern]) -> GradedReport {
        let grade = Grade::of(&self.host, store);
        let mut reasons = self.reasons;
        for reason in grade.reasons() {
            reasons.push(reason.name().to_string());
        }
        GradedReport {
            lookalike_of: grade.lookalike.as_ref().map(|l| l.target.clone()),
            kind: grade.kind(),
            host: self.host,
            reasons,
            ancestors: self.ancestors,
            version: self.version,
        }
    }
}

/// Whether `text` is an origin as `location.ancestorOrigins` lists it: `null`, or
/// `scheme://host[:port]` in lower case with nothing after.
fn is_origin(text: &str) -> bool {
    if text == "null" {
        return true;
    }
    let authority = text.split_once("://").map_or("", |(_, rest)| rest);
    text.len() <= 300
        && !authority.is_empty()
        && authority
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-.:[]".contains(&b))
        && address::parse(text).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::guard::Guard;

    fn store() -> Vec<HostPattern> {
        vec![HostPattern::parse("shop.example").expect("a host")]
    }

    fn report_of(page: &Page) -> CloneReport {
        let guard = Guard {
            allow: store(),
            ..Guard::default()
        };
        CloneReport::new(&guard.assess(page), page)
    }

    #[test]
    fn a_report_carries_the_verdict_and_the_page_host_only() {
        let page = Page::at("https://shop.example.com.evil.io/").expect("a URL");
        let report = report_of(&page);
        assert_eq!(
            report.to_json().to_string(),
            format!(
                r#"{{"reasons":["host-not-allowed"],"host":"shop.example.com.evil.io","ancestors":[],"version":"{}"}}"#,
                env!("CARGO_PKG_VERSION")
            )
        );
        assert!(report.is_well_formed());
        let framed = Page {
            framed: true,
            ancestors: Some(vec!["https://evil.io".into()]),
            ..Page::at("https://shop.example/").expect("a URL")
        };
        let report = report_of(&framed);
        assert_eq!(report.reasons, ["framed"]);
        assert_eq!(report.ancestors, ["https://evil.io"]);
        assert!(report.is_well_formed());
    }

    #[test]
    fn the_store_grades_a_report_with_the_classifier() {
        let page = Page::at("https://shop.example.com.evil.io/").expect("a URL");
        let graded = report_of(&page).grade(&store());
        assert_eq!(graded.reasons, ["host-not-allowed", "lookalike"]);
        assert_eq!(graded.lookalike_of.as_deref(), Some("shop.example"));
        assert_eq!(graded.kind, "embedded");
        let unrelated = report_of(&Page::at("https://evil.io/").expect("a URL")).grade(&store());
        assert_eq!((unrelated.lookalike_of, unrelated.kind), (None, "none"));
    }

    #[test]
    fn forged_reports_are_refused() {
        let report = report_of(&Page::at("https://shop.examp1e/").expect("a URL"));
        assert!(report.is_well_formed());
        for forged in [
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
                ancestors: vec!["+14155550123".into()],
                ..report.clone()
            },
            CloneReport {
                ancestors: vec!["https://evil.io/checkout?phone=4155550123".into()],
                ..report.clone()
            },
            CloneReport {
                ancestors: vec!["https://evil.io".into(); MAX_ANCESTORS + 1],
                ..report.clone()
            },
            CloneReport {
                version: "x".repeat(33),
                ..report.clone()
            },
        ] {
            assert!(!forged.is_well_formed(), "{forged:?}");
        }
        let origins = CloneReport {
            ancestors: vec![
                "null".into(),
                "http://127.0.0.1:8080".into(),
                "https://[::1]".into(),
            ],
            ..report
        };
        assert!(origins.is_well_formed());
    }
}
