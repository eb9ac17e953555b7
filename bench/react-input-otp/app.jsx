// The benchmark's comparator: the one-time-code step of examples/html written the way a store
// developer would with React 19 and input-otp instead of <checkout-verify>. Same reference
// endpoints, same flow: Send code, a 6-slot field, the time left, a resend cooldown, Verify.
// Hand-written fetch and countdown, no other library. Built by `npm run build` (esbuild).
import { useEffect, useRef, useState } from "react";
import { createRoot } from "react-dom/client";
import { OTPInput, REGEXP_ONLY_DIGITS } from "input-otp";

const DESTINATION = "+1 415 555 0123";
const LENGTH = 6;

/** 75 → "1:15". */
const mss = (seconds) => `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;

/** POSTs JSON; resolves to the status and the parsed body (a problem document on failure). */
async function post(url, body) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, data: await response.json().catch(() => ({})) };
}

/** The error a shopper reads for a refused check. */
function checkError(status, data) {
  if (status === 422 && data.attempts_remaining != null)
    return `That code is not right. ${data.attempts_remaining} attempts left.`;
  if (status === 410) return `${data.title ?? "This code has expired"}. Ask for a new code.`;
  return data.title ?? "Something went wrong. Try again.";
}

function Verify({ onVerified }) {
  // { id, expiresAt, resendAt } from the server's answer, as absolute times (ms since epoch).
  const [sent, setSent] = useState(null);
  const [now, setNow] = useState(() => Date.now());
  const [code, setCode] = useState("");
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState("");
  const [error, setError] = useState("");
  const [verified, setVerified] = useState(false);
  const field = useRef(null);

  // Re-read the clock every second while a code is live: deadlines, not tick counts.
  useEffect(() => {
    if (!sent || verified) return undefined;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [sent, verified]);

  // Focus the field once a code was sent (it is enabled by then).
  useEffect(() => {
    if (sent) field.current?.focus();
  }, [sent]);

  const left = sent ? Math.max(0, Math.ceil((sent.expiresAt - now) / 1000)) : 0;
  const wait = sent ? Math.max(0, Math.ceil((sent.resendAt - now) / 1000)) : 0;
  const live = sent && !verified && left > 0;

  async function send() {
    setBusy(true);
    setError("");
    setStatus("Sending a code…");
    try {
      const body = { destination: DESTINATION, channel: "sms" };
      if (sent && left > 0) body.verification_id = sent.id; // a resend of the same verification
      const { status: http, data } = await post("/api/verification", body);
      if (http !== 202) throw new Error(data.title ?? "The code could not be sent.");
      const at = Date.now();
      setSent({ id: data.verification_id, expiresAt: at + data.expires_in * 1000, resendAt: at + data.resend_in * 1000 });
      setNow(at);
      setCode("");
      setStatus(`Code sent to ${data.destination_hint}.`);
    } catch (failure) {
      setStatus("");
      setError(failure instanceof TypeError ? "No connection. Try again." : failure.message);
    } finally {
      setBusy(false);
    }
  }

  async function check(event) {
    event.preventDefault();
    if (code.length < LENGTH) return setError(`Enter all ${LENGTH} digits of the code.`);
    setBusy(true);
    setError("");
    setStatus("Checking the code…");
    try {
      const { status: http, data } = await post("/api/verification/check", { verification_id: sent.id, code });
      if (http === 200 && data.status === "approved") {
        setVerified(true);
        setStatus("Verified. You can continue with your order.");
        onVerified(data.token);
      } else {
        setStatus("");
        setCode("");
        setError(checkError(http, data));
      }
    } catch {
      setStatus("");
      setError("No connection. Try again.");
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="verify">
      <form onSubmit={check} noValidate>
        <label htmlFor="code">Verification code</label>
        <p className="hint" id="code-hint">Enter the {LENGTH}-digit code we sent you.</p>
        <div className="row">
          <OTPInput
            id="code"
            ref={field}
            maxLength={LENGTH}
            pattern={REGEXP_ONLY_DIGITS}
            value={code}
            onChange={setCode}
            disabled={!live}
            readOnly={busy}
            aria-describedby="code-hint code-timer"
            containerClassName="otp"
            render={({ slots }) => (
              <div className="slots">
                {slots.map((slot, i) => (
                  <div key={i} className="slot" data-slot data-active={slot.isActive || undefined}>
                    {slot.char}
                    {slot.hasFakeCaret && <div className="caret" />}
                  </div>
                ))}
              </div>
            )}
          />
          <button type="submit" disabled={!live || busy}>Verify</button>
        </div>
        <p className="timer" id="code-timer" aria-live="off" hidden={!live}>
          Code expires in <time>{mss(left)}</time>
        </p>
        <button type="button" className="send" onClick={send} disabled={busy || verified || wait > 0}>
          {!sent ? "Send code" : wait > 0 ? `Resend code in ${mss(wait)}` : "Resend code"}
        </button>
      </form>
      <p className="status" role="status">{status}</p>
      <p className="alert" role="alert">{error}</p>
    </div>
  );
}

const placeOrder = document.getElementById("place-order");
createRoot(document.getElementById("verify")).render(
  <Verify
    onVerified={(token) => {
      // The proof goes to the store's server, which redeems it before it places the order.
      placeOrder.dataset.proof = token ?? "";
      placeOrder.disabled = false;
    }}
  />,
);
