//! Mounting: the labelled field, config errors, destroy, and a dropped handle.

use crate::support::*;

#[wasm_bindgen_test]
async fn renders_a_labelled_one_time_code_field() {
    routes(&[]);
    let w = Mounted::new("{}");
    wait_for("the widget to render", || w.find_field().is_some()).await;
    let input = w.input();
    assert_eq!(input.type_(), "text");
    assert_eq!(
        input.get_attribute("autocomplete").as_deref(),
        Some("one-time-code")
    );
    assert_eq!(input.get_attribute("inputmode").as_deref(), Some("numeric"));
    // Found by its label's name, so labelled; each part of its description is there.
    assert!(!w.description().is_empty());
    assert!(w.status().is_empty());
    assert!(w.alert().is_empty());
    assert_eq!(w.button_names(), ["Verify", "Send code"]);
    assert!(input.disabled(), "nothing to type before a code is sent");
}

#[wasm_bindgen_test]
fn invalid_config_throws_an_error_naming_the_field_and_value() {
    let document = web_sys::window().unwrap().document().unwrap();
    let host: HtmlElement = document.create_element("div").unwrap().unchecked_into();
    let config = js_sys::JSON::parse(r#"{"code_length":"six"}"#).unwrap();
    let Err(error) = mount(host, config) else {
        panic!("an invalid config was accepted")
    };
    let message: String = js_sys::Error::from(JsValue::from(error)).message().into();
    assert!(
        message.contains("code_length") && message.contains("six"),
        "{message}"
    );
}

#[wasm_bindgen_test]
async fn destroy_removes_the_widget_and_is_safe_twice() {
    routes(&[]);
    let mut w = Mounted::new("{}");
    wait_for("the widget to render", || w.find_field().is_some()).await;
    w.handle.destroy();
    assert!(w.find_field().is_none());
    assert_eq!(w.root().child_element_count(), 0);
    w.handle.destroy();
}

#[wasm_bindgen_test]
async fn dropping_the_handle_keeps_the_widget_until_destroy() {
    routes(&[]);
    let document = web_sys::window().unwrap().document().unwrap();
    let host: HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&host).unwrap();
    // A page that ignores mount()'s return value lets the handle be garbage-collected.
    drop(mount(host.clone(), JsValue::NULL).unwrap_or_else(|_| panic!("mount failed")));
    let root = host.shadow_root().unwrap();
    wait_for("the widget to render", || {
        root.query_selector("input").unwrap().is_some()
    })
    .await;
    TimeoutFuture::new(50).await;
    assert!(
        root.query_selector("input").unwrap().is_some(),
        "the widget vanished"
    );
    let Err(error) = mount(host.clone(), JsValue::NULL) else {
        panic!("a second mount into the same element was accepted")
    };
    let message: String = js_sys::Error::from(JsValue::from(error)).message().into();
    assert!(message.contains("already mounted"), "{message}");
    host.remove();
}
