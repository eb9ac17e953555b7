//! The merchant's tool: which addresses would the widget trust,
//! and which fakes of my domain would it name as such?
//!
//! ```text
//! cargo run --release --example assess -- --allow shop.example [--allow '*.shop.example' ...] < urls.txt
//! ```
//!
//! Reads URLs from standard input, one per line, and prints one JSON object per line:
//! `{"url", "trusted", "reasons", "lookalike_of", "lookalike"}`, with the same core logic as the
//! widget (`checkout_verify::core::guard`).

use std::io::{self, BufRead, Write};

use checkout_verify::core::guard::{Guard, Page, Verdict};
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
        let verdict = Page::at(url).map_or_else(Verdict::unreadable, |page| guard.assess(&page));
        let Json::Object(mut fields) = verdict.to_json() else {
            unreachable!("a verdict is an object")
        };
        fields.insert(0, ("url".to_string(), url.into()));
        writeln!(out, "{}", Json::Object(fields)).map_err(|e| e.to_string())?;
    }
    Ok(())
}
