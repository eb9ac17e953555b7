#!/usr/bin/env bash
# The lookalike classifier's benchmark (README, "Lookalike benchmark"): dnstwist (PyPI) generates
# every permutation of every 20th domain of bench/top-domains.txt with all its fuzzers, the
# checkout words of bench/checkout-words.dict and the TLDs of bench/tlds.dict, offline (its
# Fuzzer class, as `--format list` does; the json format would look names up in DNS); the
# `lookalike_bench` example then reports recall on them and false positives pairwise across all
# of bench/top-domains.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=target/bench/venv
corpus=target/bench/corpus.tsv
if [ ! -x "$venv/bin/dnstwist" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet "dnstwist==20250130"
fi
awk 'NR % 20 == 1' bench/top-domains.txt >target/bench/targets.txt
"$venv/bin/python" - bench/checkout-words.dict bench/tlds.dict target/bench/targets.txt >"$corpus" <<'PY'
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
cargo run --release --quiet --example lookalike_bench -- "$corpus" bench/top-domains.txt
