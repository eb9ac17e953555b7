#![cfg(not(target_arch = "wasm32"))]
//! Every config field is said once, in the core's table (`checkout_verify::core::config::FIELDS`),
//! and everything else is held to it: the element's attribute lists (js/index.js), the
//! TypeScript types of the config and of the element's attributes, the README's configuration
//! table and the registry README. Add a field to the table alone, and this test names every
//! place it is missing from.

use checkout_verify::core::config::{Attribute, FIELDS};

fn read(path: &str) -> String {
    std::fs::read_to_string(format!("{}/{path}", env!("CARGO_MANIFEST_DIR")))
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The quoted names in `const NAME = [...]` of the element's source.
fn element_list(source: &str, name: &str) -> Vec<String> {
    let start = format!("const {name} = [");
    let list = source
        .split_once(&start)
        .and_then(|(_, rest)| rest.split_once(']'))
        .map_or("", |(list, _)| list);
    list.split(',')
        .map(|item| item.trim().trim_matches('"').to_string())
        .filter(|item| !item.is_empty())
        .collect()
}

/// The text of `interface NAME { … }` in the types.
fn interface<'a>(types: &'a str, name: &str) -> &'a str {
    types
        .split_once(&format!("interface {name} {{"))
        .and_then(|(_, rest)| rest.split_once("\n}"))
        .map_or("", |(body, _)| body)
}

/// Whether `body` declares the property `name` (`name?:` or `"name"?:`).
fn declares(body: &str, name: &str) -> bool {
    body.contains(&format!("\n  {name}?:")) || body.contains(&format!("\n  \"{name}\"?:"))
}

#[test]
fn every_config_field_is_said_everywhere_it_must_be() {
    let element = read("js/index.js");
    let types = read("js/checkout_verify.d.ts");
    let readme = read("README.md");
    let registry = read("js/README.md");
    let config = interface(&types, "Config");
    let attributes = interface(&types, "CheckoutVerifyAttributes");
    let lists = [
        (Attribute::Text, "TEXTS"),
        (Attribute::Number, "NUMBERS"),
        (Attribute::Flag, "FLAGS"),
        (Attribute::List, "LISTS"),
        (Attribute::Object, "OBJECTS"),
    ];
    let mut missing = Vec::new();
    for (field, kind) in FIELDS {
        let mut places = Vec::new();
        for (list_kind, list) in lists {
            let listed = element_list(&element, list).iter().any(|f| f == field);
            if listed != (*kind == list_kind) {
                places.push(format!(
                    "js/index.js {list} (it {} there)",
                    if listed { "must not be" } else { "belongs" }
                ));
            }
        }
        if !declares(config, field) {
            places.push("js/checkout_verify.d.ts, interface Config".to_string());
        }
        let attribute = field.replace('_', "-");
        if *kind != Attribute::Object && !declares(attributes, &attribute) {
            places.push(format!(
                "js/checkout_verify.d.ts, interface CheckoutVerifyAttributes (as `{attribute}`)"
            ));
        }
        let row = format!("| `{field}` |");
        let dotted = format!("| `{field}.");
        if !readme.contains(&row) && !readme.contains(&dotted) {
            places.push("README.md, the configuration table".to_string());
        }
        if !registry.contains(&format!("`{field}`")) {
            places.push("js/README.md".to_string());
        }
        if !places.is_empty() {
            missing.push(format!("`{field}` is missing from {}", places.join("; ")));
        }
    }
    // And nothing is said of a field the core does not have.
    for (_, list) in lists {
        for name in element_list(&element, list) {
            if !FIELDS.iter().any(|(field, _)| *field == name) {
                missing.push(format!(
                    "js/index.js {list} names `{name}`, which is no field"
                ));
            }
        }
    }
    assert!(missing.is_empty(), "\n{}", missing.join("\n"));
}
