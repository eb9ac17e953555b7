// Where the widget's bytes go: reads a wasm built with its name section kept (`make size` builds
// one beside the package, optimised the same way), attributes every function body to the crate
// it comes from (and, for this crate, to its module: core::backend, core::guard, web, …), and
// prints each room's share, raw and gzip -9. Each room is compressed on its own, so the gzip
// column shows what a room would weigh alone; the rooms together weigh more than the package,
// which compresses across them.
//
// usage: node scripts/size.mjs NAMED.wasm [TOP] [ROOM]   (with ROOM: that room's largest functions)
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const [file, topArg, detail] = process.argv.slice(2);
if (!file) {
  console.error("usage: node scripts/size.mjs NAMED.wasm [TOP]");
  process.exit(2);
}
const top = Number(topArg ?? 25);
const bytes = readFileSync(file);

/** A reader over `bytes` from `at`: LEB128 numbers, names, raw slices. */
function reader(at, end = bytes.length) {
  return {
    get at() {
      return at;
    },
    done: () => at >= end,
    byte: () => bytes[at++],
    u32() {
      let result = 0;
      let shift = 0;
      for (;;) {
        const b = bytes[at++];
        result += (b & 0x7f) * 2 ** shift;
        if (!(b & 0x80)) return result;
        shift += 7;
      }
    },
    name() {
      const length = this.u32();
      const text = bytes.toString("utf8", at, at + length);
      at += length;
      return text;
    },
    slice(length) {
      const part = bytes.subarray(at, at + length);
      at += length;
      return part;
    },
    skip(length) {
      at += length;
    },
  };
}

if (bytes.readUInt32LE(0) !== 0x6d736100) throw new Error(`${file} is not a wasm module`);
let importedFunctions = 0;
const bodies = [];
const names = new Map();
let data = Buffer.alloc(0);
const top_level = reader(8);
while (!top_level.done()) {
  const id = top_level.byte();
  const size = top_level.u32();
  const start = top_level.at;
  const section = reader(start, start + size);
  if (id === 2) {
    // Imports: functions among them come first in the function index space.
    for (let n = section.u32(); n > 0; n--) {
      section.name();
      section.name();
      const kind = section.byte();
      if (kind === 0) {
        section.u32();
        importedFunctions++;
      } else if (kind === 1) {
        section.byte();
        const flags = section.byte();
        section.u32();
        if (flags & 1) section.u32();
      } else if (kind === 2) {
        const flags = section.byte();
        section.u32();
        if (flags & 1) section.u32();
      } else if (kind === 3) {
        section.byte();
        section.byte();
      } else {
        throw new Error(`import kind ${kind} not understood`);
      }
    }
  } else if (id === 10) {
    for (let n = section.u32(); n > 0; n--) bodies.push(section.slice(section.u32()));
  } else if (id === 11) {
    data = bytes.subarray(start, start + size);
  } else if (id === 0 && section.name() === "name") {
    while (!section.done()) {
      const sub = section.byte();
      const length = section.u32();
      if (sub !== 1) {
        section.skip(length);
        continue;
      }
      for (let n = section.u32(); n > 0; n--) {
        const index = section.u32();
        names.set(index, section.name());
      }
    }
  }
  top_level.skip(size);
}
if (names.size === 0) throw new Error(`${file} has no name section: build it with wasm-opt -g`);

/** A name as wasm-bindgen leaves it (already demangled), without hashes and crate ids. */
function clean(name) {
  return name.replace(/::h[0-9a-f]{16}/g, "").replace(/\[[0-9a-f]+\]/g, "").replace(/\[\d+\]$/, "");
}

const PRIMITIVE = /^(&|&mut |\*const |\*mut |mut )*(\[.*\]|\(.*\)|[A-Z]|str|char|bool|[iu](8|16|32|64|128|size)|f32|f64|dyn .*)$/;

/**
 * The room a function belongs to: its crate, or for this crate its module (`core::backend`,
 * `web`, …). Drop glue belongs to the type dropped; `<T as Trait>::f` to the type when it is
 * the program's own, else to the trait.
 */
function room(name) {
  let subject = clean(name);
  const dropped = /^core::ptr::drop_in_place<(.*)>$/.exec(subject);
  if (dropped) subject = dropped[1];
  const impl = /^<(.*?) as (.*)$/.exec(subject);
  if (impl) subject = PRIMITIVE.test(impl[1].trim()) ? impl[2] : impl[1];
  subject = subject.replace(/^(&|&mut |\*const |\*mut |mut |dyn |<)+/, "");
  if (!subject.includes("::")) {
    // The module's exports, with everything wasm-opt inlined into them (mount: the config
    // checker and the first render).
    if (/^intounderlying/.test(subject)) return "wasm_streams";
    if (/ shim/.test(subject)) return "exports (mount, assessPage; with what they inline)";
    return /^__wbg|^__wbindgen|^__externref|^[a-z0-9_]+$/.test(subject) ? "wasm-bindgen glue" : "(other)";
  }
  const segments = subject.split(/::|[<> ,()]/).filter(Boolean);
  const crate = segments[0];
  if (crate === "checkout_verify") {
    const [, area, concern] = segments;
    if (area === "core" && concern && !/^[A-Z]/.test(concern)) return `checkout_verify::core::${concern}`;
    return `checkout_verify::${area ?? ""}`;
  }
  return crate;
}

const rooms = new Map();
bodies.forEach((body, i) => {
  const name = names.get(importedFunctions + i);
  const key = name === undefined ? "(unnamed)" : room(name);
  const entry = rooms.get(key) ?? { raw: 0, parts: [] };
  entry.raw += body.length;
  entry.parts.push(body);
  if (key === detail) entry.functions = [...(entry.functions ?? []), [clean(name ?? "?"), body.length]];
  rooms.set(key, entry);
});
rooms.set("(data: strings, tables)", { raw: data.length, parts: [data] });

const rows = [...rooms]
  .map(([name, { raw, parts }]) => ({ name, raw, gzip: gzipSync(Buffer.concat(parts), { level: 9 }).length }))
  .sort((a, b) => b.gzip - a.gzip);
const kb = (n) => (n / 1024).toFixed(1).padStart(6);
const total = gzipSync(bytes, { level: 9 }).length;
console.log(`${file}: ${kb(bytes.length)} KiB raw, ${kb(total)} KiB gzip -9 (with names)`);
console.log(`${"room".padEnd(52)} ${"raw KiB".padStart(7)} ${"gzip KiB".padStart(8)}`);
for (const row of rows.slice(0, top)) console.log(`${row.name.padEnd(52)} ${kb(row.raw)} ${kb(row.gzip).padStart(7)}`);
const rest = rows.slice(top);
if (rest.length > 0) {
  const raw = rest.reduce((sum, row) => sum + row.raw, 0);
  console.log(`${`(${rest.length} more rooms)`.padEnd(52)} ${kb(raw)}`);
}
if (detail) {
  console.log(`\nlargest functions in ${detail}:`);
  for (const [name, raw] of (rooms.get(detail)?.functions ?? []).sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${String(raw).padStart(7)}  ${name.slice(0, 150)}`);
  }
}
