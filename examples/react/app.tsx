// <checkout-verify> in React 19: React sets `config` as the element's property; the events are
// listened to on a ref. Built with `esbuild app.tsx --bundle --format=esm --jsx=automatic`.
import { useEffect, useRef, useState } from "react";
import { createRoot } from "react-dom/client";
import "checkout-verify";
import type { CheckoutVerifyElement, Config } from "checkout-verify";
import type {} from "checkout-verify/react";

// This example is served from this machine: its loopback names are the store's hosts.
const config: Config = {
  destination: "+1 415 555 0123",
  allow: ["localhost", "127.0.0.1"],
  development: true,
};

function Checkout() {
  const widget = useRef<CheckoutVerifyElement>(null);
  const [proof, setProof] = useState<string | null>(null);
  useEffect(() => {
    const element = widget.current;
    if (!element) return;
    const verified = (event: CustomEvent<{ token: string | null }>) => setProof(event.detail.token);
    element.addEventListener("checkout-verify:verified", verified);
    return () => element.removeEventListener("checkout-verify:verified", verified);
  }, []);
  return (
    <main>
      <h1>Checkout</h1>
      <p>We text a one-time code to the number on your account, +1 415 555 0123.</p>
      <checkout-verify ref={widget} config={config} />
      {/* The proof goes to the store's server, which redeems it before it places the order. */}
      <button type="button" disabled={!proof} data-proof={proof ?? ""}>
        Place order
      </button>
    </main>
  );
}

const root = document.getElementById("app");
if (root) createRoot(root).render(<Checkout />);
