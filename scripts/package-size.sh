#!/usr/bin/env bash
# Prints what a shopper's browser downloads before the code field works — the package's wasm and
# JavaScript (the stylesheet is compiled into the wasm; the doctor in pkg/doctor/ is not counted,
# no shopper downloads it) — compressed with `gzip -9` and with brotli
# (quality 11, through Node's zlib), against the ceiling and the target; fails over the ceiling.
# It counts pkg/*.wasm and pkg/*.js with the gzip command, as the before-stop hook does, so the
# two figures agree.
set -euo pipefail
cd "$(dirname "$0")/.."
CEILING_KB=${CEILING_KB:-135}
TARGET_KB=${TARGET_KB:-118}
shopt -s nullglob
files=(pkg/*.wasm pkg/*.js)
[ ${#files[@]} -gt 0 ] || { echo "package-size: no pkg/*.wasm or pkg/*.js; run make package" >&2; exit 1; }
brotli() {
  node -e 'const z = require("zlib"); const b = require("fs").readFileSync(process.argv[1]);
    console.log(z.brotliCompressSync(b, { params: { [z.constants.BROTLI_PARAM_QUALITY]: 11,
      [z.constants.BROTLI_PARAM_SIZE_HINT]: b.length } }).length)' "$1"
}
gzip_total=0
brotli_total=0
printf '%-32s %9s %9s %9s\n' file raw 'gzip -9' brotli
for file in "${files[@]}"; do
  raw=$(wc -c <"$file")
  gz=$(gzip -9 -c "$file" | wc -c)
  br=$(brotli "$file")
  gzip_total=$((gzip_total + gz))
  brotli_total=$((brotli_total + br))
  printf '%-32s %9d %9d %9d\n' "$file" "$raw" "$gz" "$br"
done
awk -v g="$gzip_total" -v b="$brotli_total" -v c="$CEILING_KB" -v t="$TARGET_KB" 'BEGIN {
  printf "package transfer size: %.1f KiB gzip -9, %.1f KiB brotli (ceiling %d KiB gzip, target under %d)\n",
    g / 1024, b / 1024, c, t }'
# Each further language: a catalog fetched only by shoppers who read it, counted apart.
CATALOG_BYTES=${CATALOG_BYTES:-2048}
over=0
printf '%-32s %9s %9s %9s\n' 'catalog (one per shopper)' raw 'gzip -9' brotli
for file in pkg/locales/*.js; do
  raw=$(wc -c <"$file")
  gz=$(gzip -9 -c "$file" | wc -c)
  printf '%-32s %9d %9d %9d\n' "$file" "$raw" "$gz" "$(brotli "$file")"
  if [ "$gz" -gt "$CATALOG_BYTES" ]; then
    echo "package-size: $file is over $CATALOG_BYTES bytes gzip" >&2
    over=1
  fi
done
if [ "$gzip_total" -gt $((CEILING_KB * 1024)) ]; then
  echo "package-size: over the ${CEILING_KB} KB ceiling" >&2
  exit 1
fi
exit "$over"
