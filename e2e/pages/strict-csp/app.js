// The npm package as a storefront uses it, on a page whose policy allows scripts and styles from
// its own origin only (and WebAssembly compilation): no inline script, no inline style.
import init, { mount } from "./checkout_verify.js";

await init();
mount(document.getElementById("checkout-verify"), {
  destination: "+1 415 555 0123",
  allow: ["localhost", "127.0.0.1"],
  development: true,
});
