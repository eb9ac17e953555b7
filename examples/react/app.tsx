// <checkout-verify> in React 19: React sets `config` as the element's property and listens for its
// events through `oncheckout-verify:<what>` props, typed by checkout-verify/react. Built with
// `esbuild app.tsx --bundle --format=esm --jsx=automatic`.
import { useState } from "react";
import { createRoot } from "react-dom/client";
import "checkout-verify";
import type { Config } from "checkout-verify";
import type {} from "checkout-verify/react";

// This example is served from this machine: its loopback names are the store's hosts.
const config: Config = {
  destination: "+1 415 555 0123",
  allow: ["localhost", "127.0.0.1"],
  development: true,
};

function Checkout() {
  const [proof, setProof] = useState<string | null>(null);
  return (
    <main>
      <h1>Checkout</h1>
      <p>We text a one-time code to the number on your account, +1 415 555 0123.</p>
      <checkout-verify config={config} oncheckout-verify:verified={(event) => setProof(event.detail.token)} />
      {/* The proof goes to the store's server, which redeems it before it places the order. */}
      <button type="button" disabled={!proof} data-proof={proof ?? ""}>
        Place order
      </button>
    </main>
  );
}

const root = document.getElementById("app");
if (root) createRoot(root).render(<Checkout />);
