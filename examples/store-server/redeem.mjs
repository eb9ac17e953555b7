// How a store's server checks a checkout-verify proof before it places an order (Node 18+).
// The widget's `checkout-verify:verified` event carries the proof (`detail.token`); the page
// posts it to the store's server, which redeems it here. The first redemption answers what was
// verified; any later one, a wrong key or a token the server did not issue is refused.
//
//   VERIFY_URL=https://verify.shop.example REDEEM_KEY=... node redeem.mjs TOKEN ORDER_ID

/** What the proof proves ({verification_id, destination, context}), or null when it proves nothing here. */
export async function redeem(token, orderId) {
  const answer = await fetch(`${process.env.VERIFY_URL}/api/verification/redeem`, {
    method: "POST",
    headers: { authorization: `Bearer ${process.env.REDEEM_KEY}`, "content-type": "application/json" },
    body: JSON.stringify({ token }),
  });
  if (answer.status !== 200) return null; // 410 used or expired, 401 wrong key, 400 not a proof
  const proof = await answer.json();
  return proof.context === orderId ? proof : null;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const proof = await redeem(process.argv[2], process.argv[3]);
  console.log(proof ? JSON.stringify(proof) : "refused: verification required");
  process.exitCode = proof ? 0 : 1;
}
