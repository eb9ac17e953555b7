# checkout-verify — the commands in the README. Each installs what it needs first
# (scripts/bootstrap.sh: only what is missing, quietly when everything is there).
PORT ?= 8080
# The reference server of make dev, where Trunk.toml's proxies send /api and /dev (change both).
DEV_API_PORT ?= 8081
# The redis-server of make demo-redis.
REDIS_PORT ?= 6390
# npm's binaryen first (Debian's wasm-opt 108 breaks the build), then cargo-installed tools.
CARGO_HOME ?= $(HOME)/.cargo
export PATH := $(CURDIR)/tools/node_modules/.bin:$(CARGO_HOME)/bin:$(PATH)

SERVER := target/server/checkout-verify-server
# wasm-opt's flags for the package: size first, and the features every supported browser has.
# Flattening and re-looping the control flow before a last -Oz finds 0.7 KiB gzip more.
WASM_FEATURES := --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue
WASM_OPT := -Oz --converge --flatten --rereloop -Oz $(WASM_FEATURES)
# The package's wasm stack, sized on purpose: Rust's default for wasm32 is 1 MiB, most of the
# widget's memory. The deepest input the parsers allow uses 13 KiB in the release build
# (e2e/tests/stack.test.mjs measures it and fails above half of this); 64 KiB leaves the margin.
# Debug builds (the browser tests) need far more and keep the default. A smaller stack also
# shortens the wasm's address constants: 1.0 KiB gzip less.
WASM_RUSTFLAGS := -C link-arg=-zstack-size=65536
# Dev mode, with budgets for one developer's (or one test suite's) many tries from one address.
DEMO_FLAGS := --dev --store-name 'Demo Store' --client-sends-per-hour 36000 --max-failures 60 --starts-per-destination-hour 600

.PHONY: dev demo demo-redis bench-server bench-widget test lint test-native test-browser test-e2e package site server doctor screenshot bench help fuzz size

## demo: build the demo page and serve it with the reference backend on 127.0.0.1:$(PORT)
demo: site server
	@echo "Open http://127.0.0.1:$(PORT)/ — codes are printed below as the server 'sends' them."
	exec $(SERVER) $(DEMO_FLAGS) --port $(PORT) --site dist

## dev: the contributor's loop: trunk serve on the demo page on 127.0.0.1:$(PORT), rebuilding the
##   widget from src/ and reloading the page on a change in src/, style/ or index.html (Trunk.toml);
##   /api and /dev go to a reference server on 127.0.0.1:$(DEV_API_PORT), started and stopped with it
# (Trunk reads NO_COLOR as true or false only: the common NO_COLOR=1 would stop it.)
dev: server
	@scripts/bootstrap.sh dev
	@$(SERVER) $(DEMO_FLAGS) --port $(DEV_API_PORT) --allow-origin http://127.0.0.1:$(PORT) --allow-origin http://localhost:$(PORT) & \
	server=$$!; trap 'kill $$server 2>/dev/null; wait $$server' EXIT; trap 'exit 130' INT TERM; \
	$${NO_COLOR:+env NO_COLOR=true} trunk serve --port $(PORT)

## demo-redis: like demo, with the Redis store, in a throwaway redis-server (no persistence) on
##   127.0.0.1:$(REDIS_PORT), stopped when the server stops
demo-redis: site server
	@scripts/bootstrap.sh redis
	@redis-server --bind 127.0.0.1 --port $(REDIS_PORT) --save '' --appendonly no >/dev/null & \
	redis=$$!; trap 'kill $$redis 2>/dev/null; wait $$redis' EXIT; trap 'exit 130' INT TERM; \
	until timeout 1 redis-cli -p $(REDIS_PORT) info server 2>/dev/null | tr -d '\r' | grep -qx "process_id:$$redis"; do \
	  kill -0 $$redis 2>/dev/null || { echo "redis-server did not start on 127.0.0.1:$(REDIS_PORT): port taken? (REDIS_PORT=N make demo-redis)" >&2; exit 1; }; \
	  sleep 0.05; \
	done; \
	echo "Open http://127.0.0.1:$(PORT)/ — records live in redis-server on 127.0.0.1:$(REDIS_PORT)."; \
	$(SERVER) $(DEMO_FLAGS) --port $(PORT) --site dist --store redis://127.0.0.1:$(REDIS_PORT)

## test: every test — lint, native (core + server), browser (wasm-pack), package budget, end to end
test: lint test-native test-browser package test-e2e

## lint: cargo fmt --check, and clippy -D warnings for the native and the wasm32 target (widget and doctor)
lint:
	@scripts/bootstrap.sh build
	cargo fmt --all --check
	cargo clippy --workspace --all-targets --quiet -- -D warnings
	cargo clippy -p checkout-verify --all-targets --target wasm32-unknown-unknown --quiet -- -D warnings
	cargo clippy -p checkout-verify --lib --target wasm32-unknown-unknown --features doctor --quiet -- -D warnings

## test-native: cargo test for the core and the reference server
test-native:
	@scripts/bootstrap.sh native
	cargo test --workspace

## test-browser: the browser tests (tests/web/) in headless Chromium via wasm-pack
test-browser:
	@scripts/bootstrap.sh test
	wasm-pack test --headless --chrome --mode no-install

## test-e2e: the end-to-end tests (e2e/) driving the demo page against the real server
test-e2e: site server package
	@scripts/bootstrap.sh test
	cd e2e && npm test

## package: the npm package in pkg/ (wasm + JS + TypeScript), with its transfer size vs the budget
package:
	@scripts/bootstrap.sh build
	CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="$(WASM_RUSTFLAGS)" cargo build --quiet --release --target wasm32-unknown-unknown --lib
	wasm-bindgen --target web --out-dir pkg target/wasm32-unknown-unknown/release/checkout_verify.wasm
	wasm-opt $(WASM_OPT) pkg/checkout_verify_bg.wasm -o pkg/checkout_verify_bg.wasm
	@# One minified ES module: the entry (js/index.js: init once, the custom element) with the glue
	@# and its inline snippets bundled in (the wasm stays a file).
	esbuild js/index.js --bundle --minify --format=esm --log-level=warning --allow-overwrite --outfile=pkg/checkout_verify.js
	rm -rf pkg/snippets pkg/checkout_verify_bg.wasm.d.ts
	@# The doctor (npx checkout-verify-doctor): the same core without the browser shell, for Node;
	@# never downloaded by a shopper.
	CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="$(WASM_RUSTFLAGS)" cargo build --quiet --release --target wasm32-unknown-unknown --lib --features doctor
	wasm-bindgen --target web --out-dir pkg/doctor target/wasm32-unknown-unknown/release/checkout_verify.wasm
	wasm-opt -O $(WASM_FEATURES) pkg/doctor/checkout_verify_bg.wasm -o pkg/doctor/checkout_verify_bg.wasm
	rm -f pkg/doctor/*.d.ts
	@# The languages but English, one catalog file each (locales/<lang>.js).
	rm -rf pkg/locales && node scripts/catalogs.mjs pkg/locales
	@# The package's own package.json, hand-written types and registry README, and the doctor's CLI (js/).
	cp js/package.json js/checkout_verify.d.ts js/react.d.ts js/README.md js/doctor.mjs pkg/
	@scripts/package-size.sh

## site: the demo checkout page (index.html) and the package it loads, in dist/
site: package
	rm -rf dist && mkdir -p dist
	cp -r index.html pkg/checkout_verify.js pkg/checkout_verify_bg.wasm pkg/locales dist/

## doctor: the backend doctor from the package, on your backend (ARGS="--config FILE --destination X
##   [--origin ORIGIN] [--code-from CMD]"; the same as npx checkout-verify-doctor)
doctor: package
	node pkg/doctor.mjs $(ARGS)

## server: the reference backend, target/server/checkout-verify-server (built for speed: Cargo.toml)
server:
	cargo build --profile server --quiet -p checkout-verify-server

## bench: the lookalike classifier's recall on dnstwist's permutations and its false positives
##   across real domains (scripts/lookalike-bench.sh; installs dnstwist from PyPI into target/bench)
bench:
	scripts/lookalike-bench.sh

## bench-server: load figures of the reference server (memory store and Redis) as ratios to an
##   axum hello-world route, and its resident memory after 100,000 pending verifications
##   (server/examples/load.rs; DURATION=10 CONCURRENCY=32 by default)
bench-server: server
	@scripts/bootstrap.sh redis
	cargo build --profile server --quiet -p checkout-verify-server --examples
	target/server/examples/load $(SERVER) target/server/examples/hello $$(command -v redis-server)

## bench-widget: <checkout-verify> against the same step in React 19 + input-otp (bench/react-input-otp):
##   transfer before the field is ready, time to ready, keystroke to painted digit, memory after a
##   verification, long tasks; CPU throttled 4x and not (bench/widget.mjs; N=20 loads and
##   KEYSTROKES=200 per page and condition by default; writes bench/results.json)
bench-widget: package server
	@scripts/bootstrap.sh test
	node bench/widget.mjs

## size: where the package wasm's bytes go, gzip per crate and per core module (a build with its
##   name section kept, target/size/named.wasm; ROOM="checkout_verify::web" lists that room's largest
##   functions)
size:
	@scripts/bootstrap.sh build
	CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="$(WASM_RUSTFLAGS)" cargo build --quiet --release --target wasm32-unknown-unknown --lib
	mkdir -p target/size
	wasm-bindgen --target web --out-dir target/size target/wasm32-unknown-unknown/release/checkout_verify.wasm
	wasm-opt $(WASM_OPT) -g target/size/checkout_verify_bg.wasm -o target/size/named.wasm
	node scripts/size.mjs target/size/named.wasm 25 $(ROOM)

## fuzz: one million generated inputs into each hand-written parser (JSON, config, pasted text, Retry-After): no panic, none slower than 1 ms
fuzz:
	FUZZ_CASES=1000000 FUZZ_REPORT=1 cargo test --release --test fuzz_parsers -- --nocapture --test-threads=1

## help: this list
help:
	@awk '/^## / { sub(/^## /, ""); print }' $(MAKEFILE_LIST)

## screenshot: docs/screenshot.png (the demo), docs/code-complete.png (a complete code, focused, at 320 px)
##   and docs/blocked.png (a copy, blocked), taken with headless Chromium
screenshot: site server
	@scripts/bootstrap.sh test
	cd e2e && node screenshot.mjs ../docs
