//! Whole generated documents: both readers accept the same texts (but for the documented
//! differences) and read them to the same values.

use super::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    /// Documents from JSON's own tokens, mostly valid and sometimes not: both readers accept the
    /// same texts and read them to the same values. The documented differences are allowed:
    /// ours refuses nesting past 32 levels, objects of more than 256 members, and an object
    /// naming a key twice (an answer that says two things says nothing); serde_json refuses
    /// numbers beyond `f64`.
    #[test]
    fn documents_read_like_serde_json(text in document()) {
        let ours = Json::parse(&text);
        let theirs = serde_json::from_str::<serde_json::Value>(&text);
        match (&ours, &theirs) {
            (Ok(a), Ok(b)) => prop_assert!(same(a, b), "{text:?}: ours {a:?}, serde_json {b:?}"),
            (Err(_), Err(_)) => {}
            (Err(e), Ok(_)) if e.to_string().contains("nesting too deep") => {}
            (Err(e), Ok(_)) if e.to_string().contains("duplicate key") => {}
            (Err(e), Ok(_)) if e.to_string().contains("too many members") => {}
            (Ok(_), Err(e)) if e.to_string().starts_with("number out of range") => {}
            _ => prop_assert!(false, "{text:?}: ours {ours:?}, serde_json {theirs:?}"),
        }
    }
}

pub(crate) fn escape_part() -> impl Strategy<Value = String> {
    let hex4 = prop_oneof![
        any::<u16>(),
        0xD800u16..0xE000,
        Just(0xD83D),
        Just(0xDE00),
        Just(0)
    ];
    prop_oneof![
        hex4.prop_map(|n| format!("\\u{n:04x}")),
        any::<u16>().prop_map(|n| format!("\\u{n:04X}")),
        proptest::sample::select(vec![
            "\\\"",
            "\\\\",
            "\\/",
            "\\b",
            "\\f",
            "\\n",
            "\\r",
            "\\t",
            "\\x",
            "\\u12",
            "\\u",
            "\\",
            "\\ud83d\\ude00",
            "a",
            "é",
            "😀",
            "\t",
            "\u{1f}",
            "\u{7f}",
            " ",
        ])
        .prop_map(str::to_string),
    ]
}

/// A JSON value's text: arrays and objects of `leaf`s, with white space between tokens.
fn value(leaf: BoxedStrategy<String>) -> impl Strategy<Value = String> {
    let comma = proptest::sample::select(vec![",", ", ", " ,\n\t", "\r\n,"]);
    leaf.prop_recursive(4, 32, 5, move |inner| {
        prop_oneof![
            (vec(inner.clone(), 0..5), comma.clone())
                .prop_map(|(items, comma)| format!("[{}]", items.join(comma))),
            (vec((text(), inner), 0..5), comma.clone()).prop_map(|(pairs, comma)| {
                let pairs: Vec<String> = pairs
                    .iter()
                    .map(|(k, v)| format!("{} : {v}", Json::from(k.as_str())))
                    .collect();
                format!("{{ {} }}", pairs.join(comma))
            }),
        ]
    })
}

/// A JSON-ish document: a generated value (valid, or with invalid leaves, or with one classic
/// mistake), with one edit (a token inserted, or the text cut) now and then, and nested up to a
/// few levels past the limit.
fn document() -> impl Strategy<Value = String> {
    let number = proptest::sample::select(vec![
        "0",
        "-0",
        "7",
        "-12",
        "1.5",
        "-0.0",
        "1e3",
        "2E-7",
        "1E+2",
        "18446744073709551616",
        "99999999999999999999999",
        "1e400",
    ]);
    let valid = prop_oneof![
        proptest::sample::select(vec!["null", "true", "false"]).prop_map(str::to_string),
        number.prop_map(str::to_string),
        text().prop_map(|s| Json::from(s).to_string()),
    ]
    .boxed();
    let not_a_number = proptest::sample::select(vec!["00", "1.", ".5", "+1", "1e", "-", "nul"]);
    let any_leaf = prop_oneof![
        3 => valid.clone(),
        1 => vec(escape_part(), 0..4).prop_map(|p| format!("\"{}\"", p.concat())),
        1 => not_a_number.prop_map(str::to_string),
    ]
    .boxed();
    // The mistakes people and broken servers make, one in an otherwise valid document.
    let mistake = proptest::sample::select(
        "1,|{\"a\":1,}|01|-01|'a'|{a:1}|{\"a\" 1}|{\"a\":1 \"b\":2}|1 2|NaN|-Infinity|+1|.5|1.|\
         1.e3|1e|0x1F|\"\t\"|\"\\ud800\"|\"\\udc00\\ud800\"|\"\\x41\"|\"\\u12\"|\"\\U0041\"|tru|\
         True|None|//c|/*c*/1|\"a\" \"b\"|[1}|{\"a\":1]|,|\u{feff}1|\u{a0}1|\u{b}1|\u{c}1"
            .split('|')
            .collect::<Vec<_>>(),
    );
    let value = prop_oneof![
        3 => value(valid.clone()),
        1 => value(any_leaf),
        1 => (value(valid), mistake).prop_map(|(v, mistake)| format!("[{v}, {mistake}]")),
    ];
    let token = proptest::sample::select(vec![
        "{", "}", "[", "]", ",", ":", "\"", "\\", "\\u", " ", "\n", "\t", "\r", "\u{0b}", "0", "-",
        "tru", "nul", "\u{a0}", "😀",
    ]);
    let edit = prop_oneof![
        4 => Just(None),
        1 => (any::<prop::sample::Index>(), token).prop_map(|(at, t)| Some((at, t, false))),
        1 => any::<prop::sample::Index>().prop_map(|at| Some((at, "", true))),
    ];
    (value, 0usize..40, edit).prop_map(|(value, nesting, edit)| {
        // Deep nesting is rare in generated values: wrap some in arrays and objects.
        let wrap = if nesting < 25 { 0 } else { nesting };
        let mut text = String::new();
        for level in 0..wrap {
            text.push_str(if level % 2 == 0 { "[" } else { "{\"k\": " });
        }
        text.push_str(&value);
        for level in (0..wrap).rev() {
            text.push_str(if level % 2 == 0 { "]" } else { "}" });
        }
        if let Some((at, token, cut)) = edit {
            let boundaries: Vec<usize> = text
                .char_indices()
                .map(|(i, _)| i)
                .chain([text.len()])
                .collect();
            let at = *at.get(&boundaries);
            if cut {
                text.truncate(at);
            } else {
                text.insert_str(at, token);
            }
        }
        text
    })
}

/// Whether our reading `a` and serde_json's `b` are the same value. Numbers are compared as
/// integers when they are (serde_json's floats are not always correctly rounded without its
/// `float_roundtrip` feature); repeated keys: serde_json keeps the last, so compare with that.
fn same(a: &Json, b: &serde_json::Value) -> bool {
    use serde_json::Value;
    match (a, b) {
        (Json::Null, Value::Null) => true,
        (Json::Bool(x), Value::Bool(y)) => x == y,
        (Json::Number(n), Value::Number(m)) => match (n.parse::<u64>(), n.parse::<i64>()) {
            (Ok(x), _) => m.as_u64() == Some(x),
            // `-0` is a float to serde_json.
            (_, Ok(x)) => m.as_i64() == Some(x) || m.as_f64() == Some(x as f64),
            _ => m.is_f64(),
        },
        (Json::String(x), Value::String(y)) => x == y,
        (Json::Array(xs), Value::Array(ys)) => {
            xs.len() == ys.len() && xs.iter().zip(ys).all(|(x, y)| same(x, y))
        }
        (Json::Object(pairs), Value::Object(map)) => {
            let last: BTreeMap<&str, &Json> = pairs.iter().map(|(k, v)| (k.as_str(), v)).collect();
            last.len() == map.len()
                && last
                    .iter()
                    .all(|(k, v)| map.get(*k).is_some_and(|w| same(v, w)))
        }
        _ => false,
    }
}
