#!/usr/bin/env bash
# Installs what checkout-verify needs, and only what is missing, so a fresh machine works and a
# prepared one stays fast and quiet. Usage: scripts/bootstrap.sh [build|dev|redis|native|test]...
#   build    wasm32 target, wasm-bindgen CLI, npm build tools (make demo, make package): the one
#            tool compiled from crates.io, so a newcomer's first `make demo` compiles only it
#   dev      wasm32 target, wasm-bindgen CLI and trunk (make dev: trunk serve, live reload)
#   redis    Debian's redis-server, for the Redis store's tests and make demo-redis
#   native   redis-server, aiosmtpd and moto's server (PyPI, in target/smtp and target/moto):
#            the real receivers of the server's gateway tests
#   test     all of the above, wasm-pack (the browser tests' runner), Chromium + ChromeDriver,
#            Debian's nginx (a real reverse proxy),
#            the e2e npm packages and the Firebase Auth Emulator (npm firebase-tools, a real
#            third-party backend) (make test)
# The npm build tools (tools/package.json) are binaryen's wasm-opt, esbuild and TypeScript; the
# Makefile puts tools/node_modules/.bin first on PATH so wasm-pack uses that wasm-opt.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

WASM_PACK_VERSION=0.15.1
# Trunk.toml asks for ^0.21.
TRUNK_VERSION=0.21.14
# The CLI must equal the wasm-bindgen crate in Cargo.lock exactly (pinned with = in Cargo.toml).
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)

say() { echo "bootstrap: $*" >&2; }

apt_updated=
apt_install() {
  local sudo=
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  if [ -z "$apt_updated" ]; then
    $sudo apt-get update -qq
    apt_updated=1
  fi
  say "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# cargo_tool BINARY "VERSION-AS-PRINTED" cargo-install-args...
cargo_tool() {
  local binary=$1 want=$2
  shift 2
  if command -v "$binary" >/dev/null && "$binary" --version 2>/dev/null | grep -qF " $want"; then
    return
  fi
  say "cargo install $* (a few minutes, once)"
  # A tool's compile time matters here, not its last percent of speed: no fat LTO, parallel
  # codegen (trunk's own release profile alone takes over ten minutes on two cores).
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    cargo install --quiet --force "$@"
}

wasm_target() {
  rustup target list --installed | grep -qx wasm32-unknown-unknown ||
    { say "rustup target add wasm32-unknown-unknown"; rustup target add wasm32-unknown-unknown; }
}
wasm_bindgen() { cargo_tool wasm-bindgen "$WASM_BINDGEN_VERSION" wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"; }
trunk_cli() { cargo_tool trunk "$TRUNK_VERSION" trunk --version "$TRUNK_VERSION" --locked; }
wasm_pack() { cargo_tool wasm-pack "$WASM_PACK_VERSION" wasm-pack --version "$WASM_PACK_VERSION"; }
browser() {
  local missing=()
  command -v chromium >/dev/null || missing+=(chromium)
  command -v chromedriver >/dev/null || missing+=(chromium-driver)
  [ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
}
# The server's store tests start their own redis-server (a real one: the Redis store's atomicity
# lives in its Lua script, which no fake would check).
redis_server() { command -v redis-server >/dev/null || apt_install redis-server; }
# pip_tool DIR BINARY REQUIREMENT: a PyPI tool in its own venv under target/DIR.
pip_tool() {
  [ -x "target/$1/bin/$2" ] && return
  python3 -c 'import ensurepip, venv' 2>/dev/null || apt_install python3-venv
  say "pip install $3 (target/$1)"
  python3 -m venv "target/$1"
  "target/$1/bin/pip" install --quiet --disable-pip-version-check "$3"
}
# A real SMTP server for the e-mail gateway's tests, and moto's server standing in for AWS SNS.
smtp_server() { pip_tool smtp aiosmtpd "aiosmtpd==1.4.6"; }
moto_server() { pip_tool moto moto_server "moto[server]==5.1.18"; }
# A real reverse proxy for the trusted-proxy test: Debian's nginx, never started as a service
# (the test runs its own on loopback), so the package may not start one on port 80.
nginx_proxy() {
  [ -x /usr/sbin/nginx ] && return
  local sudo=
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  if [ -e /usr/sbin/policy-rc.d ]; then
    apt_install nginx
  else
    printf '#!/bin/sh\nexit 101\n' | $sudo tee /usr/sbin/policy-rc.d >/dev/null
    $sudo chmod +x /usr/sbin/policy-rc.d
    apt_install nginx
    $sudo rm -f /usr/sbin/policy-rc.d
  fi
}
# npm_packages DIR: `npm ci` in DIR, only when its lockfile changed since the last install.
npm_packages() {
  command -v npm >/dev/null || apt_install nodejs npm
  if ! cmp -s "$1/package-lock.json" "$1/node_modules/.installed-lock" 2>/dev/null; then
    say "npm ci ($1)"
    (cd "$1" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    cp "$1/package-lock.json" "$1/node_modules/.installed-lock"
  fi
}

for need in "${@:-test}"; do
  case "$need" in
    build | package) wasm_target; wasm_bindgen; npm_packages tools ;;
    dev) wasm_target; wasm_bindgen; trunk_cli ;;
    redis) redis_server ;;
    native) redis_server; smtp_server; moto_server ;;
    test) wasm_target; wasm_bindgen; wasm_pack; trunk_cli; npm_packages tools; browser; redis_server; smtp_server; moto_server; nginx_proxy; npm_packages e2e; npm_packages e2e/firebase ;;
    *) say "unknown need '$need' (build, dev, redis, native or test)"; exit 2 ;;
  esac
done
