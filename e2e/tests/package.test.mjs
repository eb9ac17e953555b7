// The npm package as a storefront gets it: packed (`npm pack`), installed offline into the
// plain-HTML example (examples/html), its types checked with tsc, bundled with esbuild, and served
// under the strictest policy a store would set, where it verifies a code with no violation.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { codeFromOutbox, launchBrowser, startServer } from "./harness.mjs";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../..", import.meta.url));
const bin = (tool) => join(root, "tools/node_modules/.bin", tool);
const STRICT_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";
const site = mkdtempSync(join(tmpdir(), "cv-example-html-"));
let server;
let browser;

before(async () => {
  const { stdout } = await run("npm", ["pack", "--silent", "--pack-destination", site], { cwd: join(root, "pkg") });
  const tarball = join(site, stdout.trim().split("\n").at(-1));
  cpSync(join(root, "examples/html"), site, { recursive: true });
  await run("npm", ["install", "--offline", "--no-save", "--no-audit", "--no-fund", tarball], { cwd: site });
  await run(bin("esbuild"), ["app.js", "--bundle", "--format=esm", "--log-level=warning", "--outdir=dist"], { cwd: site });
  cpSync(join(site, "node_modules/checkout-verify/checkout_verify_bg.wasm"), join(site, "dist/checkout_verify_bg.wasm"));
  server = await startServer([], site);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test("the installed package's types describe the config and the events, and refuse mistakes", async () => {
  const flags = ["--noEmit", "--strict", "--module", "esnext", "--moduleResolution", "bundler", "--target", "es2022", "--lib", "dom,es2022"];
  await run(bin("tsc"), [...flags, "--allowJs", "--checkJs", "app.js"], { cwd: site });
  await run(bin("tsc"), [...flags, "types.test.ts"], { cwd: site });
});

test("under a strict CSP the installed package verifies a code with no policy violation", async () => {
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
  const field = page.getByRole("textbox", { name: /code/i });
  await field.fill(code);
  await page.getByRole("button", { name: "Verify" }).click();
  await page.getByRole("status").filter({ hasText: "Verified" }).waitFor();
  await page.getByRole("button", { name: "Place order" }).and(page.locator(":enabled")).waitFor();

  const styled = await field.evaluate((input) => [
    input.style.getPropertyValue("--cv-n"),
    input.getRootNode().adoptedStyleSheets.length,
    getComputedStyle(input).textAlign,
  ]);
  assert.deepEqual(styled.slice(0, 2), ["6", 1], "the slots and the stylesheet, without inline styles");
  assert.deepEqual(await page.evaluate(() => window.violations), []);
  assert.deepEqual(errors, []);
  await page.close();
});
