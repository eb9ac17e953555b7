#!/usr/bin/env bash
# The lookalike classifier's benchmark (docs/BENCHMARKS.md, "Lookalike benchmark"). bench/top-domains.txt
# (alphabetical) is cut in two: the tuning half (its first 245 lines) and the held-out half (the
# other 244), so a brand's sibling domains (amazon.*, google.*, ebay.*) stay on one side.
# dnstwist (PyPI) generates, offline (its Fuzzer class, as `--format list` does; the json format
# would look names up in DNS), every permutation of every 20th domain of each half with all its
# fuzzers and the TLDs of bench/tlds.dict; the words its dictionary fuzzer adds are the checkout
# words of bench/checkout-words.dict for the tuning half and, for the held-out half, those of
# bench/held-out-words.dict, which no rule of the classifier ever saw (none is a lure). The
# `lookalike_bench` example then reports recall on each half and false positives pairwise across
# all of bench/top-domains.txt and within each half. Extra arguments (`--all-misses`) go to it.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=target/bench/venv
if [ ! -x "$venv/bin/dnstwist" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet "dnstwist==20250130"
fi
half=$(( ($(grep -c . bench/top-domains.txt) + 1) / 2 ))
awk -v half="$half" 'NF && NR <= half' bench/top-domains.txt >target/bench/tuning-domains.txt
awk -v half="$half" 'NF && NR > half' bench/top-domains.txt >target/bench/held-out-domains.txt
for part in tuning:checkout-words held-out:held-out-words; do
  name=${part%%:*} words=bench/${part#*:}.dict
  awk 'NR % 20 == 1' "target/bench/$name-domains.txt" >"target/bench/$name-targets.txt"
  "$venv/bin/python" - "$words" bench/tlds.dict "target/bench/$name-targets.txt" \
    >"target/bench/$name-corpus.tsv" <<'PY'
import sys
import dnstwist

words, tlds, targets = (open(path).read().split() for path in sys.argv[1:4])
for target in targets:
    fuzzer = dnstwist.Fuzzer(target, dictionary=words, tld_dictionary=tlds)
    fuzzer.generate()
    for permutation in sorted(fuzzer.domains):
        if permutation["fuzzer"] != "*original":
            print(permutation["fuzzer"], permutation["domain"], target, sep="\t")
PY
done
cargo run --release --quiet --example lookalike_bench -- \
  target/bench/tuning-domains.txt target/bench/tuning-corpus.tsv \
  target/bench/held-out-domains.txt target/bench/held-out-corpus.tsv "$@"
