#!/bin/sh
# Runs every libFuzzer target in DIR for SECONDS each, starting from the checked-in corpus
# (copied, so the repository is not modified). Fails on any crash, sanitizer report, leak,
# timeout (a hang) or out-of-memory.
set -eu
dir=$1
seconds=$2
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/vigil-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
for fuzzer in "$dir"/*_fuzz; do
  name=$(basename "$fuzzer" _fuzz)
  mkdir -p "$work/$name"
  if [ -d "$repo/tests/fuzz/corpus/$name" ]; then
    cp "$repo/tests/fuzz/corpus/$name"/* "$work/$name/"
  fi
  echo "fuzz: $name for ${seconds}s"
  if ! "$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=0 \
      -artifact_prefix="$work/" "$work/$name" >"$work/$name.log" 2>&1; then
    tail -n 60 "$work/$name.log"
    echo "fuzz: $name FAILED; the input that failed is printed above" >&2
    exit 1
  fi
  grep -E '^Done [0-9]+ runs' "$work/$name.log" | sed "s/^/fuzz: $name: /" || true
done
