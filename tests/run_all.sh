#!/usr/bin/env bash
# Every test, in order: static checks, unit + doc tests (on the native backend, then again on
# the WebAssembly one), the notebooks through the real Deno kernel
# (the main job), and the end-to-end browser test. Every part runs even when an earlier one fails
# (one run shows all problems); the exit status is non-zero when any part failed. The closing lines
# add up the parts: a `deno test`-style line, then a plain `N passed, N failed` line.
# Run as `deno task test:all` (or `bash kernel/setup.sh test:all` on a fresh machine).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

logdir="$(mktemp -d)"
trap 'rm -rf "$logdir"' EXIT
total_passed=0
total_failed=0
summary=()
start_all=$SECONDS

# run_part NAME KIND CMD...   KIND=deno-test counts the tests in the runner's closing line;
# KIND=step counts the whole command as one test.
run_part() {
  local name="$1" kind="$2"
  shift 2
  local log="$logdir/${name//[^a-z0-9]/_}.log" t0=$SECONDS status passed=0 failed=0 line
  echo
  echo "==== $name: $* ===="
  "$@" 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  if [ "$kind" = deno-test ]; then
    # Deno's closing line: "ok | 12 passed (30 steps) | 0 failed (1s)" or "FAILED | 3 passed | 1 failed".
    line="$(sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '^(ok|FAILED) \| [0-9]+ passed' | tail -n 1)"
    if [ -n "$line" ]; then
      passed="$(sed -E 's/^[A-Z a-z]+\| ([0-9]+) passed.*/\1/' <<<"$line")"
      failed="$(sed -E 's/.*\| ([0-9]+) failed.*/\1/' <<<"$line")"
    fi
    # A runner that dies before its summary (type error, timeout) still counts as a failure.
    if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
  elif [ "$status" -eq 0 ]; then
    passed=1
  else
    failed=1
  fi
  total_passed=$((total_passed + passed))
  total_failed=$((total_failed + failed))
  local verdict=ok
  [ "$status" -eq 0 ] || verdict="FAILED (exit $status)"
  summary+=("$(printf '%-12s %-18s %4d passed %3d failed %5ds' "$name" "$verdict" "$passed" "$failed" $((SECONDS - t0)))")
}

run_part check step deno task check
run_part unit+doc deno-test deno test -A --doc lib/ kernel/ tests/
# The library's unit and doc tests again on the WebAssembly backend (the fallback when no BLAS
# loads); the kernel, the notebooks and the browser run once, on the default backend.
mapfile -t unit_tests < <(find tests -name '*_test.ts' -not -path 'tests/kernel/*' \
  -not -path 'tests/perf/*' -not -path 'tests/e2e/*' -not -path 'tests/bench/*' | sort)
run_part unit-wasm deno-test env MATCALC_BACKEND=wasm deno test -A --doc lib/ "${unit_tests[@]}"
run_part notebooks step deno task notebooks
# Each notebook again, twice in one kernel ("Run All" twice): re-running must not break it.
run_part rerun step deno task notebooks --rerun --out out/notebooks-rerun --no-html
# Bounded even if something inside hangs: the e2e test has its own deadlines, this is the backstop.
run_part e2e deno-test timeout -k 20 3000 deno test -A tests/e2e/e2e.ts

echo
echo "==== summary ===="
printf '%s\n' "${summary[@]}"
elapsed=$((SECONDS - start_all))
verdict=ok
[ "$total_failed" -eq 0 ] || verdict=FAILED
echo
echo "$verdict | $total_passed passed | $total_failed failed ($((elapsed / 60))m$((elapsed % 60))s)"
echo "total: $total_passed passed, $total_failed failed"
[ "$total_failed" -eq 0 ]
