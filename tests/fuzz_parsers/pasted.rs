//! The code reader and the field's edits: pasted text and SMS, with the selection they land in.

use super::*;

/// Text as it arrives in a code field: arbitrary Unicode, or an SMS made of digits in four
/// scripts, letters, code words in five languages, amounts, separators and invisible marks,
/// often ending with an origin-bound line for this host, a parent, another or a malformed one.
fn pasted_text() -> impl Strategy<Value = String> {
    let digit = prop_oneof![
        (b'0'..=b'9').prop_map(char::from),
        select(vec!['０', '９', '٠', '٩', '۰', '۹']),
    ];
    let letter = prop_oneof![
        (b'a'..=b'z').prop_map(char::from),
        (b'A'..=b'Z').prop_map(char::from),
        select(vec!['Ａ', 'ｚ', 'é', 'Д']),
    ];
    let run = |chars: BoxedStrategy<char>| vec(chars, 1..=12).prop_map(String::from_iter);
    let word = pick("code|Code|CODE|passcode|PIN|OTP|verification|código|clave|senha|код|Код|\
        пароль|验证码|码|Your|is|order|#|$|€|12.50|1,299|$9.99|+1 415 555 0123|https://shop.example/|\
        @|:");
    let separator = pick(
        " | |-|.|,|\n|\r\n|\t|\u{a0}|\u{2009}|\u{2013}|\u{3000}|\u{200f}|\
        \u{2067}|\u{2069}|\u{feff}|\u{200b}",
    );
    let token = prop_oneof![
        3 => run(digit.boxed()),
        1 => run(letter.boxed()),
        2 => word.prop_map(str::to_string),
        3 => separator.prop_map(str::to_string),
    ];
    let host = pick(
        "shop.example|pay.shop.example|SHOP.EXAMPLE|shop.example.|evil.example|\
        shop.example.evil.io|evilshop.example|localhost||sh op|-x.example|.example|\
        xn--shp-2na.example|shop.example:443|https://shop.example",
    );
    let line_code = prop_oneof![
        (b'0'..=b'9').prop_map(char::from),
        (b'A'..=b'Z').prop_map(char::from),
        any::<char>(),
    ];
    let embedded = prop_oneof![
        Just(String::new()),
        host.clone().prop_map(|h| format!(" @{h}"))
    ];
    let bound = (
        pick("\n|\n\n|\r\n| |"),
        host,
        vec(line_code, 0..=12).prop_map(String::from_iter),
        embedded,
        pick("|\n| | trailing"),
    )
        .prop_map(|(before, host, code, embedded, after)| {
            format!("{before}@{host} #{code}{embedded}{after}")
        });
    // Now and then a long text: an e-mail or a whole conversation copied at once.
    let token = token.boxed();
    let tokens = prop_oneof![9 => vec(token.clone(), 0..=40), 1 => vec(token, 0..=400)];
    let sms = (tokens, prop::option::of(bound))
        .prop_map(|(tokens, bound)| tokens.concat() + &bound.unwrap_or_default());
    prop_oneof![1 => unicode(128), 3 => sms]
}

/// A paste: the field's value, the selection it replaces (also reversed or far out of range),
/// what is pasted, the code's length and alphabet, and the page's host.
type Paste = (String, (usize, usize), String, u8, Alphabet, String);

fn paste_input() -> impl Strategy<Value = Paste> {
    let selection = prop_oneof![
        (0..12usize, 0..12usize),
        (any::<usize>(), any::<usize>()),
        Just((usize::MAX, 0)),
    ];
    let alphabet = prop_oneof![Just(Alphabet::Digits), Just(Alphabet::Alphanumeric)];
    let page_host = prop_oneof![
        pick("shop.example|pay.shop.example|evil.example||localhost").prop_map(str::to_string),
        unicode(12),
    ];
    (
        pasted_text(),
        selection,
        pasted_text(),
        4..=10u8,
        alphabet,
        page_host,
    )
}

/// What every reading must be: a code of at most `length` code characters (ASCII digits, and
/// upper-case ASCII letters for alphanumeric codes), or a refusal naming a host.
fn well_formed(entry: &Entry, length: u8, alphabet: Alphabet) -> TestCaseResult {
    match entry {
        Entry::Code(code) => {
            prop_assert!(code.len() <= usize::from(length), "{entry:?}");
            let code_char = |c: char| match alphabet {
                Alphabet::Digits => c.is_ascii_digit(),
                Alphabet::Alphanumeric => c.is_ascii_digit() || c.is_ascii_uppercase(),
            };
            prop_assert!(code.chars().all(code_char), "{entry:?}");
        }
        Entry::WrongHost { host } => prop_assert!(!host.is_empty(), "{entry:?}"),
    }
    Ok(())
}

#[test]
fn fuzz_pasted_text() {
    fuzz("pasted text", paste_input(), |fuzz, input| {
        let (value, selection, pasted, length, alphabet, host) = input;
        let (length, alphabet) = (*length, *alphabet);
        let typed = fuzz.call(input, || accept(pasted, length, alphabet, host))?;
        well_formed(&typed, length, alphabet)?;
        let typed = fuzz.call(input, || accept(value, length, alphabet, host))?;
        well_formed(&typed, length, alphabet)?;
        let edit = fuzz.call(input, || {
            paste(value, *selection, pasted, length, alphabet, host)
        })?;
        match edit {
            Ok(edit) => edit_well_formed(&edit, value, length, alphabet)?,
            Err(host) => prop_assert!(!host.is_empty(), "refused for no host"),
        }
        // The same text typed in one go (a keyboard's suggestion, a dictation).
        let edit = fuzz.call(input, || {
            before_input(
                value,
                *selection,
                "insertText",
                Some(pasted),
                length,
                alphabet,
            )
        })?;
        edit_well_formed(&edit, value, length, alphabet)
    });
}

/// An edit stays inside the value, and what it puts in is code characters only, as many as fit
/// beside what it keeps.
fn edit_well_formed(edit: &Edit, value: &str, length: u8, alphabet: Alphabet) -> TestCaseResult {
    let filled = value.chars().count();
    match edit {
        Edit::Allow | Edit::Refuse => {}
        Edit::Over { start, end } => prop_assert!(start < end && *end <= filled, "{edit:?}"),
        Edit::Insert { start, end, text } => {
            prop_assert!(start <= end && *end <= filled, "{edit:?}");
            well_formed(&Entry::Code(text.clone()), length, alphabet)?;
            prop_assert!(
                text.len() + filled - (end - start) <= usize::from(length).max(filled),
                "{edit:?} overfills {value:?}"
            );
        }
    }
    Ok(())
}
