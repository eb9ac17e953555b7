// `make dev`, the contributor's loop: trunk serves the demo page with the widget built from src/
// (not the package), proxying /api and /dev to a reference server the target starts itself. Run
// on a copy of the repository, where the test may change a message in src/ and watch the open
// page reload with it. The copy builds into a target directory of its own (target/dev-loop):
// cargo would take the copy's build of the widget, changed message included, for the
// repository's own, the two having the same package and the same relative paths.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, test } from "node:test";
import { freePort, launchBrowser, requestCode, serverBinary, waitFor } from "./harness.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));
// A first build compiles the widget's dependencies for a debug wasm32 build (minutes on a fresh
// machine); a rebuild after a change compiles the widget alone.
const BUILD_MS = 20 * 60_000;

let copy;
let dev;
let log = "";
let url;
let browser;

/** The copy's outbox, through trunk's proxy of /dev. */
const proxied = {
  async outbox() {
    const response = await fetch(new URL("dev/outbox", url));
    if (!response.ok) throw new Error(`${response.url} answered ${response.status}`);
    return response.json();
  },
};

before(async () => {
  copy = mkdtempSync(join(tmpdir(), "cv-dev-"));
  const skipped = new Set(["target", "dist", "pkg", ".git", "node_modules"]);
  cpSync(root, copy, {
    recursive: true,
    filter: (source) => !skipped.has(source.split("/").pop()),
  });
  // Ports of this run, in place of 8080 and 8081, so a developer's own `make dev` can keep going.
  const [pagePort, apiPort] = [await freePort(), await freePort()];
  const trunkToml = join(copy, "Trunk.toml");
  const proxies = readFileSync(trunkToml, "utf8").replaceAll("127.0.0.1:8081/", `127.0.0.1:${apiPort}/`);
  assert.ok(proxies.includes(`127.0.0.1:${apiPort}/api/`), "Trunk.toml proxies /api to 127.0.0.1:8081");
  writeFileSync(trunkToml, proxies);
  url = `http://127.0.0.1:${pagePort}/`;
  // `-o server`: the reference server is the one built in this repository, not compiled again.
  dev = spawn(
    "make",
    ["--no-print-directory", "-o", "server", "dev", `PORT=${pagePort}`, `DEV_API_PORT=${apiPort}`, `SERVER=${serverBinary}`],
    {
      cwd: copy,
      env: { ...process.env, CARGO_TARGET_DIR: join(root, "target", "dev-loop"), NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    },
  );
  dev.stdout.on("data", (chunk) => (log += chunk));
  dev.stderr.on("data", (chunk) => (log += chunk));
  await waitFor(
    `make dev serving ${url}`,
    async () => {
      if (dev.exitCode !== null) throw new Error(`make dev exited with ${dev.exitCode}:\n${log}`);
      const page = await fetch(url).catch(() => null);
      return page?.ok && (await page.text()).includes("checkout_verify.js");
    },
    BUILD_MS,
  );
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  if (dev && dev.exitCode === null) {
    // The whole group: make, the recipe's shell, trunk and the reference server.
    process.kill(-dev.pid, "SIGTERM");
    await once(dev, "exit");
  }
  if (copy) rmSync(copy, { recursive: true, force: true });
});

test("the page trunk builds from src/ verifies a code through the proxied reference server", async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(error));
  await page.goto(url);
  const { code } = await requestCode(page, proxied);
  await page.getByRole("textbox", { name: /code/i }).fill(code);
  await page.getByRole("button", { name: "Verify" }).click();
  await page.getByRole("status").filter({ hasText: "Verified" }).waitFor();
  // The store's side of the demo, /dev/place-order, through the other proxy.
  await page.getByRole("button", { name: "Place order" }).click();
  await page.locator("#order-result").filter({ hasText: "Order placed" }).waitFor();
  assert.deepEqual(errors, []);
  await page.close();
});

test("a message changed in src/ reaches the open page without a rebuild by hand", async () => {
  const page = await browser.newPage();
  await page.goto(url);
  await page.getByRole("button", { name: "Send code" }).waitFor();
  const english = join(copy, "src/core/messages/locales/en.json");
  const catalog = readFileSync(english, "utf8");
  assert.ok(catalog.includes('"send-code": "Send code"'));
  writeFileSync(english, catalog.replace('"send-code": "Send code"', '"send-code": "Text me a code"'));
  // Trunk rebuilds, then tells the page over its websocket to reload: no page.reload() here.
  await page.getByRole("button", { name: "Text me a code" }).waitFor({ timeout: BUILD_MS });
  await page.close();
});
