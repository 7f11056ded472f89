#!/usr/bin/env bash
# Installs the browser benchmark's competitors (bench/package-lock.json) into bench/node_modules,
# only when they are missing. Safe to run again and again.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
for pkg in @jax-js/jax @tensorflow/tfjs @tensorflow/tfjs-backend-wasm convnetjs; do
  if [ ! -f "$here/node_modules/$pkg/package.json" ]; then
    printf '\033[1mbench setup:\033[0m installing jax-js, TensorFlow.js and ConvNetJS\n'
    (cd "$here" && npm ci --no-audit --no-fund)
    break
  fi
done
