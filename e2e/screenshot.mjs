// Takes the README screenshot: the demo checkout with a code sent and being typed.
// Usage: node screenshot.mjs OUTPUT.png (make screenshot)
import { codeFromOutbox, launchBrowser, openCheckout, startServer } from "./tests/harness.mjs";

const output = process.argv[2] ?? "screenshot.png";
const server = await startServer();
const browser = await launchBrowser();
try {
  const page = await openCheckout(browser, server);
  await page.setViewportSize({ width: 960, height: 560 });
  await page.getByRole("button", { name: "Send code" }).click();
  const { code } = await codeFromOutbox(server, 0);
  await page.getByRole("textbox", { name: /code/i }).fill(code.slice(0, 4));
  await page.getByRole("status").filter({ hasText: "Code sent" }).waitFor();
  await page.screenshot({ path: output });
  console.log(`wrote ${output}`);
} finally {
  await browser.close();
  await server.stop();
}
