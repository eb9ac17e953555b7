// Codes through real gateways, as a shopper meets them: the reference server delivers the text
// message through a signed webhook to a receiver in this test (which checks the signature as
// the README's receiver does), and the e-mail through a real SMTP server (aiosmtpd, installed by
// scripts/bootstrap.sh). With the webhook down the shopper reads that the store could not send a
// code, never "Code sent", and sending again works once it is back.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createHmac, timingSafeEqual } from "node:crypto";
import { once } from "node:events";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, test } from "node:test";
import { freePort, launchBrowser, startServer, waitFor } from "./harness.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));
const KEY = "e2e-webhook-key-0123456789abcdef-0123";

const dir = mkdtempSync(join(tmpdir(), "cv-delivery-"));
const maildir = join(dir, "mail");
/** The text messages the webhook received, and whether it answers. */
const receiver = { messages: [], down: false };
let hook;
let smtp;
let server;
let browser;

/** The receiver's check: HMAC-SHA256 of "<t>.<body>" under the key, within five minutes. */
function signedByTheServer(header, body) {
  const parts = Object.fromEntries((header ?? "").split(",").map((part) => part.split("=")));
  const expected = createHmac("sha256", KEY).update(`${parts.t}.${body}`).digest();
  const given = Buffer.from(parts.v1 ?? "", "hex");
  const fresh = Math.abs(Date.now() / 1000 - Number(parts.t)) <= 300;
  return fresh && given.length === expected.length && timingSafeEqual(given, expected);
}

before(async () => {
  hook = createServer(async (request, response) => {
    let body = "";
    for await (const chunk of request) body += chunk;
    if (!signedByTheServer(request.headers["checkout-verify-signature"], body)) {
      response.writeHead(401).end();
    } else if (receiver.down) {
      response.writeHead(503).end();
    } else {
      receiver.messages.push(JSON.parse(body));
      response.writeHead(204).end();
    }
  });
  const hookPort = await freePort();
  hook.listen(hookPort, "127.0.0.1");
  await once(hook, "listening");

  const smtpPort = await freePort();
  smtp = spawn(`${root}target/smtp/bin/aiosmtpd`, [
    "-n", "-l", `127.0.0.1:${smtpPort}`, "-c", "aiosmtpd.handlers.Mailbox", maildir,
  ], { stdio: "inherit" });
  await waitFor("aiosmtpd listening", () => new Promise((resolve) => {
    const socket = connect(smtpPort, "127.0.0.1", () => { socket.end(); resolve(true); });
    socket.on("error", () => resolve(false));
  }), 20_000);

  const keyFile = join(dir, "webhook-key");
  writeFileSync(keyFile, `${KEY}\n`, { mode: 0o600 });
  server = await startServer([
    "--store-name", "Demo Store",
    "--deliver", `sms=webhook+http://127.0.0.1:${hookPort}/sms`,
    "--webhook-key-file", keyFile,
    "--deliver", `email=smtp://127.0.0.1:${smtpPort}?from=codes@shop.example`,
  ]);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
  hook?.close();
  if (smtp && smtp.exitCode === null) {
    smtp.kill("SIGTERM");
    await once(smtp, "exit");
  }
  rmSync(dir, { recursive: true, force: true });
});

/** The demo checkout with `config` over its own. */
async function checkout(config = {}) {
  const page = await browser.newPage();
  await page.goto(`${server.url}?config=${encodeURIComponent(JSON.stringify(config))}`);
  await page.getByRole("button", { name: "Send code" }).waitFor();
  return page;
}

async function verify(page, code) {
  await page.getByRole("textbox", { name: /code/i }).fill(code);
  await page.getByRole("button", { name: "Verify" }).click();
  await page.getByRole("status").filter({ hasText: "Verified" }).waitFor();
}

/** The code of the webhook's newest message, from its origin-bound last line. */
function codeFromWebhook() {
  const text = receiver.messages.at(-1).text;
  return /@\S+ #(\d+)$/.exec(text)[1];
}

test("a shopper verifies with a code that went through the store's webhook", async () => {
  const page = await checkout();
  await page.getByRole("button", { name: "Send code" }).click();
  await page.getByRole("status").filter({ hasText: "Code sent" }).waitFor();
  assert.equal(receiver.messages.length, 1);
  const message = receiver.messages[0];
  assert.equal(message.to, "+14155550123");
  assert.equal(message.channel, "sms");
  assert.equal(message.locale, "en");
  assert.match(message.text, /^\d{6} is your Demo Store verification code\./);
  assert.deepEqual(await server.outbox(), [], "a channel with a gateway skips the dev outbox");
  await verify(page, codeFromWebhook());
  await page.close();
});

test("a shopper verifies with a code that went through SMTP", async () => {
  const page = await checkout({ destination: "Shopper@Example.com", channel: "email" });
  await page.getByRole("button", { name: "Send code" }).click();
  await page.getByRole("status").filter({ hasText: "Code sent" }).waitFor();
  const mail = () => {
    try {
      return readdirSync(join(maildir, "new")).map((name) => readFileSync(join(maildir, "new", name), "utf8"));
    } catch {
      return [];
    }
  };
  await waitFor("the e-mail in the mailbox", () => mail().length === 1);
  const raw = mail()[0];
  assert.match(raw, /^To: shopper@example\.com$/m);
  assert.match(raw, /multipart\/alternative/);
  const code = /^Subject: (\d{6}) is your Demo Store verification code$/m.exec(raw)?.[1];
  assert.ok(code, raw);
  await verify(page, code);
  await page.close();
});

test("with the gateway down the shopper reads that no code was sent, and sending again works once it is back", async () => {
  const page = await checkout();
  receiver.down = true;
  await page.getByRole("button", { name: "Send code" }).click();
  const alert = page.getByRole("alert").filter({ hasText: "could not send a code (error 503)" });
  await alert.waitFor();
  assert.equal(await page.getByRole("status").filter({ hasText: "Code sent" }).count(), 0);
  assert.ok(await page.getByRole("textbox", { name: /code/i }).isDisabled(), "no code to type");
  const before = receiver.messages.length;
  receiver.down = false;
  await page.getByRole("button", { name: "Send code" }).click();
  await page.getByRole("status").filter({ hasText: "Code sent" }).waitFor();
  assert.equal(receiver.messages.length, before + 1);
  await verify(page, codeFromWebhook());
  await page.close();
});
