// The package's types accept what mount accepts and refuse what it throws on: each expected
// error below fails the check if the types stop refusing it.
import init, {
  assessPage,
  mount,
  type CheckoutVerifyElement,
  type Config,
  type Verdict,
} from "checkout-verify";

await init();
const host = document.createElement("div");
const config: Config = {
  destination: "+14155550123",
  code_length: 6,
  alphabet: "digits",
  endpoints: { send: "/api/verification", verify: "/api/verification/check" },
  resend_backoff: [30, 60, 120],
  allow: ["shop.example", "*.shop.example"],
  report: "https://shop.example/api/clone-report",
};
const handle = mount(host, config);
handle.destroy();
const verdict: Verdict = assessPage(config);
const genuine: string | null = verdict.genuine;
host.addEventListener("checkout-verify:verified", (event) => {
  const token: string | null = event.detail.token;
  void token;
});
host.addEventListener("checkout-verify:error", (event) => {
  const during: "send" | "check" = event.detail.request;
  void during;
});
const firebase: Config = {
  destination: "+14155550123",
  context: "order-1042",
  channels: ["sms", "voice"],
  backend: { preset: "firebase", params: { api_key: "AIza" }, timeout: 10 },
};
mount(host, firebase).destroy();
const custom: Config = {
  backend: {
    base_url: "https://api.shop.example",
    send: { url: "/otp/start", body: { to: "{{destination}}" }, read: { verification_id: "/id" }, outcome: {} },
    check: {
      url: "/otp/verify",
      method: "PUT",
      body: { id: "{{verification_id}}", code: "{{code}}" },
      outcome: { status: "/ok", statuses: { true: "verified", false: "invalid" } },
    },
  },
};
mount(host, custom).destroy();
host.addEventListener("checkout-verify:sent", (event) => {
  const channel: string = event.detail.channel;
  void channel;
});
// @ts-expect-error presets are named ones
mount(host, { backend: { preset: "firebas" } });
// @ts-expect-error an outcome is one the adapter knows
mount(host, { backend: { check: { outcome: { http: { 422: "wrong" } } } } });
// @ts-expect-error code_length is a number
mount(host, { code_length: "6" });
// @ts-expect-error alphabet is "digits" or "alphanumeric"
mount(host, { alphabet: "hex" });
// @ts-expect-error unknown fields are refused by mount, and by the types
mount(host, { destinaton: "+14155550123" });
// @ts-expect-error the verified event's detail has no code
host.addEventListener("checkout-verify:verified", (event) => event.detail.code);
const element: CheckoutVerifyElement | null = document.querySelector("checkout-verify");
if (element) element.config = { destination: "+14155550123" };
// @ts-expect-error the element's config is a Config
if (element) element.config = { code_length: "6" };
void genuine;
