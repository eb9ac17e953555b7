// The README's worked example of a verify API on another origin: the page on one origin, the
// reference server answering on another, joined by the page's `allow` and `endpoints` and the
// server's `--allow-origin`. Over loopback, as shop.example and verify.shop.example would be: the
// page on http://localhost:A, the API on http://127.0.0.1:B.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { codeFromOutbox, launchBrowser, startServer } from "./harness.mjs";

const fixture = {};
let pageOrigin;
let api;
let stranger;

before(async () => {
  fixture.server = await startServer();
  fixture.browser = await launchBrowser();
  pageOrigin = fixture.server.url.replace("127.0.0.1", "localhost").replace(/\/$/, "");
  api = await startServer(["--allow-origin", pageOrigin]);
  stranger = await startServer();
});
after(async () => {
  await fixture.browser?.close();
  await fixture.server?.stop();
  await api?.stop();
  await stranger?.stop();
});

/** The demo page on its origin, with the verify API at `server` (`allow` already lists both hosts). */
async function openWithApi(server) {
  const page = await fixture.browser.newPage();
  const endpoints = { send: `${server.url}api/verification`, verify: `${server.url}api/verification/check` };
  await page.goto(`${pageOrigin}/?config=${encodeURIComponent(JSON.stringify({ endpoints }))}`);
  await page.getByRole("button", { name: "Send code" }).waitFor();
  return page;
}

test("a page verifies a code with the API on another origin that allows it", async () => {
  const page = await openWithApi(api);
  const seen = (await api.outbox()).length;
  await page.getByRole("button", { name: "Send code" }).click();
  await page.getByRole("status").filter({ hasText: "Code sent" }).waitFor();
  const { code } = await codeFromOutbox(api, seen);
  await page.getByRole("textbox", { name: /code/i }).fill(code);
  await page.getByRole("button", { name: "Verify" }).click();
  await page.getByRole("status").filter({ hasText: "Verified" }).waitFor();
  assert.equal((await fixture.server.outbox()).length, 0, "the page's own server sent nothing");
  await page.close();
});

test("without --allow-origin for the page, the API on another origin sends nothing", async () => {
  const page = await openWithApi(stranger);
  await page.getByRole("button", { name: "Send code" }).click();
  await page.getByRole("alert").filter({ hasText: "could not reach the store" }).waitFor();
  assert.deepEqual(await stranger.outbox(), []);
  await page.close();
});
