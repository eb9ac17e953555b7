// `<checkout-verify>` in React 19's JSX: `import type {} from "checkout-verify/react";` once in
// your app. React 19 sets `config` as the element's property and the rest as attributes, and
// listens for a custom element's events through `on` + the event's name:
// `<checkout-verify config={config} oncheckout-verify:verified={(e) => e.detail.token} />`.
import type { DetailedHTMLProps, HTMLAttributes } from "react";
import type { CheckoutVerifyAttributes, CheckoutVerifyElement, CheckoutVerifyEventMap } from "./checkout_verify.js";

/** `oncheckout-verify:<what>` props, each given its event with a typed `detail`. */
export type CheckoutVerifyEventProps = {
  [K in keyof CheckoutVerifyEventMap as `on${K}`]?: (event: CheckoutVerifyEventMap[K]) => void;
};

declare module "react" {
  namespace JSX {
    interface IntrinsicElements {
      "checkout-verify": DetailedHTMLProps<HTMLAttributes<CheckoutVerifyElement>, CheckoutVerifyElement> &
        CheckoutVerifyAttributes &
        CheckoutVerifyEventProps;
    }
  }
}
