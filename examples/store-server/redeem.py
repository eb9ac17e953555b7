"""How a store's server checks a checkout-verify proof before it places an order (Python 3,
standard library only). The widget's `checkout-verify:verified` event carries the proof
(`detail.token`); the page posts it to the store's server, which redeems it here. The first
redemption answers what was verified; any later one, a wrong key or a token the server did not
issue is refused.

    VERIFY_URL=https://verify.shop.example REDEEM_KEY=... python3 redeem.py TOKEN ORDER_ID PHONE

A proof counts only for the order it was made for (the widget's `context`) and the number the
store has on file for that order (E.164, as the server normalised it): a proof from another
checkout, or for the shopper's own second number, places nothing.
"""
import json
import os
import sys
import urllib.error
import urllib.request


def redeem(token, order_id, phone):
    """What the proof proves ({verification_id, destination, context}), or None for this order."""
    request = urllib.request.Request(
        os.environ["VERIFY_URL"] + "/api/verification/redeem",
        data=json.dumps({"token": token}).encode(),
        headers={"Authorization": "Bearer " + os.environ["REDEEM_KEY"], "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request) as answer:
            proof = json.load(answer)
    except urllib.error.HTTPError:  # 410 used or expired, 401 wrong key, 400 not a proof
        return None
    return proof if proof["context"] == order_id and proof["destination"] == phone else None


if __name__ == "__main__":
    proof = redeem(sys.argv[1], sys.argv[2], sys.argv[3])
    print(json.dumps(proof) if proof else "refused: verification required")
    sys.exit(0 if proof else 1)
