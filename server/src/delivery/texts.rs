//! The words of each message, in the widget's languages: the store's name, the code, how long it
//! stays valid, and "never share it", with the origin-bound last line on a text message
//! (`@shop.example #123456`, which lets browsers offer the code only on the store's own site); a
//! call reads the code digit by digit, twice; an e-mail has the code in its subject's first words
//! and a plain-text and an HTML part. Written for each language, not word for word: Spanish
//! addresses the shopper as "tú", Portuguese is Brazilian ("você"), Chinese uses 您, Arabic is
//! Modern Standard Arabic.

use super::{escape_markup, Outgoing};

/// The languages messages are written in; any other locale gets English.
pub const LANGUAGES: [&str; 6] = ["en", "es", "pt", "ru", "zh", "ar"];

/// One language's templates. `{store}`, `{code}`, `{digits}` (the code digit by digit),
/// `{minutes}` (the lifetime in words) and `{host}` are filled in.
struct Wording {
    text: &'static str,
    call: &'static str,
    subject: &'static str,
    email: &'static str,
}

const EN: Wording = Wording {
    text: "{code} is your {store} verification code. It expires in {minutes}. Never share it: {store} will never ask you for it.",
    call: "This is {store}. Your verification code is {digits}. Again: {digits}. It expires in {minutes}. Never share it.",
    subject: "{code} is your {store} verification code",
    email: "Your {store} verification code is {code}.\n\nIt expires in {minutes}. Never share it: {store} will never ask you for it. If you were not checking out at {host}, ignore this e-mail.",
};

const ES: Wording = Wording {
    text: "{code} es tu código de verificación de {store}. Caduca en {minutes}. No lo compartas con nadie: {store} nunca te lo pedirá.",
    call: "Te llamamos de {store}. Tu código de verificación es {digits}. Otra vez: {digits}. Caduca en {minutes}. No lo compartas con nadie.",
    subject: "{code} es tu código de verificación de {store}",
    email: "Tu código de verificación de {store} es {code}.\n\nCaduca en {minutes}. No lo compartas con nadie: {store} nunca te lo pedirá. Si no estabas comprando en {host}, ignora este correo.",
};

const PT: Wording = Wording {
    text: "{code} é o seu código de verificação para {store}. Ele expira em {minutes}. Não compartilhe com ninguém: {store} nunca vai pedir este código.",
    call: "Aqui é {store}. Seu código de verificação é {digits}. Repetindo: {digits}. Ele expira em {minutes}. Não compartilhe com ninguém.",
    subject: "{code} é o seu código de verificação para {store}",
    email: "Seu código de verificação para {store} é {code}.\n\nEle expira em {minutes}. Não compartilhe com ninguém: {store} nunca vai pedir este código. Se você não estava finalizando uma compra em {host}, ignore este e-mail.",
};

const RU: Wording = Wording {
    text: "{code} — ваш код подтверждения {store}. Код действует {minutes}. Никому его не сообщайте: {store} никогда его не попросит.",
    call: "Это {store}. Ваш код подтверждения: {digits}. Повторяю: {digits}. Код действует {minutes}. Никому его не сообщайте.",
    subject: "{code} — ваш код подтверждения {store}",
    email: "Ваш код подтверждения {store}: {code}.\n\nКод действует {minutes}. Никому его не сообщайте: {store} никогда его не попросит. Если вы не оформляли заказ на {host}, просто проигнорируйте это письмо.",
};

const ZH: Wording = Wording {
    text: "{code} 是您的{store}验证码，{minutes}内有效。请勿告诉任何人，{store}不会向您索取验证码。",
    call: "这里是{store}。您的验证码是{digits}。再说一遍：{digits}。{minutes}内有效。请勿告诉任何人。",
    subject: "{code} 是您的{store}验证码",
    email: "您的{store}验证码是 {code}。\n\n验证码{minutes}内有效。请勿告诉任何人，{store}不会向您索取验证码。如果您没有在 {host} 下单，请忽略此邮件。",
};

const AR: Wording = Wording {
    text: "{code} هو رمز التحقق الخاص بك من {store}. تنتهي صلاحيته خلال {minutes}. لا تشاركه مع أحد: لن يطلبه منك {store} أبدًا.",
    call: "نتصل بك من {store}. رمز التحقق الخاص بك هو {digits}. أكرر: {digits}. تنتهي صلاحيته خلال {minutes}. لا تشاركه مع أحد.",
    subject: "{code} هو رمز التحقق الخاص بك من {store}",
    email: "رمز التحقق الخاص بك من {store} هو {code}.\n\nتنتهي صلاحيته خلال {minutes}. لا تشاركه مع أحد: لن يطلبه منك {store} أبدًا. إذا لم تكن تُتمّ طلبًا على {host}، فتجاهل هذه الرسالة.",
};

/// What every message of this server says: whose it is, and for how long a code holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Texts {
    /// How messages name the store (`--store-name`, else the public host).
    pub store_name: String,
    /// The public host, for the origin-bound line.
    pub host: String,
    /// A code's lifetime, in seconds.
    pub ttl_s: u64,
}

impl Texts {
    /// The message carrying `code` for `to` on `channel`, in `locale` (a language of
    /// [`LANGUAGES`], its region dropped; English otherwise).
    pub fn message(
        &self,
        to: &str,
        channel: &str,
        locale: Option<&str>,
        verification_id: &str,
        code: &str,
    ) -> Outgoing {
        let locale = language(locale);
        let wording = match locale {
            "es" => &ES,
            "pt" => &PT,
            "ru" => &RU,
            "zh" => &ZH,
            "ar" => &AR,
            _ => &EN,
        };
        let digits: Vec<String> = code.chars().map(String::from).collect();
        let minutes = minutes(locale, self.ttl_s.div_ceil(60));
        let fill = |template: &str, store: &str| {
            template
                .replace("{store}", store)
                .replace("{code}", code)
                .replace("{digits}", &digits.join(", "))
                .replace("{minutes}", &minutes)
                .replace("{host}", &self.host)
        };
        let text = match channel {
            "voice" => fill(wording.call, &self.store_name),
            "email" => fill(wording.email, &self.store_name),
            // The origin-bound line, last, alone (WICG sms-one-time-codes).
            _ => format!(
                "{}\n\n@{} #{code}",
                fill(wording.text, &self.store_name),
                self.host
            ),
        };
        let paragraphs: String = fill(wording.email, &escape_markup(&self.store_name))
            .split("\n\n")
            .map(|p| format!("<p>{p}</p>"))
            .collect();
        let html = format!(
            "<!doctype html><html lang=\"{locale}\" dir=\"{}\"><body>{}</body></html>",
            if locale == "ar" { "rtl" } else { "ltr" },
            paragraphs.replacen(code, &format!("<strong>{code}</strong>"), 1)
        );
        Outgoing {
            to: to.to_string(),
            channel: channel.to_string(),
            locale: locale.to_string(),
            verification_id: verification_id.to_string(),
            text,
            subject: fill(wording.subject, &self.store_name),
            html,
        }
    }
}

/// The language of `locale` (`pt-BR` → `pt`) if messages are written in it, else `en`.
fn language(locale: Option<&str>) -> &'static str {
    let asked = locale
        .and_then(|l| l.split(['-', '_']).next())
        .unwrap_or("en")
        .to_ascii_lowercase();
    LANGUAGES.into_iter().find(|l| *l == asked).unwrap_or("en")
}

/// `n` minutes in words, as each language counts them.
fn minutes(language: &str, n: u64) -> String {
    match language {
        "es" => format!("{n} {}", if n == 1 { "minuto" } else { "minutos" }),
        "pt" => format!("{n} {}", if n == 1 { "minuto" } else { "minutos" }),
        // After "действует": 1 минуту, 2–4 минуты, 5–20 минут, 21 минуту…
        "ru" => {
            let word = match (n % 10, n % 100) {
                (1, r) if r != 11 => "минуту",
                (2..=4, r) if !(12..=14).contains(&r) => "минуты",
                _ => "минут",
            };
            format!("{n} {word}")
        }
        "zh" => format!("{n}分钟"),
        // One, two, three to ten (and 103–110, 203–210…) plural, the rest singular.
        "ar" => match (n, n % 100) {
            (1, _) => "دقيقة واحدة".to_string(),
            (2, _) => "دقيقتين".to_string(),
            (_, 3..=10) => format!("{n} دقائق"),
            _ => format!("{n} دقيقة"),
        },
        _ => format!("{n} {}", if n == 1 { "minute" } else { "minutes" }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts() -> Texts {
        Texts {
            store_name: "Demo <Store>".into(),
            host: "shop.example".into(),
            ttl_s: 600,
        }
    }

    #[test]
    fn a_text_names_the_store_and_ends_with_the_origin_bound_line() {
        let m = texts().message("+14155550123", "sms", None, "vrf_1", "123456");
        assert_eq!(
            m.text,
            "123456 is your Demo <Store> verification code. It expires in 10 minutes. Never share it: Demo <Store> will never ask you for it.\n\n@shop.example #123456"
        );
        assert_eq!(m.locale, "en");
    }

    #[test]
    fn a_call_reads_the_code_digit_by_digit_twice() {
        let m = texts().message("+14155550123", "voice", Some("en"), "vrf_1", "123456");
        assert_eq!(
            m.text,
            "This is Demo <Store>. Your verification code is 1, 2, 3, 4, 5, 6. Again: 1, 2, 3, 4, 5, 6. It expires in 10 minutes. Never share it."
        );
    }

    #[test]
    fn an_email_has_the_code_first_in_its_subject_and_an_html_part() {
        let m = texts().message("a@b.example", "email", Some("es-MX"), "vrf_1", "123456");
        assert!(m.subject.starts_with("123456 "), "{}", m.subject);
        assert_eq!(m.locale, "es");
        assert!(m
            .text
            .starts_with("Tu código de verificación de Demo <Store> es 123456."));
        assert!(m.html.contains("<strong>123456</strong>"), "{}", m.html);
        assert!(m.html.contains("Demo &lt;Store&gt;") && !m.html.contains("<Store>"));
        assert!(
            !m.text.contains("@shop.example #"),
            "no origin-bound line in an e-mail"
        );
    }

    #[test]
    fn every_language_says_every_part() {
        for locale in LANGUAGES {
            for channel in ["sms", "voice", "email"] {
                let m = texts().message("x", channel, Some(locale), "vrf_1", "987654");
                assert_eq!(m.locale, locale);
                assert!(
                    m.text.contains("Demo <Store>"),
                    "{locale} {channel}: {}",
                    m.text
                );
                assert!(!m.text.contains('{'), "{locale} {channel}: {}", m.text);
                let digits = m.text.matches("9, 8, 7, 6, 5, 4").count();
                let whole = m.text.matches("987654").count();
                match channel {
                    "voice" => assert_eq!((digits, whole), (2, 0), "{locale}: {}", m.text),
                    "sms" => assert!(m.text.ends_with("\n\n@shop.example #987654")),
                    _ => assert!(m.subject.starts_with("987654 "), "{locale}: {}", m.subject),
                }
            }
        }
        assert_eq!(
            texts().message("x", "sms", Some("de"), "v", "1").locale,
            "en"
        );
    }

    #[test]
    fn minutes_take_each_language_s_plural() {
        assert_eq!(minutes("en", 1), "1 minute");
        assert_eq!(minutes("ru", 1), "1 минуту");
        assert_eq!(minutes("ru", 3), "3 минуты");
        assert_eq!(minutes("ru", 11), "11 минут");
        assert_eq!(minutes("ru", 21), "21 минуту");
        assert_eq!(minutes("ar", 10), "10 دقائق");
        assert_eq!(minutes("ar", 15), "15 دقيقة");
        assert_eq!(minutes("ar", 105), "105 دقائق");
        assert_eq!(minutes("zh", 10), "10分钟");
    }
}
