// The countdown and the resend throttle on the real demo against the real reference server, with
// the page's clock under the test's control (Playwright's clock; the server keeps real time).
import assert from "node:assert/strict";
import { test } from "node:test";
import { requestCode, useServerAndBrowser, waitFor } from "./harness.mjs";

const fixture = useServerAndBrowser();

/** A fresh tab of the demo with its clock installed, ready to send. */
async function openWithClock() {
  const context = await fixture.browser.newContext();
  await context.clock.install();
  // Paused: the page's time moves only when the test moves it.
  await context.clock.pauseAt(Date.now() + 1_000);
  const page = await context.newPage();
  const sends = [];
  page.on("request", (request) => {
    if (new URL(request.url()).pathname === "/api/verification") sends.push(request);
  });
  await page.goto(fixture.server.url);
  await page.getByRole("button", { name: "Send code" }).waitFor();
  return { context, page, sends };
}

const time = (page) => page.locator(".cv-timer time").textContent();
const resend = (page) => page.getByRole("button", { name: /Resend code/ });
const widget = (page) => page.locator(".cv");

test("the countdown warns at one minute left and expires at ten, on the page's clock", async () => {
  const { context, page } = await openWithClock();
  await requestCode(page, fixture.server);
  assert.equal(await time(page), "10:00");

  await page.clock.fastForward("08:59");
  await waitFor("1:01 left", async () => (await time(page)) === "1:01");
  assert.equal(await widget(page).getAttribute("data-expiring"), null, "no warning yet");

  await page.clock.fastForward(1_000);
  await page.getByRole("status").filter({ hasText: "The code expires in 1 minute. Need more time? Resend code." }).waitFor();
  assert.notEqual(await widget(page).getAttribute("data-expiring"), null);
  assert.ok(await resend(page).isEnabled(), "a new code is one tap away");

  await page.clock.fastForward(50_000);
  await page.getByRole("status").filter({ hasText: "The code expires in 10 seconds." }).waitFor();
  await page.clock.fastForward(9_000);
  await waitFor("0:01 left", async () => (await time(page)) === "0:01");
  assert.equal(await page.getByRole("alert").textContent(), "", "not expired a second early");

  await page.clock.fastForward(1_000);
  await page.getByRole("alert").filter({ hasText: "This code has expired" }).waitFor();
  assert.ok(await page.getByRole("textbox", { name: /code/i }).isDisabled());
  assert.ok(await page.getByRole("button", { name: "Verify" }).isDisabled());
  await context.close();
});

test("resend waits with its own countdown, and a reload does not reset it", async () => {
  const { context, page, sends } = await openWithClock();
  await requestCode(page, fixture.server);
  await waitFor("the cooldown", async () => (await resend(page).textContent()) === "Resend code in 0:30");
  assert.ok(await resend(page).isDisabled());

  await page.clock.fastForward(10_000);
  await waitFor("0:20 to wait", async () => (await resend(page).textContent()) === "Resend code in 0:20");
  await page.reload();
  await waitFor("the cooldown after the reload", async () => (await resend(page).textContent()) === "Resend code in 0:20");
  assert.ok(await resend(page).isDisabled(), "the reload did not reset the cooldown");
  assert.ok(await page.getByRole("textbox", { name: /code/i }).isEnabled(), "the code sent can still be typed");
  assert.equal(await time(page), "9:50", "nor the code's deadline");
  await page.getByRole("status").filter({ hasText: "Code sent to" }).waitFor();

  await page.clock.fastForward(19_000);
  await waitFor("0:01 to wait", async () => (await resend(page).textContent()) === "Resend code in 0:01");
  assert.ok(await resend(page).isDisabled());
  await page.clock.fastForward(1_000);
  await waitFor("resend allowed", async () => resend(page).isEnabled());
  assert.equal(await resend(page).textContent(), "Resend code");
  await page.getByRole("status").filter({ hasText: "No code yet? You can ask for a new one now." }).waitFor();
  assert.equal(sends.length, 1, "one send in all, across the reload");
  await context.close();
});

test("a 429 from the backend shows its retry time, and nothing is sent before it", async () => {
  const { context, page, sends } = await openWithClock();
  await requestCode(page, fixture.server);
  // The page's clock runs ahead; the server's does not, so it refuses with 429 and Retry-After.
  await page.clock.fastForward(30_000);
  await waitFor("resend allowed by the page", async () => resend(page).isEnabled());
  const answered = page.waitForResponse((r) => new URL(r.url()).pathname === "/api/verification");
  await resend(page).click();
  const refusal = await answered;
  assert.equal(refusal.status(), 429);
  const retryAfter = Number(refusal.headers()["retry-after"]);
  assert.ok(retryAfter >= 1 && retryAfter <= 30, `Retry-After: ${retryAfter}`);
  const wait = `0:${String(retryAfter).padStart(2, "0")}`;
  await page.getByRole("alert").filter({ hasText: `Too many requests. Try again in ${wait}.` }).waitFor();
  await waitFor("the retry countdown", async () => (await resend(page).textContent()) === `Resend code in ${wait}`);
  assert.ok(await page.getByRole("textbox", { name: /code/i }).isEnabled(), "the code sent still works");

  await page.clock.fastForward((retryAfter - 1) * 1_000);
  await waitFor("one second to go", async () => (await resend(page).textContent()) === "Resend code in 0:01");
  assert.ok(await resend(page).isDisabled());
  await resend(page).click({ force: true });
  assert.equal(sends.length, 2, "no request before the retry time");
  await page.clock.fastForward(1_000);
  await waitFor("resend allowed again", async () => resend(page).isEnabled());
  await context.close();
});
