// axe-core (from npm, injected into the page) finds no violations on the demo checkout in any
// state the shopper can meet: idle, code sent, wrong code, network error, verifying, verified,
// expired, and blocked (a copy of the store under a lookalike host).
import assert from "node:assert/strict";
import { test } from "node:test";
import {
  LOOKALIKE_HOST,
  assertNoViolations,
  codeFromOutbox,
  openCheckout,
  requestCode,
  useServerAndBrowser,
} from "./harness.mjs";

const fixture = useServerAndBrowser();

const sendCode = async (page) => (await requestCode(page, fixture.server)).code;

const field = (page) => page.getByRole("textbox", { name: /code/i });

test("idle, code sent, wrong code and verified states have no axe violations", async () => {
  const page = await openCheckout(fixture.browser, fixture.server);
  await assertNoViolations(page, "idle");
  const code = await sendCode(page);
  await assertNoViolations(page, "code sent");
  await field(page).fill(code === "000000" ? "111111" : "000000");
  await page.keyboard.press("Enter");
  await page.getByRole("alert").filter({ hasText: "attempts left" }).waitFor();
  await assertNoViolations(page, "wrong code");
  await field(page).fill(code);
  await page.keyboard.press("Enter");
  await page.getByRole("status").filter({ hasText: "Verified" }).waitFor();
  await assertNoViolations(page, "verified");
  await page.close();
});

test("verifying and network error states have no axe violations", async () => {
  const page = await openCheckout(fixture.browser, fixture.server);
  const code = await sendCode(page);
  let release;
  const held = new Promise((resolve) => (release = resolve));
  await page.route("**/api/verification/check", async (route) => {
    await held;
    await route.abort("internetdisconnected");
  });
  await field(page).fill(code);
  await page.keyboard.press("Enter");
  await page.getByRole("status").filter({ hasText: "Checking the code" }).waitFor();
  assert.ok(!(await field(page).isEditable()), "the field is read-only while verifying");
  await assertNoViolations(page, "verifying");
  release();
  await page.getByRole("alert").filter({ hasText: "code is kept" }).waitFor();
  await assertNoViolations(page, "network error");
  await page.close();
});

test("the expiring-soon and expired states have no axe violations", async () => {
  const context = await fixture.browser.newContext();
  const page = await context.newPage();
  await page.clock.install();
  await page.goto(fixture.server.url);
  await page.getByRole("button", { name: "Send code" }).waitFor();
  await sendCode(page);
  await page.clock.fastForward("09:00");
  await page.getByRole("status").filter({ hasText: "Need more time?" }).waitFor();
  await assertNoViolations(page, "expiring soon");
  await page.clock.fastForward("01:01");
  await page.getByRole("alert").filter({ hasText: "expired" }).waitFor();
  assert.ok(await field(page).isDisabled(), "an expired code cannot be entered");
  await assertNoViolations(page, "expired");
  await context.close();
});

/** Waits until keyboard focus is on the widget's code field. */
async function focusOnField(page, what) {
  await page.waitForFunction(
    () => document.activeElement?.shadowRoot?.activeElement?.classList.contains("cv-input"),
    undefined,
    { timeout: 5_000 },
  ).catch(() => assert.fail(`focus is not on the code field ${what}`));
}

test("keyboard only: Tab to Send code, Enter, type the code, Enter; focus returns after a wrong code", async () => {
  const page = await openCheckout(fixture.browser, fixture.server);
  const seen = (await fixture.server.outbox()).length;
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.textContent), "Send code");
  await page.keyboard.press("Enter");
  await page.getByRole("status").filter({ hasText: "Code sent" }).waitFor();
  await focusOnField(page, "after the code was sent");
  const { code } = await codeFromOutbox(fixture.server, seen);
  await page.keyboard.type(code === "000000" ? "111111" : "000000");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter"); // the Verify button
  await page.getByRole("alert").filter({ hasText: "attempts left" }).waitFor();
  await focusOnField(page, "after a wrong code");
  await page.keyboard.type(code);
  await page.keyboard.press("Enter");
  await page.getByRole("status").filter({ hasText: "Verified" }).waitFor();
  await page.close();
});

test("on a right-to-left page an English widget keeps its own direction, and the code field left-to-right", async () => {
  const page = await openCheckout(fixture.browser, fixture.server);
  await page.evaluate(() => document.documentElement.setAttribute("dir", "rtl"));
  await sendCode(page);
  await field(page).pressSequentially("123");
  const directions = await page.evaluate(() => {
    const root = document.getElementById("checkout-verify").shadowRoot;
    const of = (selector) => getComputedStyle(root.querySelector(selector)).direction;
    return { field: of("input"), label: of("label") };
  });
  // The widget's text follows its language (English here; Arabic runs right to left, see
  // languages.test.mjs), not the page around it.
  assert.deepEqual(directions, { field: "ltr", label: "ltr" });
  assert.equal(await field(page).inputValue(), "123");
  await assertNoViolations(page, "right-to-left");
  await page.close();
});

test("at 320 CSS pixels (200% zoom of a 640 px window) nothing scrolls sideways", async () => {
  const context = await fixture.browser.newContext({ viewport: { width: 320, height: 640 }, deviceScaleFactor: 2 });
  const page = await context.newPage();
  await page.goto(fixture.server.url);
  await page.getByRole("button", { name: "Send code" }).waitFor();
  await sendCode(page);
  const layout = await page.evaluate(() => {
    const root = document.getElementById("checkout-verify").shadowRoot;
    const right = (selector) => root.querySelector(selector).getBoundingClientRect().right;
    return {
      page: document.documentElement.scrollWidth,
      // The widget stays inside the element the page gave it, not just inside the window.
      host: document.getElementById("checkout-verify").getBoundingClientRect().right,
      field: right("input"),
      verify: right(".cv-verify"),
      resend: right(".cv-send"),
    };
  });
  assert.ok(layout.page <= 320, `the page is ${layout.page}px wide`);
  for (const what of ["field", "verify", "resend"]) {
    assert.ok(layout[what] <= layout.host, `${what} reaches ${layout[what]}px, past the host's ${layout.host}px`);
  }
  await assertNoViolations(page, "320 px");
  await context.close();
});

test("forced-colors mode has no axe violations", async () => {
  const page = await openCheckout(fixture.browser, fixture.server);
  await page.emulateMedia({ forcedColors: "active" });
  await sendCode(page);
  await assertNoViolations(page, "forced colors");
  await page.close();
});

test("a page blocked as a copy of the store has no axe violations", async () => {
  const page = await fixture.browser.newPage();
  await page.goto(`http://${LOOKALIKE_HOST}:${new URL(fixture.server.url).port}/`);
  await page.getByRole("alert").filter({ hasText: "This page is not localhost." }).waitFor();
  await assertNoViolations(page, "blocked");
  await page.close();
});
