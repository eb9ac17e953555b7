//! Code normalisation: whatever arrives in the field (typed keys, a paste, browser or iOS autofill,
//! the Gboard clipboard chip, WebOTP) goes through [`accept`], which returns the code to show;
//! typing is decided before it happens ([`edit`]), so the browser's own editing keeps undo and
//! composition working.
//!
//! Input made only of code characters and separators, at most a code delivered twice, is taken
//! as typed. Anything else is a message: the origin-bound last line (`@shop.example #123456`)
//! decides when present ([`origin_bound`]), and refuses a code bound to another host; otherwise
//! the code is the run of the right length that the message's own words point at ([`message`]).

pub mod edit;
pub mod message;
pub mod origin_bound;
#[cfg(test)]
mod tests;

use message::from_message;

/// Which characters a code is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Alphabet {
    /// Decimal digits (the default): a numeric keypad is shown.
    #[default]
    Digits,
    /// Latin letters and digits, case-insensitive (stored upper-case).
    Alphanumeric,
}

impl Alphabet {
    /// The `inputmode` that brings up the right on-screen keyboard.
    pub fn input_mode(self) -> &'static str {
        match self {
            Alphabet::Digits => "numeric",
            Alphabet::Alphanumeric => "text",
        }
    }
}

/// What became of text that arrived in the field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// The value the field should hold: the code, or its beginning while the shopper types.
    Code(String),
    /// The text carries an origin-bound line for another host: the code is not for this page.
    WrongHost {
        /// The host the message names.
        host: String,
    },
}

/// Reads `text` as it stands in the field after an input event, for a code of `length`
/// characters of `alphabet`, on a page served from `page_host`.
pub fn accept(text: &str, length: u8, alphabet: Alphabet, page_host: &str) -> Entry {
    let length = usize::from(length);
    if let Some(bound) = origin_bound::parse(text) {
        if !bound.allows(page_host) {
            return Entry::WrongHost {
                host: bound.host().to_string(),
            };
        }
        let code = code_chars(bound.code, alphabet).0;
        if code.len() == length {
            return Entry::Code(code);
        }
    }
    let (mut code, typed) = code_chars(text, alphabet);
    // Longer than a code delivered twice: words of a message, not keystrokes.
    if !typed || code.len() > 2 * length {
        let chars: Vec<char> = text.chars().collect();
        if let Some(found) = from_message(&chars, length, alphabet) {
            return Entry::Code(found);
        }
    } else if code.len() == 2 * length && code.as_bytes()[..length] == code.as_bytes()[length..] {
        // iOS and some Android keyboards deliver an autofilled code twice: keep one.
        code.truncate(length);
    }
    code.truncate(length);
    Entry::Code(code)
}

/// The code characters of `text` in order (ASCII, so byte offsets are character offsets), and
/// whether the text held nothing else but separators, as typed input does.
pub(super) fn code_chars(text: &str, alphabet: Alphabet) -> (String, bool) {
    let mut code = String::new();
    let mut typed = true;
    for c in text.chars() {
        match fold(c, alphabet) {
            Some(c) => code.push(c),
            None => typed &= is_separator(c) || is_invisible(c),
        }
    }
    (code, typed)
}

/// Whether `code` is exactly `length` characters of `alphabet`, ready to be checked.
pub fn is_complete(code: &str, length: u8, alphabet: Alphabet) -> bool {
    // Every character folding to itself means every character is ASCII, so bytes count them.
    code.chars().all(|c| fold(c, alphabet) == Some(c)) && code.len() == usize::from(length)
}

/// The ASCII code character `c` stands for, if any: ASCII and full-width digits, Arabic-Indic
/// and Persian digits (phones on right-to-left locales type them), and for alphanumeric codes
/// ASCII and full-width Latin letters, upper-cased.
fn fold(c: char, alphabet: Alphabet) -> Option<char> {
    let digit = match c {
        '0'..='9' => Some(c),
        '\u{FF10}'..='\u{FF19}' => offset(c, 0xFF10, b'0'),
        '\u{0660}'..='\u{0669}' => offset(c, 0x0660, b'0'),
        '\u{06F0}'..='\u{06F9}' => offset(c, 0x06F0, b'0'),
        _ => None,
    };
    match alphabet {
        Alphabet::Digits => digit,
        Alphabet::Alphanumeric => digit.or(match c {
            'a'..='z' | 'A'..='Z' => Some(c.to_ascii_uppercase()),
            '\u{FF21}'..='\u{FF3A}' => offset(c, 0xFF21, b'A'),
            '\u{FF41}'..='\u{FF5A}' => offset(c, 0xFF41, b'A'),
            _ => None,
        }),
    }
}

fn offset(c: char, base: u32, ascii: u8) -> Option<char> {
    char::from_u32(u32::from(c) - base + u32::from(ascii))
}

/// Characters people and phones put between groups of a code: `123 456`, `123-456`, `12.34.56`.
fn is_separator(c: char) -> bool {
    matches!(
        c,
        ' ' | '-' | '.' | '\u{00A0}' | '\u{2009}' | '\u{202F}' | '\u{2010}'
            ..='\u{2015}' | '\u{3000}' | '\u{FF0D}'
    ) || c == '\t'
        || c == '\n'
        || c == '\r'
}

/// Direction marks and zero-width characters that right-to-left text and some SMS apps insert.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{061C}' | '\u{2066}'..='\u{2069}' | '\u{202A}'..='\u{202E}' | '\u{FEFF}')
}
