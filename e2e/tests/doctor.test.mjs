// The doctor (`npx checkout-verify-doctor`, pkg/doctor.mjs in Node on the core compiled to
// WebAssembly) drives real backends through the widget's own config checker and adapter: the
// reference server, a real third-party backend (the Firebase Auth Emulator, from npm's
// firebase-tools), and a backend that misbehaves. It verifies a code on the first two and says
// what to fix on the third; the code it checks is never printed.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { startFirebaseEmulator, startServer } from "./harness.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));
const doctorScript = process.env.CV_DOCTOR ?? `${root}pkg/doctor.mjs`;

let server;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.stop();
});

/** Runs the doctor with `config` and the rest of `args`; resolves to its exit code and output. */
async function doctor(config, args) {
  const dir = mkdtempSync(join(tmpdir(), "cv-doctor-"));
  const file = join(dir, "config.json");
  writeFileSync(file, JSON.stringify(config));
  const child = spawn(process.execPath, [doctorScript, "--config", file, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const [code] = await once(child, "exit");
  return { code, output };
}

test("the reference server: a code sent, a wrong one refused, the right one verified", async () => {
  const before = (await server.outbox()).length;
  const { code, output } = await doctor({}, [
    "--destination",
    "+14155550123",
    "--origin",
    server.url.replace(/\/$/, ""),
    "--code-from",
    `curl -s ${server.url}dev/outbox`,
  ]);
  assert.equal(code, 0, output);
  assert.match(output, /^The widget accepts this config/);
  assert.match(output, /shopper reads: Code sent to/);
  assert.match(output, /shopper is alerted: That code is not right\. 4 attempts left\./);
  assert.match(output, /outcome: Verified \{ token: Some\("eyJ/);
  assert.match(output, /The widget can work with this backend\./);
  const [message] = (await server.outbox()).slice(before);
  const sent = /#(\d+)\s*$/.exec(message.text)[1];
  assert.ok(!output.includes(sent), "the code is never printed");
});

test("a backend that misbehaves is told what to fix", async () => {
  // Caches answers, answers a wrong code with 200 "pending" nothing classifies, and redirects.
  const backend = createServer(async (request, response) => {
    for await (const _ of request);
    if (request.url === "/send") {
      response.writeHead(200, { "Content-Type": "application/json" });
      response.end(JSON.stringify({ id: "x1" }));
    } else {
      response.writeHead(200, { "Content-Type": "application/json" });
      response.end(JSON.stringify({ status: "pending" }));
    }
  });
  backend.listen(0, "127.0.0.1");
  await once(backend, "listening");
  const url = `http://127.0.0.1:${backend.address().port}`;
  try {
    const config = {
      development: true,
      backend: {
        base_url: url,
        send: { url: "/send", body: { to: "{{destination}}" }, read: { verification_id: "/id" }, outcome: {} },
        check: {
          url: "/check",
          body: { id: "{{verification_id}}", code: "{{code}}" },
          outcome: { status: "/status", statuses: { approved: "verified" } },
        },
      },
    };
    const { code, output } = await doctor(config, ["--destination", "+14155550123"]);
    assert.equal(code, 1, output);
    assert.match(output, /FIX: .*without Cache-Control: no-store/);
    assert.match(output, /FIX: checkout-verify: the check answer \(HTTP 200\) matched nothing in backend\.check.*a status/);
    assert.match(output, /FIX: a wrong code is classified as Failed\(Unrecognised\(200\)\)/);
  } finally {
    backend.close();
  }
});

test("the Firebase Auth Emulator: the firebase preset sends, refuses a wrong code, verifies", async () => {
  const emulator = await startFirebaseEmulator();
  try {
    const config = {
      development: true,
      backend: {
        preset: "firebase",
        base_url: `${emulator.url}/identitytoolkit.googleapis.com`,
        params: { api_key: "any" },
      },
    };
    const { code, output } = await doctor(config, [
      "--destination",
      "+14155550123",
      "--code-from",
      `curl -s ${emulator.url}/emulator/v1/projects/${emulator.project}/verificationCodes`,
    ]);
    // The emulator answers without Cache-Control (Google's own API sends no-store): the one fix
    // the doctor asks for here.
    const fixes = output.split("\n").filter((line) => line.startsWith("FIX:"));
    assert.equal(code, 1, output);
    assert.ok(fixes.length > 0 && fixes.every((line) => line.includes("Cache-Control")), output);
    assert.match(output, /outcome: Sent\(Sent \{ verification_id: "/);
    assert.match(output, /outcome: InvalidCode/);
    assert.match(output, /outcome: Verified \{ token: Some\("/);
  } finally {
    await emulator.stop();
  }
});

test("a config the widget refuses is refused with the widget's own words", async () => {
  const { code, output } = await doctor({ backend: { preset: "firebase" } }, ["--destination", "+14155550123"]);
  assert.equal(code, 2, output);
  assert.match(output, /needs the field `backend\.params\.api_key`: `backend\.send\.url` uses it/);
});
