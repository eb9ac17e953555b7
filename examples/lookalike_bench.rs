//! The lookalike classifier's benchmark, run by `make bench` (scripts/lookalike-bench.sh).
//!
//! `lookalike_bench CORPUS DOMAINS`:
//! - recall: CORPUS has one generated lookalike per line (`fuzzer<TAB>host<TAB>target`); a line
//!   counts when the classifier names `target` as the store the host imitates, with `target` as
//!   the only allowed host;
//! - false positives: each host of DOMAINS (real, popular domains) is allowed alone and every
//!   other one assessed; a pair counts when the classifier calls it an imitation. Pairs of the
//!   same name under another suffix (`amazon.de`, `amazon.com`) are counted apart: they are the
//!   brand itself.

use std::collections::BTreeMap;
use std::time::Instant;

use checkout_verify::core::guard::lookalike::classify;
use checkout_verify::core::url::host::{canonical, HostPattern, Parts};

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [corpus, domains] = &args[..] else {
        return Err("usage: lookalike_bench CORPUS DOMAINS".into());
    };
    let read = |path: &str| std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"));
    recall(&read(corpus)?)?;
    false_positives(&read(domains)?)
}

fn recall(corpus: &str) -> Result<(), String> {
    let started = Instant::now();
    let mut by_fuzzer: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut misses = Vec::new();
    for line in corpus.lines().filter(|l| !l.is_empty()) {
        let mut fields = line.split('\t');
        let (Some(fuzzer), Some(host), Some(target)) =
            (fields.next(), fields.next(), fields.next())
        else {
            return Err(format!("malformed corpus line: {line}"));
        };
        let pattern = HostPattern::parse(target).ok_or(format!("bad target {target}"))?;
        let found = canonical(host)
            .and_then(|host| classify(&host, std::slice::from_ref(&pattern)))
            .is_some_and(|l| l.target == pattern.host());
        let counts = by_fuzzer.entry(fuzzer).or_default();
        counts.0 += 1;
        if found {
            counts.1 += 1;
        } else {
            misses.push(format!("{fuzzer}\t{host}\t{target}"));
        }
    }
    let total: usize = by_fuzzer.values().map(|c| c.0).sum();
    let found: usize = by_fuzzer.values().map(|c| c.1).sum();
    println!(
        "recall: {found} of {total} generated lookalikes named their target = {:.2}%",
        percent(found, total)
    );
    for (fuzzer, (count, hit)) in &by_fuzzer {
        println!(
            "  {fuzzer:<14} {hit:>6} / {count:<6} {:>7.2}%",
            percent(*hit, *count)
        );
    }
    for miss in misses.iter().take(20) {
        println!("  missed: {miss}");
    }
    println!("  ({:.0} ms)", started.elapsed().as_secs_f64() * 1000.0);
    Ok(())
}

fn false_positives(domains: &str) -> Result<(), String> {
    let started = Instant::now();
    let hosts: Vec<String> = domains
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| canonical(l.trim()).ok_or(format!("not a host: {l}")))
        .collect::<Result<_, _>>()?;
    let (mut pairs, mut same_name, mut flagged) = (0usize, 0usize, Vec::new());
    for allowed in &hosts {
        let pattern = [HostPattern::Exact(allowed.clone())];
        for other in hosts.iter().filter(|h| *h != allowed) {
            pairs += 1;
            if let Some(lookalike) = classify(other, &pattern) {
                if Parts::of(other).name == Parts::of(allowed).name {
                    same_name += 1;
                } else {
                    flagged.push(format!("{other} ~ {allowed} ({})", lookalike.kind.name()));
                }
            }
        }
    }
    println!(
        "false positives: {} of {pairs} ordered pairs of real domains = {:.4}% ({same_name} same-name pairs under another suffix counted apart)",
        flagged.len(),
        percent(flagged.len(), pairs)
    );
    for pair in &flagged {
        println!("  flagged: {pair}");
    }
    println!("  ({:.0} ms)", started.elapsed().as_secs_f64() * 1000.0);
    Ok(())
}

fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        100.0 * part as f64 / whole as f64
    }
}
