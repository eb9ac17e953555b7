// Shared fixtures for the end-to-end tests: the real reference server (dev mode, serving the
// built demo from dist/) on a free 127.0.0.1 port, and the system's headless Chromium.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer as createNetServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";
import { after, before } from "node:test";
import { chromium } from "playwright-core";

const root = fileURLToPath(new URL("../..", import.meta.url));
export const serverBinary = process.env.CV_SERVER ?? `${root}target/server/checkout-verify-server`;
const firebaseCli = `${root}e2e/firebase/node_modules/.bin/firebase`;
const site = process.env.CV_SITE ?? `${root}dist`;

/**
 * Starts the reference server (with `extraFlags`, serving `siteDir`, the built demo by default)
 * and resolves once it prints the address it listens on.
 */
export async function startServer(extraFlags = [], siteDir = site) {
  // As `make demo` runs it: budgets for a whole suite's tries from one address.
  const flags = ["--dev", "--client-sends-per-hour", "36000", "--max-failures", "60", "--starts-per-destination-hour", "600", ...extraFlags];
  const child = spawn(serverBinary, [...flags, "--port", "0", "--site", siteDir], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`server exited with ${code} before listening`)));
    lines.on("line", (line) => {
      const match = /^listening on (http:\/\/\S+)$/.exec(line);
      if (match) resolve(match[1]);
    });
  });
  return {
    url,
    /** Every message the server would have sent, newest last. */
    async outbox() {
      const response = await fetch(new URL("/dev/outbox", url));
      assertOk(response);
      return response.json();
    },
    /** The clone reports received, graded, newest last. */
    async cloneReports() {
      const response = await fetch(new URL("/dev/clone-reports", url));
      assertOk(response);
      return response.json();
    },
    async stop() {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      await once(child, "exit");
    },
  };
}

function assertOk(response) {
  if (!response.ok) throw new Error(`${response.url} answered ${response.status}`);
}

/** Waits until `probe()` returns a truthy value and returns it; fails after `timeoutMs`. */
export async function waitFor(what, probe, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The code of the first message newer than `seen` messages, read from its origin-bound line. */
export async function codeFromOutbox(server, seen) {
  const message = await waitFor("a new message in the outbox", async () => (await server.outbox())[seen]);
  const match = /@(\S+) #(\d+)\s*$/.exec(message.text);
  if (!match) throw new Error(`no origin-bound line in ${JSON.stringify(message.text)}`);
  return { host: match[1], code: match[2] };
}

/**
 * Host names the browser resolves to 127.0.0.1, for pages that pretend to be elsewhere: a copy of
 * the store whose address differs by one character, and a foreign site that frames it.
 */
export const LOOKALIKE_HOST = "l0calhost";
export const FOREIGN_HOST = "evil.test";

/** Headless system Chromium; nothing is downloaded. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: [
      `--host-resolver-rules=MAP ${LOOKALIKE_HOST} 127.0.0.1, MAP ${FOREIGN_HOST} 127.0.0.1`,
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-quic",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/** Opens the demo checkout and waits for the widget to be ready. */
export async function openCheckout(browser, server) {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(error));
  await page.goto(server.url);
  await page.getByRole("button", { name: "Send code" }).waitFor();
  page.errors = errors;
  return page;
}

/**
 * Starts the server and the browser before the file's tests and stops them after; the returned
 * object's `server` and `browser` are set once the tests run.
 */
export function useServerAndBrowser() {
  const fixture = {};
  before(async () => {
    fixture.server = await startServer();
    fixture.browser = await launchBrowser();
  });
  after(async () => {
    await fixture.browser?.close();
    await fixture.server?.stop();
  });
  return fixture;
}

/** A loopback port free at the time of asking. */
export async function freePort() {
  const probe = createNetServer().listen(0, "127.0.0.1");
  await once(probe, "listening");
  const { port } = probe.address();
  probe.close();
  await once(probe, "close");
  return port;
}

/** Three consecutive free loopback ports, as the Firebase emulator suite wants them. */
async function threeFreePorts() {
  for (;;) {
    const first = await freePort();
    const taken = await Promise.all(
      [first, first + 1, first + 2].map(
        (port) =>
          new Promise((resolve) => {
            const s = createNetServer()
              .once("error", () => resolve(true))
              .listen(port, "127.0.0.1", () => s.close(() => resolve(false)));
          }),
      ),
    );
    if (!taken.some(Boolean) && first + 2 < 65536) return first;
  }
}

/**
 * Starts the Firebase Auth Emulator (npm's firebase-tools, a real third-party backend) on
 * loopback and resolves once it answers: `{url, project, codes(), stop()}`, where `codes()` lists
 * the codes it "sent" (`{phoneNumber, sessionInfo, code}`), oldest first.
 */
export async function startFirebaseEmulator() {
  const project = "demo-checkout-verify";
  const port = await threeFreePorts();
  const dir = mkdtempSync(join(tmpdir(), "cv-firebase-"));
  writeFileSync(
    join(dir, "firebase.json"),
    JSON.stringify({
      emulators: {
        auth: { host: "127.0.0.1", port },
        hub: { host: "127.0.0.1", port: port + 1 },
        logging: { host: "127.0.0.1", port: port + 2 },
        ui: { enabled: false },
      },
    }),
  );
  const emulator = spawn(firebaseCli, ["emulators:start", "--only", "auth", "--project", project], {
    cwd: dir,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NO_UPDATE_NOTIFIER: "1", FIREBASE_CLI_DISABLE_UPDATE_CHECK: "true" },
    detached: true,
  });
  let log = "";
  emulator.stdout.on("data", (chunk) => (log += chunk));
  emulator.stderr.on("data", (chunk) => (log += chunk));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (emulator.exitCode !== null) return;
    process.kill(-emulator.pid, "SIGTERM");
    await once(emulator, "exit");
  };
  try {
    await waitFor(
      `the Auth Emulator on ${url}`,
      async () => {
        try {
          return (await fetch(`${url}/emulator/v1/projects/${project}/config`)).ok;
        } catch {
          return false;
        }
      },
      90_000,
    );
  } catch (error) {
    await stop();
    throw new Error(`${error.message}\n${log}`);
  }
  return {
    url,
    project,
    async codes() {
      const answer = await fetch(`${url}/emulator/v1/projects/${project}/verificationCodes`);
      assertOk(answer);
      return (await answer.json()).verificationCodes ?? [];
    },
    stop,
  };
}

/** Presses "Send code", waits for the status to confirm it, and returns the code as sent. */
export async function requestCode(page, server) {
  const seen = (await server.outbox()).length;
  await page.getByRole("button", { name: "Send code" }).click();
  await page.getByRole("status").filter({ hasText: "Code sent" }).waitFor();
  return codeFromOutbox(server, seen);
}

const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

/** Runs axe-core (from npm) on the whole page (it walks open shadow roots); fails on any violation. */
export async function assertNoViolations(page, state) {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ path: axePath });
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document);
    return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
  });
  assert.deepEqual(violations, [], `axe violations in the ${state} state`);
}
