#!/usr/bin/env bash
# Benchmark smoke test: runs bench/run.sh with BENCH_QUICK=1 (about 45 s of load over all cases and
# targets, the 10-account pool included) and fails when any target fails to start (for the pool:
# when any of its accounts does not answer) or any request errors. Numbers from this run
# are rough and not meant to be compared. Reuses binaries from BENCH_BIN_DIR when set (e.g. the
# e2e/ASan or a Release build dir), else run.sh builds Release into build/release.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if BENCH_QUICK=1 bash "$ROOT/bench/run.sh" "$@"; then
  echo "bench smoke: 1 passed, 0 failed"
else
  echo "bench smoke: 0 passed, 1 failed"
  exit 1
fi
