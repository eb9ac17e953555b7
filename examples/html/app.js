// The package as a storefront installs it (`npm install checkout-verify`) and bundles it
// (`esbuild app.js --bundle --format=esm --outdir=dist`, with the .wasm copied beside the bundle).
// @ts-check
import init, { mount } from "checkout-verify";

await init();
const host = /** @type {HTMLElement} */ (document.getElementById("checkout-verify"));
const placeOrder = /** @type {HTMLButtonElement} */ (document.getElementById("place-order"));
mount(host, {
  destination: "+1 415 555 0123",
  // This example is served from this machine: its loopback names are the store's hosts.
  allow: ["localhost", "127.0.0.1"],
  development: true,
});
host.addEventListener("checkout-verify:verified", (event) => {
  // The proof goes to the store's server, which redeems it before it places the order.
  placeOrder.dataset.proof = event.detail.token ?? "";
  placeOrder.disabled = false;
});
