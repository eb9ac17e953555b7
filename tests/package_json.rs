#![cfg(not(target_arch = "wasm32"))]
//! The npm package's manifest (js/package.json, copied into pkg/ by `make package`) says what the
//! crate says: one version, one licence, one description.

#[test]
fn the_npm_manifest_matches_the_crate() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/js/package.json"))
        .expect("js/package.json");
    let manifest: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(manifest["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(manifest["license"], env!("CARGO_PKG_LICENSE"));
    assert_eq!(manifest["description"], env!("CARGO_PKG_DESCRIPTION"));
    for file in [
        "checkout_verify.js",
        "checkout_verify.d.ts",
        "checkout_verify_bg.wasm",
        "doctor.mjs",
        "doctor/checkout_verify.js",
        "doctor/checkout_verify_bg.wasm",
    ] {
        assert!(
            manifest["files"]
                .as_array()
                .is_some_and(|f| f.iter().any(|x| x == file)),
            "{file} is published"
        );
    }
    assert_eq!(manifest["bin"]["checkout-verify-doctor"], "./doctor.mjs");
}
