#!/usr/bin/env bash
# decode.sh X.pcap: tshark's view of a capture, next to it.
#   X.json         tshark -T json -J "udp l2tp" --no-duplicate-keys (skipped with NOJSON=1)
#   X.summary.txt  one line per L2TP message (summarize.py, from PDML: AVP order kept)
#   X.hex          one line per datagram: `#frame +time src:port>dst:port UDP-payload-hex`
# The captures use ports 17010-17019, which tshark decodes as L2TP only when told (-d).
set -euo pipefail
p=$1; b=${p%.pcap}; here=$(cd "$(dirname "$0")" && pwd)
D=()
for port in $(seq 17010 17019); do D+=(-d "udp.port==$port,l2tp"); done
if [ -z "${NOJSON:-}" ]; then
  tshark -r "$p" "${D[@]}" -T json -J "udp l2tp" --no-duplicate-keys 2>/dev/null >"$b.json"
fi
python3 "$here/summarize.py" "$p" >"$b.summary.txt"
tshark -r "$p" -T fields -e frame.number -e frame.time_relative -e ip.src -e udp.srcport \
  -e ip.dst -e udp.dstport -e udp.payload 2>/dev/null |
  awk -F'\t' '{gsub(":","",$7); printf "#%s +%.3f %s:%s>%s:%s %s\n",$1,$2,$3,$4,$5,$6,$7}' >"$b.hex"
