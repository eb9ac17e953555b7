// Code entry on the real demo page: pasting a whole text message, and the origin-bound line that
// keeps a code sent for another site out of this page.
import assert from "node:assert/strict";
import { test } from "node:test";
import { openCheckout, requestCode, useServerAndBrowser } from "./harness.mjs";

const fixture = useServerAndBrowser();

/** Puts `text` on the system clipboard and pastes it into the code field with Ctrl+V. */
async function pasteIntoField(page, text) {
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: fixture.server.url });
  await page.evaluate((t) => navigator.clipboard.writeText(t), text);
  await page.getByRole("textbox", { name: /code/i }).focus();
  await page.keyboard.press("Control+V");
}

/** Counts the page's requests to the verify endpoint. */
function countChecks(page) {
  const seen = { checks: 0 };
  page.on("request", (request) => {
    if (new URL(request.url()).pathname === "/api/verification/check") seen.checks += 1;
  });
  return seen;
}

test("pasting the whole text message fills in the code and verifies", async () => {
  const page = await openCheckout(fixture.browser, fixture.server);
  const { code } = await requestCode(page, fixture.server);
  const message = (await fixture.server.outbox()).at(-1).text;
  assert.match(message, /\n\n@127\.0\.0\.1 #\d+$/, "the real message carries the origin-bound line");

  await pasteIntoField(page, `Order #552211, total $129.99.\n${message}`);
  const field = page.getByRole("textbox", { name: /code/i });
  assert.equal(await field.inputValue(), code);
  await page.getByRole("button", { name: "Verify" }).click();
  await page.getByRole("status").filter({ hasText: "Verified" }).waitFor();
  await page.close();
});

test("a pasted message bound to another site is refused with an alert and never sent", async () => {
  const page = await openCheckout(fixture.browser, fixture.server);
  const requests = countChecks(page);
  await requestCode(page, fixture.server);

  await pasteIntoField(page, "Your Demo Store code is 482913.\n\n@shop.example #482913");
  await page.getByRole("alert").filter({ hasText: "shop.example" }).waitFor();
  const field = page.getByRole("textbox", { name: /code/i });
  assert.equal(await field.inputValue(), "");
  await page.getByRole("button", { name: "Verify" }).click();
  await page.getByRole("alert").filter({ hasText: "Enter all 6 digits" }).waitFor();
  assert.equal(requests.checks, 0);
  await page.close();
});

test("the code is checked exactly once when autofill, Enter and a click coincide", async () => {
  const page = await openCheckout(fixture.browser, fixture.server);
  const requests = countChecks(page);
  const { code } = await requestCode(page, fixture.server);
  const field = page.getByRole("textbox", { name: /code/i });
  // Autofill delivers the whole code in one input event; the shopper hits Enter and clicks too.
  await field.evaluate((input, value) => {
    input.value = value;
    input.dispatchEvent(new InputEvent("input", { bubbles: true, inputType: "insertReplacementText" }));
    input.form.requestSubmit();
    input.form.requestSubmit();
    input.form.querySelector("button[type=submit]").click();
  }, code);
  await page.getByRole("status").filter({ hasText: "Verified" }).waitFor();
  assert.equal(requests.checks, 1);
  await page.close();
});

test("a network failure keeps the typed code for another try", async () => {
  const page = await openCheckout(fixture.browser, fixture.server);
  const { code } = await requestCode(page, fixture.server);
  await page.route("**/api/verification/check", (route) => route.abort("internetdisconnected"));
  const field = page.getByRole("textbox", { name: /code/i });
  await field.fill(code);
  await page.getByRole("button", { name: "Verify" }).click();
  await page.getByRole("alert").filter({ hasText: "code is kept" }).waitFor();
  assert.equal(await field.inputValue(), code);
  await page.unroute("**/api/verification/check");
  await page.getByRole("button", { name: "Verify" }).click();
  await page.getByRole("status").filter({ hasText: "Verified" }).waitFor();
  await page.close();
});

test("real keys across the drawn slots: type, Backspace, select all and retype", async () => {
  const page = await openCheckout(fixture.browser, fixture.server);
  const { code } = await requestCode(page, fixture.server);
  const field = page.getByRole("textbox", { name: /code/i });
  const caretSlot = () => field.evaluate((input) => input.style.getPropertyValue("--cv-i"));
  await field.focus();
  await page.keyboard.type("4821");
  assert.equal(await caretSlot(), "4");
  await page.keyboard.press("Backspace");
  await page.keyboard.press("Backspace");
  assert.equal(await field.inputValue(), "48");
  assert.equal(await caretSlot(), "2");
  await page.keyboard.press("Control+A");
  await page.keyboard.type(code);
  assert.equal(await field.inputValue(), code, "a selection is replaced like in any field");
  await page.keyboard.press("Enter");
  await page.getByRole("status").filter({ hasText: "Verified" }).waitFor();
  await page.close();
});

test("'Use a different number' hands the choice to the page, which mounts again for the new one", async () => {
  const page = await openCheckout(fixture.browser, fixture.server);
  await requestCode(page, fixture.server);
  page.once("dialog", (dialog) => dialog.accept("+44 20 7946 0958"));
  await page.getByRole("button", { name: "Use a different number" }).click();
  await page.getByRole("button", { name: "Send code" }).waitFor();
  const { code } = await requestCode(page, fixture.server);
  const outbox = await fixture.server.outbox();
  assert.equal(outbox.at(-1).to, "+442079460958", "the new number, as E.164");
  await page.getByRole("status").filter({ hasText: "+44 •• •••• 0958" }).waitFor();
  await page.getByRole("textbox", { name: /code/i }).fill(code);
  await page.getByRole("button", { name: "Verify" }).click();
  await page.getByRole("status").filter({ hasText: "Verified" }).waitFor();
  await page.close();
});
