//! The merchant's tool: which addresses would the widget trust,
//! and which fakes of my domain would it name as such?
//!
//! ```text
//! cargo run --release --example assess -- --allow shop.example [--allow '*.shop.example' ...] < urls.txt
//! ```
//!
//! Reads URLs from standard input, one per line, and prints one JSON object per line:
//! `{"url", "trusted", "reasons", "lookalike_of", "lookalike"}`: the widget's own gate
//! (`checkout_verify::core::guard`) decides, and for a refused host the lookalike classifier
//! (`guard::lookalike`) adds its grade (`lookalike`, `idn-spoof`) and the store it imitates.

use std::io::{self, BufRead, Write};

use checkout_verify::core::guard::lookalike::Grade;
use checkout_verify::core::guard::{Guard, Page, Reason, Verdict};
use checkout_verify::core::json::Json;
use checkout_verify::core::url::host::HostPattern;

fn main() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let mut allow = Vec::new();
    while let Some(arg) = args.next() {
        match (arg.as_str(), args.next()) {
            ("--allow", Some(host)) => allow.push(
                HostPattern::parse(&host)
                    .ok_or(format!("--allow {host}: not a host name or *.wildcard"))?,
            ),
            _ => {
                return Err(format!(
                    "usage: assess --allow HOST [--allow HOST ...] < urls (got {arg})"
                ))
            }
        }
    }
    if allow.is_empty() {
        return Err("usage: assess --allow HOST [--allow HOST ...] < urls".into());
    }
    let guard = Guard {
        allow,
        ..Guard::default()
    };
    let stdout = io::stdout();
    let mut out = stdout.lock();
    for line in io::stdin().lock().lines() {
        let line = line.map_err(|e| e.to_string())?;
        let url = line.trim();
        if url.is_empty() {
            continue;
        }
        let page = Page::at(url);
        let verdict = page
            .as_ref()
            .map_or_else(Verdict::unreadable, |page| guard.assess(page));
        let grade = page
            .filter(|page| !guard.allows(&page.host))
            .map(|page| Grade::of(&page.host, &guard.allow));
        let mut reasons = verdict.reasons;
        if let Some(grade) = &grade {
            reasons.extend(grade.reasons());
        }
        let lookalike = grade.and_then(|grade| grade.lookalike);
        let line = Json::object([
            ("url", url.into()),
            ("trusted", verdict.trusted.into()),
            (
                "reasons",
                Json::Array(reasons.iter().map(|r| Reason::name(*r).into()).collect()),
            ),
            (
                "lookalike_of",
                lookalike.as_ref().map(|l| l.target.as_str()).into(),
            ),
            (
                "lookalike",
                lookalike.as_ref().map(|l| l.kind.name()).into(),
            ),
        ]);
        writeln!(out, "{line}").map_err(|e| e.to_string())?;
    }
    Ok(())
}
