//! Generates files into `OUT_DIR`, all for the package's size:
//!
//! - `checkout-verify.min.css`: the widget's stylesheet, minified for `include_str!`. It ships
//!   inside the wasm, where every byte counts against the size budget, while `style/` stays
//!   readable. Conservative on purpose: comments go, white space collapses, and the spaces around
//!   `{ } ; ,` and after `:` are dropped; nothing else is rewritten.
//! - `presets/*.json`: the backend presets of `src/core/backend/presets/`, white space outside
//!   strings dropped; readable in the source, compact in the wasm.
//! - `locales/en.json`: the English catalog of `src/core/messages/locales/`, the one built in
//!   (the other languages ship as files of the package, `make package`), minified the same way.
//! - `confusables.rs`: the lookalike classifier's table of characters that look like the letters
//!   and digits of a host name, derived from Unicode's own data instead of shipping the whole
//!   confusables table (about 97 KiB gzip): UTS #39 confusables (`unicode-security`) after
//!   diacritic folding (NFD without marks), and for Latin letters whose marks do not decompose
//!   (hooks, bars, small capitals: `ƴ`, `ʉ`, `ᴋ`) the base letter their Unicode name gives.

use std::{env, fmt::Write, fs, path::Path};

use unicode_normalization::{char::is_combining_mark, UnicodeNormalization};
use unicode_security::confusable_detection::skeleton;

const SOURCE: &str = "style/checkout-verify.css";
const PRESETS: &str = "src/core/backend/presets";
const ENGLISH: &str = "src/core/messages/locales/en.json";

fn main() {
    println!("cargo:rerun-if-changed={SOURCE}");
    println!("cargo:rerun-if-changed={PRESETS}");
    println!("cargo:rerun-if-changed={ENGLISH}");
    println!("cargo:rerun-if-changed=build.rs");
    let out = env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let presets = Path::new(&out).join("presets");
    fs::create_dir_all(&presets).expect("OUT_DIR is writable");
    for entry in fs::read_dir(PRESETS).expect("the presets folder is readable") {
        let path = entry.expect("a preset file").path();
        let json = fs::read_to_string(&path).expect("a preset is readable");
        let name = path.file_name().expect("a file name");
        fs::write(presets.join(name), minify_json(&json)).expect("OUT_DIR is writable");
    }
    let locales = Path::new(&out).join("locales");
    fs::create_dir_all(&locales).expect("OUT_DIR is writable");
    let english = fs::read_to_string(ENGLISH).expect("the English catalog is readable");
    fs::write(locales.join("en.json"), minify_json(&english)).expect("OUT_DIR is writable");
    let css = fs::read_to_string(SOURCE).expect("style/checkout-verify.css is readable");
    fs::write(
        Path::new(&out).join("checkout-verify.min.css"),
        minify(&css),
    )
    .expect("OUT_DIR is writable");
    fs::write(Path::new(&out).join("confusables.rs"), confusables()).expect("OUT_DIR is writable");
}

/// Letters that look alike in the fonts address bars use but that UTS #39 keeps apart, as
/// Chromium's skeleton generator adds them (`ExtraConf` in `skeleton_generator.cc`).
const EXTRA: &[(&str, &str)] = &[
    ("ħнћңҥӈӊԋԧԩ", "h"),
    ("ĸκкқҝҟҡӄԟ", "k"),
    ("ŋпԥ", "n"),
    ("ŧтҭԏ", "t"),
    ("ƅьҍв", "b"),
    ("ωшщ", "w"),
    ("мӎ", "m"),
    ("ӏ", "l"),
];

/// The table, sorted by character: every letter or digit other than `a`–`z` whose lower case
/// without diacritics looks like a run of `[a-z0-9]`, with that run. Laid out compactly for the
/// wasm: `CONFUSABLE_CHARS: [u32]` (code points), and beside each in `CONFUSABLE_TO: [u8]` the
/// ASCII character it looks like, or `0x80 + i` for the longer run `CONFUSABLE_RUNS[i]`.
fn confusables() -> String {
    let (mut chars, mut to, mut runs) = (String::new(), String::new(), Vec::<String>::new());
    let mut count = 0;
    for c in (0..=0x2_FFFF).filter_map(char::from_u32) {
        // Host names reach the classifier as IDNA leaves them: lower case and NFKC, so capitals
        // and compatibility forms (mathematical letters, full-width digits) never occur.
        let idna_valid = c.to_lowercase().eq([c]) && c.to_string().nfkc().eq([c]);
        if !c.is_alphanumeric() || c.is_ascii_lowercase() || !idna_valid {
            continue;
        }
        let extra = EXTRA.iter().find(|(chars, _)| chars.contains(c));
        let looks_like = match extra {
            Some((_, to)) => (*to).to_string(),
            None => {
                let folded: String = c
                    .to_string()
                    .nfd()
                    .filter(|m| !is_combining_mark(*m))
                    .collect();
                skeleton(&folded).collect::<String>().to_lowercase()
            }
        };
        let plain = |s: &str| {
            !s.is_empty()
                && s.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        };
        let looks_like = if plain(&looks_like) {
            looks_like
        } else {
            base_letter(c).map(String::from).unwrap_or_default()
        };
        if !plain(&looks_like) || looks_like == c.to_string() {
            continue;
        }
        let code = if looks_like.len() == 1 {
            looks_like.as_bytes()[0]
        } else {
            let index = runs
                .iter()
                .position(|r| *r == looks_like)
                .unwrap_or_else(|| {
                    runs.push(looks_like.clone());
                    runs.len() - 1
                });
            u8::try_from(0x80 + index).expect("fewer than 128 longer runs")
        };
        write!(chars, "{},", u32::from(c)).expect("writing to a String");
        write!(to, "{code},").expect("writing to a String");
        count += 1;
    }
    format!(
        "// Generated by build.rs from UTS #39 confusables, NFD folding and Unicode names.\n\
         static CONFUSABLE_CHARS: [u32; {count}] = [{chars}];\n\
         static CONFUSABLE_TO: [u8; {count}] = [{to}];\n\
         static CONFUSABLE_RUNS: [&str; {}] = {runs:?};\n",
        runs.len()
    )
}

/// The letter a Latin letter is drawn from, by its Unicode name: `LATIN SMALL LETTER Y WITH
/// HOOK`, `LATIN SMALL LETTER BARRED U` and `LATIN LETTER SMALL CAPITAL K` give `y`, `u`, `k`.
/// Turned, reversed and other reshaped letters are left out: they do not pass for their base.
fn base_letter(c: char) -> Option<char> {
    let name = unicode_names2::name(c)?.to_string();
    let rest = name
        .strip_prefix("LATIN SMALL LETTER ")
        .or_else(|| name.strip_prefix("LATIN LETTER SMALL CAPITAL "))?;
    let rest = ["BARRED ", "DOTLESS ", "SCRIPT ", "SMALL CAPITAL "]
        .iter()
        .find_map(|shape| rest.strip_prefix(shape))
        .unwrap_or(rest);
    let mut words = rest.split(' ');
    let letter = words.next()?;
    let marks_only = matches!(words.next(), None | Some("WITH" | "BAR"));
    let base = letter.chars().next()?.to_ascii_lowercase();
    (letter.len() == 1 && base.is_ascii_lowercase() && marks_only).then_some(base)
}

/// JSON without the white space between tokens (strings, escapes included, kept as they are).
fn minify_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in json.chars() {
        if in_string {
            out.push(c);
            (in_string, escaped) = match (escaped, c) {
                (true, _) => (true, false),
                (false, '\\') => (true, true),
                (false, '"') => (false, false),
                _ => (true, false),
            };
        } else if !c.is_whitespace() {
            in_string = c == '"';
            out.push(c);
        }
    }
    out
}

fn minify(css: &str) -> String {
    let mut text = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        text.push_str(&rest[..start]);
        rest = rest[start..]
            .find("*/")
            .map_or("", |end| &rest[start + end + 2..]);
    }
    text.push_str(rest);
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = String::with_capacity(collapsed.len());
    let bytes = collapsed.as_bytes();
    for (i, c) in collapsed.char_indices() {
        let tight = |b: u8| matches!(b, b'{' | b'}' | b';' | b',');
        if c == ' ' {
            let before = out.as_bytes().last().copied().unwrap_or(b'{');
            let after = bytes.get(i + 1).copied().unwrap_or(b'}');
            if tight(before) || tight(after) || before == b':' {
                continue;
            }
        }
        if c == '}' && out.ends_with(';') {
            out.pop();
        }
        out.push(c);
    }
    out
}
