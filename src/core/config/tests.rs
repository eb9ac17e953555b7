//! The config's tests: every field read, every wrong value named with its field.

use super::*;

fn error_text(json: &str) -> String {
    Config::from_json(json).unwrap_err().to_string()
}

#[test]
fn empty_and_null_give_documented_defaults() {
    let defaults = Config::default();
    assert_eq!(Config::from_json("{}").unwrap(), defaults);
    assert_eq!(Config::from_json("null").unwrap(), defaults);
    assert_eq!(defaults.code_length, 6);
    assert_eq!(defaults.channel, "sms");
    assert!(!defaults.auto_send);
    assert!(!defaults.auto_submit);
    assert!(defaults.web_otp);
    assert!(!defaults.change_destination);
    assert_eq!(defaults.backend.send.url, "/api/verification");
    assert_eq!(defaults.backend.check.url, "/api/verification/check");
    assert_eq!(defaults.context, None);
    assert!(defaults.channels.is_empty());
}

#[test]
fn reads_every_field() {
    let config = Config::from_json(
        r#"{"destination":" +14155550123 ","channel":"email","code_length":8,"auto_send":true,
            "alphabet":"alphanumeric",
            "endpoints":{"send":"https://shop.example/otp/send","verify":"/otp/check"}}"#,
    )
    .unwrap();
    assert_eq!(config.destination.as_deref(), Some("+14155550123"));
    assert_eq!(config.channel, "email");
    assert_eq!(config.code_length, 8);
    assert_eq!(config.alphabet, Alphabet::Alphanumeric);
    assert!(config.auto_send);
    assert_eq!(config.backend.send.url, "https://shop.example/otp/send");
    assert_eq!(config.backend.check.url, "/otp/check");
}

#[test]
fn reads_the_timing_fields() {
    let config = Config::from_json(
        r#"{"code_lifetime":300,"warn_before":0,"resend_backoff":[10,20],"max_sends":3,
            "sends_exhausted":"Call us on 0800 123 456.","storage_key":"order-42"}"#,
    )
    .unwrap();
    assert_eq!((config.code_lifetime, config.warn_before), (300, 0));
    assert_eq!(
        config.resend,
        ResendPolicy {
            cooldowns_s: vec![10, 20],
            max_sends: 3
        }
    );
    assert_eq!(
        config.sends_exhausted.as_deref(),
        Some("Call us on 0800 123 456.")
    );
    assert_eq!(config.storage_key, "order-42");
    let defaults = Config::default();
    assert_eq!((defaults.code_lifetime, defaults.warn_before), (600, 60));
    assert_eq!(defaults.resend, ResendPolicy::default());
}

#[test]
fn backoff_doubles_then_caps() {
    let policy = ResendPolicy::default();
    let waits: Vec<u64> = (1..=6).map(|n| policy.cooldown_after(n)).collect();
    assert_eq!(waits, [30, 60, 120, 120, 120, 120]);
    let none = ResendPolicy {
        cooldowns_s: Vec::new(),
        max_sends: 1,
    };
    assert_eq!(none.cooldown_after(3), 0);
}

#[test]
fn bad_timing_fields_name_field_and_value() {
    for (json, field, shown) in [
        (r#"{"code_lifetime":0}"#, "`code_lifetime`", "0"),
        (r#"{"warn_before":-5}"#, "`warn_before`", "-5"),
        (r#"{"warn_before":90000}"#, "`warn_before`", "90000"),
        (r#"{"resend_backoff":[]}"#, "`resend_backoff`", "[]"),
        (
            r#"{"resend_backoff":[30,"x"]}"#,
            "`resend_backoff`",
            "[30,\"x\"]",
        ),
        (r#"{"resend_backoff":30}"#, "`resend_backoff`", "30"),
        (r#"{"max_sends":0}"#, "`max_sends`", "0"),
        (r#"{"storage_key":""}"#, "`storage_key`", "\"\""),
    ] {
        let text = error_text(json);
        assert!(
            text.contains(field) && text.contains(shown),
            "{json}: {text}"
        );
    }
}

#[test]
fn null_fields_mean_default() {
    let config = Config::from_json(r#"{"code_length":null,"endpoints":{"send":null}}"#).unwrap();
    assert_eq!(config, Config::default());
}

#[test]
fn wrong_type_names_field_and_value() {
    let text = error_text(r#"{"code_length":"six"}"#);
    assert!(text.contains("`code_length`"), "{text}");
    assert!(text.contains("\"six\""), "{text}");
}

#[test]
fn code_length_out_of_range_is_refused() {
    for bad in ["3", "11", "-6", "6.5", "300"] {
        let text = error_text(&format!(r#"{{"code_length":{bad}}}"#));
        assert!(
            text.contains("`code_length`") && text.contains(bad),
            "{text}"
        );
    }
    for good in 4..=10 {
        let config = Config::from_json(&format!(r#"{{"code_length":{good}}}"#)).unwrap();
        assert_eq!(config.code_length, good);
    }
}

#[test]
fn unknown_fields_are_named_with_the_known_ones() {
    let text = error_text(r#"{"code_lenght":6}"#);
    assert!(
        text.contains("`code_lenght`") && text.contains("code_length"),
        "{text}"
    );
    let text = error_text(r#"{"endpoints":{"check":"/x"}}"#);
    assert!(
        text.contains("`endpoints.check`") && text.contains("verify"),
        "{text}"
    );
}

#[test]
fn endpoints_must_be_paths_or_https() {
    for bad in [
        "http://shop.example/otp",
        "//evil.example/otp",
        "javascript:alert(1)",
        "otp/send",
        "https://",
        "https:///path",
        "/otp send",
        "/\\evil.example/otp",
        "https://shop.example\\@evil.example/",
        "",
    ] {
        let json = Json::object([("endpoints", Json::object([("send", bad.into())]))]).to_string();
        let text = error_text(&json);
        assert!(text.contains("`endpoints.send`"), "{bad}: {text}");
    }
    let text = error_text(r#"{"endpoints":{"verify":42}}"#);
    assert!(
        text.contains("`endpoints.verify`") && text.contains("42"),
        "{text}"
    );
}

#[test]
fn blank_strings_are_refused() {
    let text = error_text(r#"{"destination":"   "}"#);
    assert!(text.contains("`destination`"), "{text}");
    let text = error_text(r#"{"alphabet":"hex"}"#);
    assert!(
        text.contains("`alphabet`") && text.contains("hex"),
        "{text}"
    );
    let text = error_text(r#"{"channel":7}"#);
    assert!(text.contains("`channel`") && text.contains('7'), "{text}");
}

#[test]
fn non_objects_and_bad_json_are_refused_clearly() {
    assert!(matches!(
        Config::from_json("[1]"),
        Err(ConfigError::NotAnObject(_))
    ));
    assert!(matches!(
        Config::from_json("{"),
        Err(ConfigError::NotAnObject(_))
    ));
    assert!(error_text(r#"{"auto_send":"yes"}"#).contains("`auto_send`"));
    assert!(error_text(r#"{"auto_submit":1}"#).contains("`auto_submit`"));
    assert!(
        !Config::from_json(r#"{"auto_submit":false}"#)
            .unwrap()
            .auto_submit
    );
    assert!(error_text(r#"{"endpoints":"/x"}"#).contains("`endpoints`"));
}

#[test]
fn reads_the_authenticity_fields() {
    let config = Config::built_with(
        &Json::parse(
            r#"{"allow":["Shop.Example","*.shop.example"],"development":true,
                "report":"https://shop.example/api/clone-report","allow_unlisted_framing":true}"#,
        )
        .unwrap(),
        None,
    )
    .unwrap();
    assert_eq!(
        config.allow,
        [
            HostPattern::parse("shop.example").unwrap(),
            HostPattern::parse("*.shop.example").unwrap()
        ]
    );
    assert!(config.development && config.allow_unlisted_framing);
    assert_eq!(
        config.report.as_deref(),
        Some("https://shop.example/api/clone-report")
    );
    let defaults = Config::default();
    assert!(defaults.allow.is_empty() && !defaults.development && defaults.report.is_none());
}

#[test]
fn bad_authenticity_fields_name_field_and_value() {
    for (json, field, shown) in [
        (r#"{"allow":"shop.example"}"#, "`allow`", "\"shop.example\""),
        (r#"{"allow":[]}"#, "`allow`", "[]"),
        (r#"{"allow":["*.com"]}"#, "`allow`", "\"*.com\""),
        (
            r#"{"allow":["shop.example/checkout"]}"#,
            "`allow`",
            "checkout",
        ),
        (r#"{"development":"yes"}"#, "`development`", "\"yes\""),
        (
            r#"{"report":"/api/clone-report"}"#,
            "`report`",
            "/api/clone-report",
        ),
        (
            r#"{"report":"http://shop.example/r"}"#,
            "`report`",
            "http://shop.example/r",
        ),
        (
            r#"{"allow_unlisted_framing":1}"#,
            "`allow_unlisted_framing`",
            "1",
        ),
    ] {
        let text = error_text(json);
        assert!(
            text.contains(field) && text.contains(shown),
            "{json}: {text}"
        );
    }
}

#[test]
fn plain_http_endpoints_only_on_loopback_in_development() {
    let dev = |endpoint: &str| {
        let json = Json::object([
            ("development", true.into()),
            ("endpoints", Json::object([("send", endpoint.into())])),
        ]);
        Config::from_value(&json).map(|c| c.backend.send.url)
    };
    for good in [
        "http://localhost:9099/otp",
        "http://127.0.0.1:8080/api/verification",
        "http://[::1]/otp",
        "https://api.shop.example/otp",
    ] {
        assert_eq!(dev(good).as_deref(), Ok(good));
    }
    for bad in ["http://shop.example/otp", "http://10.0.0.1/otp"] {
        assert!(dev(bad).is_err(), "{bad}");
    }
    assert!(
        error_text(r#"{"endpoints":{"send":"http://localhost:9099/otp"}}"#)
            .contains("`endpoints.send`"),
        "not without development"
    );
}

#[test]
fn the_compiled_allowlist_bounds_the_page() {
    let compiled = Some("shop.example,*.shop.example");
    let read = |json: &str| Config::built_with(&Json::parse(json).unwrap(), compiled);
    assert_eq!(
        read("{}").unwrap().allow,
        [
            HostPattern::parse("shop.example").unwrap(),
            HostPattern::parse("*.shop.example").unwrap()
        ],
        "without a page list, the compiled one"
    );
    assert_eq!(
        read(r#"{"allow":["eu.shop.example"]}"#).unwrap().allow,
        [HostPattern::parse("eu.shop.example").unwrap()],
        "a page may narrow it"
    );
    let widened = read(r#"{"allow":["shop.example","evil.io"]}"#)
        .unwrap_err()
        .to_string();
    assert!(
        widened.contains("`allow`") && widened.contains("evil.io"),
        "{widened}"
    );
}

#[test]
fn the_gate_checks_every_url_the_widget_will_call() {
    let config = Config::from_json(
        r#"{"allow":["shop.example"],"endpoints":{"verify":"https://api.example/check"},
            "report":"https://shop.example/api/clone-report"}"#,
    )
    .unwrap();
    let page = Page::at("https://shop.example/checkout").unwrap();
    let guard = config.guard(&page);
    assert_eq!(
        guard.endpoints,
        [
            "/api/verification",
            "https://api.example/check",
            "https://shop.example/api/clone-report"
        ]
    );
    let alone = Config::default().guard(&page);
    assert_eq!(
        alone.allow,
        [HostPattern::parse("shop.example").unwrap()],
        "with no allowlist at all, the page's own host"
    );
}

#[test]
fn reads_the_order_and_the_channels() {
    let config = Config::from_json(r#"{"context":"order-42","channels":["sms","voice"]}"#).unwrap();
    assert_eq!(config.context.as_deref(), Some("order-42"));
    assert_eq!(config.channels, ["sms", "voice"]);
    for (bad, field) in [
        (r#"{"context":""}"#, "`context`"),
        (r#"{"context":42}"#, "`context`"),
        (r#"{"context":"line\nbreak"}"#, "`context`"),
        (r#"{"channels":[]}"#, "`channels`"),
        (r#"{"channels":["sms","sms"]}"#, "`channels`"),
        (r#"{"channels":["voice","email"]}"#, "`channels`"),
        (r#"{"channels":"sms,voice"}"#, "`channels`"),
    ] {
        let text = error_text(bad);
        assert!(text.contains(field), "{bad}: {text}");
    }
    let long = format!(r#"{{"context":"{}"}}"#, "x".repeat(MAX_CONTEXT_CHARS + 1));
    assert!(error_text(&long).contains("128 printable characters"));
}

#[test]
fn the_backend_is_read_by_the_same_checker_as_every_other_field() {
    let config = Config::from_json(
        r#"{"backend":{"preset":"firebase","params":{"api_key":"k"}},"destination":"+14155550123"}"#,
    )
    .unwrap();
    assert!(config.backend.send.url.contains("sendVerificationCode"));
    let missing = error_text(r#"{"backend":{"preset":"firebase"}}"#);
    assert!(
        missing.contains("`backend.params.api_key`") && missing.contains("backend.send.url"),
        "{missing}"
    );
    let text = error_text(
        r#"{"backend":{"preset":"firebase","params":{"api_key":"k"},
            "check":{"read":{"token":"idToken"}}}}"#,
    );
    assert!(
        text.contains("`backend.check.read.token`") && text.contains("\"idToken\""),
        "{text}"
    );
    let both = error_text(r#"{"backend":{"preset":"reference"},"endpoints":{"send":"/x"}}"#);
    assert!(both.contains("`endpoints`"), "{both}");
}

#[test]
fn a_presets_own_service_needs_no_allow_entry_and_nothing_else_passes_for_it() {
    let page = Page::at("https://shop.example/checkout").unwrap();
    let gate = |backend: &str| {
        let config = Config::from_json(&format!(
            r#"{{"allow":["shop.example"],"backend":{backend}}}"#
        ))
        .unwrap();
        config.guard(&page).assess(&page).trusted
    };
    assert!(gate(r#"{"preset":"firebase","params":{"api_key":"k"}}"#));
    assert!(!gate(
        r#"{"preset":"firebase","params":{"api_key":"k"},"base_url":"https://identitytoolkit.googleapis.com.evil.io"}"#
    ));
    assert!(!gate(
        r#"{"preset":"supabase","base_url":"https://p.supabase.co","params":{"api_key":"k"}}"#
    ));
    let listed = Config::from_json(
        r#"{"allow":["shop.example","p.supabase.co"],
            "backend":{"preset":"supabase","base_url":"https://p.supabase.co","params":{"api_key":"k"}}}"#,
    )
    .unwrap();
    assert!(listed.guard(&page).assess(&page).trusted);
}

#[test]
fn reads_the_language_and_the_pages_own_words() {
    let config = Config::from_json(
        r#"{"locale":"pt-BR","messages":{"verify":"Confirmar pedido","wrong-code-left":{"one":"Falta {count}.","other":"Faltam {count}."}}}"#,
    )
    .unwrap();
    assert_eq!(config.locale.as_deref(), Some("pt-BR"));
    assert!(config.messages.get("verify").is_some());
    assert!(error_text(r#"{"locale":"../en"}"#).contains("`locale`"));
    let unknown = error_text(r#"{"messages":{"verfy":"OK"}}"#);
    assert!(
        unknown.contains("`messages`") && unknown.contains("`verfy`"),
        "{unknown}"
    );
    let (_, known) = unknown.split_once("known ids: ").expect("the known ids");
    assert!(known.split(", ").any(|id| id == "verify"), "{known}");
    let placeholder = error_text(r#"{"messages":{"sent-to":"Sent to {phone}."}}"#);
    assert!(
        placeholder.contains("known placeholders: destination"),
        "{placeholder}"
    );
}
