//! The code reader's tests: the pain points of real code fields, and thirty real-style SMS in
//! five languages with and without an origin-bound line.

use super::message::lower_case;
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

// The complaints users raise most about code fields (docs/ARCHITECTURE.md, "Code-field problems
// it answers") that apply to a single input.

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
fn completeness_needs_exact_length() {
    assert!(is_complete("123456", 6, Alphabet::Digits));
    assert!(!is_complete("12345", 6, Alphabet::Digits));
    assert!(!is_complete("1234567", 6, Alphabet::Digits));
    assert!(!is_complete("12345a", 6, Alphabet::Digits));
}

/// Real-style SMS texts: six per language the widget speaks, each with the code and often a
/// distractor.
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
    // Arabic
    (
        "رمز التحقق الخاص بك من Demo Store هو 482913. صالح لمدة 10 دقائق.",
        "482913",
    ),
    (
        "طلبك رقم 552211 بقيمة 129.99 ر.س. رمز التحقق: 482913",
        "482913",
    ),
    ("استخدم الرمز ٤٨٢٩١٣ لتأكيد الدفع في Demo Store.", "482913"),
    (
        "482913 هو رمزك لدى Demo Store. لا تشاركه مع أي شخص.",
        "482913",
    ),
    ("للاستفسار اتصل على 920000000. كود التفعيل 482913", "482913"),
    ("الطلب 77341290 من Demo Store، رمز الدخول 482913", "482913"),
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
fn thirty_six_messages_in_six_languages() {
    assert_eq!(MESSAGES.len(), 36);
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
