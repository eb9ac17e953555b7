// The package as a storefront installs it (`npm install checkout-verify`) and bundles it
// (`esbuild app.js --bundle --format=esm --outdir=dist`, with the .wasm copied beside the bundle).
// Importing it registers <checkout-verify>, which loads the WebAssembly and mounts itself.
// @ts-check
import "checkout-verify";

const widget = /** @type {HTMLElement} */ (document.querySelector("checkout-verify"));
const placeOrder = /** @type {HTMLButtonElement} */ (document.getElementById("place-order"));
widget.addEventListener("checkout-verify:verified", (event) => {
  // The proof goes to the store's server, which redeems it before it places the order.
  placeOrder.dataset.proof = event.detail.token ?? "";
  placeOrder.disabled = false;
});
