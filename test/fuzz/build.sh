#!/usr/bin/env bash
# Bundle one fuzz target (test/fuzz/TARGET.target.ts) into a CommonJS file jsfuzz can load.
# Usage: bash test/fuzz/build.sh TARGET OUTFILE
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
target="$1"
out="$2"
src="$root/test/fuzz/$target.target.ts"
[ -f "$src" ] || { echo "no fuzz target $src" >&2; exit 2; }
"$root/node_modules/.bin/esbuild" "$src" --bundle --platform=node --format=cjs --log-level=warning --outfile="$out"
