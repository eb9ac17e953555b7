//! Presets: ready-made adapters for the verify APIs stores use, as data in the adapter's own
//! config language (`presets/*.json`, minified into the package by `build.rs`). A page names one
//! (`"backend": {"preset": "firebase", ...}`) and anything it gives beside it is merged over the
//! preset, key by key. Each is tested with recorded answers in `tests/presets/`.

/// The presets by name, each the JSON a page could have written itself.
pub const PRESETS: [(&str, &str); 6] = [
    ("reference", REFERENCE),
    ("firebase", FIREBASE),
    ("supabase", SUPABASE),
    ("auth0", AUTH0),
    ("twilio-verify-proxy", TWILIO_VERIFY_PROXY),
    ("vonage-verify-proxy", VONAGE_VERIFY_PROXY),
];

/// Origins the presets call by default, vouched for by the package itself: a step URL under one
/// of them needs no `allow` entry of the store's (the gate checks every other URL).
pub const VOUCHED_ORIGINS: [&str; 1] = ["https://identitytoolkit.googleapis.com/"];

/// The preset named `name`, as JSON text.
pub fn preset(name: &str) -> Option<&'static str> {
    PRESETS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, json)| *json)
}

/// The reference contract (the reference server; the widget's default). `base_url` "" (the
/// page's origin); `endpoints.send` and `endpoints.verify` are shorthand for the two URLs.
pub const REFERENCE: &str = include_str!(concat!(env!("OUT_DIR"), "/presets/reference.json"));

/// Firebase Authentication's Identity Toolkit REST API (phone sign-in): `base_url` defaults to
/// `https://identitytoolkit.googleapis.com` (the emulator:
/// `http://HOST:PORT/identitytoolkit.googleapis.com`); `params.api_key` is sent as `key`.
/// `sessionInfo` names the verification; errors are in `/error/message`.
pub const FIREBASE: &str = include_str!(concat!(env!("OUT_DIR"), "/presets/firebase.json"));

/// Supabase Auth (GoTrue): `base_url` the project URL; `params.api_key` (the anon key) as the
/// `apikey` header. Supabase does not tell a wrong code from an expired one (`otp_expired`).
pub const SUPABASE: &str = include_str!(concat!(env!("OUT_DIR"), "/presets/supabase.json"));

/// Auth0 passwordless (SMS): `base_url` the tenant URL; `params.client_id`, optional
/// `params.audience`. Auth0 answers a wrong or expired code alike (`invalid_grant`), and says
/// "maximum number of attempts" when the code is void.
pub const AUTH0: &str = include_str!(concat!(env!("OUT_DIR"), "/presets/auth0.json"));

/// A store backend that relays Twilio Verify v2 (`base_url` the relay): form-encoded `To`,
/// `Channel`, `Code`, `VerificationSid` and Twilio's own JSON back. A wrong code is `200` with
/// `status` `pending`; `404`/20404 expired; 60202 locked; 60203 no more sends.
pub const TWILIO_VERIFY_PROXY: &str = include_str!(concat!(
    env!("OUT_DIR"),
    "/presets/twilio-verify-proxy.json"
));

/// A store backend that relays Vonage Verify v2 (`base_url` the relay; `params.brand` names the
/// store in the message): its RFC 9457 bodies relayed as they are.
pub const VONAGE_VERIFY_PROXY: &str = include_str!(concat!(
    env!("OUT_DIR"),
    "/presets/vonage-verify-proxy.json"
));
