// Behind a real reverse proxy (Debian's nginx, on loopback), the server reads each shopper's
// address from the proxy's X-Forwarded-For because it is told to trust the proxy
// (--trusted-proxy), so two shoppers have separate send budgets; without that flag every shopper
// is the proxy, and one shopper's sends use up everyone's budget. The shoppers stand behind an
// outer hop (as behind a CDN): each request arrives at nginx saying whom it forwards for.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { freePort, startServer, waitFor } from "./harness.mjs";

const dir = mkdtempSync(join(tmpdir(), "cv-proxy-"));
const proxies = [];
let trusting;
let trustingNothing;

/** nginx on a free loopback port in front of `server`, appending the peer to X-Forwarded-For. */
async function nginxFor(server, name) {
  const port = await freePort();
  const upstream = new URL(server.url).host;
  const prefix = join(dir, name);
  const conf = join(dir, `${name}.conf`);
  writeFileSync(conf, `
worker_processes 1;
error_log stderr warn;
pid ${prefix}.pid;
events {}
http {
  access_log off;
  client_body_temp_path ${prefix}-body;
  proxy_temp_path ${prefix}-proxy;
  fastcgi_temp_path ${prefix}-fastcgi;
  uwsgi_temp_path ${prefix}-uwsgi;
  scgi_temp_path ${prefix}-scgi;
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://${upstream};
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    }
  }
}
`);
  const child = spawn("/usr/sbin/nginx", ["-p", dir, "-c", conf, "-g", "daemon off;"], { stdio: "inherit" });
  proxies.push(child);
  await waitFor(`nginx on ${port}`, () => new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1", () => { socket.end(); resolve(true); });
    socket.on("error", () => resolve(false));
  }), 20_000);
  return `http://127.0.0.1:${port}`;
}

before(async () => {
  // One send at a time per client (12 an hour, bursts of 1), so one more is refused.
  const flags = ["--client-sends-per-hour", "12"];
  const trustingServer = await startServer([...flags, "--trusted-proxy", "127.0.0.1"]);
  const plainServer = await startServer(flags);
  trusting = { server: trustingServer, url: await nginxFor(trustingServer, "trusting") };
  trustingNothing = { server: plainServer, url: await nginxFor(plainServer, "plain") };
});

after(async () => {
  for (const child of proxies) {
    if (child.exitCode === null) {
      child.kill("SIGTERM");
      await once(child, "exit");
    }
  }
  await trusting?.server.stop();
  await trustingNothing?.server.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A first code for `number`, asked through `proxy` by the shopper at `shopper`. */
async function send(proxy, shopper, number) {
  const answer = await fetch(`${proxy}/api/verification`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": shopper },
    body: JSON.stringify({ destination: number, channel: "sms" }),
  });
  return answer.status;
}

test("behind a trusted proxy, two shoppers have separate budgets", async () => {
  assert.equal(await send(trusting.url, "198.51.100.7", "+1 415 555 0101"), 202);
  assert.equal(await send(trusting.url, "198.51.100.7", "+1 415 555 0102"), 429, "the first shopper's budget is spent");
  assert.equal(await send(trusting.url, "198.51.100.8", "+1 415 555 0103"), 202, "the second shopper's is not");
});

test("without --trusted-proxy, every shopper is the proxy and shares one budget", async () => {
  assert.equal(await send(trustingNothing.url, "198.51.100.7", "+1 415 555 0201"), 202);
  assert.equal(await send(trustingNothing.url, "198.51.100.8", "+1 415 555 0202"), 429, "one budget for all");
});
