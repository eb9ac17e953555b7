//! What a host label looks like, as opposed to what it spells: the skeleton that two lookalike
//! labels share (`pаypa1` and `paypal` both read `paypal`), and the IDN spoofing signs browsers
//! look for (scripts mixed in one label, a whole label of Cyrillic letters that all pass for
//! Latin ones).
//!
//! The table behind it is generated at build time from Unicode's confusables (UTS #39) and
//! diacritic folding, restricted to characters that can appear in a host and look like
//! `[a-z0-9]`: a few hundred entries instead of the whole table.

include!(concat!(env!("OUT_DIR"), "/confusables.rs"));

/// Letter pairs that read as one letter in an address bar, and that letter.
const DIGRAPHS: [(&str, &str); 3] = [("rn", "m"), ("vv", "w"), ("cl", "d")];

/// The Unicode form of a canonical label: `xn--` labels decoded, others as they are.
pub fn unicode(label: &str) -> String {
    label
        .strip_prefix("xn--")
        .and_then(idna::punycode::decode_to_string)
        .unwrap_or_else(|| label.to_string())
}

/// A label in Unicode form with every character replaced by the `[a-z0-9]` run it looks like,
/// when it looks like one.
pub fn fold(label: &str) -> String {
    let mut out = String::with_capacity(label.len());
    for c in label.chars() {
        let found = CONFUSABLE_CHARS.binary_search(&u32::from(c)).ok();
        match found.and_then(|i| CONFUSABLE_TO.get(i)) {
            Some(&ascii) if ascii < 0x80 => out.push(char::from(ascii)),
            Some(&run) => out.push_str(
                CONFUSABLE_RUNS
                    .get(usize::from(run - 0x80))
                    .copied()
                    .unwrap_or_default(),
            ),
            None => out.push(c),
        }
    }
    out
}

/// The skeleton of a label in Unicode form: [`fold`]ed, then `rn`, `vv` and `cl` read as `m`,
/// `w` and `d`.
pub fn skeleton(label: &str) -> String {
    read_digraphs(&fold(label), &DIGRAPHS)
}

/// `text` with each of `digraphs` (two ASCII letters) replaced by the letter it reads as, left to
/// right, each rule over the result of the one before.
pub fn read_digraphs(text: &str, digraphs: &[(&str, &str)]) -> String {
    digraphs.iter().fold(text.to_string(), |read, (pair, one)| {
        read.replace(pair, one)
    })
}

/// Scripts that matter for spoofing in host names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Script {
    Latin,
    Greek,
    Cyrillic,
    Other,
}

fn script(c: char) -> Option<Script> {
    Some(match u32::from(c) {
        // Digits and hyphens go with any script.
        _ if c.is_ascii_digit() || c == '-' => return None,
        0x61..=0x7A | 0xC0..=0x24F | 0x1E00..=0x1EFF | 0x250..=0x2AF | 0x1D00..=0x1D7F => {
            Script::Latin
        }
        0x370..=0x3FF | 0x1F00..=0x1FFF => Script::Greek,
        0x400..=0x52F | 0x1C80..=0x1C8F | 0x2DE0..=0x2DFF | 0xA640..=0xA69F => Script::Cyrillic,
        _ => Script::Other,
    })
}

/// Whether a label (Unicode form) shows the signs of an IDN spoof: Latin mixed with Greek or
/// Cyrillic, Greek mixed with Cyrillic, or a label wholly in Greek or Cyrillic whose every
/// letter passes for a Latin one (`аррӏе`). Plain ASCII labels never are.
pub fn idn_spoof(label: &str) -> bool {
    let scripts: Vec<Script> = label.chars().filter_map(script).collect();
    let has = |s| scripts.contains(&s);
    let mixed = (has(Script::Latin) && (has(Script::Greek) || has(Script::Cyrillic)))
        || (has(Script::Greek) && has(Script::Cyrillic));
    let lookalike_script = !scripts.is_empty()
        && scripts
            .iter()
            .all(|s| matches!(s, Script::Greek | Script::Cyrillic))
        && skeleton(label)
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-');
    mixed || lookalike_script
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn punycode_labels_show_their_unicode_and_malformed_ones_stay() {
        assert_eq!(unicode("xn--80ak6aa92e"), "аррӏе");
        assert_eq!(unicode("xn--bcher-kva"), "bücher");
        for bad in ["xn--bcher-kv!", "xn--ü-abc", "xn--99999999999"] {
            assert_eq!(unicode(bad), bad, "{bad}");
        }
        assert_eq!(unicode("shop"), "shop");
    }

    #[test]
    fn lookalike_labels_share_a_skeleton() {
        for (label, looks_like) in [
            ("paypal", "paypal"),
            ("paypa1", "paypal"),
            ("pаypal", "paypal"),
            ("аррӏе", "apple"),
            ("arnazon", "amazon"),
            ("vvikipedia", "wikipedia"),
            ("aclobe", "adobe"),
            ("gооgle", "google"),
            ("ġoogle", "google"),
            ("ᴄanva", "canva"),
            ("0rder", "order"),
            ("münchen", "munchen"),
            ("mнoгo", "mhoro"),
        ] {
            assert_eq!(skeleton(label), skeleton(looks_like), "{label}");
        }
        assert_ne!(skeleton("paypal"), skeleton("paypai"));
        assert_eq!(
            skeleton("日本語"),
            "日本語",
            "unrelated scripts stay as they are"
        );
    }

    #[test]
    fn idn_labels_are_decoded() {
        assert_eq!(unicode("xn--80ak6aa92e"), "аррӏе");
        assert_eq!(unicode("shop"), "shop");
        assert_eq!(
            unicode("xn--!!"),
            "xn--!!",
            "malformed punycode is kept as written"
        );
    }

    #[test]
    fn spoofing_signs() {
        for spoof in ["pаypal", "аррӏе", "ѕсоре", "αpple", "pαypаl"] {
            assert!(idn_spoof(spoof), "{spoof}");
        }
        for fine in [
            "paypal",
            "münchen",
            "bücher",
            "пример",
            "почта",
            "日本語",
            "ελληνικά",
            "shop-24",
        ] {
            assert!(!idn_spoof(fine), "{fine}");
        }
    }
}
