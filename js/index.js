// The package's entry, bundled by `make package` into pkg/checkout_verify.js with the bindings
// wasm-bindgen generates: `init` (once, however often it is called), `mount`, `assessPage`,
// `loadLocale`, and the <checkout-verify> custom element, registered on import.
import initBindings, { assessPage, mount, registerLocale, WidgetHandle } from "../pkg/checkout_verify.js";

export { assessPage, mount, WidgetHandle };

/** The languages the package ships a catalog for (`locales/<lang>.js`); English is built in. */
const SHIPPED = ["es", "pt", "ru", "zh", "ar"];

let started;
let moduleReady;
/** Resolves once `init` has the module: catalogs are registered into it. */
const ready = new Promise((resolve) => (moduleReady = resolve));
const catalogs = new Map();

/** A tag's primary language, lower-cased: `pt-BR` is `pt`. */
const languageOf = (tag) => String(tag ?? "").toLowerCase().split(/[-_]/)[0];

/**
 * Loads the WebAssembly module and the catalog of the page's language (`<html lang>`), fetched
 * in parallel, and resolves once both are there: a widget mounted right after speaks that language
 * from its first paint. Every call after the first returns the first call's promise.
 */
export default function init(module_or_path) {
  if (!started) {
    started = initBindings(module_or_path);
    started.then(moduleReady, () => {});
  }
  return Promise.all([started, loadLocale(document.documentElement.lang)]).then(([output]) => output);
}

/**
 * Loads the catalog of `tag`'s language (`pt-BR` takes `pt`): the package's own
 * `locales/<lang>.js` beside this module, or the ES module at `url` (a store's own language,
 * exporting its messages as default). Resolves when widgets mounted after it speak the language;
 * a catalog that cannot be had leaves them speaking English, with one console warning.
 */
export function loadLocale(tag, url) {
  const language = languageOf(tag);
  if (!language || (language === "en" && !url)) return Promise.resolve();
  if (!catalogs.has(language)) catalogs.set(language, fetchCatalog(language, url));
  return catalogs.get(language);
}

async function fetchCatalog(language, url) {
  let catalog = {};
  try {
    if (!url && !SHIPPED.includes(language)) {
      throw new Error(`the package has no catalog for it; give one with loadLocale("${language}", url) or the config's messages`);
    }
    catalog = (await import(url ?? new URL(`./locales/${language}.js`, import.meta.url).href)).default;
  } catch (error) {
    console.warn(`checkout-verify: ${language}: ${error.message}; the widget speaks English.`);
  }
  // Registered once the module runs: a catalog fetched before the wasm waits for init().
  await ready;
  try {
    registerLocale(language, JSON.stringify(catalog));
  } catch (error) {
    console.warn(`${error.message}; the widget speaks English.`);
    registerLocale(language, "{}");
  }
}

// Config fields an attribute can give (`code-length="6"` is `code_length: 6`), by kind; the objects
// (backend, say) go through the `config` property only. tests/config_fields.rs holds these lists to
// the core's table of fields (src/core/config/mod.rs, FIELDS).
const TEXTS = ["destination", "channel", "context", "alphabet", "sends_exhausted", "storage_key", "report", "locale"];
const NUMBERS = ["code_length", "code_lifetime", "warn_before", "max_sends"];
const FLAGS = ["auto_send", "auto_submit", "web_otp", "change_destination", "development", "allow_unlisted_framing"];
const LISTS = ["allow", "channels", "resend_backoff"];
const OBJECTS = ["backend", "endpoints", "messages"];
/** Attributes every HTML element may carry. */
const GLOBAL = /^(id|class|style|lang|dir|hidden|title|slot|part|role|tabindex|inert|nonce|translate|autofocus|(aria|data)-.*)$/;

/** An attribute's value as its field wants it; a value of the wrong kind is left for `mount` to name. */
function fieldValue(field, value) {
  if (FLAGS.includes(field)) return value !== "false";
  const number = /^\d+$/.test(value) ? Number(value) : value;
  if (NUMBERS.includes(field)) return number;
  if (LISTS.includes(field)) {
    const items = value.split(/[\s,]+/).filter(Boolean);
    return field === "resend_backoff" ? items.map((item) => (/^\d+$/.test(item) ? Number(item) : item)) : items;
  }
  return value;
}

/**
 * `<checkout-verify destination="+14155550123" allow="shop.example">`: the widget as an element.
 * It mounts when connected and destroys itself when disconnected; the whole config goes through
 * its `config` property (set before or after the package loads), attributes override single
 * fields, and a change to either mounts it again (a verification under way carries on, as after a
 * reload). A config `mount` refuses is reported (`reportError`), and the element stays empty.
 */
class CheckoutVerifyElement extends HTMLElement {
  static observedAttributes = [...TEXTS, ...NUMBERS, ...FLAGS, ...LISTS].map((f) => f.replaceAll("_", "-"));

  #config = {};
  #widget = null;
  #renders = 0;

  constructor() {
    super();
    // A `config` set on the element before this class was defined sits on the instance and
    // would shadow the accessor: take it over.
    if (Object.hasOwn(this, "config")) {
      const early = this.config;
      delete this.config;
      this.#config = early ?? {};
    }
  }

  get config() {
    return this.#config;
  }

  set config(value) {
    // Frameworks set an equal object on every render: only a different config mounts again.
    if (JSON.stringify(value ?? {}) === JSON.stringify(this.#config)) return;
    this.#config = value ?? {};
    this.#render();
  }

  connectedCallback() {
    // An attribute the element does not take is most often a typo: say so, naming it.
    for (const { name } of this.attributes) {
      const field = name.replaceAll("-", "_");
      if (CheckoutVerifyElement.observedAttributes.includes(name) || GLOBAL.test(name)) continue;
      console.warn(
        OBJECTS.includes(field)
          ? `checkout-verify: <checkout-verify ${name}> is not read: \`${field}\` is an object, set it through the element's config property`
          : `checkout-verify: <checkout-verify> has no attribute \`${name}\`; it takes ${CheckoutVerifyElement.observedAttributes.join(", ")}, and the rest through its config property`,
      );
    }
    this.#render();
  }

  disconnectedCallback() {
    this.#renders += 1;
    this.#widget?.destroy();
    this.#widget = null;
  }

  attributeChangedCallback() {
    if (this.#widget) this.#render();
  }

  async #render() {
    if (!this.isConnected) return;
    const render = ++this.#renders;
    // The element's own language, or the page's, or the config's.
    await Promise.all([init(), loadLocale(this.#config.locale ?? this.getAttribute("locale") ?? this.closest("[lang]")?.lang)]);
    if (render !== this.#renders || !this.isConnected) return;
    const config = { ...this.#config };
    for (const name of CheckoutVerifyElement.observedAttributes) {
      const value = this.getAttribute(name);
      const field = name.replaceAll("-", "_");
      if (value !== null) config[field] = fieldValue(field, value);
    }
    this.#widget?.destroy();
    this.#widget = null;
    try {
      this.#widget = mount(this, config);
    } catch (error) {
      reportError(error);
    }
  }
}

if (!customElements.get("checkout-verify")) customElements.define("checkout-verify", CheckoutVerifyElement);
