# backprop-lab. `make serve` and `make test` install what they need first (scripts/setup.sh).
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
# A recipe that fails part-way (e.g. the fused builds' cmp) leaves no target that looks done.
.DELETE_ON_ERROR:
# npm's binaryen wasm-opt comes first: Debian's binaryen 108 silently corrupts wasm-bindgen output.
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
# Each browser gets its driver by flag: with both CHROMEDRIVER and GECKODRIVER in the
# environment the test runner would use Firefox for both runs.
CHROMEDRIVER ?= /usr/bin/chromedriver
GECKODRIVER ?= $(HOME)/.cargo/bin/geckodriver
BROWSERS := --headless --chrome --chromedriver $(CHROMEDRIVER) --firefox --geckodriver $(GECKODRIVER)
export WASM_BINDGEN_TEST_WEBDRIVER_JSON ?= $(CURDIR)/tests/webdriver.json
# The browser tests need more than the runner's default 20 s in Firefox.
export WASM_BINDGEN_TEST_TIMEOUT ?= 120

PORT ?= 8000
# How often the browser benchmark runs each task (interleaved); its table shows medians.
BENCH_ROUNDS ?= 1
DATA := www/data/mnist-train-images.idx.gz www/data/mnist-train-labels.idx.gz \
        www/data/mnist-heldout-images.idx.gz www/data/mnist-heldout-labels.idx.gz
WASM := www/pkg/backprop_lab_bg.wasm
# The threaded build (www/pkg-threads): the same crate on nightly Rust, with std rebuilt for
# WebAssembly threads (atomics, a shared memory imported by every Web Worker of the pool).
WASM_THREADS := www/pkg-threads/backprop_lab_bg.wasm
THREADS_TARGET_DIR := $(or $(CARGO_TARGET_DIR),$(CURDIR)/target)/threads
# $(call threads-rustflags,EXTRA): EXTRA adds target features.
threads-rustflags = -C target-feature=+simd128,+atomics,+bulk-memory,+mutable-globals$(1) \
  -C link-arg=--shared-memory -C link-arg=--import-memory -C link-arg=--max-memory=1073741824 \
  -C link-arg=--export=__wasm_init_tls -C link-arg=--export=__tls_size \
  -C link-arg=--export=__tls_align -C link-arg=--export=__tls_base
# The fused-multiply-add builds (www/pkg-fma, www/pkg-threads-fma): the same two with relaxed
# SIMD, whose multiply-adds may fuse (the page's setting; off by default). Their JavaScript is
# their plain build's, which the page loads with them: the recipes check that it is the same
# and keep only the wasm.
FMA := ,+relaxed-simd
WASM_FMA := www/pkg-fma/backprop_lab_bg.wasm
WASM_THREADS_FMA := www/pkg-threads-fma/backprop_lab_bg.wasm
# The probes' module (www/pkg-probe, and www/pkg-probe-fma with fused multiply-adds), fetched
# when a reader first opens a probe. No threaded build: no probe uses the pool.
WASM_PROBE := www/pkg-probe/backprop_probe_bg.wasm
WASM_PROBE_FMA := www/pkg-probe-fma/backprop_probe_bg.wasm
RUST_SOURCES := $(shell find crates -name '*.rs' -o -name Cargo.toml) Cargo.toml Cargo.lock .cargo/config.toml

.PHONY: setup setup-test data build serve test lint test-native test-browser test-server test-unit test-types test-e2e fuzz models bench package clean

setup:
	scripts/setup.sh build

setup-test:
	scripts/setup.sh test

data: $(DATA)

$(DATA) &: scripts/build-data.mjs package-lock.json
	scripts/setup.sh build
	node scripts/build-data.mjs

build: $(WASM) $(WASM_THREADS) $(WASM_FMA) $(WASM_THREADS_FMA) $(WASM_PROBE) $(WASM_PROBE_FMA)

$(WASM): $(RUST_SOURCES)
	scripts/setup.sh build
	wasm-pack build --release --target web --no-pack crates/backprop-wasm \
	    --out-dir ../../www/pkg --out-name backprop_lab

$(WASM_THREADS): $(RUST_SOURCES)
	scripts/setup.sh build
	RUSTUP_TOOLCHAIN=nightly RUSTFLAGS="$(call threads-rustflags)" CARGO_TARGET_DIR="$(THREADS_TARGET_DIR)" \
	  wasm-pack build --release --target web --no-pack crates/backprop-wasm \
	    --out-dir ../../www/pkg-threads --out-name backprop_lab -- -Z build-std=panic_abort,std

$(WASM_FMA): $(RUST_SOURCES) $(WASM)
	RUSTFLAGS="-C target-feature=+simd128$(FMA)" CARGO_TARGET_DIR="$(or $(CARGO_TARGET_DIR),$(CURDIR)/target)/fma" \
	  wasm-pack build --release --target web --no-pack crates/backprop-wasm \
	    --out-dir ../../www/pkg-fma --out-name backprop_lab
	cmp www/pkg/backprop_lab.js www/pkg-fma/backprop_lab.js
	cd www/pkg-fma && rm backprop_lab.js backprop_lab.d.ts backprop_lab_bg.wasm.d.ts

$(WASM_THREADS_FMA): $(RUST_SOURCES) $(WASM_THREADS)
	RUSTUP_TOOLCHAIN=nightly RUSTFLAGS="$(call threads-rustflags,$(FMA))" CARGO_TARGET_DIR="$(THREADS_TARGET_DIR)-fma" \
	  wasm-pack build --release --target web --no-pack crates/backprop-wasm \
	    --out-dir ../../www/pkg-threads-fma --out-name backprop_lab -- -Z build-std=panic_abort,std
	cmp www/pkg-threads/backprop_lab.js www/pkg-threads-fma/backprop_lab.js
	cd www/pkg-threads-fma && rm backprop_lab.js backprop_lab.d.ts backprop_lab_bg.wasm.d.ts

$(WASM_PROBE): $(RUST_SOURCES)
	scripts/setup.sh build
	wasm-pack build --release --target web --no-pack crates/backprop-probe-wasm \
	    --out-dir ../../www/pkg-probe --out-name backprop_probe

$(WASM_PROBE_FMA): $(RUST_SOURCES) $(WASM_PROBE)
	RUSTFLAGS="-C target-feature=+simd128$(FMA)" CARGO_TARGET_DIR="$(or $(CARGO_TARGET_DIR),$(CURDIR)/target)/fma" \
	  wasm-pack build --release --target web --no-pack crates/backprop-probe-wasm \
	    --out-dir ../../www/pkg-probe-fma --out-name backprop_probe
	cmp www/pkg-probe/backprop_probe.js www/pkg-probe-fma/backprop_probe.js
	cd www/pkg-probe-fma && rm backprop_probe.js backprop_probe.d.ts backprop_probe_bg.wasm.d.ts

serve: setup data build
	node scripts/serve.mjs $(PORT)

test: setup-test data build lint test-native test-browser test-server test-unit test-types fuzz test-e2e

lint:
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy --workspace --all-targets --target wasm32-unknown-unknown -- -D warnings

# Tests that read data files are #[ignore]d (crates/backprop-cli/tests); they run here when
# their data is there, and data that is missing is reported, never counted as a pass.
MNIST_TEST_DIR ?= $(CURDIR)/../shared/data/mnist
FASHION_MNIST_DIR := /usr/share/datasets/fashion-mnist
export MNIST_TEST_DIR
with-data = if [ -e $(1) ]; then cargo test -p backprop-cli --test $(2) -- --include-ignored; \
	else echo "MISSING DATA: $(1) is not there, so the $(2) tests did not run"; fi

test-native: data
	cargo test -p backprop-kernels -p backprop-core -p backprop-probe -p backprop-formats -p backprop-cli
	cargo test -p backprop-cli --test shipped_models -- --include-ignored
	@$(call with-data,$(MNIST_TEST_DIR)/t10k-images-idx3-ubyte.gz,mnist_test_set)
	@$(call with-data,$(FASHION_MNIST_DIR)/train-images-idx3-ubyte.gz,fashion_mnist)

test-browser:
	wasm-pack test $(BROWSERS) crates/backprop-kernels
	wasm-pack test $(BROWSERS) crates/backprop-core
	wasm-pack test $(BROWSERS) crates/backprop-formats
	wasm-pack test $(BROWSERS) crates/backprop-wasm
	wasm-pack test $(BROWSERS) crates/backprop-probe-wasm

# The front end's session and engine in Node, with the real core (no browser).
test-unit: data build
	node --test tests/unit/

# The element's TypeScript types, as a TypeScript page and a JSX one use them.
test-types:
	scripts/setup.sh build
	tsc -p tests/types/tsconfig.json

# Bounded fuzzing of the IDX reader, the model loader and the settings parser.
FUZZ_SECONDS ?= 60
fuzz:
	scripts/fuzz.sh $(FUZZ_SECONDS)

# The dev server over raw sockets: malformed requests, traversal, slow and vanishing clients.
test-server:
	node --test tests/server.test.mjs

# The end-to-end page tests, once in each engine (tests/e2e/browsers.mjs): Chromium through
# playwright-core, Firefox through puppeteer-core over WebDriver BiDi.
E2E_BROWSERS ?= chromium firefox
test-e2e: data build
	for engine in $(E2E_BROWSERS); do \
	  echo "end-to-end tests in $$engine"; \
	  E2E_BROWSER=$$engine node --test tests/e2e/ || exit 1; \
	done

# The pretrained models in www/models, retrained from their plans (deterministic: the same
# code gives the same files; retrain after changing the kernels).
MODEL_PLANS := $(wildcard crates/backprop-cli/configs/*.json)
models: data
	mkdir -p www/models
	for plan in $(MODEL_PLANS); do \
	  cargo run --release -q -p backprop-cli -- train --config $$plan \
	    --out www/models/$$(basename $$plan) || exit 1; \
	done

# The npm-ready package of the <backprop-lab> element (element, playground, wasm, digits,
# models, types, README) in target/package; copy it into any static site.
package: data build
	node scripts/package.mjs target/package

bench: setup data build
	bench/setup.sh
	cargo bench -p backprop-core -p backprop-probe
	node bench/run.mjs --rounds $(BENCH_ROUNDS)

clean:
	cargo clean
	rm -rf www/pkg www/pkg-threads www/pkg-fma www/pkg-threads-fma www/pkg-probe www/pkg-probe-fma www/data
