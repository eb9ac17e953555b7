//! Code normalisation: whatever arrives in the field (typed keys, a paste, browser or iOS autofill,
//! the Gboard clipboard chip, WebOTP) goes through [`accept`], which returns the code to show.
//!
//! Input made only of code characters and separators, at most a code delivered twice, is taken
//! as typed. Anything else is a message: the origin-bound last line (`@shop.example #123456`)
//! decides when present, and refuses a code bound to another host; otherwise the code is the run of the right length that the
//! message's own words ("code", "código", "код", "验证码"…) point at, so a price, a phone number
//! or an order number in the same text is not taken for it.

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
    if let Some(bound) = origin_bound(text) {
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
    } else if code.len() == 2 * length && {
        // Bytes, not `str` slices: the code is ASCII, and a `str` slice drags in 3 KB of panic
        // formatting.
        let (first, second) = code.as_bytes().split_at(length);
        first == second
    } {
        // iOS and some Android keyboards deliver an autofilled code twice: keep one.
        code.truncate(length);
    }
    code.truncate(length);
    Entry::Code(code)
}

/// The code characters of `text` in order (ASCII, so byte offsets are character offsets), and
/// whether the text held nothing else but separators, as typed input does.
fn code_chars(text: &str, alphabet: Alphabet) -> (String, bool) {
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

/// Reads a paste of `pasted` into a field holding `value` with the selection `start..end`
/// (character offsets). A paste that carries a whole code, or an origin-bound line, stands for
/// itself; a fragment (`56` after `1234`) goes where the caret is.
///
/// Pastes must be read from the clipboard rather than from the field: browsers strip line
/// breaks from single-line inputs, which would glue the origin-bound line to the text before it.
pub fn paste(
    value: &str,
    (start, end): (usize, usize),
    pasted: &str,
    length: u8,
    alphabet: Alphabet,
    page_host: &str,
) -> Entry {
    let alone = accept(pasted, length, alphabet, page_host);
    match &alone {
        Entry::WrongHost { .. } => return alone,
        // Codes are ASCII: bytes are characters.
        Entry::Code(code) if code.len() == usize::from(length) => return alone,
        Entry::Code(_) => {}
    }
    let mut combined = String::new();
    let mut inserted = false;
    for (at, c) in value.chars().enumerate() {
        if at == start.min(end) {
            combined.push_str(pasted);
            inserted = true;
        }
        if !(start..end).contains(&at) {
            combined.push(c);
        }
    }
    if !inserted {
        combined.push_str(pasted);
    }
    accept(&combined, length, alphabet, page_host)
}

/// The slot a drawn code field highlights as the caret's: the first empty one, or the last when
/// the code is complete.
pub fn active_slot(filled: usize, length: u8) -> usize {
    filled.min(usize::from(length).saturating_sub(1))
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

/// The parsed origin-bound last line of a message (WICG sms-one-time-codes).
struct OriginBound<'a> {
    top: &'a str,
    code: &'a str,
    embedded: Option<&'a str>,
}

impl OriginBound<'_> {
    /// Whether the page may take this code: its host is the bound host (for a framed widget the
    /// embedded host), or a subdomain of it, compared case-insensitively without a trailing dot.
    fn allows(&self, page_host: &str) -> bool {
        let page = page_host.trim_end_matches('.').as_bytes();
        let bound = self.host().trim_end_matches('.').as_bytes();
        let Some(split) = page.len().checked_sub(bound.len()) else {
            return false;
        };
        page[split..].eq_ignore_ascii_case(bound) && (split == 0 || page[split - 1] == b'.')
    }

    /// The host the page is measured against: the embedded one when the line names one.
    fn host(&self) -> &str {
        self.embedded.unwrap_or(self.top)
    }
}

/// Parses the last non-empty line as `@host #code` with an optional ` @embedded-host`; exactly
/// one space between fields, no scheme, port or path in hosts, trailing fields ignored.
fn origin_bound(text: &str) -> Option<OriginBound<'_>> {
    let text = text.trim_end_matches(|c: char| c.is_ascii_whitespace());
    let line = text.rsplit('\n').next()?.trim_end_matches('\r');
    let (top, rest) = line.strip_prefix('@')?.split_once(' ')?;
    let (code, rest) = rest.split_once(' ').unwrap_or((rest, ""));
    let code = code.strip_prefix('#').filter(|c| !c.is_empty())?;
    let embedded = match rest.split(' ').next().and_then(|f| f.strip_prefix('@')) {
        Some(host) if !is_host(host) => return None,
        embedded => embedded,
    };
    is_host(top).then_some(OriginBound {
        top,
        code,
        embedded,
    })
}

/// A bare host name: letters, digits, dots and hyphens (punycode included), no scheme, port,
/// path or user, at least one dot or `localhost`.
fn is_host(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 253
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
        && !host.starts_with(['.', '-'])
        && (host.contains('.') || host == "localhost")
}

/// Words that introduce or follow a code in verification messages, lower-case, in the five
/// seed languages.
const KEYWORDS: &[&str] = &[
    "code",
    "passcode",
    "pin",
    "otp",
    "verification", // en
    "código",
    "codigo",
    "clave",
    "verificación", // es
    "senha",
    "verificação", // pt
    "код",
    "пароль", // ru
    "验证码",
    "校验码",
    "动态码",
    "确认码",
    "码", // zh
];

/// Lower-cases the letters the keywords use (ASCII, Latin-1 accents, Cyrillic) without
/// `str::to_lowercase`, whose Unicode tables cost kilobytes of the package.
fn lower_case(c: char) -> char {
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
fn from_message(chars: &[char], length: usize, alphabet: Alphabet) -> Option<String> {
    let candidates = candidates(chars, length, alphabet);
    // Each keyword occurrence as a character range.
    let mut keywords = Vec::new();
    for at in 0..chars.len() {
        for keyword in KEYWORDS {
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

#[cfg(test)]
mod tests {
    use super::*;

    const HOST: &str = "shop.example";

    fn digits(text: &str) -> Entry {
        accept(text, 6, Alphabet::Digits, HOST)
    }

    fn code(text: &str) -> String {
        match digits(text) {
            Entry::Code(code) => code,
            other => panic!("{text:?} gave {other:?}"),
        }
    }

    // Pain points from research/otp_components.md §4 that apply to a single input.

    #[test]
    fn pain_1_autofill_delivers_the_whole_code_in_one_event() {
        assert_eq!(code("123456"), "123456");
        // iOS "From Messages" on Chrome may cut at a maxlength; with none set, the value arrives whole.
        assert_eq!(code("1234567"), "123456");
    }

    #[test]
    fn pain_2_paste_and_the_gboard_chip_fill_every_slot() {
        assert_eq!(code("654321"), "654321");
        assert_eq!(code(" 654321 "), "654321");
    }

    #[test]
    fn pain_3_messy_clipboard_text_is_accepted() {
        assert_eq!(code("123-456"), "123456");
        assert_eq!(code(" 123456"), "123456");
        assert_eq!(code("123 456\n"), "123456");
        assert_eq!(code("12.34.56"), "123456");
        assert_eq!(code("Your code is 123-456."), "123456");
        assert_eq!(code("Code: ABC123456"), "123456");
        assert_eq!(code("１２３４５６"), "123456");
    }

    #[test]
    fn pain_4_a_code_delivered_twice_is_kept_once() {
        assert_eq!(code("123456123456"), "123456");
        assert_eq!(code("123456 123456"), "123456");
    }

    #[test]
    fn pain_7_deleting_keeps_what_is_left() {
        assert_eq!(code("12345"), "12345");
        assert_eq!(code("1"), "1");
        assert_eq!(code(""), "");
    }

    #[test]
    fn pain_8_correcting_one_character_keeps_the_rest_in_place() {
        assert_eq!(code("129456"), "129456");
        assert_eq!(
            code("12x456"),
            "12456",
            "a stray letter is dropped, not the digits after it"
        );
    }

    #[test]
    fn pain_10_right_to_left_text_keeps_the_code_in_order() {
        assert_eq!(code("\u{200F}١٢٣٤٥٦"), "123456");
        assert_eq!(code("۱۲۳۴۵۶"), "123456");
        assert_eq!(code("\u{2067}123456\u{2069}"), "123456");
        assert_eq!(code("رمز التحقق: 123456"), "123456");
    }

    #[test]
    fn paste_of_a_whole_message_replaces_the_field() {
        let pasted = "Your code is 482913.\n\n@shop.example #482913";
        assert_eq!(
            paste("12", (2, 2), pasted, 6, Alphabet::Digits, HOST),
            Entry::Code("482913".into())
        );
        assert_eq!(
            paste("", (0, 0), pasted, 6, Alphabet::Digits, "evil.example"),
            Entry::WrongHost {
                host: "shop.example".into()
            }
        );
    }

    #[test]
    fn paste_of_a_fragment_goes_where_the_caret_is() {
        let p = |value, sel, pasted| paste(value, sel, pasted, 6, Alphabet::Digits, HOST);
        assert_eq!(p("1234", (4, 4), "56"), Entry::Code("123456".into()));
        assert_eq!(p("1256", (2, 2), "34"), Entry::Code("123456".into()));
        assert_eq!(
            p("129956", (2, 4), "34"),
            Entry::Code("123456".into()),
            "replaces the selection"
        );
        assert_eq!(
            p("12", (9, 9), "3"),
            Entry::Code("123".into()),
            "out-of-range caret is clamped"
        );
    }

    #[test]
    fn alphanumeric_codes_are_upper_cased() {
        let entry = accept("ab12cd", 6, Alphabet::Alphanumeric, HOST);
        assert_eq!(entry, Entry::Code("AB12CD".into()));
        let entry = accept(
            "Your code is K7Q-2ZP. Order 1234",
            6,
            Alphabet::Alphanumeric,
            HOST,
        );
        assert_eq!(entry, Entry::Code("K7Q2ZP".into()));
        assert!(is_complete("AB12CD", 6, Alphabet::Alphanumeric));
        assert!(!is_complete("ab12cd", 6, Alphabet::Alphanumeric));
        assert!(!is_complete("AB12CD", 6, Alphabet::Digits));
    }

    #[test]
    fn the_caret_slot_is_the_first_empty_one_or_the_last() {
        assert_eq!(active_slot(0, 6), 0);
        assert_eq!(active_slot(3, 6), 3);
        assert_eq!(active_slot(6, 6), 5);
        assert_eq!(active_slot(9, 6), 5);
    }

    #[test]
    fn completeness_needs_exact_length() {
        assert!(is_complete("123456", 6, Alphabet::Digits));
        assert!(!is_complete("12345", 6, Alphabet::Digits));
        assert!(!is_complete("1234567", 6, Alphabet::Digits));
        assert!(!is_complete("12345a", 6, Alphabet::Digits));
    }

    /// Real-style SMS texts: six per seed language, each with the code and often a distractor.
    const MESSAGES: &[(&str, &str)] = &[
        // English
        (
            "Your Demo Store verification code is 482913. It expires in 10 minutes.",
            "482913",
        ),
        (
            "482913 is your Demo Store code. Don't share it with anyone.",
            "482913",
        ),
        (
            "Demo Store: order #552211 total $129.99. Your code: 482913",
            "482913",
        ),
        (
            "Use code 482913 to confirm your payment of $1,299.00 at Demo Store.",
            "482913",
        ),
        (
            "Call +1 415 555 0123 if this wasn't you. Your passcode is 482-913.",
            "482913",
        ),
        (
            "Your OTP for order 77341290 is 482913. Valid for 5 min.",
            "482913",
        ),
        // Spanish
        (
            "Tu código de verificación de Demo Store es 482913. Caduca en 10 minutos.",
            "482913",
        ),
        (
            "482913 es tu código de Demo Store. No lo compartas.",
            "482913",
        ),
        (
            "Demo Store: pedido 552211 por 129,99 €. Código: 482913",
            "482913",
        ),
        ("Usa la clave 482 913 para confirmar tu compra.", "482913"),
        (
            "Su código es 482913. Si no fue usted, llame al 900 123 456.",
            "482913",
        ),
        (
            "Código de seguridad: 482913 (válido 5 min). Pedido n.º 881234",
            "482913",
        ),
        // Portuguese
        (
            "Seu código de verificação Demo Store é 482913. Expira em 10 minutos.",
            "482913",
        ),
        (
            "482913 é o seu código Demo Store. Não compartilhe.",
            "482913",
        ),
        (
            "Demo Store: pedido 552211 de R$ 129,90. Código: 482913",
            "482913",
        ),
        (
            "Use a senha 482913 para confirmar a compra de R$1.299,00.",
            "482913",
        ),
        ("O seu código é 482-913. Dúvidas: 21 3003 4455", "482913"),
        (
            "Código de confirmação: 482913. Não partilhe este código.",
            "482913",
        ),
        // Russian
        (
            "Ваш код подтверждения Demo Store: 482913. Действует 10 минут.",
            "482913",
        ),
        (
            "482913 — ваш код для входа в Demo Store. Никому его не сообщайте.",
            "482913",
        ),
        (
            "Demo Store: заказ 552211 на сумму 12 990 ₽. Код: 482913",
            "482913",
        ),
        ("Код: 482913. Сумма покупки 1299.00 руб.", "482913"),
        (
            "Никому не сообщайте код 482 913. Поддержка: 8 800 555 35 35",
            "482913",
        ),
        ("Пароль для подтверждения оплаты: 482913", "482913"),
        // Chinese
        (
            "【Demo Store】您的验证码为482913，10分钟内有效，请勿泄露。",
            "482913",
        ),
        (
            "【Demo Store】验证码：482913。您正在支付订单552211，金额¥129.00。",
            "482913",
        ),
        ("您的动态码是 482913，如非本人操作请忽略。", "482913"),
        (
            "482913（Demo Store校验码）。客服电话 400 820 8820",
            "482913",
        ),
        (
            "【Demo Store】订单77341290确认码482913，5分钟内有效。",
            "482913",
        ),
        ("验证码482913，用于Demo Store登录，请勿告诉他人。", "482913"),
    ];

    #[test]
    fn keyword_case_folding_covers_the_seed_scripts() {
        let lower: String = "CÓDIGO Код ЁЖ Verificação"
            .chars()
            .map(lower_case)
            .collect();
        assert_eq!(lower, "código код ёж verificação");
        assert_eq!(lower_case('码'), '码');
    }

    #[test]
    fn thirty_messages_in_five_languages() {
        assert_eq!(MESSAGES.len(), 30);
        for (message, expected) in MESSAGES {
            assert_eq!(code(message), *expected, "{message}");
        }
    }

    #[test]
    fn the_same_messages_with_an_origin_bound_line() {
        for (message, expected) in MESSAGES {
            let bound = format!("{message}\n\n@shop.example #{expected}");
            assert_eq!(code(&bound), *expected, "{bound}");
        }
    }

    #[test]
    fn origin_bound_line_for_this_host_gives_the_code() {
        assert_eq!(
            code("Your code is 111111.\n\n@shop.example #482913"),
            "482913"
        );
        assert_eq!(code("@shop.example #482913"), "482913");
        assert_eq!(code("code 1\n@SHOP.EXAMPLE. #482913\n"), "482913");
        assert_eq!(
            accept(
                "@shop.example #482913",
                6,
                Alphabet::Digits,
                "www.shop.example"
            ),
            Entry::Code("482913".into()),
            "a subdomain of the bound host is the same site"
        );
        assert_eq!(
            accept(
                "@shop.example #482913 @pay.shop.example x",
                6,
                Alphabet::Digits,
                "pay.shop.example"
            ),
            Entry::Code("482913".into()),
            "a framed widget takes the code bound to its own (embedded) host"
        );
    }

    #[test]
    fn origin_bound_line_for_another_host_is_refused() {
        let wrong = |text: &str, page: &str| accept(text, 6, Alphabet::Digits, page);
        assert_eq!(
            wrong(
                "Your code is 482913\n\n@shop.example #482913",
                "shop-example.com"
            ),
            Entry::WrongHost {
                host: "shop.example".into()
            }
        );
        assert_eq!(
            wrong("@shop.example #482913", "shop.example.evil.io"),
            Entry::WrongHost {
                host: "shop.example".into()
            }
        );
        assert_eq!(
            wrong("@shop.example #482913", "evilshop.example"),
            Entry::WrongHost {
                host: "shop.example".into()
            },
            "a suffix is not a subdomain"
        );
        assert_eq!(
            wrong("@shop.example #482913 @pay.example", "shop.example"),
            Entry::WrongHost {
                host: "pay.example".into()
            },
            "a framed code belongs to the embedded host"
        );
        assert_eq!(
            wrong("@shop.example #482913 @pay.example", "pay.example"),
            Entry::Code("482913".into())
        );
    }

    #[test]
    fn malformed_origin_bound_lines_are_ordinary_text() {
        for text in [
            "@shop.example#482913",
            "@shop.example  #482913",
            "@ #482913",
            "@https://shop.example #482913",
            "@shop.example:443 #482913",
            "@shop.example/path #482913",
            "x @shop.example #482913",
            "@shop.example #482913 pay.example",
        ] {
            assert_eq!(code(text), "482913", "{text}");
        }
        assert_eq!(
            accept("@evil.example  #482913", 6, Alphabet::Digits, HOST),
            Entry::Code("482913".into()),
            "a malformed line binds nothing"
        );
    }

    #[test]
    fn origin_bound_line_without_a_code_binds_nothing() {
        assert_eq!(code("@shop.example #"), "");
    }

    #[test]
    fn message_without_a_fitting_run_keeps_its_first_code_characters() {
        assert_eq!(code("no digits here"), "");
        assert_eq!(code("Order 12 shipped"), "12");
    }

    #[test]
    fn ambiguous_message_without_keywords_is_not_guessed() {
        assert_eq!(
            code("111111 or 222222"),
            "111111",
            "falls back to the first characters"
        );
    }
}
