// Takes the README screenshots: the demo checkout with a code sent and being typed, and the same
// checkout opened as a copy under a lookalike host, blocked.
// Usage: node screenshot.mjs DIR (make screenshot writes docs/screenshot.png and docs/blocked.png)
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

  const copy = await browser.newPage({ viewport: { width: 960, height: 560 } });
  await copy.goto(`http://${LOOKALIKE_HOST}:${new URL(server.url).port}/`);
  await copy.getByRole("alert").filter({ hasText: "This page is not" }).waitFor();
  await copy.screenshot({ path: `${dir}/blocked.png` });
  console.log(`wrote ${dir}/blocked.png`);
} finally {
  await browser.close();
  await server.stop();
}
