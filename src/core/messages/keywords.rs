//! Words that introduce or follow a code in verification messages, per language, lower-case: the
//! code reader looks for them in a pasted SMS to tell the code from a price or an order number.
//! Every language's words are looked for, whatever the widget's own language: a shopper's phone
//! may be set to another.

/// Each language's code words, by language tag.
pub const CODE_WORDS: [(&str, &[&str]); 6] = [
    ("en", &["code", "passcode", "pin", "otp", "verification"]),
    ("es", &["código", "codigo", "clave", "verificación"]),
    ("pt", &["senha", "verificação"]),
    ("ru", &["код", "пароль"]),
    ("zh", &["验证码", "校验码", "动态码", "确认码", "码"]),
    ("ar", &["رمز", "كود", "التحقق"]),
];
