// Takes the README screenshots: the demo checkout with a code sent and being typed, the complete
// code focused on a 320 px screen at 200% zoom, and the checkout opened as a copy under a lookalike
// host, blocked.
// Usage: node screenshot.mjs DIR (make screenshot writes docs/screenshot.png, docs/code-complete.png
// and docs/blocked.png)
import {
  LOOKALIKE_HOST,
  codeFromOutbox,
  launchBrowser,
  openCheckout,
  startServer,
} from "./tests/harness.mjs";

const dir = process.argv[2] ?? ".";
const server = await startServer();
const browser = await launchBrowser();
try {
  const page = await openCheckout(browser, server);
  await page.setViewportSize({ width: 960, height: 560 });
  await page.getByRole("button", { name: "Send code" }).click();
  const { code } = await codeFromOutbox(server, 0);
  await page.getByRole("textbox", { name: /code/i }).fill(code.slice(0, 4));
  await page.getByRole("status").filter({ hasText: "Code sent" }).waitFor();
  await page.screenshot({ path: `${dir}/screenshot.png` });
  console.log(`wrote ${dir}/screenshot.png`);

  // A complete code, focused, as a shopper compares it with the message on a small phone.
  const phone = await browser.newContext({ viewport: { width: 320, height: 420 }, deviceScaleFactor: 2 });
  const small = await openCheckout(phone, server);
  const seen = (await server.outbox()).length;
  await small.getByRole("button", { name: "Send code" }).click();
  const sent = await codeFromOutbox(server, seen);
  const field = small.getByRole("textbox", { name: /code/i });
  await field.focus();
  await small.keyboard.type(sent.code);
  await small.locator("#checkout-verify").screenshot({ path: `${dir}/code-complete.png` });
  console.log(`wrote ${dir}/code-complete.png`);
  await phone.close();

  const copy = await browser.newPage({ viewport: { width: 960, height: 560 } });
  await copy.goto(`http://${LOOKALIKE_HOST}:${new URL(server.url).port}/`);
  await copy.getByRole("alert").filter({ hasText: "This page is not" }).waitFor();
  await copy.screenshot({ path: `${dir}/blocked.png` });
  console.log(`wrote ${dir}/blocked.png`);
} finally {
  await browser.close();
  await server.stop();
}
