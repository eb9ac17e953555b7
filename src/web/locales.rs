//! The languages a page has loaded: `registerLocale(tag, catalog)` (the package's loader calls it
//! with `locales/<lang>.js`, fetched beside the wasm), the language a widget speaks, and the
//! browser's own plural rules (`Intl.PluralRules`).

use std::cell::RefCell;

use wasm_bindgen::prelude::*;
use web_sys::HtmlElement;

use crate::core::config::Config;
use crate::core::json::Json;
use crate::core::messages::{language_of, Catalog, Locale, Plural};

#[wasm_bindgen(inline_js = r#"
const rules = new Map();
export function plural_category(tag, count) {
  let rule = rules.get(tag);
  if (!rule) {
    try { rule = new Intl.PluralRules(tag); } catch (_) { rule = new Intl.PluralRules("en"); }
    rules.set(tag, rule);
  }
  return rule.select(count);
}
export function inherited_lang(element) {
  return element.closest("[lang]")?.lang || document.documentElement.lang || "";
}
"#)]
extern "C" {
    /// `Intl.PluralRules(tag).select(count)`, the rule kept per tag.
    fn plural_category(tag: &str, count: f64) -> String;
    /// The language `element` is in: its own or an ancestor's `lang`, else the page's.
    fn inherited_lang(element: &HtmlElement) -> String;
}

thread_local! {
    /// Catalogs by language, as registered.
    static CATALOGS: RefCell<Vec<(String, Catalog)>> = const { RefCell::new(Vec::new()) };
}

/// Adds the catalog of `tag`'s language (JSON text of an object of messages, as
/// `locales/<lang>.js` exports it), checked against English as a page's `messages` are. Throws,
/// naming what is wrong, when it is not a catalog; the package's loader then warns and the widget
/// speaks English.
#[wasm_bindgen(js_name = registerLocale)]
pub fn register_locale(tag: &str, catalog: &str) -> Result<(), JsError> {
    let catalog = Json::parse(catalog)
        .map_err(|e| e.to_string())
        .and_then(|json| Catalog::parse(&json, &Catalog::english()).map_err(|e| e.to_string()))
        .map_err(|e| JsError::new(&format!("checkout-verify: the {tag} catalog {e}")))?;
    let language = language_of(tag);
    CATALOGS.with_borrow_mut(|catalogs| {
        catalogs.retain(|(l, _)| *l != language);
        catalogs.push((language, catalog));
    });
    Ok(())
}

/// `config` with the language of `host` (or the page) when it names none.
pub fn with_inherited_locale(mut config: Config, host: &HtmlElement) -> Config {
    if config.locale.is_none() {
        let tag = inherited_lang(host);
        config.locale = (!tag.is_empty()).then_some(tag);
    }
    config
}

/// What a widget with `config` says things with: its language's catalog (English for what it
/// lacks), the page's `messages` over it, the browser's plural rule for the tag.
pub fn locale(config: &Config) -> Locale {
    let tag = config.locale.clone().unwrap_or_else(|| "en".into());
    let language = language_of(&tag);
    let catalog = CATALOGS.with_borrow(|catalogs| {
        catalogs
            .iter()
            .find(|(l, _)| *l == language)
            .map(|(_, catalog)| catalog.clone())
    });
    if catalog.is_none() && language != "en" {
        web_sys::console::warn_1(
            &format!("checkout-verify: no catalog for \"{language}\" is loaded, so the widget speaks English: await init() (the page's language) or loadLocale(\"{tag}\") before mount").into(),
        );
        // Said once: later widgets in the language take English without a word.
        register_english(&language);
    }
    Locale::new(&tag, catalog.as_ref(), &config.messages, intl_plural)
}

/// The browser's plural category of `count` for `tag`.
fn intl_plural(tag: &str, count: u64) -> Plural {
    // Counts are small whole numbers, exact in an f64.
    Plural::from_name(&plural_category(tag, count as f64)).unwrap_or(Plural::Other)
}

/// Notes that `language` speaks English here, so its missing catalog is warned about once.
fn register_english(language: &str) {
    CATALOGS.with_borrow_mut(|catalogs| catalogs.push((language.to_string(), Catalog::default())));
}
