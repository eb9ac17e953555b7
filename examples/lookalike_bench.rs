//! The lookalike classifier's benchmark, run by `make bench` (scripts/lookalike-bench.sh).
//!
//! `lookalike_bench TUNING_DOMAINS TUNING_CORPUS HELD_OUT_DOMAINS HELD_OUT_CORPUS [--all-misses]`:
//! the real domains come in two halves, each with its corpus of generated lookalikes.
//! - recall, for each half: its CORPUS has one generated lookalike per line
//!   (`fuzzer<TAB>host<TAB>target`); a line counts when the classifier names `target` as the
//!   store the host imitates, with `target` as the only allowed host;
//! - false positives: each real domain (both halves) is allowed alone and every other one
//!   assessed; a pair counts when the classifier calls it an imitation. Pairs of the same name
//!   under another suffix (`amazon.de`, `amazon.com`) are counted apart: they are the brand
//!   itself. Reported over all the domains, then over each half's domains among themselves.
//!
//! `--all-misses` lists every missed lookalike instead of the first 20 of each half.

use std::collections::BTreeMap;
use std::time::Instant;

use checkout_verify::core::guard::lookalike::classify;
use checkout_verify::core::url::host::{canonical, HostPattern, Parts};

/// Misses listed per half, unless `--all-misses`.
const MISSES_SHOWN: usize = 20;

fn main() -> Result<(), String> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let all_misses = args.iter().any(|a| a == "--all-misses");
    args.retain(|a| a != "--all-misses");
    let [tuning_domains, tuning_corpus, held_out_domains, held_out_corpus] = &args[..] else {
        return Err(
            "usage: lookalike_bench TUNING_DOMAINS TUNING_CORPUS HELD_OUT_DOMAINS HELD_OUT_CORPUS [--all-misses]"
                .into(),
        );
    };
    let read = |path: &str| std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"));
    let shown = if all_misses { usize::MAX } else { MISSES_SHOWN };
    let tuning = hosts(&read(tuning_domains)?)?;
    let held_out = hosts(&read(held_out_domains)?)?;
    println!("tuning half ({} domains, {tuning_corpus})", tuning.len());
    recall(&read(tuning_corpus)?, shown)?;
    println!();
    println!(
        "held-out half ({} domains, {held_out_corpus})",
        held_out.len()
    );
    recall(&read(held_out_corpus)?, shown)?;
    println!();
    false_positives(&tuning, &held_out);
    Ok(())
}

fn hosts(domains: &str) -> Result<Vec<String>, String> {
    domains
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| canonical(l.trim()).ok_or(format!("not a host: {l}")))
        .collect()
}

fn recall(corpus: &str, shown: usize) -> Result<(), String> {
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
    let mut by_target: BTreeMap<&str, usize> = BTreeMap::new();
    for miss in &misses {
        *by_target
            .entry(miss.rsplit('\t').next().unwrap_or_default())
            .or_default() += 1;
    }
    let mut by_target: Vec<(&str, usize)> = by_target.into_iter().collect();
    by_target.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    if !by_target.is_empty() {
        let list: Vec<String> = by_target
            .iter()
            .map(|(target, count)| format!("{target} {count}"))
            .collect();
        println!("  misses by target: {}", list.join(", "));
    }
    for miss in misses.iter().take(shown) {
        println!("  missed: {miss}");
    }
    if misses.len() > shown {
        println!("  ... and {} more misses", misses.len() - shown);
    }
    println!("  ({:.0} ms)", started.elapsed().as_secs_f64() * 1000.0);
    Ok(())
}

/// Which half a domain belongs to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Half {
    Tuning,
    HeldOut,
}

fn false_positives(tuning: &[String], held_out: &[String]) {
    let started = Instant::now();
    let hosts: Vec<(&String, Half)> = tuning
        .iter()
        .map(|h| (h, Half::Tuning))
        .chain(held_out.iter().map(|h| (h, Half::HeldOut)))
        .collect();
    // Per scope (all, tuning half, held-out half): ordered pairs, same-name pairs, flagged pairs.
    let mut scopes: [(usize, usize, Vec<String>); 3] = Default::default();
    for (allowed, allowed_half) in &hosts {
        let pattern = [HostPattern::Exact((*allowed).clone())];
        for (other, other_half) in hosts.iter().filter(|(h, _)| h != allowed) {
            let within = (allowed_half == other_half).then_some(match allowed_half {
                Half::Tuning => 1,
                Half::HeldOut => 2,
            });
            let lookalike = classify(other, &pattern);
            let same_name = Parts::of(other).name == Parts::of(allowed).name;
            let place = match within {
                Some(1) => "tuning half",
                Some(_) => "held-out half",
                None => "across the halves",
            };
            for scope in std::iter::once(0).chain(within) {
                let (pairs, same, flagged) = &mut scopes[scope];
                *pairs += 1;
                match &lookalike {
                    Some(_) if same_name => *same += 1,
                    Some(lookalike) => flagged.push(format!(
                        "{other} ~ {allowed} ({}; {place})",
                        lookalike.kind.name()
                    )),
                    None => {}
                }
            }
        }
    }
    let names = [
        format!("all {} domains", hosts.len()),
        format!(
            "the tuning half's {} domains among themselves",
            tuning.len()
        ),
        format!(
            "the held-out half's {} domains among themselves",
            held_out.len()
        ),
    ];
    for (name, (pairs, same, flagged)) in names.iter().zip(&scopes) {
        println!(
            "false positives, {name}: {} of {pairs} ordered pairs = {:.4}% ({same} same-name pairs under another suffix counted apart)",
            flagged.len(),
            percent(flagged.len(), *pairs)
        );
    }
    for pair in &scopes[0].2 {
        println!("  flagged: {pair}");
    }
    println!("  ({:.0} ms)", started.elapsed().as_secs_f64() * 1000.0);
}

fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        100.0 * part as f64 / whole as f64
    }
}
