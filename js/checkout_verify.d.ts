// Types of the checkout-verify package: the configuration every field of which `mount` accepts,
// the functions, and the `checkout-verify:<what>` events with their details. Written by hand (the
// generated ones say `any`); `make package` copies them into pkg/.

/** Host patterns of the genuine store: `"shop.example"` or `"*.shop.example"`. */
export type HostPattern = string;

/**
 * The widget's configuration. Every field is optional; an unknown field, or a value of the wrong
 * kind, makes `mount` throw an `Error` naming the field and the value.
 */
export interface Config {
  /** Where the code goes (a phone number or an e-mail address). Default: none (the backend knows it). */
  destination?: string | null;
  /** Delivery channel passed to the send endpoint. Default `"sms"`. */
  channel?: string | null;
  /**
   * Channels the shopper may switch to once a new code may be asked for ("Call me instead"),
   * `channel` among them, like `["sms", "voice"]`. Default: none.
   */
  channels?: Channel[] | null;
  /** An opaque order or cart id sent with the first send and bound into the proof. Default: none. */
  context?: string | null;
  /** Characters in the code until the server says otherwise, 4 to 10. Default 6. */
  code_length?: number | null;
  /** `"digits"` (default) or `"alphanumeric"`. */
  alphabet?: "digits" | "alphanumeric" | null;
  /** Send the first code as soon as the widget appears. Default `false`. */
  auto_send?: boolean | null;
  /** Check the code as soon as it is complete. Default `false`. */
  auto_submit?: boolean | null;
  /** Offer the code from the SMS through WebOTP where the browser has it. Default `true`. */
  web_otp?: boolean | null;
  /** Offer "Use a different number" (dispatches `checkout-verify:change-destination`). Default `false`. */
  change_destination?: boolean | null;
  /** The backend, through the adapter: a preset and its fields, or every step written out. Default: the `reference` preset. */
  backend?: Backend | null;
  /** Shorthand for the `reference` preset's URLs (not beside `backend`): paths, `https:` URLs, or `http:` on loopback in development. */
  endpoints?: {
    /** Default `"/api/verification"`. */
    send?: string | null;
    /** Default `"/api/verification/check"`. */
    verify?: string | null;
  } | null;
  /** Seconds a code stays valid when the backend does not say, 1 to 86400. Default 600. */
  code_lifetime?: number | null;
  /** Seconds before expiry at which the shopper is warned, 0 to 86400. Default 60. */
  warn_before?: number | null;
  /** Seconds between codes, the last repeating, when the backend does not say. Default `[30, 60, 120]`. */
  resend_backoff?: number[] | null;
  /** Codes per verification when the backend does not say. Default 5. */
  max_sends?: number | null;
  /** What to tell the shopper when no more codes can be sent. Default: try later or contact the store. */
  sends_exhausted?: string | null;
  /** `sessionStorage` key of the reload record (never the code). Default `"checkout-verify"`. */
  storage_key?: string | null;
  /** The genuine store's hosts; anywhere else the widget refuses. Default: the page's own host (with a console warning). */
  allow?: HostPattern[] | null;
  /** Allow plain `http:` on loopback hosts, and nowhere else. Default `false`. */
  development?: boolean | null;
  /** Where a refusing widget sends its clone report: an `https:` URL on an allowed host. Default: none. */
  report?: string | null;
  /** Accept framing the browser cannot list (Firefox). Default `false`. */
  allow_unlisted_framing?: boolean | null;
  /**
   * The language the widget speaks: `"ru"`, `"pt-BR"` (a region takes its language). Default: the
   * host element's `lang`, else the page's `<html lang>`, else English. Its catalog must be loaded
   * (`init()` loads the page's language, `loadLocale` another).
   */
  locale?: string | null;
  /**
   * Your own words for single messages, by id, over the language's catalog: `{"verify": "Confirm"}`,
   * plural forms as `{"one": "…", "other": "…"}` chosen by `{count}`. An unknown id, or a
   * placeholder the message does not have, makes `mount` throw, listing what is known.
   */
  messages?: Record<string, string | Partial<Record<"zero" | "one" | "two" | "few" | "many" | "other", string>>> | null;
}

/** A delivery channel; the reference server knows these four. */
export type Channel = "sms" | "voice" | "whatsapp" | "email" | (string & {});

/** What a backend's answer means, as a step's `outcome` names it. */
export type Outcome =
  | "sent"
  | "verified"
  | "invalid"
  | "invalid_or_expired"
  | "expired"
  | "locked"
  | "throttled"
  | "send_limit"
  | "invalid_destination"
  | "blocked"
  | "error";

/** A JSON pointer (RFC 6901) into a backend's answer, like `"/error/message"`. */
export type Pointer = string;

/** One request of the backend. Strings are templates: `{{destination}}`, `{{code}}`, `{{params.name}}`, … */
export interface Step {
  /** The URL template; one without a scheme is joined to `base_url`. */
  url?: string;
  /** Default `"POST"`. */
  method?: "POST" | "PUT" | "GET";
  /** Default `"json"`. */
  encoding?: "json" | "form" | "query";
  /** The body template: a string that is exactly one `{{name}}` keeps the value's JSON type. */
  body?: unknown;
  /** Where the answer says what the widget wants to know. */
  read?: Partial<
    Record<
      | "verification_id"
      | "expires_in"
      | "expires_at"
      | "resend_in"
      | "sends_remaining"
      | "code_length"
      | "destination_hint"
      | "token"
      | "attempts_remaining",
      Pointer
    >
  >;
  /** Values of the send answer kept for later templates, `{{sent.name}}`. */
  keep?: Record<string, Pointer>;
  /** How answers are classified: rules, then a 2xx status, then error codes, then the HTTP status, then the defaults. */
  outcome?: {
    rules?: Array<{ pointer: Pointer; equals?: string | number | boolean; contains?: string; outcome: Outcome }>;
    status?: Pointer;
    statuses?: Record<string, Outcome>;
    codes?: Pointer[];
    errors?: Record<string, Outcome>;
    http?: Record<string, Outcome>;
  };
  /** Where the body repeats the wait when `Retry-After` is absent or hidden by CORS. */
  retry_after?: Pointer[];
}

/** The adapter: how the widget talks to a backend. */
export interface Backend {
  preset?: "reference" | "firebase" | "supabase" | "auth0" | "twilio-verify-proxy" | "vonage-verify-proxy";
  /** Prefix of step URLs without a scheme. */
  base_url?: string;
  /** Values for `{{params.name}}`. */
  params?: Record<string, string>;
  /** Header templates sent with every request. */
  headers?: Record<string, string>;
  /** Seconds per request, 1 to 120. Default 15. */
  timeout?: number;
  /** The widget's channel names as the backend spells them, like `{"voice": "call"}`. */
  channel_names?: Record<string, string>;
  send?: Step;
  /** Default: the send step. */
  resend?: Step;
  check?: Step;
}

/** Why a page is not the genuine store. */
export type Reason = "insecure-scheme" | "host-not-allowed" | "framed" | "endpoint-not-allowed";

/** The widget's verdict on the current page. */
export interface Verdict {
  /** Whether the widget would accept a code here. */
  trusted: boolean;
  /** Why not; empty when trusted. */
  reasons: Reason[];
  /** The genuine store's host to send the shopper to, or `null`. */
  genuine: string | null;
}

/** A mounted widget. */
export class WidgetHandle {
  private constructor();
  /** Removes the widget from the page and releases its timers and listeners. Safe to call twice. */
  destroy(): void;
  /** Frees the handle without removing the widget (the widget stays until `destroy()`). */
  free(): void;
}

/**
 * Mounts the widget into `element` (inside an open shadow root) with `config`. Throws an `Error`
 * naming the field and value when the config is invalid.
 */
export function mount(element: HTMLElement, config?: Config | null): WidgetHandle;

/**
 * Loads the catalog of `tag`'s language (`pt-BR` takes `pt`) so widgets mounted after it speak it:
 * the package's own `locales/<lang>.js` (es, pt, ru, zh, ar), or your ES module at `url` whose
 * default export is the messages. A catalog that cannot be loaded leaves English, with one warning.
 */
export function loadLocale(tag: string, url?: string | URL): Promise<void>;

/** The verdict a widget mounted with `config` would reach on this page. Throws like `mount`. */
export function assessPage(config?: Config | null): Verdict;

/** Where the `.wasm` is: by default `checkout_verify_bg.wasm` beside this module. */
export type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;

/** The instantiated WebAssembly module's exports (internal). */
export interface InitOutput {
  readonly memory: WebAssembly.Memory;
}

/**
 * Loads and instantiates the WebAssembly module, and the catalog of the page's language
 * (`<html lang>`) in parallel; await it before `mount`, which then speaks that language from its
 * first paint. Calling it again returns the first call's promise. The custom element calls it itself.
 */
export default function init(
  module_or_path?: { module_or_path: InitInput | Promise<InitInput> } | InitInput | Promise<InitInput>,
): Promise<InitOutput>;

/** `checkout-verify:sent`: a code was sent. */
export interface SentDetail {
  verification_id: string;
  expires_in: number;
  resend_in: number;
  sends_remaining: number;
  destination_hint: string | null;
  /** The channel it went by. */
  channel: Channel;
}

/** `checkout-verify:verified`: the server approved the code. Send `token` to your server to redeem it. */
export interface VerifiedDetail {
  verification_id: string;
  /** The proof of verification, or `null` where the backend gives none. */
  token: string | null;
}

/** `checkout-verify:invalid`: the code is wrong. */
export interface InvalidDetail {
  attempts_remaining: number | null;
}

/** `checkout-verify:locked`: too many wrong codes. */
export interface LockedDetail {
  /** Seconds until a new code may be asked for, or `null`. */
  retry_after: number | null;
}

/** `checkout-verify:throttled`: the backend asked to wait. */
export interface ThrottledDetail {
  retry_after: number;
  /** No more codes for this verification. */
  sends_exhausted: boolean;
}

/** `checkout-verify:blocked`: the page is not the genuine store. */
export interface BlockedDetail {
  reasons: Reason[];
  /** The genuine store's host to send the shopper to, or `null`. */
  genuine: string | null;
}

/** `checkout-verify:error`: a request failed. */
export interface ErrorDetail {
  reason: "network" | "timeout" | "server" | "unrecognised" | "invalid_destination" | "refused";
  /** The HTTP status, when an answer came. */
  status: number | null;
  /** Whether trying again may help. */
  retryable: boolean;
  request: "send" | "check";
  /** What the shopper was told. */
  message: string;
}

/** Every event the widget dispatches on its host element (bubbling and composed). */
export interface CheckoutVerifyEventMap {
  "checkout-verify:sent": CustomEvent<SentDetail>;
  "checkout-verify:verified": CustomEvent<VerifiedDetail>;
  "checkout-verify:invalid": CustomEvent<InvalidDetail>;
  "checkout-verify:expired": CustomEvent<Record<string, never>>;
  "checkout-verify:locked": CustomEvent<LockedDetail>;
  "checkout-verify:throttled": CustomEvent<ThrottledDetail>;
  "checkout-verify:blocked": CustomEvent<BlockedDetail>;
  "checkout-verify:change-destination": CustomEvent<Record<string, never>>;
  "checkout-verify:error": CustomEvent<ErrorDetail>;
}

/**
 * `<checkout-verify>`, registered when the package is imported: mounts when connected, destroys
 * itself when disconnected. The whole config goes through `config` (set it before or after the
 * package loads); attributes give single fields (`destination`, `channel`, `code-length`,
 * `allow="shop.example *.shop.example"`, `development`, …) and override the same fields of
 * `config`. Events are dispatched on the element.
 */
export interface CheckoutVerifyElement extends HTMLElement {
  config: Config;
}

/** The attributes `<checkout-verify>` reads, as JSX and templates write them. */
export interface CheckoutVerifyAttributes {
  config?: Config;
  destination?: string;
  channel?: string;
  /** Channels, space- or comma-separated (`"sms voice"`). */
  channels?: string;
  context?: string;
  locale?: string;
  alphabet?: "digits" | "alphanumeric";
  "sends-exhausted"?: string;
  "storage-key"?: string;
  report?: string;
  "code-length"?: number | string;
  "code-lifetime"?: number | string;
  "warn-before"?: number | string;
  "max-sends"?: number | string;
  "auto-send"?: boolean | string;
  "auto-submit"?: boolean | string;
  "web-otp"?: boolean | string;
  "change-destination"?: boolean | string;
  development?: boolean | string;
  "allow-unlisted-framing"?: boolean | string;
  /** Host patterns, space- or comma-separated. */
  allow?: string;
  /** Seconds, space- or comma-separated. */
  "resend-backoff"?: string;
}

declare global {
  interface HTMLElementTagNameMap {
    "checkout-verify": CheckoutVerifyElement;
  }
  // The events bubble to any element: `element.addEventListener("checkout-verify:verified", …)`
  // gets a typed `event.detail`.
  interface HTMLElementEventMap extends CheckoutVerifyEventMap {}
}
