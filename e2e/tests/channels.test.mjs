// Another way to get the code: with `channels`, once a new code may be asked for, the shopper
// can choose "Call me instead"; the call reads the code out (the reference server's outbox keeps
// what it would speak), the countdown and limits go on as for a resend, and every state has no
// axe violations.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { assertNoViolations, launchBrowser, requestCode, startServer, waitFor } from "./harness.mjs";

let server;
let browser;
before(async () => {
  // A one-second resend wait, so the choice appears without a long wait.
  server = await startServer(["--resend-waits", "1"]);
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

test("a shopper whose text does not come asks for a call, hears the code and verifies", async () => {
  const page = await browser.newPage();
  const config = { channels: ["sms", "voice"] };
  await page.goto(`${server.url}?config=${encodeURIComponent(JSON.stringify(config))}`);
  await page.getByRole("button", { name: "Send code" }).waitFor();
  const call = page.getByRole("button", { name: "Call me instead" });
  assert.equal(await call.count(), 0, "not offered before a first code");
  await requestCode(page, server);
  await call.waitFor();
  await assertNoViolations(page, "another channel offered");
  const seen = (await server.outbox()).length;
  await call.click();
  await page.getByRole("status").filter({ hasText: "Calling +1 •••-•••-0123 now to read out the code." }).waitFor();
  const message = await waitFor("the call in the outbox", async () => (await server.outbox())[seen]);
  assert.equal(message.channel, "voice");
  const spoken = message.text.split("Again")[0].split("code is")[1].replace(/\D/g, "");
  assert.equal(spoken.length, 6, message.text);
  // The call is a resend: the countdown runs on, and texting is offered back after the wait.
  await page.getByRole("button", { name: "Text me instead" }).waitFor();
  assert.equal(await call.count(), 0, "the current channel is not offered");
  const sent = await page.locator("#event-log li").filter({ hasText: /^sent / }).allTextContents();
  assert.equal(JSON.parse(sent.at(-1).slice(5)).channel, "voice");
  await page.getByRole("textbox", { name: /code/i }).fill(spoken);
  await page.getByRole("button", { name: "Verify" }).click();
  await page.getByRole("status").filter({ hasText: "Verified" }).waitFor();
  await assertNoViolations(page, "verified after a call");
  await page.close();
});
