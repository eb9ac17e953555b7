//! The messages' tests: English as the shopper reads it, every shipped catalog complete and
//! consistent with English, and the checks a page's own `messages` meet.

use super::*;
use crate::core::json::Json;

/// The catalogs the package ships, as the source holds them.
const SHIPPED: [(&str, &str); 5] = [
    ("es", include_str!("locales/es.json")),
    ("pt", include_str!("locales/pt.json")),
    ("ru", include_str!("locales/ru.json")),
    ("zh", include_str!("locales/zh.json")),
    ("ar", include_str!("locales/ar.json")),
];

/// The CLDR cardinal categories each language needs (for whole numbers and the rest).
fn categories(language: &str) -> &'static [&'static str] {
    match language {
        "es" | "pt" => &["one", "many", "other"],
        "ru" => &["one", "few", "many", "other"],
        "ar" => &["zero", "one", "two", "few", "many", "other"],
        "zh" => &["other"],
        _ => &["one", "other"],
    }
}

/// The CLDR rules for whole numbers, as `Intl.PluralRules` answers them in the browser.
fn rule(language: &str) -> PluralRule {
    match language {
        "ru" => |_, n| match (n % 10, n % 100) {
            (1, r) if r != 11 => Plural::One,
            (2..=4, r) if !(12..=14).contains(&r) => Plural::Few,
            _ => Plural::Many,
        },
        "ar" => |_, n| match (n, n % 100) {
            (0, _) => Plural::Zero,
            (1, _) => Plural::One,
            (2, _) => Plural::Two,
            (_, 3..=10) => Plural::Few,
            (_, 11..=99) => Plural::Many,
            _ => Plural::Other,
        },
        "es" | "pt" => |_, n| match n {
            1 => Plural::One,
            n if n != 0 && n % 1_000_000 == 0 => Plural::Many,
            _ => Plural::Other,
        },
        "zh" => |_, _| Plural::Other,
        _ => |_, n| Plural::english(n),
    }
}

fn catalog(language: &str) -> Catalog {
    let (_, text) = SHIPPED
        .iter()
        .find(|(tag, _)| *tag == language)
        .unwrap_or_else(|| panic!("no catalog {language}"));
    let json = Json::parse(text).unwrap_or_else(|e| panic!("{language}: {e}"));
    Catalog::parse(&json, &Catalog::english()).unwrap_or_else(|e| panic!("{language}: {e}"))
}

fn speaking(language: &str) -> Locale {
    Locale::new(
        language,
        Some(&catalog(language)),
        &Catalog::default(),
        rule(language),
    )
}

fn english(message: Message<'_>) -> String {
    Locale::english().text(&message)
}

#[test]
fn the_english_catalog_is_whole_and_built_in() {
    let english = Catalog::english();
    assert_eq!(english.ids().count(), 54, "every message the widget says");
    let json = Json::parse(ENGLISH_SOURCE).expect("en.json is JSON");
    assert_eq!(
        Catalog::parse(&json, &english).expect("English checks against itself"),
        english
    );
}

const ENGLISH_SOURCE: &str = include_str!("locales/en.json");

#[test]
fn statuses_read_naturally() {
    let sent = |hint: Option<&str>, channel: &str| {
        english(Message::Status(&Status::Sent {
            destination_hint: hint.map(String::from),
            channel: channel.into(),
        }))
    };
    assert_eq!(
        sent(Some("+1 ••• 4567"), "sms"),
        "Code sent to +1 ••• 4567."
    );
    assert_eq!(sent(None, "sms"), "Code sent.");
    assert_eq!(
        sent(Some("+1 ••• 4567"), "voice"),
        "Calling +1 ••• 4567 now to read out the code."
    );
    assert!(english(Message::Status(&Status::Verified)).contains("Verified"));
    let running_out = |seconds_left, can_resend| {
        english(Message::Status(&Status::RunningOut {
            seconds_left,
            can_resend,
        }))
    };
    assert_eq!(
        running_out(60, true),
        "The code expires in 1 minute. Need more time? Resend code."
    );
    assert_eq!(running_out(120, false), "The code expires in 2 minutes.");
    assert_eq!(running_out(10, false), "The code expires in 10 seconds.");
}

#[test]
fn buttons_and_the_timer_name_the_wait() {
    let say = |has_sent, wait| english(Message::send_button(has_sent, wait));
    assert_eq!(say(false, 30), "Send code");
    assert_eq!(say(true, 0), "Resend code");
    assert_eq!(say(true, 25), "Resend code in 0:25");
    assert_eq!(
        english(Message::FieldHint { length: 8 }),
        "Enter the 8-digit code we sent you."
    );
    assert_eq!(
        english(Message::ChangeDestination { channel: "sms" }),
        "Use a different number"
    );
    assert_eq!(
        english(Message::ChangeDestination { channel: "email" }),
        "Use a different e-mail address"
    );
    assert_eq!(
        english(Message::SendBy { channel: "voice" }),
        "Call me instead"
    );
    assert_eq!(
        english(Message::SendBy { channel: "fax" }),
        "Send it by fax instead"
    );
}

#[test]
fn alerts_count_attempts_and_say_whether_the_code_is_kept() {
    let wrong = |n| {
        english(Message::Alert(&Alert::WrongCode {
            attempts_remaining: n,
        }))
    };
    assert_eq!(wrong(Some(4)), "That code is not right. 4 attempts left.");
    assert_eq!(wrong(Some(1)), "That code is not right. 1 attempt left.");
    assert!(wrong(None).contains("try again"));
    let failed = |failure, during| english(Message::Alert(&Alert::Failed { failure, during }));
    assert!(failed(Failure::Network, Request::Check).contains("code is kept"));
    assert!(failed(Failure::Server(503), Request::Send).contains("503"));
    assert!(!failed(Failure::Unrecognised(200), Request::Check).contains("Verified"));
    assert_eq!(
        english(Message::Alert(&Alert::RateLimited { retry_after_s: 42 })),
        "Too many requests. Try again in 0:42."
    );
    assert_eq!(
        english(Message::Alert(&Alert::SendsExhausted {
            advice: Some("Call us on 0800 123 456.".into())
        })),
        "Call us on 0800 123 456.",
        "the page's own advice, as written"
    );
}

#[test]
fn a_blocked_page_names_the_genuine_store() {
    let blocked = |reasons: Vec<Reason>, genuine: Option<&str>| {
        english(Message::Alert(&Alert::Blocked {
            reasons,
            genuine: genuine.map(String::from),
            genuine_url: None,
        }))
    };
    assert_eq!(
        blocked(vec![Reason::HostNotAllowed], Some("shop.example")),
        "This page is not shop.example. Don't enter a code here."
    );
    assert!(blocked(vec![Reason::Framed], Some("shop.example")).contains("inside another site"));
    assert!(blocked(vec![Reason::InsecureScheme], Some("shop.example")).contains("not secure"));
    assert!(
        blocked(vec![Reason::EndpointNotAllowed], Some("shop.example")).contains("another site")
    );
    assert!(blocked(vec![Reason::HostNotAllowed], None).contains("Don't enter a code"));
    assert_eq!(
        english(Message::OpenGenuine {
            url: "https://shop.example/"
        }),
        "Open https://shop.example/ to continue."
    );
}

#[test]
fn every_shipped_catalog_is_complete_and_consistent_with_english() {
    let english = Catalog::english();
    for (language, _) in SHIPPED {
        let catalog = catalog(language);
        for id in english.ids() {
            let Some(template) = catalog.get(id) else {
                panic!("{language} has no `{id}`");
            };
            let english_template = english.get(id).expect("an English id");
            let names = |template: &Template| -> Vec<String> {
                let texts: Vec<&str> = match template {
                    Template::Text(text) => vec![text],
                    Template::Forms(forms) => forms.iter().map(|(_, t)| t.as_str()).collect(),
                };
                let mut names: Vec<String> = texts
                    .into_iter()
                    .flat_map(|t| catalog::placeholders(t).unwrap_or_default())
                    .map(String::from)
                    .collect();
                names.sort();
                names.dedup();
                names
            };
            assert_eq!(
                names(template),
                names(english_template),
                "{language} `{id}` has every placeholder the English has, and no other"
            );
            if let Template::Forms(_) = english_template {
                let needed = categories(language);
                match template {
                    Template::Forms(forms) => {
                        let mut have: Vec<&str> = forms
                            .iter()
                            .map(|(c, _)| {
                                Plural::NAMES
                                    .iter()
                                    .find(|(_, p)| p == c)
                                    .map_or("", |(n, _)| *n)
                            })
                            .collect();
                        have.sort_unstable();
                        let mut want = needed.to_vec();
                        want.sort_unstable();
                        assert_eq!(
                            have, want,
                            "{language} `{id}`: the plural forms CLDR gives it"
                        );
                    }
                    Template::Text(_) => {
                        assert_eq!(needed, ["other"], "{language} `{id}` needs plural forms")
                    }
                }
            }
        }
        assert_eq!(
            catalog.ids().count(),
            english.ids().count(),
            "{language}: no extra ids"
        );
    }
}

#[test]
fn each_language_picks_its_plural_form() {
    let left = |language: &str, n| {
        speaking(language).text(&Message::Alert(&Alert::WrongCode {
            attempts_remaining: Some(n),
        }))
    };
    // Russian: 1 one, 3 few, 5 many.
    let (one, few, many) = (left("ru", 1), left("ru", 3), left("ru", 5));
    assert!(
        one.contains("1 ") && few.contains("3 ") && many.contains("5 "),
        "{one} / {few} / {many}"
    );
    assert!(
        one != few.replace('3', "1") && few.replace('3', "5") != many,
        "three forms"
    );
    // Arabic: six forms, the first three without a numeral where that is natural.
    let forms: Vec<String> = [0, 1, 2, 3, 11, 100]
        .iter()
        .map(|n| left("ar", *n))
        .collect();
    for (i, a) in forms.iter().enumerate() {
        for b in &forms[i + 1..] {
            assert_ne!(a, b, "each Arabic category says it its own way");
        }
    }
    assert!(forms[3].contains('3') && forms[4].contains("11"));
    // Chinese: one form for every count.
    assert!(left("zh", 1).contains('1') && left("zh", 4).contains('4'));
    assert_ne!(
        left("es", 1).replace('1', "N"),
        left("es", 2).replace('2', "N"),
        "one and other"
    );
    assert!(left("es", 1_000_000).contains("1000000"), "many");
}

#[test]
fn right_to_left_text_keeps_times_and_hosts_whole() {
    let arabic = speaking("ar");
    assert!(arabic.right_to_left());
    assert!(!speaking("ru").right_to_left());
    let wait = arabic.text(&Message::ResendCodeIn { wait_s: 25 });
    assert!(wait.contains("\u{2066}0:25\u{2069}"), "{wait}");
    let english_wait = english(Message::ResendCodeIn { wait_s: 25 });
    assert!(
        !english_wait.contains('\u{2066}'),
        "no isolates where none are needed"
    );
}

#[test]
fn a_pages_overrides_win_and_the_rest_stays_its_languages() {
    let json = Json::parse(r#"{"verify":"Confirm my order","wrong-code-left":{"one":"Wrong: one try left.","other":"Wrong: {count} tries left."}}"#)
        .expect("JSON");
    let overrides = Catalog::parse(&json, &Catalog::english()).expect("valid overrides");
    let locale = Locale::new("en-GB", None, &overrides, rule("en"));
    assert_eq!(locale.text(&Message::Verify), "Confirm my order");
    assert_eq!(
        locale.text(&Message::Alert(&Alert::WrongCode {
            attempts_remaining: Some(3)
        })),
        "Wrong: 3 tries left."
    );
    assert_eq!(
        locale.text(&Message::SendCode),
        "Send code",
        "the rest is English"
    );
    let russian = Locale::new("ru", Some(&catalog("ru")), &overrides, rule("ru"));
    assert_eq!(russian.text(&Message::Verify), "Confirm my order");
    assert_ne!(russian.text(&Message::SendCode), "Send code");
}

#[test]
fn a_wrong_override_says_what_is_known() {
    let parse = |text: &str| {
        Catalog::parse(&Json::parse(text).expect("JSON"), &Catalog::english())
            .expect_err("refused")
            .to_string()
    };
    let unknown = parse(r#"{"verfy":"OK"}"#);
    let known = unknown
        .split_once("known ids: ")
        .map(|(_, list)| list.split(", ").collect::<Vec<_>>())
        .expect("a list of known ids");
    assert_eq!(known.len(), 54, "{unknown}");
    assert!(known.contains(&"verify") && known.contains(&"wrong-code-left"));
    let placeholder = parse(r#"{"sent-to":"Sent to {phone}."}"#);
    assert!(
        placeholder.contains("{phone}") && placeholder.contains("known placeholders: destination"),
        "{placeholder}"
    );
    assert!(parse(r#"{"verify":{"one":"x"}}"#).contains("`verify`"));
    assert!(parse(r#"{"wrong-code-left":{"one":"x"}}"#).contains("`other`"));
    assert!(
        parse(r#"{"wrong-code-left":{"several":"x","other":"y"}}"#).contains("`wrong-code-left`")
    );
    assert!(parse(r#"{"verify":42}"#).contains("got 42"));
    assert!(parse(r#"{"verify":"Open {"}"#).contains("`verify`"));
    assert!(parse(r#"[1]"#).contains("an object"));
}

#[test]
fn language_tags_are_read_for_their_language() {
    assert_eq!(language_of("pt-BR"), "pt");
    assert_eq!(language_of("zh_Hans_CN"), "zh");
    assert_eq!(language_of("AR"), "ar");
    for good in ["ru", "pt-BR", "zh-Hans-CN", "es-419"] {
        assert!(is_language_tag(good), "{good}");
    }
    for bad in ["", "x", "p t", "../en", "ru;drop", "toolonglanguage"] {
        assert!(!is_language_tag(bad), "{bad}");
    }
}
