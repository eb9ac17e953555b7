#!/usr/bin/env node
// The doctor: drives your backend through the widget's own config checker, adapter and flow (the
// same Rust core, compiled to WebAssembly in doctor/), and says what to fix before shoppers meet
// it. Node 18 or later; no Rust toolchain.
//
//   npx checkout-verify-doctor --config page-config.json --destination +14155550123 \
//       [--origin https://shop.example] [--code-from "command printing the code that was sent"]
//
// `--config` is the widget's config exactly as your page gives it to mount(); `--origin` is the
// page's origin (for same-origin step URLs and the CORS check); `--code-from` runs a shell command
// whose output holds the code that was sent (its last run of code characters is taken), so the
// right code is checked too. A wrong code is always tried first. The code is never printed.
// Exits 0 when the widget can work with the backend, 1 when something needs fixing, 2 on a
// usage or config error.
import { execSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { initSync, DoctorSession } from "./doctor/checkout_verify.js";

const USAGE =
  "usage: checkout-verify-doctor --config FILE --destination X [--origin ORIGIN] [--code-from CMD]";

function options(argv) {
  const given = {};
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (!["--config", "--destination", "--origin", "--code-from"].includes(flag)) throw new Error(`unknown argument ${flag}`);
    if (value === undefined) throw new Error(`${flag} needs a value`);
    given[flag.slice(2)] = value;
  }
  for (const required of ["config", "destination"]) {
    if (!given[required]) throw new Error(`--${required} is required`);
  }
  return given;
}

/** One request, redirects not followed, given `timeoutS` seconds. */
async function exchange(session, request, timeoutS) {
  const init = { method: request.method, headers: request.headers, redirect: "manual" };
  if (request.body !== null) init.body = request.body;
  init.signal = AbortSignal.timeout(timeoutS * 1000);
  try {
    const response = await fetch(request.url, init);
    const body = await response.text();
    return session.answered(request.url, response.status, JSON.stringify([...response.headers]), body, Date.now());
  } catch (error) {
    const timedOut = error?.name === "TimeoutError" || error?.cause?.name === "TimeoutError";
    return session.failed(request.url, timedOut);
  }
}

async function main() {
  let given;
  let session;
  try {
    given = options(process.argv.slice(2));
    initSync({ module: readFileSync(new URL("./doctor/checkout_verify_bg.wasm", import.meta.url)) });
    const config = readFileSync(given.config, "utf8");
    session = new DoctorSession(config, given.destination, given.origin, given["code-from"] !== undefined);
  } catch (error) {
    console.error(`${error.message}\n${USAGE}`);
    return 2;
  }
  console.log(DoctorSession.accepted());
  for (;;) {
    const next = JSON.parse(session.next());
    if (next.kind === "done") break;
    if (next.kind === "code") {
      let printed;
      try {
        printed = execSync(given["code-from"], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
        session.codePrinted(printed);
      } catch (error) {
        console.error(`--code-from: ${error.message}`);
        return 2;
      }
      continue;
    }
    for (const line of next.shown) console.log(line);
    const lines = JSON.parse(await exchange(session, next.request, next.timeout_s));
    for (const line of lines) console.log(line);
  }
  const { lines, ok } = JSON.parse(session.summary());
  for (const line of lines) console.log(line);
  return ok ? 0 : 1;
}

process.exitCode = await main();
