// <checkout-verify> in Vue 3: Vue sets `config` as the element's property (it is one, once the
// package has registered the element) and listens to its events with `on…` props.
// Built with `esbuild app.ts --bundle --format=esm`.
import { createApp, defineComponent, h, ref } from "vue";
import "checkout-verify";
import type { Config } from "checkout-verify";

// This example is served from this machine: its loopback names are the store's hosts.
const config: Config = {
  destination: "+1 415 555 0123",
  allow: ["localhost", "127.0.0.1"],
  development: true,
};

const Checkout = defineComponent(() => {
  const proof = ref<string | null>(null);
  return () =>
    h("main", [
      h("h1", "Checkout"),
      h("p", "We text a one-time code to the number on your account, +1 415 555 0123."),
      h("checkout-verify", {
        config,
        "onCheckout-verify:verified": (event: CustomEvent<{ token: string | null }>) => {
          proof.value = event.detail.token;
        },
      }),
      // The proof goes to the store's server, which redeems it before it places the order.
      h("button", { type: "button", disabled: !proof.value, "data-proof": proof.value ?? "" }, "Place order"),
    ]);
});

createApp(Checkout).mount("#app");
