// The shopper's path on the real demo page against the real reference server.
import assert from "node:assert/strict";
import { test } from "node:test";
import { openCheckout, requestCode, useServerAndBrowser, waitFor } from "./harness.mjs";

const fixture = useServerAndBrowser();


test("a shopper asks for a code, types it from the message and sees Verified", async () => {
  const page = await openCheckout(fixture.browser, fixture.server);
  const { code, host } = await requestCode(page, fixture.server);
  assert.equal(host, "127.0.0.1", "the message is bound to the page's host");

  const timer = await waitFor("the time left", async () => {
    const text = await page.locator("time").textContent();
    return /^\d+:\d\d$/.test(text ?? "") && text;
  });
  assert.ok(["10:00", "9:59", "9:58"].includes(timer), `time left ${timer}`);
  await page.getByRole("button", { name: /Resend code/ }).waitFor();

  const field = page.getByRole("textbox", { name: /code/i });
  await field.fill(code);
  await page.getByRole("button", { name: "Verify" }).click();
  await page.getByRole("status").filter({ hasText: "Verified" }).waitFor();
  const placeOrder = page.getByRole("button", { name: "Place order" });
  await placeOrder.and(page.locator(":enabled")).waitFor();
  await placeOrder.click();
  const result = page.locator("#order-result");
  await result.filter({ hasText: "Order placed: the server redeemed the proof of +14155550123 for demo-order-1042." }).waitFor();
  await placeOrder.click();
  await result.filter({ hasText: "The order was not placed: This proof was already redeemed or has expired." }).waitFor();
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("a wrong code shows an alert with the attempts left and keeps the shopper in the flow", async () => {
  const page = await openCheckout(fixture.browser, fixture.server);
  const { code } = await requestCode(page, fixture.server);
  const wrong = String((Number(code) + 1) % 10 ** code.length).padStart(code.length, "0");

  const field = page.getByRole("textbox", { name: /code/i });
  await field.fill(wrong);
  await page.keyboard.press("Enter");
  await page.getByRole("alert").filter({ hasText: "That code is not right. 4 attempts left." }).waitFor();
  assert.equal(await field.inputValue(), "", "the wrong code is cleared");
  assert.ok(await field.isEnabled(), "another try is allowed");
  assert.equal(await page.getByText("Verified").count(), 0);

  await field.fill(code);
  await page.getByRole("button", { name: "Verify" }).click();
  await page.getByRole("status").filter({ hasText: "Verified" }).waitFor();
  assert.deepEqual(page.errors, []);
  await page.close();
});
