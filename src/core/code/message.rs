//! Finding the code in a whole text message: among the runs of the code's length, the one the
//! message's own words ("code", "código", "код", "验证码"…) point at, so a price, a phone number
//! or an order number in the same text is not taken for it.

use super::{fold, Alphabet};
use crate::core::messages::keywords::CODE_WORDS;

/// Lower-cases the letters the keywords use (ASCII, Latin-1 accents, Cyrillic) without
/// `char::to_lowercase`, whose Unicode tables cost 5.1 KiB gzip of the package (re-measured with
/// `make package` once the adapter was in: 133.4 KiB against 138.5 KiB).
pub(super) fn lower_case(c: char) -> char {
    let shift = match c {
        'A'..='Z' | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{DE}' | '\u{410}'..='\u{42F}' => 0x20,
        '\u{400}'..='\u{40F}' => 0x50,
        _ => 0,
    };
    char::from_u32(u32::from(c) + shift).unwrap_or(c)
}

/// A run of code characters in a message, groups joined by single separators (`123 456`);
/// `start..end` are character positions.
struct Candidate {
    code: String,
    start: usize,
    end: usize,
}

/// The code a message means: among runs of exactly `length` characters, the one nearest a
/// keyword; the only one when there are no keywords. `None` when nothing fits.
pub(super) fn from_message(chars: &[char], length: usize, alphabet: Alphabet) -> Option<String> {
    let candidates = candidates(chars, length, alphabet);
    // Each keyword occurrence as a character range.
    let mut keywords = Vec::new();
    for at in 0..chars.len() {
        for keyword in CODE_WORDS.iter().flat_map(|(_, words)| words.iter()) {
            let mut end = at;
            let matched = keyword.chars().all(|k| {
                end += 1;
                chars.get(end - 1).map(|&c| lower_case(c)) == Some(k)
            });
            if matched {
                keywords.push((at, end));
            }
        }
    }
    if keywords.is_empty() {
        return match candidates.as_slice() {
            [only] => Some(only.code.clone()),
            _ => None,
        };
    }
    let mut best: Option<(usize, String)> = None;
    for c in candidates {
        for &(k_start, k_end) in &keywords {
            let distance = if k_end <= c.start {
                c.start - k_end
            } else {
                k_start.saturating_sub(c.end)
            };
            if best.as_ref().is_none_or(|(d, _)| distance < *d) {
                best = Some((distance, c.code.clone()));
            }
        }
    }
    best.map(|(_, code)| code)
}

/// Every maximal run of exactly `length` code characters, allowing one dash (or, for digits, one
/// space) between groups. Runs glued to other letters count only in their code characters (so `ABC123456`
/// yields `123456` for digit codes). Numbers with a decimal point or a thousands separator, or
/// after a currency sign, are skipped as amounts.
fn candidates(chars: &[char], length: usize, alphabet: Alphabet) -> Vec<Candidate> {
    let code_at = |i: usize| chars.get(i).and_then(|&c| fold(c, alphabet));
    // Letters and digits are both code characters in alphanumeric codes, so only a dash joins
    // groups there; a space would glue the surrounding words to the code.
    let joins = |c: char| c == '-' || (c == ' ' && alphabet == Alphabet::Digits);
    let mut found = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if code_at(i).is_none() {
            i += 1;
            continue;
        }
        let start = i;
        let mut code = String::new();
        loop {
            while let Some(c) = code_at(i) {
                code.push(c);
                i += 1;
            }
            if !(chars.get(i).is_some_and(|&c| joins(c)) && code_at(i + 1).is_some()) {
                break;
            }
            i += 1;
        }
        let before = start.checked_sub(1).map(|k| chars[k]);
        let amount = matches!(before, Some('$' | '€' | '£' | '¥' | '₽' | '.' | ','))
            || (matches!(chars.get(i), Some('.' | ','))
                && chars.get(i + 1).is_some_and(char::is_ascii_digit));
        // An alphanumeric code has a digit; a word of the right length is not a code.
        let fits = code.len() == length
            && (alphabet == Alphabet::Digits || code.bytes().any(|b| b.is_ascii_digit()));
        if fits && !amount {
            found.push(Candidate {
                code,
                start,
                end: i,
            });
        }
    }
    found
}
