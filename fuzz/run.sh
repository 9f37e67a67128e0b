#!/usr/bin/env bash
# Runs every fuzz target of a CG_FUZZ build (see fuzz/README.md):
#   1. regression: each committed input of fuzz/corpus/<target>/ once (-runs=0), so a crash that
#      was found and fixed stays fixed;
#   2. fuzzing for FUZZ_SECONDS seconds (-max_total_time), starting from the committed corpus;
#      new interesting inputs go to <build>/fuzz-corpus/<target>/ (kept between runs, never into
#      the source tree), crashes to <build>/fuzz-artifacts/<target>/.
# Prints one summary line per target and fails when any target crashed.
# Usage: fuzz/run.sh <build dir> [target...]     (default: every *_fuzz in <build>/fuzz)
# Environment: FUZZ_SECONDS (default 15), FUZZ_JOBS (targets run at once, default 2).
set -uo pipefail

build=${1:?usage: fuzz/run.sh <build dir> [target...]}
shift
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "$build" && pwd)
seconds=${FUZZ_SECONDS:-15}
jobs=${FUZZ_JOBS:-2}

targets=("$@")
if ((${#targets[@]} == 0)); then
  for bin in "$build"/fuzz/*_fuzz; do
    [ -x "$bin" ] && targets+=("$(basename "$bin" _fuzz)")
  done
fi
if ((${#targets[@]} == 0)); then
  echo "fuzz: no fuzz targets in $build/fuzz (build the 'fuzzers' target)" >&2
  exit 2
fi

# UB aborts (the build uses -fno-sanitize-recover); leaks are crashes too.
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}

# One target: writes <build>/fuzz-logs/<target>.{regress,fuzz}.log and a summary line.
run_one() {
  local t=$1 bin="$build/fuzz/${1}_fuzz"
  local seeds="$here/corpus/$t" work="$build/fuzz-corpus/$t" art="$build/fuzz-artifacts/$t/"
  local logs="$build/fuzz-logs"
  mkdir -p "$seeds" "$work" "$art" "$logs"
  local status=ok regress_rc fuzz_rc
  "$bin" -runs=0 -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$art" "$seeds" \
    >"$logs/$t.regress.log" 2>&1
  regress_rc=$?
  "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$art" "$work" "$seeds" >"$logs/$t.fuzz.log" 2>&1
  fuzz_rc=$?
  local runs corpus crashes
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$logs/$t.fuzz.log" | tail -1)
  corpus=$(($(find "$seeds" -type f | wc -l) + $(find "$work" -type f | wc -l)))
  crashes=$(find "$art" -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' \
    -o -name 'oom-*' -o -name 'slow-unit-*' \) -newer "$logs/$t.regress.log" | wc -l)
  if ((regress_rc != 0)); then
    status="FAILED (regression: a committed corpus input crashes, see $logs/$t.regress.log)"
  elif ((fuzz_rc != 0 || crashes > 0)); then
    status="FAILED (see $logs/$t.fuzz.log; input in $art)"
  fi
  printf '%-20s runs %9s  corpus %5s  crashes %s  %s\n' "$t" "${runs:-?}" "$corpus" \
    "$((crashes + (regress_rc != 0)))" "$status" >"$logs/$t.summary"
}

export -f run_one
export build here seconds
mkdir -p "$build/fuzz-logs"
rm -f "$build"/fuzz-logs/*.summary
echo "fuzz: ${#targets[@]} targets, ${seconds}s each, $jobs at a time"
printf '%s\n' "${targets[@]}" | xargs -P "$jobs" -I{} bash -c 'run_one "$@"' _ {}

failed=0
for t in "${targets[@]}"; do
  if [ -f "$build/fuzz-logs/$t.summary" ]; then
    cat "$build/fuzz-logs/$t.summary"
    grep -q FAILED "$build/fuzz-logs/$t.summary" && failed=1
  else
    echo "$t: no result"
    failed=1
  fi
done
if ((failed)); then
  echo "fuzz: FAILED. Reproduce with <build>/fuzz/<target>_fuzz <input>; once fixed, add the" \
    "input to fuzz/corpus/<target>/ (see fuzz/README.md)." >&2
  exit 1
fi
echo "fuzz: all targets passed"
