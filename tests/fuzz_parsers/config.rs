//! The config reader: every field with values of its own kind and others, unknown and repeated fields.

use super::*;
use crate::json::{char_boundary, json_text};

/// Config documents: each field with values of its own kind in and out of range (so that many
/// documents are valid and reach every check), of other kinds, unknown fields, repeated fields,
/// and now and then an edit that breaks the JSON.
fn config_text() -> impl Strategy<Value = String> {
    let n = |choices| {
        pick(choices)
            .prop_map(|n| Json::Number(n.to_string()))
            .boxed()
    };
    let s = |choices| {
        pick(choices)
            .prop_map(|s| Json::String(s.to_string()))
            .boxed()
    };
    let named = |name: &'static str, value: BoxedStrategy<Json>| {
        value.prop_map(move |v| (name.to_string(), v)).boxed()
    };
    let text = prop_oneof![
        s("| |sms| x |email|+14155550123|\u{a0}|\t"),
        unicode(16).prop_map(Json::String)
    ]
    .boxed();
    let seconds = n("0|1|60|600|86400|86401|-1|6.0|1e3|18446744073709551616");
    let other = prop_oneof![
        Just(Json::Null),
        any::<bool>().prop_map(Json::Bool),
        seconds.clone(),
        text.clone(),
        vec(seconds.clone(), 0..3).prop_map(Json::Array),
    ]
    .boxed();
    let endpoint = s(
        "/api/x|https://shop.example/v|HTTPS://shop.example|http://shop.example/v|\
        //evil.example|javascript:x|https://|https://user@evil.example|https://[::1]/| /x |",
    );
    let endpoints = vec(
        prop_oneof![
            named("send", endpoint.clone()),
            named("verify", endpoint),
            named("other", other.clone()),
        ],
        0..3,
    )
    .prop_map(Json::Object)
    .boxed();
    let flag = (
        pick("auto_send|auto_submit|web_otp|change_destination"),
        any::<bool>(),
    )
        .prop_map(|(name, on)| (name.to_string(), Json::Bool(on)));
    let any_field = pick(
        "destination|channel|code_length|alphabet|auto_send|auto_submit|web_otp|\
        change_destination|endpoints|code_lifetime|warn_before|resend_backoff|max_sends|\
        sends_exhausted|storage_key|codeLength|send|verify||endpoints.send",
    );
    let field = prop_oneof![
        named("destination", text.clone()),
        named("channel", text.clone()),
        named("sends_exhausted", text.clone()),
        named("storage_key", text),
        named("code_length", n("3|4|6|10|11|255|256|6.0|-6")),
        named("alphabet", s("digits|alphanumeric|Digits|")),
        flag,
        named("code_lifetime", seconds.clone()),
        named("warn_before", seconds),
        named("max_sends", n("0|1|5|100|101|4294967297")),
        named(
            "resend_backoff",
            vec(n("0|30|86400|86401|-1"), 0..12)
                .prop_map(Json::Array)
                .boxed()
        ),
        named("endpoints", endpoints),
        // Any field, known or not, with a value of any kind.
        (any_field, other).prop_map(|(name, v)| (name.to_string(), v)),
    ];
    let document =
        (vec(field, 0..8), any::<prop::sample::Index>(), 0..8u8).prop_map(|(pairs, at, edit)| {
            let mut text = Json::Object(pairs).to_string();
            let at = char_boundary(&text, at);
            match edit {
                0 => text.truncate(at),
                1 => text.insert_str(at, ",\"x\""),
                _ => {}
            }
            text
        });
    prop_oneof![1 => unicode(128), 1 => json_text(), 4 => document]
}

#[test]
fn fuzz_config() {
    fuzz("config", config_text(), |fuzz, text| {
        match fuzz.call(text, || Config::from_json(text))? {
            Ok(c) => {
                prop_assert!((4..=10).contains(&c.code_length), "{c:?}");
                prop_assert!((1..=86_400).contains(&c.code_lifetime), "{c:?}");
                prop_assert!(c.warn_before <= 86_400, "{c:?}");
                prop_assert!((1..=100).contains(&c.resend.max_sends), "{c:?}");
                let waits = &c.resend.cooldowns_s;
                prop_assert!((1..=10).contains(&waits.len()), "{c:?}");
                prop_assert!(waits.iter().all(|w| *w <= 86_400), "{c:?}");
                for text in [&c.channel, &c.storage_key]
                    .into_iter()
                    .chain(&c.destination)
                    .chain(&c.sends_exhausted)
                {
                    prop_assert!(!text.is_empty() && text.trim() == text, "{c:?}");
                }
            }
            // The message names the field and value; writing it must not fail either.
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
        Ok(())
    });
}
