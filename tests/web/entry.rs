//! Code entry: typed, pasted and autofilled text, origin-bound lines, the drawn slots.

use crate::support::*;

#[wasm_bindgen_test]
async fn typed_pasted_or_autofilled_text_becomes_the_digits() {
    routes(&[SEND]);
    let w = Mounted::new("{}").with_code_sent().await;
    w.enter(" 12 34-56\n");
    wait_for("normalised value", || w.input().value() == "123456").await;
    w.enter("１２３abc");
    wait_for("full-width digits", || w.input().value() == "123").await;
    w.enter("12345678");
    wait_for("cut at code length", || w.input().value() == "123456").await;
}

#[wasm_bindgen_test]
async fn a_pasted_message_fills_in_its_code_not_its_other_numbers() {
    routes(&[SEND]);
    let w = Mounted::new("{}").with_code_sent().await;
    w.paste("Order #552211 total $129.99. Your code: 482-913\n\n@127.0.0.1 #482913");
    wait_for("the code from the message", || {
        w.input().value() == "482913"
    })
    .await;
    w.enter("Your code is 482913. Call +1 415 555 0123 for help.");
    wait_for("the code, not the phone number", || {
        w.input().value() == "482913"
    })
    .await;
}

#[wasm_bindgen_test]
async fn a_code_bound_to_another_host_is_refused_with_an_alert() {
    routes(&[SEND]);
    let w = Mounted::new("{}").with_code_sent().await;
    w.paste("Your code is 482913\n\n@shop.example #482913");
    wait_for("the wrong-host alert", || {
        w.alert().contains("shop.example")
    })
    .await;
    assert_eq!(w.input().value(), "", "the code is not left in the field");
    assert_eq!(request_count("/api/verification/check"), 0);
}

#[wasm_bindgen_test]
async fn the_drawn_slots_follow_the_code_and_the_servers_length() {
    routes(&[SEND]);
    let w = Mounted::new("{}").with_code_sent().await;
    // Set through the CSSOM (a strict CSP refuses style attributes set as text).
    let style = || {
        let style = w.input().style();
        let property = |name| style.get_property_value(name).unwrap_or_default();
        format!(
            "--cv-n:{};--cv-i:{}",
            property("--cv-n"),
            property("--cv-i")
        )
    };
    wait_for("six slots, caret in the first", || {
        style() == "--cv-n:6;--cv-i:0"
    })
    .await;
    w.enter("123");
    wait_for("caret in the fourth slot", || {
        style() == "--cv-n:6;--cv-i:3"
    })
    .await;
    w.enter("12");
    wait_for("back one slot after a deletion", || {
        style() == "--cv-n:6;--cv-i:2"
    })
    .await;
    w.enter("123456");
    wait_for("caret stays in the last slot", || {
        style() == "--cv-n:6;--cv-i:5"
    })
    .await;
}
