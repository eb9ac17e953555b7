// The shopper's path on the real demo page against the real reference server.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { codeFromOutbox, launchBrowser, openCheckout, startServer, waitFor } from "./harness.mjs";

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Asks for a code and returns it as the server sent it. */
async function requestCode(page) {
  const seen = (await server.outbox()).length;
  await page.getByRole("button", { name: "Send code" }).click();
  await page.getByRole("status").filter({ hasText: "Code sent to" }).waitFor();
  return codeFromOutbox(server, seen);
}

test("a shopper asks for a code, types it from the message and sees Verified", async () => {
  const page = await openCheckout(browser, server);
  const { code, host } = await requestCode(page);
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
  await page.getByRole("button", { name: "Place order" }).and(page.locator(":enabled")).waitFor();
  assert.deepEqual(page.errors, []);
  await page.close();
});

test("a wrong code shows an alert with the attempts left and keeps the shopper in the flow", async () => {
  const page = await openCheckout(browser, server);
  const { code } = await requestCode(page);
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
