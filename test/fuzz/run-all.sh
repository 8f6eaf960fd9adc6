#!/usr/bin/env bash
# Run every fuzz target for SECONDS each (default 60); exit non-zero if any has a finding.
#   bash test/fuzz/run-all.sh 60
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
seconds="${1:-60}"
status=0
for target in parse-control parse-control-v3 parse-data parse-data-v3 parse-header unhide tunnel-fsm; do
  bash "$here/run.sh" "$target" "$seconds" || status=1
done
exit $status
