//! WebOTP (Chrome on Android): asks the browser for the code in the incoming SMS, which it offers
//! to the shopper in a one-tap sheet. Feature-detected; every failure (no support, the shopper
//! dismissed the sheet, the ask was withdrawn or timed out, a Permissions Policy forbids it) is
//! silent, because typing, pasting and keyboard autofill still work.

use wasm_bindgen::prelude::*;
use web_sys::{AbortController, AbortSignal};

#[wasm_bindgen(inline_js = r#"
export function ask(signal) {
  if (!("OTPCredential" in window) || !navigator.credentials) return Promise.resolve(null);
  return navigator.credentials
    .get({ otp: { transport: ["sms"] }, signal })
    .then((credential) => (credential ? credential.code : null), () => null);
}
"#)]
extern "C" {
    /// The code the shopper allowed, or `null`.
    async fn ask(signal: &AbortSignal) -> JsValue;
}

/// One ask of the browser; dropping it does not withdraw it, [`Listener::stop`] does.
pub struct Listener(AbortController);

impl Listener {
    /// Starts asking; `on_code` receives the code if the shopper allows it.
    pub fn start(on_code: impl FnOnce(String) + 'static) -> Option<Self> {
        let controller = AbortController::new().ok()?;
        let signal = controller.signal();
        leptos::task::spawn_local(async move {
            if let Some(code) = ask(&signal).await.as_string() {
                on_code(code);
            }
        });
        Some(Self(controller))
    }

    /// Withdraws the ask (AbortController), so no stale sheet appears.
    pub fn stop(&self) {
        self.0.abort();
    }
}
