// How a store's server checks a checkout-verify proof before it places an order (Node 18+).
// The widget's `checkout-verify:verified` event carries the proof (`detail.token`); the page
// posts it to the store's server, which redeems it here. The first redemption answers what was
// verified; any later one, a wrong key or a token the server did not issue is refused.
//
//   VERIFY_URL=https://verify.shop.example REDEEM_KEY=... node redeem.mjs TOKEN ORDER_ID PHONE
//
// A proof counts only for the order it was made for (the widget's `context`) and the number the
// store has on file for that order (E.164, as the server normalised it): a proof from another
// checkout, or for the shopper's own second number, places nothing.

/** What the proof proves ({verification_id, destination, context}), or null when it proves nothing for this order. */
export async function redeem(token, order) {
  const answer = await fetch(`${process.env.VERIFY_URL}/api/verification/redeem`, {
    method: "POST",
    headers: { authorization: `Bearer ${process.env.REDEEM_KEY}`, "content-type": "application/json" },
    body: JSON.stringify({ token }),
  });
  if (answer.status !== 200) return null; // 410 used or expired, 401 wrong key, 400 not a proof
  const proof = await answer.json();
  return proof.context === order.id && proof.destination === order.phone ? proof : null;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const proof = await redeem(process.argv[2], { id: process.argv[3], phone: process.argv[4] });
  console.log(proof ? JSON.stringify(proof) : "refused: verification required");
  process.exitCode = proof ? 0 : 1;
}
