// A store's server redeeming the proof of a verification, with the very code the README shows
// (examples/store-server/redeem.mjs and redeem.py), against the real reference server.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { codeFromOutbox, startServer } from "./harness.mjs";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../..", import.meta.url));
const redeemKey = "redeem-key-of-the-e2e-store-0123456789";
let server;

before(async () => {
  const dir = mkdtempSync(join(tmpdir(), "cv-redeem-"));
  // Readable by their owner only: the server refuses a key file others may read.
  writeFileSync(join(dir, "secret"), "secret-of-the-e2e-server-0123456789abcdef\n", { mode: 0o600 });
  writeFileSync(join(dir, "redeem-key"), `${redeemKey}\n`, { mode: 0o600 });
  server = await startServer(["--secret-file", join(dir, "secret"), "--redeem-key-file", join(dir, "redeem-key")]);
});
after(() => server?.stop());

/** Verifies a code to `destination` for `context` as the widget would, server side; returns the proof. */
async function proof(context, destination = "+1 415 555 0123") {
  const post = async (path, body) => {
    const answer = await fetch(new URL(path, server.url), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return { status: answer.status, body: await answer.json() };
  };
  const seen = (await server.outbox()).length;
  const sent = await post("/api/verification", { destination, channel: "sms", context });
  assert.equal(sent.status, 202);
  const { code } = await codeFromOutbox(server, seen);
  const approved = await post("/api/verification/check", { verification_id: sent.body.verification_id, code });
  assert.equal(approved.status, 200);
  return approved.body.token;
}

/** The number the store has on file for its orders, as the server normalises it. */
const PHONE = "+14155550123";

/** Runs a store-server example; its exit code and output. */
async function redeemWith(command, script, token, orderId, key = redeemKey) {
  const env = { ...process.env, VERIFY_URL: server.url.replace(/\/$/, ""), REDEEM_KEY: key };
  const args = [join(root, "examples/store-server", script), token, orderId, PHONE];
  try {
    const { stdout } = await run(command, args, { env });
    return { code: 0, stdout };
  } catch (failure) {
    return { code: failure.code, stdout: failure.stdout };
  }
}

for (const [command, script] of [["node", "redeem.mjs"], ["python3", "redeem.py"]]) {
  test(`the store's server (${script}) redeems a proof once, with its key, for its order`, async () => {
    const token = await proof("order-1042");
    const wrongKey = await redeemWith(command, script, token, "order-1042", "not-the-redeem-key");
    assert.deepEqual(wrongKey, { code: 1, stdout: "refused: verification required\n" });
    const first = await redeemWith(command, script, token, "order-1042");
    assert.equal(first.code, 0, first.stdout);
    const redeemed = JSON.parse(first.stdout);
    assert.equal(redeemed.destination, "+14155550123");
    assert.equal(redeemed.context, "order-1042");
    const again = await redeemWith(command, script, token, "order-1042");
    assert.equal(again.code, 1, "a proof is redeemed once");

    const otherOrder = await redeemWith(command, script, await proof("order-7"), "order-1042");
    assert.equal(otherOrder.code, 1, "a proof for another order does not place this one");
    const otherNumber = await redeemWith(command, script, await proof("order-1042", "+1 415 555 0199"), "order-1042");
    assert.equal(otherNumber.code, 1, "a proof for another number does not place this order");
  });
}
