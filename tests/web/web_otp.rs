//! WebOTP: the SMS code offered by the browser, the ask withdrawn when not wanted.

use crate::support::*;

#[wasm_bindgen_test]
async fn web_otp_code_from_the_sms_is_filled_in_and_checked() {
    routes(&[SEND, APPROVE]);
    fake_web_otp();
    let w = Mounted::new("{}").with_code_sent().await;
    assert_eq!(otp_calls(), 1);
    assert!(otp_asked_for_sms());
    otp_deliver("482913");
    wait_for("Verified", || w.status().contains("Verified")).await;
    assert_eq!(w.input().value(), "482913");
    assert_eq!(request_count("/api/verification/check"), 1);
}

#[wasm_bindgen_test]
async fn web_otp_ask_is_withdrawn_by_a_manual_submit_and_by_destroy() {
    routes(&[SEND, APPROVE]);
    fake_web_otp();
    let w = Mounted::new("{}").with_code_sent().await;
    w.enter("123456");
    w.press("Verify");
    wait_for("the ask to be withdrawn on submit", otp_withdrawn).await;
    wait_for("Verified", || w.status().contains("Verified")).await;
    assert!(w.alert().is_empty(), "no noise from the AbortError");

    fake_web_otp();
    let mut w = Mounted::new("{}").with_code_sent().await;
    assert!(!otp_withdrawn());
    w.handle.destroy();
    wait_for("the ask to be withdrawn on destroy", otp_withdrawn).await;
}

#[wasm_bindgen_test]
async fn web_otp_can_be_turned_off() {
    routes(&[SEND]);
    fake_web_otp();
    let _w = Mounted::new(r#"{"web_otp":false}"#).with_code_sent().await;
    assert_eq!(otp_calls(), 0);
}
