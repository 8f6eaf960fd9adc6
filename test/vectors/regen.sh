#!/usr/bin/env bash
# Regenerate the captures in test/vectors/ from real peers: xl2tpd (Debian 12: 1.3.18) on
# 127.0.0.1, captured on lo and decoded by tshark (4.0.17). Root (tshark -i lo, and `unshare -m`
# + a bind mount for the data capture). Loopback only, UDP ports 17010-17019.
#
#   bash test/vectors/regen.sh [--out DIR] [NAME...]     NAME: plain auth hidden hello data hostile retransmit
#                                                       (default: all, ~4 min; hello alone is ~80 s)
#
# Writes per NAME: NAME.pcap (pcapng), NAME.json (not hostile), NAME.summary.txt, NAME.hex,
# NAME.*.log (xl2tpd's own debug logs); hostile.txt and retransmit.txt are the transcripts of the
# scripts that drove xl2tpd. See README.md for what each capture holds.
#
# Tunnel and session IDs, challenges and timings are random per run, and the tests pin values of
# the committed captures (e.g. test/wire/data.test.ts names tunnel 0x1d64): so regenerate into
# another directory (--out) to review or compare, and only replace the committed files together
# with the tests that quote them.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tools=$here/tools
out=$here
names=()
while [ $# -gt 0 ]; do
  case $1 in
    --out) out=$2; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) names+=("$1"); shift ;;
  esac
done
[ ${#names[@]} -gt 0 ] || names=(plain auth hidden hello data hostile retransmit)
mkdir -p "$out"; out=$(cd "$out" && pwd)
for t in xl2tpd tshark python3 ss unshare; do
  command -v $t >/dev/null || { echo "regen.sh: $t is missing (apt-get install xl2tpd tshark)" >&2; exit 1; }
done
export PEERS_DIR=${TMPDIR:-/tmp}/l2tp-wire-vectors.$$
mkdir -p "$PEERS_DIR"
trap 'rm -rf "$PEERS_DIR"' EXIT
P=$tools/peer.sh

# Two xl2tpd (LNS + autodialling LAC); pppd cannot run here (no /dev/ppp), so xl2tpd sends a
# CDN (result 1) right after ICCN and the tunnel stays up; then SIGINT one side: StopCCN.
scenario() {
  local name=$1 L C idle stop dur opts=()
  case $name in
    plain)  L=17010 C=17011 idle=3  stop=lac dur=12 ;;
    auth)   L=17014 C=17015 idle=3  stop=lac dur=12 opts=(auth) ;;
    hidden) L=17016 C=17017 idle=3  stop=lac dur=12 opts=(auth hidden) ;;
    hello)  L=17012 C=17013 idle=66 stop=lns dur=80 ;;  # xl2tpd's HELLO is hard-wired at 60 s
  esac
  local cap; cap=$("$tools/capture.sh" start "$out/$name.pcap" $dur $L $C)
  "$P" start lns lns-$name $L "${opts[@]}"
  "$P" start lac lac-$name $C $L "${opts[@]}"
  sleep $idle
  # SIGINT, not SIGTERM: only then does xl2tpd (userspace build) send a StopCCN.
  "$P" int $stop-$name
  sleep 2
  "$P" stop lns-$name; "$P" stop lac-$name
  "$tools/capture.sh" stop "$cap"
  cp "$PEERS_DIR/lns-$name/log" "$out/$name.lns.log"; cp "$PEERS_DIR/lac-$name/log" "$out/$name.lac.log"
  "$tools/decode.sh" "$out/$name.pcap"
}

# As plain, but inside a private mount namespace where test/interop/fake-pppd.py is bind-mounted
# over /usr/sbin/pppd (the host's pppd is untouched; the network namespace is the host's): each
# side's "pppd" writes one LCP Configure-Request, which xl2tpd carries as a DATA message.
data() {
  local fake; fake=$(cd "$here/../interop" && pwd)/fake-pppd.py
  local cap; cap=$("$tools/capture.sh" start "$out/data.pcap" 20 17010 17011)
  unshare -m --propagation private bash -c "
    set -e
    mount --bind '$fake' /usr/sbin/pppd
    '$P' start lns lns-data 17010 fakeppp
    '$P' start lac lac-data 17011 17010 fakeppp
    sleep 3
    '$P' int lac-data; sleep 2
    '$P' stop lns-data; '$P' stop lac-data
  "
  "$tools/capture.sh" stop "$cap"
  cp "$PEERS_DIR/lns-data/log" "$out/data.lns.log"; cp "$PEERS_DIR/lac-data/log" "$out/data.lac.log"
  "$tools/decode.sh" "$out/data.pcap"
}

# Odd and hostile packets to a plain LNS (17018) and a `challenge = yes` LNS (17019).
hostile() {
  local cap; cap=$("$tools/capture.sh" start "$out/hostile.pcap" 90 17018 17019)
  "$P" start lns lns-plain 17018
  "$P" start lns lns-auth 17019 auth
  python3 "$tools/hostile.py" 17018 17019 l2tp-wire-test-secret "$PEERS_DIR/lns-plain" "$PEERS_DIR/lns-auth" >"$out/hostile.txt"
  sleep 1
  for n in lns-plain lns-auth; do
    if kill -0 "$(cat "$PEERS_DIR/$n/pid.shell")" 2>/dev/null; then echo "$n still alive"; else echo "$n DIED"; fi
  done >>"$out/hostile.txt"
  "$P" stop lns-plain; "$P" stop lns-auth
  "$tools/capture.sh" stop "$cap"
  cp "$PEERS_DIR/lns-plain/log" "$out/hostile.lns-plain.log"; cp "$PEERS_DIR/lns-auth/log" "$out/hostile.lns-auth.log"
  NOJSON=1 "$tools/decode.sh" "$out/hostile.pcap"   # the JSON would be ~1 MB
}

# One SCCRQ to an LNS, never acknowledged: xl2tpd's retransmission schedule and its give-up StopCCN.
retransmit() {
  local cap; cap=$("$tools/capture.sh" start "$out/retransmit.pcap" 60 17010)
  "$P" start lns lns-retx 17010
  python3 "$tools/retransmit.py" 17010 45 >"$out/retransmit.txt"
  "$P" stop lns-retx
  "$tools/capture.sh" stop "$cap"
  cp "$PEERS_DIR/lns-retx/log" "$out/retransmit.lns.log"
  "$tools/decode.sh" "$out/retransmit.pcap"
}

# hello takes ~80 s on its own ports: run it beside the others.
hello_pid=""
for n in "${names[@]}"; do
  if [ "$n" = hello ] && [ ${#names[@]} -gt 1 ]; then
    scenario hello >"$PEERS_DIR/hello.out" 2>&1 &
    hello_pid=$!
  fi
done
for n in "${names[@]}"; do
  echo "regen.sh: $n" >&2
  case $n in
    plain|auth|hidden) scenario "$n" ;;
    hello) [ -n "$hello_pid" ] || scenario hello ;;
    data) data ;;
    hostile) hostile ;;
    retransmit) retransmit ;;   # port 17010 like plain and data: runs after them, in order
    *) echo "regen.sh: unknown capture $n" >&2; exit 2 ;;
  esac
done
if [ -n "$hello_pid" ]; then
  wait "$hello_pid" || { cat "$PEERS_DIR/hello.out" >&2; exit 1; }
fi
echo "regen.sh: wrote ${names[*]} to $out" >&2
