//! Minifies the widget's stylesheet into `OUT_DIR` for `include_str!`: it ships inside the wasm,
//! where every byte counts against the size budget, while `style/` stays readable.
//! Conservative on purpose: comments go, white space collapses, and the spaces around `{ } ; ,`
//! and after `:` are dropped; nothing else is rewritten.

use std::{env, fs, path::Path};

const SOURCE: &str = "style/checkout-verify.css";

fn main() {
    println!("cargo:rerun-if-changed={SOURCE}");
    let css = fs::read_to_string(SOURCE).expect("style/checkout-verify.css is readable");
    let out = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("checkout-verify.min.css");
    fs::write(out, minify(&css)).expect("OUT_DIR is writable");
}

fn minify(css: &str) -> String {
    let mut text = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        text.push_str(&rest[..start]);
        rest = rest[start..]
            .find("*/")
            .map_or("", |end| &rest[start + end + 2..]);
    }
    text.push_str(rest);
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = String::with_capacity(collapsed.len());
    let bytes = collapsed.as_bytes();
    for (i, c) in collapsed.char_indices() {
        let tight = |b: u8| matches!(b, b'{' | b'}' | b';' | b',');
        if c == ' ' {
            let before = out.as_bytes().last().copied().unwrap_or(b'{');
            let after = bytes.get(i + 1).copied().unwrap_or(b'}');
            if tight(before) || tight(after) || before == b':' {
                continue;
            }
        }
        if c == '}' && out.ends_with(';') {
            out.pop();
        }
        out.push(c);
    }
    out
}
