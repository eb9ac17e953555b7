//! Code normalisation: whatever the shopper typed, pasted or had autofilled becomes the digits of the
//! code, so the field never fights them over spaces, dashes or full-width digits.

/// The digits of `input` in order, as ASCII, at most `length` of them.
///
/// Accepts ASCII digits and the full-width digits some phone keyboards produce (U+FF10..U+FF19);
/// drops everything else (spaces, dashes, dots, a trailing newline, letters).
pub fn normalize(input: &str, length: u8) -> String {
    input
        .chars()
        .filter_map(ascii_digit)
        .take(usize::from(length))
        .collect()
}

/// Whether `code` holds exactly `length` ASCII digits, so it can be sent for checking.
pub fn is_complete(code: &str, length: u8) -> bool {
    code.len() == usize::from(length) && code.bytes().all(|b| b.is_ascii_digit())
}

fn ascii_digit(c: char) -> Option<char> {
    match c {
        '0'..='9' => Some(c),
        '\u{FF10}'..='\u{FF19}' => char::from_u32(u32::from(c) - 0xFF10 + u32::from(b'0')),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_plain_digits() {
        assert_eq!(normalize("123456", 6), "123456");
        assert_eq!(normalize("1234", 6), "1234");
    }

    #[test]
    fn strips_separators_and_whitespace() {
        assert_eq!(normalize(" 123-456\n", 6), "123456");
        assert_eq!(normalize("123 456", 6), "123456");
        assert_eq!(normalize("12.34.56", 6), "123456");
    }

    #[test]
    fn maps_full_width_digits() {
        assert_eq!(normalize("１２３４５６", 6), "123456");
        assert_eq!(normalize("１2３4５6", 6), "123456");
    }

    #[test]
    fn cuts_at_the_configured_length() {
        assert_eq!(normalize("12345678", 6), "123456");
        assert_eq!(normalize("12345678", 8), "12345678");
        assert_eq!(normalize("Code: 1234", 4), "1234");
    }

    #[test]
    fn other_scripts_digits_and_letters_are_dropped() {
        // Arabic-Indic digits are numeric but not what servers expect; leave them out for now.
        assert_eq!(normalize("٣abc", 6), "");
        assert_eq!(normalize("", 6), "");
    }

    #[test]
    fn completeness_needs_exact_length_of_digits() {
        assert!(is_complete("123456", 6));
        assert!(!is_complete("12345", 6));
        assert!(!is_complete("1234567", 6));
        assert!(!is_complete("12345a", 6));
        assert!(is_complete("1234", 4));
    }
}
