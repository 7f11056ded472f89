#!/usr/bin/env bash
# Bounded libFuzzer runs over the parsers of untrusted input (fuzz/fuzz_targets), starting
# from the committed seeds in fuzz/seeds. Prints the executions per target; a crash fails the
# run and leaves its input in fuzz/artifacts/<target>/.
#   scripts/fuzz.sh [seconds per target]
set -euo pipefail
seconds="${1:-60}"
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
if ! rustup toolchain list | grep -q '^nightly'; then
  echo "fuzz: SKIPPED: cargo-fuzz needs a nightly Rust toolchain and this machine has none"
  exit 0
fi
cargo +nightly fuzz build -O >/dev/null 2>&1 || cargo +nightly fuzz build -O
total=0
for target in checkpoint idx model_json settings; do
  corpus="target/fuzz-corpus/$target"
  mkdir -p "$corpus"
  log="target/fuzz-$target.log"
  if ! cargo +nightly fuzz run -O "$target" "$corpus" "fuzz/seeds/$target" -- \
      -max_total_time="$seconds" -rss_limit_mb=2048 -print_final_stats=1 >"$log" 2>&1; then
    tail -40 "$log"
    echo "fuzz: $target FAILED; the input is in fuzz/artifacts/$target/"
    exit 1
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  total=$((total + runs))
  echo "fuzz: $target: $runs executions in ${seconds} s, no crash"
done
echo "fuzz: $total executions in all, no crash"
