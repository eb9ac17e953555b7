// The npm package under the strictest policy a store would set: the widget needs nothing beyond
// `default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'`.
import assert from "node:assert/strict";
import { copyFileSync, cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { codeFromOutbox, launchBrowser, startServer } from "./harness.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));
export const STRICT_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";
let server;
let browser;

before(async () => {
  const site = mkdtempSync(join(tmpdir(), "cv-csp-"));
  cpSync(join(root, "e2e/pages/strict-csp"), site, { recursive: true });
  for (const file of ["checkout_verify.js", "checkout_verify_bg.wasm"]) {
    copyFileSync(join(root, "pkg", file), join(site, file));
  }
  server = await startServer([], site);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test("under a strict CSP the widget verifies a code with no policy violation", async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(error));
  // Every answer of the store's server carries the policy, as a store would send it.
  await page.route("**/*", async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), "content-security-policy": STRICT_CSP } });
  });
  await page.addInitScript(() => {
    window.violations = [];
    document.addEventListener("securitypolicyviolation", (event) =>
      window.violations.push(`${event.violatedDirective} ${event.blockedURI}`));
  });
  await page.goto(server.url);
  const send = page.getByRole("button", { name: "Send code" });
  await send.waitFor();
  const seen = (await server.outbox()).length;
  await send.click();
  const { code } = await codeFromOutbox(server, seen);
  await page.getByRole("textbox", { name: /code/i }).fill(code);
  await page.getByRole("button", { name: "Verify" }).click();
  await page.getByRole("status").filter({ hasText: "Verified" }).waitFor();

  const slots = await page.getByRole("textbox", { name: /code/i }).evaluate((input) => [
    input.style.getPropertyValue("--cv-n"),
    getComputedStyle(input).getPropertyValue("font-family") !== "",
    input.getRootNode().adoptedStyleSheets.length,
  ]);
  assert.deepEqual(slots, ["6", true, 1], "the slots and the stylesheet applied without inline styles");
  assert.deepEqual(await page.evaluate(() => window.violations), []);
  assert.deepEqual(errors, []);
  await page.close();
});
