// Every shopper's language, in Chromium against the reference server: a page in the language
// (`<html lang>`) that mounts right after `await init()` speaks it from its first paint; the
// field's accessible name, the buttons, the wrong-code alert with a count in each plural form the
// language has, and the success status are all in it; axe finds nothing in any state (idle,
// sent, invalid, expired, locked, verified, blocked); Arabic runs right to left while the code
// keeps its own order.
import assert from "node:assert/strict";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { LOOKALIKE_HOST, assertNoViolations, codeFromOutbox, launchBrowser, startServer } from "./harness.mjs";

/** A German store page: English with the store's own words, and a French part with its own catalog. */
const GERMAN_PAGE = `<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Kasse</title></head><body>
<div id="a"></div><div id="b" lang="fr"></div>
<script type="module">
  import init, { mount, loadLocale } from "/checkout_verify.js";
  await init();
  mount(document.getElementById("a"), { development: true, messages: { "send-code": "Code senden" } });
  await loadLocale("fr", "/shop/fr.js");
  mount(document.getElementById("b"), { development: true });
  window.done = true;
</script></body></html>`;

const catalogs = fileURLToPath(new URL("../../src/core/messages/locales/", import.meta.url));
const catalog = (language) => JSON.parse(readFileSync(`${catalogs}${language}.json`, "utf8"));

/** Counts that land in each CLDR category a language has, whole numbers a server could send. */
const COUNTS = {
  es: [1, 2, 1_000_000],
  pt: [1, 2, 1_000_000],
  ru: [1, 3, 5],
  zh: [1, 4],
  ar: [0, 1, 2, 3, 11, 100],
};

/** A message of `language` as the widget should say it, `{count}` and the other value filled in. */
function expected(language, id, { count, value } = {}) {
  const template = catalog(language)[id];
  const text =
    typeof template === "string" ? template : template[new Intl.PluralRules(language).select(count)] ?? template.other;
  const rtl = language === "ar";
  return text.replace(/\{(\w+)\}/g, (_, name) =>
    name === "count" ? String(count) : rtl ? `\u2066${value}\u2069` : value,
  );
}

/** A store's page in `lang` that mounts the widget right after `await init()`, noting what it said before the first paint. */
const storeHtml = (lang) => `<!doctype html>
<html lang="${lang}">
<head><meta charset="utf-8"><title>Checkout</title></head>
<body>
<main><h1>Checkout</h1><div id="verify"></div></main>
<script type="module">
  import init, { mount } from "/checkout_verify.js";
  await init();
  const host = document.getElementById("verify");
  const destination = new URLSearchParams(location.search).get("to");
  mount(host, { destination, development: true, allow: ["127.0.0.1", "localhost"] });
  const root = host.shadowRoot;
  window.firstPaint = { label: root.querySelector("label").textContent, dir: root.querySelector(".cv").dir };
</script>
</body>
</html>`;

let server;
let browser;
before(async () => {
  // The store's pages are served by the reference server itself, beside the package.
  const site = mkdtempSync(join(tmpdir(), "cv-languages-"));
  cpSync(fileURLToPath(new URL("../../dist", import.meta.url)), site, { recursive: true });
  mkdirSync(join(site, "shop"));
  for (const lang of ["en", "es", "pt", "ru", "zh", "ar"]) writeFileSync(join(site, "shop", `${lang}.html`), storeHtml(lang));
  writeFileSync(join(site, "shop", "de.html"), GERMAN_PAGE);
  writeFileSync(join(site, "shop", "fr.js"), `export default ${JSON.stringify({ "send-code": "Recevoir le code", verify: "Vérifier" })};`);
  server = await startServer([], site);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

/** A number of its own for each page (the server limits new verifications per number). */
let pages = 0;

/** Opens the store's page in `lang` on `host` (a lookalike host: a copy), with a test clock. */
async function storePage(lang, { host = "127.0.0.1", clock = false } = {}) {
  const page = await browser.newPage();
  page.errors = [];
  page.on("pageerror", (error) => page.errors.push(error));
  if (clock) await page.clock.install();
  const port = new URL(server.url).port;
  page.last4 = String(1000 + ++pages);
  await page.goto(`http://${host}:${port}/shop/${lang}.html?to=${encodeURIComponent(`+1 415 555 ${page.last4}`)}`);
  // Polled by time, not by animation frames, which a test clock holds still.
  await page.waitForFunction(() => window.firstPaint, null, { polling: 50 });
  return page;
}

async function sendCode(page, language) {
  const seen = (await server.outbox()).length;
  await page.getByRole("button", { name: expected(language, "send-code") }).click();
  const status = page.getByRole("status").filter({ hasText: expected(language, "sent-to", { value: `+1 •••-•••-${page.last4}` }) });
  await status.waitFor({ timeout: 5000 }).catch(async (error) => {
    const shown = await page.locator("#verify").evaluate((host) => host.shadowRoot.querySelector("[role=status]").textContent);
    throw new Error(`${error.message}\nthe status reads ${JSON.stringify(shown)}`);
  });
  return (await codeFromOutbox(server, seen)).code;
}

for (const language of ["es", "pt", "ru", "zh", "ar"]) {
  describe(`${language}`, () => {
    test("speaks the language from the first paint, counts in each plural form, and verifies", async () => {
      const page = await storePage(language);
      assert.deepEqual(await page.evaluate(() => window.firstPaint), {
        label: expected(language, "field-label"),
        dir: language === "ar" ? "rtl" : "ltr",
      });
      const field = page.getByRole("textbox", { name: expected(language, "field-label") });
      await field.waitFor();
      await assertNoViolations(page, `${language} idle`);
      const code = await sendCode(page, language);
      await assertNoViolations(page, `${language} sent`);
      // A wrong code, answered with every count that takes a form of its own.
      for (const count of COUNTS[language]) {
        await page.route("**/api/verification/check", (route) =>
          route.fulfill({
            status: 422,
            contentType: "application/problem+json",
            body: JSON.stringify({ type: "urn:checkout-verify:invalid-code", title: "Wrong code", status: 422, attempts_remaining: count }),
          }),
        );
        await field.fill("000000");
        await page.getByRole("button", { name: expected(language, "verify") }).click();
        await page.getByRole("alert").filter({ hasText: expected(language, "wrong-code-left", { count }) }).waitFor();
        await page.unroute("**/api/verification/check");
      }
      await assertNoViolations(page, `${language} invalid`);
      await field.fill(code);
      await page.getByRole("button", { name: expected(language, "verify") }).click();
      await page.getByRole("status").filter({ hasText: expected(language, "verified") }).waitFor();
      await assertNoViolations(page, `${language} verified`);
      assert.deepEqual(page.errors, []);
      await page.close();
    });

    test("expired, locked and blocked read in the language, with no axe violations", async () => {
      const page = await storePage(language, { clock: true });
      await sendCode(page, language);
      await page.route("**/api/verification/check", (route) =>
        route.fulfill({
          status: 410,
          contentType: "application/problem+json",
          body: JSON.stringify({ type: "urn:checkout-verify:too-many-attempts", title: "Locked", status: 410 }),
        }),
      );
      await page.getByRole("textbox", { name: expected(language, "field-label") }).fill("000000");
      await page.getByRole("button", { name: expected(language, "verify") }).click();
      await page.getByRole("alert").filter({ hasText: expected(language, "locked") }).waitFor();
      await assertNoViolations(page, `${language} locked`);
      await page.close();

      const later = await storePage(language, { clock: true });
      await sendCode(later, language);
      await later.clock.fastForward("10:01");
      await later.getByRole("alert").filter({ hasText: expected(language, "expired") }).waitFor();
      await assertNoViolations(later, `${language} expired`);
      await later.close();

      const copy = await storePage(language, { host: LOOKALIKE_HOST });
      await copy.getByRole("alert").filter({ hasText: expected(language, "blocked-host", { value: "127.0.0.1" }) }).waitFor();
      await assertNoViolations(copy, `${language} blocked`);
      await copy.close();
    });
  });
}

test("Arabic runs right to left while the code keeps its own order, caret, selection and paste", async () => {
  const page = await storePage("ar");
  await sendCode(page, "ar");
  const field = page.getByRole("textbox", { name: expected("ar", "field-label") });
  assert.equal(await field.evaluate((input) => getComputedStyle(input).direction), "ltr");
  assert.equal(await field.evaluate((input) => getComputedStyle(input.getRootNode().querySelector(".cv-label")).direction), "rtl");
  await field.focus();
  await page.keyboard.type("123");
  await page.keyboard.press("Home");
  await page.keyboard.press("ArrowRight");
  assert.deepEqual(await field.evaluate((input) => [input.selectionStart, input.selectionEnd]), [1, 1], "the caret moves as the digits read");
  await page.keyboard.press("Shift+End");
  assert.deepEqual(await field.evaluate((input) => [input.selectionStart, input.selectionEnd]), [1, 3]);
  // An Arabic text message pasted whole gives its code, in its own order.
  await page.keyboard.press("Control+A");
  await field.evaluate((input) => {
    const data = new DataTransfer();
    data.setData("text/plain", "رمز التحقق الخاص بك هو 482913. لا تشاركه مع أحد.");
    input.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
  });
  assert.equal(await field.inputValue(), "482913");
  // The time left reads naturally: the clock's digits stay one left-to-right island.
  const timer = await page.locator("#verify").evaluate((host) => host.shadowRoot.querySelector(".cv-timer").textContent);
  assert.match(timer, /\u2066\d+:\d\d\u2069/);
  await page.close();
});

test("a language the package does not ship takes English with one warning, and a store's own catalog works", async () => {
  const page = await browser.newPage();
  const warnings = [];
  page.on("console", (message) => message.type() === "warning" && warnings.push(message.text()));
  await page.goto(`${server.url}shop/de.html`);
  await page.waitForFunction(() => window.done, null, { polling: 50 });
  const text = (id, selector) => page.locator(`#${id}`).evaluate((host, s) => host.shadowRoot.querySelector(s).textContent, selector);
  assert.equal(await text("a", ".cv-send"), "Code senden", "the page's own words");
  assert.equal(await text("a", ".cv-verify"), "Verify", "English for the rest");
  assert.equal(await text("b", ".cv-send"), "Recevoir le code", "a store's own catalog, in its element's language");
  assert.equal(await text("b", ".cv-label"), "Verification code", "English where it has no message");
  assert.equal(warnings.filter((w) => w.startsWith("checkout-verify: de")).length, 1, warnings.join("\n"));
  await page.close();
});

test("a message override naming an unknown id is refused with every known id", async () => {
  const page = await storePage("en");
  const message = await page.evaluate(async () => {
    const { mount } = await import("/checkout_verify.js");
    try {
      mount(document.createElement("div"), { messages: { verfy: "OK" } });
      return "accepted";
    } catch (error) {
      return error.message;
    }
  });
  const known = message.split("known ids: ")[1]?.split(", ") ?? [];
  assert.ok(known.includes("verify") && known.includes("wrong-code-left") && known.length === 54, message);
  await page.close();
});
