// One measured visit of a page, in a fresh browser context (cold cache, empty sessionStorage):
// load until ready, type digits, then a full verification, then memory. Every wait is for a
// condition in the page or the server, bounded by a timeout that fails the benchmark.
import { benchProbe } from "./probe.mjs";

const TIMEOUT_MS = 60_000;
// The digits typed in the keystroke test: any fixed sequence does.
const DIGITS = "31415926535897932384626433832795028841971693993751";

/** `promise`, or a failure naming `what` after `ms`. */
async function within(what, promise, ms = TIMEOUT_MS) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The newest message in the dev outbox (or null), to tell the next one from it. */
async function newestMessage(server) {
  return (await server.outbox()).at(-1) ?? null;
}

/** The code of the first message newer than `before`, read from its origin-bound line. */
async function codeAfter(server, before) {
  const deadline = Date.now() + TIMEOUT_MS;
  for (;;) {
    const newest = await newestMessage(server);
    if (newest && JSON.stringify(newest) !== JSON.stringify(before)) {
      const match = /@\S+ #(\d+)\s*$/.exec(newest.text);
      if (!match) throw new Error(`no origin-bound line in ${JSON.stringify(newest.text)}`);
      return match[1];
    }
    if (Date.now() > deadline) throw new Error("no code reached the outbox after Send code");
    await new Promise((resolve) => setTimeout(resolve, 20)); // polling the outbox, not a stand-in
  }
}

/**
 * Visits `page.url` once. `page.slots` (a selector or null) tells where the digits are drawn;
 * `cpuRate` is the CDP CPU throttling rate (1 = none); `keystrokes` digits are typed and timed;
 * the code is sent to `destination`.
 * Resolves to { readyMs, urls, bytes, longTasks, phases, keystrokes, heapBytes, wasmBytes }.
 */
export async function visit(browser, server, page, { cpuRate, keystrokes, destination }) {
  const context = await browser.newContext();
  try {
    const tab = await context.newPage();
    const errors = [];
    tab.on("pageerror", (error) => errors.push(error));
    const cdp = await context.newCDPSession(tab);

    // Encoded bytes of every response, from the network stack (headers included).
    const urls = new Map();
    const encoded = new Map();
    cdp.on("Network.requestWillBeSent", (event) => urls.set(event.requestId, event.request.url));
    cdp.on("Network.loadingFinished", (event) => encoded.set(urls.get(event.requestId), event.encodedDataLength));
    await cdp.send("Network.enable");
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: cpuRate });
    await tab.addInitScript(benchProbe, { slots: page.slots });

    // Load: navigation start to ready, and what had been fetched by then.
    await tab.goto(page.url);
    const loaded = await within(`${page.name} to be ready`, tab.evaluate(async () => {
      const ready = await window.__bench.readyPromise;
      const [navigation] = performance.getEntriesByType("navigation");
      const entries = [navigation, ...performance.getEntriesByType("resource")];
      const fetched = (suffix) => entries.find((entry) => entry.name.endsWith(suffix))?.responseEnd ?? null;
      return {
        ready,
        urls: entries.filter((entry) => entry.responseEnd <= ready).map((entry) => entry.name),
        longTasks: window.__bench.longTasksBefore(ready),
        // Where the time went: each step's end, from navigation start.
        phases: {
          script: fetched("/dist/app.js"),
          domContentLoaded: navigation.domContentLoadedEventStart,
          wasm: fetched(".wasm"),
          instantiated: window.__bench.instantiated,
          ready,
        },
      };
    }));
    const bytes = await within("the network events of the loaded resources", (async () => {
      while (!loaded.urls.every((url) => encoded.has(url))) await new Promise((resolve) => setTimeout(resolve, 5));
      return loaded.urls.reduce((sum, url) => sum + encoded.get(url), 0);
    })());

    // Send a code; the field is enabled once the answer is in. The server starts at most 10
    // verifications per destination an hour (its policy, no flag), so each visit's request
    // names its own number; the route is set after the load, whose requests it would delay.
    await tab.route("**/api/verification", (route) =>
      route.continue({ postData: JSON.stringify({ ...route.request().postDataJSON(), destination }) }));
    const before = await newestMessage(server);
    await tab.getByRole("button", { name: "Send code" }).click();
    const field = tab.getByRole("textbox", { name: /code/i });
    await field.and(tab.locator(":enabled")).waitFor({ timeout: TIMEOUT_MS }).catch(async (error) => {
      const alert = await tab.getByRole("alert").allTextContents().catch(() => []);
      throw new Error(`${page.name}: the field was not enabled after Send code (alert: ${JSON.stringify(alert)}): ${error.message}`);
    });
    const code = await codeAfter(server, before);

    // Keystrokes, in groups of up to 6 digits, the field emptied (Backspace) between groups.
    await field.focus();
    for (let typed = 0; typed < keystrokes; ) {
      const group = Math.min(6, keystrokes - typed);
      for (let i = 0; i < group; i++, typed++) {
        await tab.keyboard.type(DIGITS[typed % DIGITS.length]);
        await within(`keystroke ${typed + 1} to be shown`, tab.evaluate((n) => window.__bench.keystrokesMeasured(n), typed + 1));
      }
      for (let i = 0; i < group; i++) await tab.keyboard.press("Backspace");
      await within("the field to be emptied", tab.evaluate(() => window.__bench.shows("")));
    }
    const keystrokeMs = await tab.evaluate(() => window.__bench.keystrokes);

    // The full verification: the code from the outbox, Verify, "Verified".
    await field.fill(code);
    await tab.getByRole("button", { name: "Verify" }).click();
    try {
      await tab.getByRole("status").filter({ hasText: "Verified" }).waitFor({ timeout: TIMEOUT_MS });
    } catch (error) {
      const alert = await tab.getByRole("alert").allTextContents().catch(() => []);
      throw new Error(`${page.name}: the code from the outbox did not reach "Verified" (alert: ${JSON.stringify(alert)}): ${error.message}`);
    }

    // Memory after the verification, once garbage is collected: V8's heap and wasm memories.
    await cdp.send("HeapProfiler.collectGarbage");
    const { usedSize } = await cdp.send("Runtime.getHeapUsage");
    const wasmBytes = await tab.evaluate(() => window.__bench.wasmBytes());
    if (errors.length) throw new Error(`${page.name}: page errors: ${errors.map(String).join("; ")}`);
    return {
      readyMs: loaded.ready,
      urls: loaded.urls,
      bytes,
      longTasks: loaded.longTasks,
      phases: loaded.phases,
      keystrokes: keystrokeMs,
      heapBytes: usedSize,
      wasmBytes,
    };
  } finally {
    await context.close();
  }
}
