#!/usr/bin/env bash
# Coverage-guided fuzzing of one target with jsfuzz, for a bounded time.
#   bash test/fuzz/run.sh TARGET [SECONDS]     (TARGET: parse-control, parse-control-v3, parse-data, parse-data-v3, parse-header, unhide, tunnel-fsm)
# Builds test/fuzz/TARGET.target.ts with esbuild into a temporary directory, seeds jsfuzz with
# test/fuzz/corpus/TARGET/ (read only: new inputs go to the temporary corpus; FUZZ_MERGE=1 copies
# them back), runs it under `timeout`, and prints executions per second.
# Exit status: 0 when the time ran out with no finding, 1 on a finding (the input is kept and
# printed), 2 on a usage or build error.
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
target="${1:-}"
seconds="${2:-60}"
if [ -z "$target" ] || [ ! -f "$root/test/fuzz/$target.target.ts" ]; then
  echo "usage: bash test/fuzz/run.sh TARGET [SECONDS]; targets: $(cd "$root/test/fuzz" && ls ./*.target.ts | sed 's|^\./||; s|\.target\.ts$||' | tr '\n' ' ')" >&2
  exit 2
fi
work="$(mktemp -d "${TMPDIR:-/tmp}/l2tp-fuzz-$target.XXXXXX")"
bash "$root/test/fuzz/build.sh" "$target" "$work/target.cjs" || exit 2
mkdir -p "$work/corpus" "$root/test/fuzz/corpus/$target"

# jsfuzz resolves the target against its working directory and writes coverage and crash files
# there: run it in the temporary directory. SIGINT makes its worker stop cleanly (exit 0); the
# status of `timeout` is then 124. A finding ends it early with status 1.
cd "$work"
timeout -s INT -k 30 "$seconds" node "$root/node_modules/jsfuzz/build/src/index.js" target.cjs corpus "$root/test/fuzz/corpus/$target" \
  --versifier=false --exact-artifact-path="$work/finding" >"$work/log" 2>&1
rc=$?

execs="$(grep -oE '^#[0-9]+' "$work/log" | tail -1 | tr -d '#')"
cov="$(grep -oE 'cov: [0-9]+' "$work/log" | tail -1 | cut -d' ' -f2)"
corp="$(grep -oE 'corp: [0-9]+' "$work/log" | tail -1 | cut -d' ' -f2)"
rate="$(awk -v e="${execs:-0}" -v s="$seconds" 'BEGIN { printf "%d", e / s }')"
if [ -f "$work/finding" ]; then
  echo "FINDING in $target after ${execs:-0} executions: input kept in $work/finding"
  echo "  hex: $(od -An -v -tx1 "$work/finding" | tr -d ' \n')"
  grep -A 30 '^=====' "$work/log" | head -40 | sed 's/^/  /'
  exit 1
fi
if [ "$rc" -ne 124 ] && [ "$rc" -ne 0 ]; then
  echo "$target: jsfuzz exited with status $rc"; tail -20 "$work/log" | sed 's/^/  /'
  echo "  (log kept in $work/log)"
  exit 1
fi
printf '%-14s %6d s %10d execs %8d exec/s  cov %6s  corpus %5s\n' "$target" "$seconds" "${execs:-0}" "$rate" "${cov:-?}" "${corp:-?}"
if [ "${FUZZ_MERGE:-0}" = 1 ]; then
  cp -n "$work/corpus/"* "$root/test/fuzz/corpus/$target/" 2>/dev/null || true
fi
rm -rf "$work"
