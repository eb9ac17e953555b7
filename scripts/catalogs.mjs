// Writes the package's language catalogs: each src/core/messages/locales/<lang>.json but English
// (built into the wasm) as pkg/locales/<lang>.js, an ES module whose default export is the
// catalog, minified. A shopper's browser fetches only the one of its page's language.
// usage: node scripts/catalogs.mjs OUT_DIR
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const source = fileURLToPath(new URL("../src/core/messages/locales/", import.meta.url));
const out = process.argv[2] ?? "pkg/locales";
mkdirSync(out, { recursive: true });
for (const file of readdirSync(source).filter((name) => name.endsWith(".json") && name !== "en.json")) {
  const catalog = JSON.parse(readFileSync(join(source, file), "utf8"));
  writeFileSync(join(out, file.replace(/\.json$/, ".js")), `export default ${JSON.stringify(catalog)};\n`);
}
