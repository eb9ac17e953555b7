// `<checkout-verify>` in React 19's JSX: `import type {} from "checkout-verify/react";` once in
// your app. React 19 sets `config` as the element's property and the rest as attributes.
import type { DetailedHTMLProps, HTMLAttributes } from "react";
import type { CheckoutVerifyAttributes, CheckoutVerifyElement } from "./checkout_verify.js";

declare module "react" {
  namespace JSX {
    interface IntrinsicElements {
      "checkout-verify": DetailedHTMLProps<HTMLAttributes<CheckoutVerifyElement>, CheckoutVerifyElement> &
        CheckoutVerifyAttributes;
    }
  }
}
