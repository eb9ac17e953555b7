//! The JSON reader: token soup, nesting around the depth limit, documents cut or spliced.

use super::*;

const JSON_TOKENS: &str = "{|}|[|]|,|:|\"|\\|\\u|\\\"|\\n|\\u00e9|\\ud83d|\\ude00|\\uD83D\\uDE00|\
    \\uzzzz|0|7|-|12|.5|e|E+|1e999|true|false|null|tru|nul| |\n|\t|\r|\"key\"|\"a\":|é|😀|\u{0}|\
    \u{7f}|\u{2028}";

/// JSON-ish text: arbitrary Unicode, token soup, token soup nested around the depth limit of 32,
/// and generated documents (valid, long, or with one token inserted or the end cut off).
pub(crate) fn json_text() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just(Json::Null),
        any::<bool>().prop_map(Json::Bool),
        pick("0|-0|6|-1.5e3|18446744073709551616|1E-7").prop_map(|n| Json::Number(n.to_string())),
        unicode(12).prop_map(Json::String),
    ];
    let value = leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..6).prop_map(Json::Array),
            vec((unicode(6), inner), 0..6).prop_map(Json::Object),
        ]
    });
    let nested_soup =
        (28..=36usize, 0..=3usize, tokens(JSON_TOKENS, 8)).prop_map(|(depth, missing, soup)| {
            let opens: String = (0..depth).map(|i| ["[", "{\"k\":"][i % 2]).collect();
            let closes: String = (missing..depth).rev().map(|i| ["]", "}"][i % 2]).collect();
            format!("{opens}{soup}{closes}")
        });
    let nested_value = (0..=34usize, value.clone())
        .prop_map(|(depth, v)| (0..depth).fold(v, |v, _| Json::Array(vec![v])).to_string());
    // A long body now and then, as a misbehaving proxy may answer.
    let long = vec(value.clone(), 0..=40).prop_map(|items| Json::Array(items).to_string());
    let edited = (
        value,
        any::<prop::sample::Index>(),
        pick(JSON_TOKENS),
        any::<bool>(),
    )
        .prop_map(|(v, at, token, cut)| {
            let mut text = v.to_string();
            let at = char_boundary(&text, at);
            if cut {
                text.truncate(at);
            } else {
                text.insert_str(at, token);
            }
            text
        });
    prop_oneof![
        unicode(256),
        tokens(JSON_TOKENS, 64),
        nested_soup,
        nested_value,
        long,
        edited,
    ]
}

/// A character boundary of `text` picked by `at`.
pub(crate) fn char_boundary(text: &str, at: prop::sample::Index) -> usize {
    let boundaries: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain([text.len()])
        .collect();
    *at.get(&boundaries)
}

#[test]
fn fuzz_json() {
    fuzz("json", json_text(), |fuzz, text| {
        let Ok(value) = fuzz.call(text, || Json::parse(text))? else {
            return Ok(());
        };
        // What was read writes out as text that reads back the same.
        let written = value.to_string();
        let again = fuzz.call(&written, || Json::parse(&written))?;
        prop_assert_eq!(again, Ok(value), "written as {}", written);
        Ok(())
    });
}
