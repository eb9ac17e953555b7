#!/usr/bin/env bash
# Prints the package's transfer size (gzip -9 of the wasm, the JS glue and any CSS file it ships)
# against the budget in DESIGN.md, and fails when it is over. The widget's stylesheet
# (style/checkout-verify.css) is compiled into the wasm, so it is counted there, not twice.
set -euo pipefail
cd "$(dirname "$0")/.."
BUDGET_KB=${BUDGET_KB:-90}
total=0
for file in pkg/*.wasm pkg/*.js pkg/*.css; do
  [ -f "$file" ] || continue
  raw=$(wc -c <"$file")
  gz=$(gzip -9 -c "$file" | wc -c)
  total=$((total + gz))
  printf '%-40s %8d B raw %8d B gzip\n' "$file" "$raw" "$gz"
done
printf '%-40s %8d B raw (inside the wasm)\n' style/checkout-verify.css "$(wc -c <style/checkout-verify.css)"
awk -v t="$total" -v b="$BUDGET_KB" \
  'BEGIN { printf "package transfer size: %d B = %.1f KB gzip -9 (budget %d KB)\n", t, t / 1024, b }'
if [ "$total" -gt $((BUDGET_KB * 1024)) ]; then
  echo "over budget" >&2
  exit 1
fi
