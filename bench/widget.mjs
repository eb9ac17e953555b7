// make bench-widget: <checkout-verify> (examples/html with the packed package) against the same
// step written with React 19 + input-otp (bench/react-input-otp), both served by one reference
// server and driven in headless system Chromium, each visit in a fresh context (cold cache),
// with the CPU throttled 4× (a mid-range phone) and unthrottled. Prints a table of medians, p95s
// and ratios (widget / comparator) and writes bench/results.json.
// Env: N loads per page and condition (20), KEYSTROKES per page and condition (200).
import { writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { launchBrowser, startServer } from "../e2e/tests/harness.mjs";
import { buildSite } from "./widget/build.mjs";
import { visit } from "./widget/load.mjs";
import { phases, summarise, table } from "./widget/report.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const LOADS = Number(process.env.N ?? 20);
const KEYSTROKES = Number(process.env.KEYSTROKES ?? 200);
// Budgets no benchmark run can exhaust: every visit sends a code from the same address.
const SERVER_FLAGS = ["--client-sends-per-hour", "3600000", "--sends-per-hour", "3600000", "--max-failures", "100"];
const CONDITIONS = [
  { key: "cpu4x", label: "CPU throttled 4× (a mid-range phone)", rate: 4 },
  { key: "cpu1x", label: "unthrottled", rate: 1 },
];
const log = (line) => process.stderr.write(`bench-widget: ${line}\n`);

log("building the widget page (packed package) and the comparator");
const site = await buildSite(root);
const server = await startServer(SERVER_FLAGS, site);
const browser = await launchBrowser();
const pages = [
  { name: "widget", url: new URL("widget/", server.url).href, slots: null },
  { name: "react", url: new URL("react/", server.url).href, slots: "[data-slot]" },
];

// The gzip -9 size of each resource's body, fetched once from the server (which serves it
// uncompressed): what a compressing server would send.
const gzipped = new Map();
async function gzipSize(url) {
  if (!gzipped.has(url)) {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url} answered ${response.status}`);
    gzipped.set(url, gzipSync(Buffer.from(await response.arrayBuffer()), { level: 9 }).length);
  }
  return gzipped.get(url);
}

/** A visit's figures for results.json: times to 0.1 ms, without the URL list. */
const tenth = (ms) => Math.round(ms * 10) / 10;
const rounded = ({ urls, readyMs, keystrokes, longTasks, phases: steps, ...bytes }) => ({
  readyMs: tenth(readyMs),
  phases: Object.fromEntries(Object.entries(steps).map(([key, ms]) => [key, ms === null ? null : tenth(ms)])),
  keystrokes: keystrokes.map(tenth),
  longTasks: longTasks.map(tenth),
  ...bytes,
});

/** A destination of its own for each visit: +1 415 555 0001, 0002, … */
let visits = 0;
const destination = () => `+1 415 555 ${String(++visits).padStart(4, "0")}`;

/** Keystrokes of visit `i` of `LOADS`, so that they add up to KEYSTROKES. */
const share = (i) => Math.floor((KEYSTROKES * (i + 1)) / LOADS) - Math.floor((KEYSTROKES * i) / LOADS);

const results = {
  generated: new Date().toISOString(),
  // The load average before and after: other work on the machine shows up in every figure.
  machine: { cpus: cpus().length, cpu: cpus()[0]?.model, chromium: browser.version(), node: process.version, loadavgBefore: loadavg() },
  loads: LOADS,
  keystrokes: KEYSTROKES,
  method: {
    ready: "performance.now() at the first animation frame with the code field in the (shadow) DOM and 'Send code' enabled",
    transfer: "CDP Network.loadingFinished encodedDataLength (headers included) of the resources whose responseEnd <= ready; gzip -9 of the same bodies computed in Node",
    keystroke: "keydown event.timeStamp to performance.now() in the first animation frame showing the new digit (field value, or the slots' text)",
    heap: "CDP Runtime.getHeapUsage usedSize after HeapProfiler.collectGarbage, after 'Verified'",
    wasm: "byteLength of every WebAssembly.Memory the page made (found by wrapping WebAssembly.instantiate*, Instance and Memory)",
    longTasks: "PerformanceObserver 'longtask' entries starting before ready",
    warmup: "one unmeasured visit of each page before the measured ones; pages alternate which goes first",
  },
  resources: {},
  conditions: {},
};

try {
  for (const page of pages) await visit(browser, server, page, { cpuRate: 1, keystrokes: 0, destination: destination() });
  for (const condition of CONDITIONS) {
    const visits = { widget: [], react: [] };
    for (let i = 0; i < LOADS; i++) {
      for (const page of i % 2 ? [...pages].reverse() : pages) {
        const result = await visit(browser, server, page, {
          cpuRate: condition.rate,
          keystrokes: share(i),
          destination: destination(),
        });
        result.gzipBytes = 0;
        for (const url of result.urls) result.gzipBytes += await gzipSize(url);
        visits[page.name].push(result);
        results.resources[page.name] ??= result.urls.map((url) => new URL(url).pathname);
      }
      log(`${condition.key}: ${i + 1}/${LOADS} loads of each page`);
    }
    const summary = summarise(visits);
    results.conditions[condition.key] = {
      label: condition.label,
      cpuThrottlingRate: condition.rate,
      summary,
      samples: Object.fromEntries(Object.entries(visits).map(([name, list]) => [name, list.map(rounded)])),
    };
    const steps = Object.entries(visits).map(([name, list]) => phases(name, list));
    results.conditions[condition.key].phases = steps;
    console.log(`${table(condition.label, summary)}\n${steps.join("\n")}\n`);
  }
} finally {
  await browser.close();
  await server.stop();
}

results.machine.loadavgAfter = loadavg();
// One line for each list of numbers (the samples), so the file reads as a table.
const json = JSON.stringify(results, null, 1).replace(/\[[\d.,\s-]*\]/g, (list) => list.replace(/\s+/g, ""));
writeFileSync(new URL("results.json", import.meta.url), `${json}\n`);
log("wrote bench/results.json");
