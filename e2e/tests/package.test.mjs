// The npm package as storefronts get it: packed (`npm pack`), installed into each example
// (examples/html, react, vue) with the registry's React 19 and Vue 3, its types checked with tsc,
// bundled with esbuild, and served under the strictest policy a store would set, where
// <checkout-verify> verifies a code with no policy violation. Then the element's own promises:
// a config set before the package loads, attributes, and destroy on disconnect.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { codeFromOutbox, launchBrowser, startServer } from "./harness.mjs";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../..", import.meta.url));
const STRICT_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";
const work = mkdtempSync(join(tmpdir(), "cv-examples-"));
let tarball;
let browser;

before(async () => {
  const { stdout } = await run("npm", ["pack", "--silent", "--pack-destination", work], { cwd: join(root, "pkg") });
  tarball = join(work, stdout.trim().split("\n").at(-1));
  browser = await launchBrowser();
});
after(() => browser?.close());

const built = new Map();

/** The example installed from the tarball (and the registry), checked and built, once; its folder. */
function build(example) {
  if (!built.has(example)) built.set(example, install(example));
  return built.get(example);
}

async function install(example) {
  const site = join(work, example);
  cpSync(join(root, "examples", example), site, {
    recursive: true,
    filter: (path) => !/node_modules|dist/.test(path.slice(join(root, "examples").length)),
  });
  const quiet = ["--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"];
  await run("npm", ["install", "--no-save", ...quiet, tarball], { cwd: site });
  await run("npm", ["run", "--silent", "check"], { cwd: site });
  await run("npm", ["run", "--silent", "build"], { cwd: site });
  return site;
}

/** A page whose every answer carries the strict policy, counting violations and errors. */
async function strictPage() {
  const page = await browser.newPage();
  page.errors = [];
  page.on("pageerror", (error) => page.errors.push(error));
  await page.route("**/*", async (route) => {
    const response = await route.fetch();
    await route.fulfill({ response, headers: { ...response.headers(), "content-security-policy": STRICT_CSP } });
  });
  await page.addInitScript(() => {
    window.violations = [];
    document.addEventListener("securitypolicyviolation", (event) =>
      window.violations.push(`${event.violatedDirective} ${event.blockedURI}`));
  });
  return page;
}

for (const example of ["html", "react", "vue"]) {
  test(`${example}: <checkout-verify> from the packed package verifies a code under a strict CSP`, async () => {
    const server = await startServer([], await build(example));
    try {
      const page = await strictPage();
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
      ]);
      assert.deepEqual(styled, ["6", 1], "the slots and the stylesheet, without inline styles");
      assert.equal(await page.getByRole("textbox", { name: /code/i }).count(), 1, "mounted once");
      assert.deepEqual(await page.evaluate(() => window.violations), []);
      assert.deepEqual(page.errors, []);
      await page.close();
    } finally {
      await server.stop();
    }
  });
}

test("the element takes a config set before the package loaded, attributes, and goes when removed", async () => {
  const site = await build("html");
  // A page that sets `config` on the element before importing the package.
  writeFileSync(join(site, "early.html"), `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Early config</title><script type="module" src="early.js"></script></head>
<body><checkout-verify></checkout-verify></body></html>`);
  writeFileSync(join(site, "early.js"), `const element = document.querySelector("checkout-verify");
element.config = { destination: "+1 415 555 0123", allow: ["localhost", "127.0.0.1"], development: true, code_length: 8 };
await import("./dist/app.js");`);
  const server = await startServer([], site);
  try {
    const page = await strictPage();
    await page.goto(new URL("early.html", server.url).href);
    // Before a send the field has no hint; its slots say how long the code is.
    const slots = (n) => page.waitForFunction((n) => document.querySelector("checkout-verify")
      .shadowRoot?.querySelector("input")?.style.getPropertyValue("--cv-n") === String(n), n);
    await slots(8);

    // An attribute overrides the config's field, and the element mounts again.
    await page.evaluate(() => document.querySelector("checkout-verify").setAttribute("code-length", "4"));
    await slots(4);
    assert.equal(await page.getByRole("textbox", { name: /code/i }).count(), 1);

    // Removed, it destroys the widget; put back, it mounts again.
    const mounted = () => page.evaluate(() => Boolean(document.querySelector("checkout-verify").shadowRoot?.querySelector(".cv-root")));
    const element = await page.evaluateHandle(() => document.querySelector("checkout-verify"));
    await element.evaluate((el) => el.remove());
    assert.equal(await element.evaluate((el) => Boolean(el.shadowRoot?.querySelector(".cv-root"))), false);
    await element.evaluate((el) => document.body.append(el));
    await slots(4);
    assert.equal(await mounted(), true);

    // A config mount refuses is reported, naming the field, and the element stays empty.
    const refused = page.waitForEvent("pageerror");
    await page.evaluate(() => { document.querySelector("checkout-verify").config = { alphabet: "hex" }; });
    const reported = await refused;
    assert.match(reported.message, /alphabet/);
    assert.equal(await mounted(), false);
    assert.deepEqual(await page.evaluate(() => window.violations), []);
    await page.close();
  } finally {
    await server.stop();
  }
});
