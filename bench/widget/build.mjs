// Builds the two benchmarked pages into one site folder served by one reference server:
//   /widget/  examples/html with the packed npm package installed, built by its `npm run build`
//             (as e2e/tests/package.test.mjs does: `npm pack` of pkg/, the tarball installed);
//   /react/   bench/react-input-otp (React 19 + input-otp), built by its `npm run build`.
// Only what a browser fetches is copied into the site: index.html, page.css and dist/.
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const QUIET = ["--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"];

/** The files of a built page that a browser loads, copied from `from` into `to`. */
function copyServed(from, to) {
  mkdirSync(to, { recursive: true });
  for (const name of ["index.html", "page.css", "dist"]) cpSync(join(from, name), join(to, name), { recursive: true });
}

/** `npm ci` in `dir` when its lockfile changed since the last install (as scripts/bootstrap.sh). */
async function npmCi(dir) {
  const lock = readFileSync(join(dir, "package-lock.json"));
  const marker = join(dir, "node_modules", ".installed-lock");
  if (existsSync(marker) && readFileSync(marker).equals(lock)) return;
  await run("npm", ["ci", ...QUIET], { cwd: dir });
  cpSync(join(dir, "package-lock.json"), marker);
}

/** Builds both pages; resolves to the site folder, with `widget/` and `react/` in it. */
export async function buildSite(root) {
  const work = mkdtempSync(join(tmpdir(), "cv-bench-"));
  const site = join(work, "site");

  // The widget: the package as a store gets it, in the plain-HTML example.
  if (!existsSync(join(root, "pkg", "package.json"))) throw new Error("no pkg/: run make package first");
  const { stdout } = await run("npm", ["pack", "--silent", "--pack-destination", work], { cwd: join(root, "pkg") });
  const tarball = join(work, stdout.trim().split("\n").at(-1));
  const example = join(work, "html");
  cpSync(join(root, "examples", "html"), example, {
    recursive: true,
    filter: (path) => !/node_modules|dist/.test(path.slice(join(root, "examples", "html").length)),
  });
  await run("npm", ["install", "--no-save", ...QUIET, tarball], { cwd: example });
  await run("npm", ["run", "--silent", "build"], { cwd: example });
  copyServed(example, join(site, "widget"));

  // The comparator, from its committed lockfile.
  const comparator = join(root, "bench", "react-input-otp");
  await npmCi(comparator);
  await run("npm", ["run", "--silent", "build"], { cwd: comparator });
  copyServed(comparator, join(site, "react"));
  return site;
}
