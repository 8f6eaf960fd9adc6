#!/usr/bin/env python3
"""Send ONE well-formed SCCRQ to an xl2tpd LNS on 127.0.0.1:PORT and never ack: record when xl2tpd
retransmits its SCCRP and what it finally sends (test/vectors/retransmit.txt, made by
test/vectors/regen.sh retransmit).  usage: retransmit.py PORT [SECONDS]"""
import socket, struct, sys, time
port = int(sys.argv[1]); secs = float(sys.argv[2]) if len(sys.argv) > 2 else 45
def avp(t, v): return struct.pack('!HHH', 0x8000 | (6 + len(v)), 0, t) + v
body = (avp(0, b'\x00\x01') + avp(2, b'\x01\x00') + avp(3, b'\x00\x00\x00\x03') + avp(7, b'retx')
        + avp(9, struct.pack('!H', 7777)) + avp(10, b'\x00\x04'))
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(('127.0.0.1', 0)); s.settimeout(0.5)
t0 = time.time(); s.sendto(struct.pack('!HHHHHH', 0xC802, 12 + len(body), 0, 0, 0, 0) + body, ('127.0.0.1', port))
last = t0
while time.time() - t0 < secs:
    try: d, _ = s.recvfrom(4096)
    except socket.timeout: continue
    now = time.time()
    mt = struct.unpack('!H', d[18:20])[0] if len(d) > 12 else 0
    print(f'+{now - t0:7.3f}s (gap {now - last:6.3f}s) len={len(d)} msgtype={mt} ns={struct.unpack("!H", d[8:10])[0]} nr={struct.unpack("!H", d[10:12])[0]} hex={d.hex()}')
    last = now
