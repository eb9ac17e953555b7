// Any backend, from the shopper's browser: the demo page mounts the widget with each preset (and
// with an adapter written from scratch) against a backend that answers as the real service does,
// and a shopper sends a code, types a wrong one (alert), then the right one (Verified, with the
// backend's proof in the `verified` event). Firebase runs for real: the Auth Emulator.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { launchBrowser, startFirebaseEmulator, startServer, waitFor } from "./harness.mjs";
import { RIGHT_CODE, TOKENS, startRecordedBackend } from "./recorded-backends.mjs";

const DESTINATION = "+14155550123";

let server;
let browser;
before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Opens the demo checkout mounted with `config` (over the demo's own). */
async function checkoutWith(config) {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(error));
  const warnings = [];
  page.on("console", (message) => message.type() === "warning" && warnings.push(message.text()));
  await page.goto(`${server.url}?config=${encodeURIComponent(JSON.stringify(config))}`);
  await page.getByRole("button", { name: "Send code" }).waitFor();
  page.errors = errors;
  page.warnings = warnings;
  return page;
}

/** The details of the `checkout-verify:<name>` events the demo logged, oldest first. */
async function events(page, name) {
  const items = await page.locator("#event-log li").allTextContents();
  return items.filter((item) => item.startsWith(`${name} `)).map((item) => JSON.parse(item.slice(name.length + 1)));
}

/**
 * A shopper's whole path: send, a wrong code (the alert says so, in the backend's terms), the right
 * code (Verified); returns the `verified` event's detail.
 */
async function shopperVerifies(page, { wrongAlert, code }) {
  await page.getByRole("button", { name: "Send code" }).click();
  await page.getByRole("status").filter({ hasText: "Code sent" }).waitFor();
  const field = page.getByRole("textbox", { name: /code/i });
  await field.fill("000000");
  await page.getByRole("button", { name: "Verify" }).click();
  await page.getByRole("alert").filter({ hasText: wrongAlert }).waitFor();
  await field.fill(await code());
  await page.getByRole("button", { name: "Verify" }).click();
  await page.getByRole("status").filter({ hasText: "Verified" }).waitFor();
  const [verified] = await waitFor("the verified event", async () => {
    const list = await events(page, "verified");
    return list.length > 0 && list;
  });
  assert.deepEqual(page.errors, []);
  return verified;
}

const PRESETS = [
  {
    preset: "supabase",
    backend: (url) => ({ preset: "supabase", base_url: url, params: { api_key: "anon-key" } }),
    wrongAlert: "That code is not right, or it has expired.",
  },
  {
    preset: "auth0",
    backend: (url) => ({ preset: "auth0", base_url: url, params: { client_id: "client-1" } }),
    wrongAlert: "That code is not right, or it has expired.",
  },
  {
    preset: "twilio-verify-proxy",
    backend: (url) => ({ preset: "twilio-verify-proxy", base_url: url }),
    wrongAlert: "That code is not right.",
  },
  {
    preset: "vonage-verify-proxy",
    backend: (url) => ({ preset: "vonage-verify-proxy", base_url: url, params: { brand: "Demo Store" } }),
    wrongAlert: "That code is not right.",
  },
];

describe("each preset through the widget", () => {
  for (const { preset, backend, wrongAlert } of PRESETS) {
    test(`${preset}: sent, a wrong code refused, the right one verified`, async () => {
      const recorded = await startRecordedBackend(preset);
      try {
        const page = await checkoutWith({ destination: DESTINATION, backend: backend(recorded.url) });
        const verified = await shopperVerifies(page, { wrongAlert, code: async () => RIGHT_CODE });
        assert.equal(verified.token, TOKENS[preset]);
        // What went over the wire is what the real API takes, and the code never in a URL.
        assert.equal(recorded.requests.length, 3, JSON.stringify(recorded.requests));
        assert.ok(recorded.requests.every((r) => !r.path.includes(RIGHT_CODE) && !r.path.includes("000000")));
        await page.close();
      } finally {
        await recorded.stop();
      }
    });
  }
});

test("an adapter written from scratch: a wrong code is 200 {ok: false}, a CSRF token from the page", async () => {
  const recorded = await startRecordedBackend("custom");
  try {
    const page = await checkoutWith({
      destination: DESTINATION,
      backend: {
        base_url: recorded.url,
        headers: { "X-CSRF-Token": "{{meta.csrf-token}}" },
        send: {
          url: "/otp/start",
          body: { to: "{{destination}}" },
          read: { verification_id: "/id", expires_in: "/ttl" },
          outcome: {},
        },
        check: {
          url: "/otp/verify",
          body: { id: "{{verification_id}}", code: "{{code}}" },
          read: { token: "/proof" },
          outcome: { status: "/ok", statuses: { true: "verified", false: "invalid" } },
        },
      },
    });
    // The store's page carries its CSRF token in a <meta>, read when each request is built.
    await page.evaluate(() => {
      const meta = document.createElement("meta");
      meta.name = "csrf-token";
      meta.content = "csrf-from-the-page";
      document.head.append(meta);
    });
    const verified = await shopperVerifies(page, { wrongAlert: "That code is not right.", code: async () => RIGHT_CODE });
    assert.equal(verified.token, TOKENS.custom);
    // The code's lifetime came from the backend's own field.
    const [sent] = await events(page, "sent");
    assert.equal(sent.expires_in, 300);
    await page.close();
  } finally {
    await recorded.stop();
  }
});

test("an answer the adapter cannot place: the shopper is alerted, the developer told why", async () => {
  const recorded = await startRecordedBackend("custom");
  try {
    // The check's outcome names a field the backend never sends.
    const page = await checkoutWith({
      destination: DESTINATION,
      backend: {
        base_url: recorded.url,
        headers: { "X-CSRF-Token": "csrf-from-the-page" },
        send: { url: "/otp/start", body: { to: "{{destination}}" }, read: { verification_id: "/id" }, outcome: {} },
        check: {
          url: "/otp/verify",
          body: { id: "{{verification_id}}", code: "{{code}}" },
          read: { token: "/proof" },
          outcome: { status: "/result", statuses: { approved: "verified" } },
        },
      },
    });
    await page.getByRole("button", { name: "Send code" }).click();
    await page.getByRole("status").filter({ hasText: "Code sent" }).waitFor();
    await page.getByRole("textbox", { name: /code/i }).fill("000000");
    await page.getByRole("button", { name: "Verify" }).click();
    await page.getByRole("alert").filter({ hasText: "an answer we do not understand" }).waitFor();
    assert.equal(await page.getByRole("textbox", { name: /code/i }).inputValue(), "000000", "the code is kept");
    const warning = await waitFor("the console's explanation", () =>
      page.warnings.find((text) => text.includes("matched nothing in backend.check")),
    );
    assert.match(warning, /a status at \/result among \["approved"\] \(absent\)/);
    assert.ok(!warning.includes("000000"), "the code is never logged");
    await page.close();
  } finally {
    await recorded.stop();
  }
});

test("firebase, against the real Auth Emulator: sent, a wrong code refused, the right one verified", async () => {
  const emulator = await startFirebaseEmulator();
  try {
    const page = await checkoutWith({
      destination: DESTINATION,
      backend: {
        preset: "firebase",
        base_url: `${emulator.url}/identitytoolkit.googleapis.com`,
        params: { api_key: "any-key" },
      },
    });
    const verified = await shopperVerifies(page, {
      wrongAlert: "That code is not right.",
      code: async () => (await emulator.codes()).at(-1).code,
    });
    // The emulator's proof: a Firebase ID token (a JWT) for the phone number.
    assert.match(verified.token, /^[\w-]+\.[\w-]+\.[\w-]*$/);
    const claims = JSON.parse(Buffer.from(verified.token.split(".")[1], "base64url"));
    assert.equal(claims.phone_number, DESTINATION);
    await page.close();
  } finally {
    await emulator.stop();
  }
});
