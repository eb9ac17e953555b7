// The wasm's stack is sized on purpose (.cargo/config.toml): the packed widget is fed the deepest
// inputs its parsers allow (a config and a request body nested to the JSON reader's limit,
// answers nested to it and far beyond), and the stack it used, read from the module's memory, stays
// under half of what it has. The stack sits below the data (the linker's stack-first layout), in
// memory that starts zeroed, so the lowest byte ever written there marks the deepest call.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { launchBrowser, startServer } from "./harness.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));
/** The JSON reader's deepest document (src/core/json.rs, MAX_DEPTH). */
const MAX_DEPTH = 32;

/** Where the package's first data segment starts: the top of its stack, stack first. */
function stackTop(wasm) {
  let at = 8;
  const leb = () => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = wasm[at++];
      value += (byte & 0x7f) * 2 ** shift;
      if (!(byte & 0x80)) return value;
    }
  };
  while (at < wasm.length) {
    const id = wasm[at++];
    const size = leb();
    if (id === 11) {
      leb(); // segment count
      assert.equal(wasm[at++], 0, "an active segment in memory 0");
      assert.equal(wasm[at++], 0x41, "at an i32.const offset");
      return leb();
    }
    at += size;
  }
  throw new Error("no data section");
}

/** `{"a": {"a": … leaf}}`, `levels` objects deep. */
function nested(levels, leaf) {
  let value = leaf;
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
}

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

test("the deepest config and answers fit in half the stack", async () => {
  const wasm = readFileSync(`${root}dist/checkout_verify_bg.wasm`);
  const top = stackTop(wasm);
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(error));
  await page.goto(server.url);
  await page.getByRole("button", { name: "Send code" }).waitFor();

  // A body template as deep as a config may be: config → backend → send → body → …
  const body = (leaf) => nested(MAX_DEPTH - 4, leaf);
  const config = {
    development: true,
    destination: "+14155550123",
    backend: {
      base_url: `${server.url.replace(/\/$/, "")}/deep`,
      send: { url: "/send", body: body("{{destination}}"), read: { verification_id: "/id" }, outcome: {} },
      check: {
        url: "/check",
        body: body("{{code}}"),
        read: { token: "/token" },
        outcome: { rules: [{ pointer: `${"/a".repeat(MAX_DEPTH - 1)}`, equals: "no", outcome: "invalid" }] },
      },
    },
  };
  // Answers: a send as deep as the reader allows, then checks deeper than it allows, far deeper,
  // and as deep as it allows.
  const answers = [
    JSON.stringify({ id: "v1", deep: nested(MAX_DEPTH - 1, 1) }),
    JSON.stringify(nested(MAX_DEPTH + 1, 1)),
    `${"[".repeat(100_000)}${"]".repeat(100_000)}`,
    JSON.stringify(nested(MAX_DEPTH - 1, "no")),
  ];
  const received = [];
  await page.route("**/deep/**", async (route) => {
    received.push(route.request().postData());
    await route.fulfill({ status: 200, contentType: "application/json", body: answers.shift() ?? "{}" });
  });
  const outcome = await page.evaluate(async (config) => {
    const host = document.createElement("div");
    document.body.append(host);
    const widget = window.wasmBindings.mount(host, config);
    const root = host.shadowRoot;
    const until = async (what, probe) => {
      // A bound, not a pace: the check goes out once the deepest answers are read, which took
      // over 5 s once on a loaded two-core CI machine.
      for (let i = 0; i < 3000; i++) {
        if (probe()) return;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      throw new Error(`timed out waiting for ${what}`);
    };
    root.querySelector(".cv-send").click();
    const input = root.querySelector("input");
    await until("the code field", () => !input.disabled);
    const alerts = [];
    const phase = () => root.querySelector(".cv").dataset.phase;
    for (let i = 0; i < 3; i++) {
      input.value = "123456";
      input.dispatchEvent(new Event("input", { bubbles: true }));
      root.querySelector(".cv-verify").click();
      await until("the check to go out", () => phase() === "verifying");
      await until("its answer", () => phase() !== "verifying");
      alerts.push(root.querySelector("[role=alert]").textContent);
    }
    widget.destroy();
    return alerts;
  }, config);
  assert.deepEqual(errors, []);
  assert.equal(received.length, 4, "a send and three checks went out");
  assert.ok(received[0].includes(`${'{"a":'.repeat(MAX_DEPTH - 4)}"+14155550123"`), received[0]);
  assert.match(outcome[0], /answer we do not understand/);
  assert.match(outcome[1], /answer we do not understand/);
  assert.match(outcome[2], /That code is not right/, "the deepest answer is read, and its rule applies");

  // The deepest the stack went: the lowest byte written below its top.
  const used = await page.evaluate(async (top) => {
    const { memory } = await window.wasmBindings.default();
    const stack = new Uint8Array(memory.buffer, 0, top);
    const lowest = stack.findIndex((byte) => byte !== 0);
    return lowest < 0 ? 0 : top - lowest;
  }, top);
  console.log(`stack: ${used} of ${top} bytes used at the deepest`);
  assert.ok(used > 0, "the stack was used, so it is measured");
  assert.ok(used < top / 2, `the deepest input used ${used} of ${top} bytes of stack`);
  await page.close();
});
