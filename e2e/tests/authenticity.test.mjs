// The authenticity gate on real pages: a copy of the checkout under a lookalike host name, the
// checkout framed by a foreign site, and a config whose check endpoint is on a foreign host each
// get an alert naming the genuine host, no enabled code field, no request to the verify API, and
// exactly one clone report at the real server, graded there. The genuine page still verifies.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { once } from "node:events";
import { test } from "node:test";
import {
  FOREIGN_HOST,
  LOOKALIKE_HOST,
  openCheckout,
  requestCode,
  useServerAndBrowser,
  waitFor,
} from "./harness.mjs";

const fixture = useServerAndBrowser();

/** Requests the page (or any frame in it) makes to the verify API, counted as they start. */
function countVerifyRequests(page) {
  const seen = [];
  page.on("request", (request) => {
    if (new URL(request.url()).pathname.startsWith("/api/verification")) seen.push(request.url());
  });
  return seen;
}

/** Waits for the server to hold `count` reports more than `before`, and returns the new ones. */
async function newReports(before, count) {
  return waitFor(`${count} clone report(s)`, async () => {
    const all = await fixture.server.cloneReports();
    return all.length >= before + count ? all.slice(before) : null;
  });
}

/** Everything the shopper can press on a blocked widget, pressed; none of it may send a request. */
async function pressEverything(scope) {
  for (const name of [/Send code/, /Verify/]) {
    await scope.getByRole("button", { name }).click({ force: true });
  }
}

/** Asserts what a shopper meets on a refused page: the alert, its link, no usable field. */
async function assertBlocked(scope, alertText, genuineUrl) {
  const alert = scope.getByRole("alert").filter({ hasText: alertText });
  await alert.waitFor();
  const link = alert.getByRole("link", { name: /^Open .* to continue\.$/ });
  assert.equal(await link.getAttribute("href"), genuineUrl);
  assert.ok(await scope.getByRole("textbox", { name: /code/i }).isDisabled(), "no enabled code field");
  assert.ok(await scope.getByRole("button", { name: "Send code" }).isDisabled(), "no Send");
}

test("a copy under a lookalike host is blocked and reported, graded as an imitation", async () => {
  const before = (await fixture.server.cloneReports()).length;
  const port = new URL(fixture.server.url).port;
  const page = await fixture.browser.newPage();
  const requests = countVerifyRequests(page);
  const blocked = [];
  await page.exposeFunction("cvBlocked", (detail) => blocked.push(detail));
  await page.addInitScript(() =>
    document.addEventListener("checkout-verify:blocked", (e) => window.cvBlocked(e.detail), true),
  );
  await page.goto(`http://${LOOKALIKE_HOST}:${port}/`);
  await assertBlocked(page, "This page is not localhost.", `http://localhost:${port}/`);
  assert.ok(
    await page.evaluate(() => document.activeElement === document.body),
    "focus is not stolen",
  );
  const [report] = await newReports(before, 1);
  assert.equal(report.host, LOOKALIKE_HOST);
  assert.equal(report.lookalike_of, "localhost");
  assert.equal(report.kind, "homograph");
  assert.ok(report.reasons.includes("host-not-allowed") && report.reasons.includes("lookalike"));
  await pressEverything(page);
  await waitFor("the blocked event", () => blocked.length === 1);
  assert.deepEqual(blocked[0].genuine, "localhost");
  assert.ok(blocked[0].reasons.includes("host-not-allowed"));
  assert.deepEqual(requests, [], "no request to the verify API");
  assert.equal((await fixture.server.cloneReports()).length, before + 1, "exactly one report");
  await page.close();
});

test("the checkout framed by a foreign site is blocked and reported with its ancestors", async () => {
  const before = (await fixture.server.cloneReports()).length;
  const checkout = new URL(fixture.server.url);
  const framing = createServer((_, response) => {
    response.setHeader("Content-Type", "text/html");
    response.end(
      `<!doctype html><title>Cheap shoes</title><h1>Checkout</h1>` +
        `<iframe title="checkout" src="http://localhost:${checkout.port}/" width="600" height="700"></iframe>`,
    );
  });
  framing.listen(0, "127.0.0.1");
  await once(framing, "listening");
  const foreignOrigin = `http://${FOREIGN_HOST}:${framing.address().port}`;
  const page = await fixture.browser.newPage();
  const requests = countVerifyRequests(page);
  try {
    await page.goto(`${foreignOrigin}/`);
    const frame = page.frameLocator("iframe");
    await assertBlocked(frame, "shown inside another site", `http://localhost:${checkout.port}/`);
    const [report] = await newReports(before, 1);
    assert.deepEqual(report.reasons, ["framed"]);
    assert.deepEqual(report.ancestors, [foreignOrigin]);
    assert.equal(report.host, "localhost");
    await pressEverything(frame);
    assert.deepEqual(requests, [], "no request to the verify API");
    assert.equal((await fixture.server.cloneReports()).length, before + 1, "exactly one report");
  } finally {
    await page.close();
    framing.close();
  }
});

test("a check endpoint on a foreign host blocks the widget before any request", async () => {
  const before = (await fixture.server.cloneReports()).length;
  const page = await fixture.browser.newPage();
  const requests = countVerifyRequests(page);
  const config = JSON.stringify({ endpoints: { verify: `https://${FOREIGN_HOST}/check` } });
  const url = new URL(fixture.server.url);
  url.searchParams.set("config", config);
  await page.goto(url.href);
  await assertBlocked(page, "would send your code to another site", `http://127.0.0.1:${url.port}/`);
  const [report] = await newReports(before, 1);
  assert.deepEqual(report.reasons, ["endpoint-not-allowed"]);
  assert.equal(report.kind, "none");
  await pressEverything(page);
  assert.deepEqual(requests, [], "no request to the verify API, nor to the foreign host");
  assert.equal((await fixture.server.cloneReports()).length, before + 1, "exactly one report");
  await page.close();
});

test("the genuine page passes the gate and verifies; assessPage agrees", async () => {
  const page = await openCheckout(fixture.browser, fixture.server);
  const verdict = await page.evaluate(() =>
    window.wasmBindings.assessPage({ allow: ["localhost", "127.0.0.1"], development: true }),
  );
  assert.deepEqual(verdict, { trusted: true, reasons: [], genuine: "127.0.0.1" });
  const copy = await page.evaluate(() => window.wasmBindings.assessPage({ allow: ["shop.example"] }));
  assert.deepEqual(copy, {
    trusted: false,
    reasons: ["insecure-scheme", "host-not-allowed", "endpoint-not-allowed"],
    genuine: "shop.example",
  });
  const { code } = await requestCode(page, fixture.server);
  await page.getByRole("textbox", { name: /code/i }).fill(code);
  await page.getByRole("button", { name: "Verify" }).click();
  await page.getByRole("status").filter({ hasText: "Verified" }).waitFor();
  assert.equal(await page.getByRole("alert").getByRole("link").count(), 0, "no link, no badge");
  await page.close();
});
