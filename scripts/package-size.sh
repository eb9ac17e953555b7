#!/usr/bin/env bash
# Prints the package's transfer size (gzip -9 of the wasm, the JS glue and the CSS) against the
# budget in DESIGN.md, and fails when it is over.
set -euo pipefail
cd "$(dirname "$0")/.."
BUDGET_KB=${BUDGET_KB:-90}
total=0
for file in pkg/*.wasm pkg/*.js style/*.css; do
  [ -f "$file" ] || continue
  raw=$(wc -c <"$file")
  gz=$(gzip -9 -c "$file" | wc -c)
  total=$((total + gz))
  printf '%-40s %8d B raw %8d B gzip\n' "$file" "$raw" "$gz"
done
awk -v t="$total" -v b="$BUDGET_KB" \
  'BEGIN { printf "package transfer size: %d B = %.1f KB gzip -9 (budget %d KB)\n", t, t / 1024, b }'
if [ "$total" -gt $((BUDGET_KB * 1024)) ]; then
  echo "over budget" >&2
  exit 1
fi
