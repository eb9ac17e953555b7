//! Where codes go: a phone number in E.164 (`+14155550300`) or a lower-cased e-mail address, so
//! that one destination however it is written is one key for every limit.

use phonenumber::{Mode, PhoneNumber};

/// Longest destination accepted, in characters, before any parsing (an e-mail address is at most
/// 254; a phone number, however it is written, far less).
pub const MAX_CHARS: usize = 254;

/// A destination in its one canonical spelling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// A phone number that can receive codes, in E.164.
    Phone(String),
    /// An e-mail address, lower-cased.
    Email(String),
}

/// Why a destination was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DestinationError {
    /// Longer than [`MAX_CHARS`].
    #[error("the destination is longer than {MAX_CHARS} characters")]
    TooLong,
    /// Not a phone number any country assigns.
    #[error("the destination is not a valid phone number")]
    NotAPhoneNumber,
    /// Not an e-mail address.
    #[error("the destination is not a valid e-mail address")]
    NotAnEmailAddress,
}

impl Destination {
    /// Reads `text` as the channel needs it: an e-mail address for `email`, else a phone number.
    ///
    /// A phone number may be written with spaces, `()-./`, full-width or other decimal digits,
    /// and an international prefix of `+` or `00`; with neither, the digits are read as starting
    /// with the country code (`14155550300` is `+14155550300`), since a checkout page serves
    /// shoppers of many countries.
    pub fn parse(text: &str, channel: &str) -> Result<Self, DestinationError> {
        Self::parse_with_hint(text, channel).map(|(destination, _)| destination)
    }

    /// [`Destination::parse`] and the [`Destination::hint`] of what it read, from one parse of
    /// a phone number: a second parse for the hint was 5–7% of a send's CPU (perf, make
    /// bench-server).
    pub fn parse_with_hint(text: &str, channel: &str) -> Result<(Self, String), DestinationError> {
        if text.chars().count() > MAX_CHARS {
            return Err(DestinationError::TooLong);
        }
        if channel == "email" {
            let destination = Self::Email(email(text)?);
            let hint = destination.hint();
            Ok((destination, hint))
        } else {
            let number = phone(text)?;
            let e164 = number.format().mode(Mode::E164).to_string();
            Ok((Self::Phone(e164), phone_hint(&number)))
        }
    }

    /// A destination already in canonical form, as stored: an address if it has an `@`.
    pub fn from_canonical(text: &str) -> Self {
        if text.contains('@') {
            Self::Email(text.into())
        } else {
            Self::Phone(text.into())
        }
    }

    /// The canonical text: the E.164 number or the address.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Phone(number) | Self::Email(number) => number,
        }
    }

    /// The destination masked for the shopper to recognise and nobody else to learn: a phone
    /// number in its international format with all but the country code and the last four digits
    /// hidden (`+1 •••-•••-0300`); an address with all but its first letter and its domain hidden.
    pub fn hint(&self) -> String {
        match self {
            Self::Phone(number) => match phonenumber::parse(None, number) {
                Ok(parsed) => phone_hint(&parsed),
                Err(_) => mask_digits(number, 0),
            },
            Self::Email(address) => match address.split_once('@') {
                Some((local, domain)) => {
                    let first: String = local.chars().take(1).collect();
                    format!("{first}•••@{domain}")
                }
                None => "•••".into(),
            },
        }
    }
}

/// A number's [`Destination::hint`]: its international format, the country code and the last
/// four digits shown.
fn phone_hint(number: &PhoneNumber) -> String {
    let formatted = number.format().mode(Mode::International).to_string();
    mask_digits(&formatted, number.code().value().to_string().len())
}

/// Hides every digit but the first `keep_leading` and the last four.
fn mask_digits(text: &str, keep_leading: usize) -> String {
    let digits = text.chars().filter(char::is_ascii_digit).count();
    let mut seen = 0;
    text.chars()
        .map(|c| {
            if c.is_ascii_digit() {
                seen += 1;
                if seen > keep_leading && seen <= digits.saturating_sub(4) {
                    return '•';
                }
            }
            c
        })
        .collect()
}

/// Code points of the zero of each decimal digit block a number may arrive in: ASCII, Arabic-Indic,
/// Extended Arabic-Indic, Devanagari, Bengali, full-width.
const ZEROS: [u32; 6] = [0x30, 0x660, 0x6F0, 0x966, 0x9E6, 0xFF10];

/// The ASCII digit `c` stands for, if it is a decimal digit of one of the [`ZEROS`] blocks.
fn digit(c: char) -> Option<char> {
    ZEROS.iter().find_map(|&zero| {
        let offset = u32::from(c).checked_sub(zero).filter(|&d| d < 10)?;
        char::from_digit(offset, 10)
    })
}

fn phone(text: &str) -> Result<PhoneNumber, DestinationError> {
    let mut plus = false;
    let mut digits = String::new();
    for c in text.trim().chars() {
        match (c, digit(c)) {
            (_, Some(d)) => digits.push(d),
            ('+' | '\u{FF0B}', _) if digits.is_empty() && !plus => plus = true,
            (' ' | '(' | ')' | '-' | '.' | '/' | '\u{A0}' | '\u{2010}'..='\u{2015}', _) => {}
            _ => return Err(DestinationError::NotAPhoneNumber),
        }
    }
    let international = match digits.strip_prefix("00") {
        Some(rest) if !plus => rest,
        _ => &digits,
    };
    if international.is_empty() || international.len() > 15 {
        return Err(DestinationError::NotAPhoneNumber);
    }
    let parsed = phonenumber::parse(None, format!("+{international}"))
        .map_err(|_| DestinationError::NotAPhoneNumber)?;
    if !phonenumber::is_valid(&parsed) {
        return Err(DestinationError::NotAPhoneNumber);
    }
    Ok(parsed)
}

fn email(text: &str) -> Result<String, DestinationError> {
    let address = text.trim().to_lowercase();
    let (local, domain) = address
        .rsplit_once('@')
        .ok_or(DestinationError::NotAnEmailAddress)?;
    let local_ok = (1..=64).contains(&local.len())
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+/=?^_`{|}~.-".contains(&b));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|label| {
            (1..=63).contains(&label.len())
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
        && labels.last().is_some_and(|tld| {
            tld.bytes().all(|b| b.is_ascii_alphabetic()) || tld.starts_with("xn--")
        });
    if local_ok && domain_ok {
        Ok(address)
    } else {
        Err(DestinationError::NotAnEmailAddress)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_number_however_it_is_written() {
        for written in [
            "+1 415 555 0300",
            "+14155550300",
            "14155550300",
            "0014155550300",
            "+1/415/555/0300",
            "+1 (415) 555-0300",
            "+1.415.555.0300",
            "＋１４１５５５５０３００",
            "+1 415 555 030\u{FF10}",
        ] {
            assert_eq!(
                Destination::parse(written, "sms"),
                Ok(Destination::Phone("+14155550300".into())),
                "{written}"
            );
        }
        assert_eq!(
            Destination::parse("+44 20 7946 0958", "voice"),
            Ok(Destination::Phone("+442079460958".into()))
        );
    }

    #[test]
    fn what_is_not_a_number_is_refused() {
        for written in [
            "",
            "+",
            "hello",
            "+1 415 555 0300 ext 2",
            "+1 415",
            "+999 1234567",
            "++14155550300",
            "+1 415 555 0300 0000 0000 0000",
            "14155550300\u{0}",
        ] {
            assert_eq!(
                Destination::parse(written, "sms"),
                Err(DestinationError::NotAPhoneNumber),
                "{written:?}"
            );
        }
        assert_eq!(
            Destination::parse(&"1".repeat(100_000), "sms"),
            Err(DestinationError::TooLong)
        );
    }

    #[test]
    fn e_mail_addresses_are_lower_cased_and_checked() {
        assert_eq!(
            Destination::parse(" Shopper@Example.COM ", "email"),
            Ok(Destination::Email("shopper@example.com".into()))
        );
        for written in [
            "shopper",
            "@example.com",
            "a@b",
            "a..b@example.com",
            "a@-x.com",
            "a b@example.com",
        ] {
            assert_eq!(
                Destination::parse(written, "email"),
                Err(DestinationError::NotAnEmailAddress),
                "{written}"
            );
        }
    }

    #[test]
    fn the_hint_read_with_the_destination_is_its_hint() {
        for (written, channel) in [
            ("+1 (415) 555-0300", "sms"),
            ("0044 20 7946 0958", "voice"),
            ("＋１４１５５５５０３００", "sms"),
            (" Shopper@Example.com ", "email"),
        ] {
            let (destination, hint) =
                Destination::parse_with_hint(written, channel).expect(written);
            assert_eq!(
                Ok(destination.clone()),
                Destination::parse(written, channel)
            );
            assert_eq!(hint, destination.hint(), "{written}");
        }
        assert_eq!(
            Destination::parse_with_hint("not a number", "sms"),
            Err(DestinationError::NotAPhoneNumber)
        );
    }

    #[test]
    fn hints_hide_all_but_what_the_shopper_recognises() {
        let phone = Destination::Phone("+14155550300".into());
        assert_eq!(phone.hint(), "+1 •••-•••-0300");
        let uk = Destination::Phone("+442079460958".into());
        assert_eq!(uk.hint(), "+44 •• •••• 0958");
        let email = Destination::Email("shopper@example.com".into());
        assert_eq!(email.hint(), "s•••@example.com");
    }
}
