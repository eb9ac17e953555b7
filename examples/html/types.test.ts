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
