#!/usr/bin/env bash
# tshark on lo for test/vectors/regen.sh.
#   capture.sh start OUT.pcap SECONDS PORT...   prints tshark's PID once it is capturing
#   capture.sh stop PID                         SIGINT, waits for the file to be closed
# The capture is bounded (-a duration) even if nobody stops it.
set -euo pipefail
case $1 in
start)
  out=$2 secs=$3; shift 3
  filter=""
  for p in "$@"; do filter="${filter:+$filter or }udp port $p"; done
  rm -f "$out"
  tshark -q -i lo -f "$filter" -a duration:"$secs" -w "$out" >/dev/null 2>"$out.tshark.log" &
  pid=$!
  for _ in $(seq 100); do
    if grep -q Capturing "$out.tshark.log" 2>/dev/null; then rm -f "$out.tshark.log"; echo $pid; exit 0; fi
    sleep 0.1
  done
  echo "capture.sh: tshark did not start (see $out.tshark.log)" >&2
  kill $pid 2>/dev/null || true
  exit 1
  ;;
stop)
  kill -INT "$2" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$2" 2>/dev/null || exit 0; sleep 0.1; done
  ;;
esac
