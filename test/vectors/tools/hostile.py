#!/usr/bin/env python3
"""Send odd/hostile L2TPv2 control packets to a real xl2tpd LNS on 127.0.0.1 and record its answers
(test/vectors/hostile.txt, made by test/vectors/regen.sh hostile; loaded by test/support/vectors.ts).

usage: hostile.py PLAIN_LNS_PORT AUTH_LNS_PORT SECRET [LOGDIR_PLAIN LOGDIR_AUTH]
Each case uses its own UDP socket (own source port) so xl2tpd sees a new peer. After a case that
got an SCCRP, we ack it (ZLB) and close the tunnel with StopCCN so nothing lingers.
Prints one block per case: what was sent, every datagram received within the wait, decoded briefly.
Loopback only: the destination is hard-wired to 127.0.0.1.
The output format is what test/support/vectors.ts parses: `== title  (to ... from ...)`, then
`>> ... hex=` (sent), `<< ... hex=` (received) and `log:` lines (xl2tpd's log for the case).
"""
import hashlib, os, socket, struct, sys, time

HOST = '127.0.0.1'
PLAIN, AUTH, SECRET = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3].encode()
LOGS = sys.argv[4:6]

def avp(t, val, m=True, h=False, vendor=0, extra_flags=0, length=None):
    ln = 6 + len(val) if length is None else length
    return struct.pack('!HHH', (0x8000 if m else 0) | (0x4000 if h else 0) | extra_flags | ln, vendor, t) + val

def u16(v): return struct.pack('!H', v)
def u32(v): return struct.pack('!I', v)

def ctrl(tid, sid, ns, nr, body, ver=2, flags=0xC800):
    return struct.pack('!HHHHHH', flags | ver, 12 + len(body), tid, sid, ns, nr) + body

def hide(attr, value, secret, rv, pad=b''):
    """RFC 2661 4.3: hidden value = XOR(orig_len(2) | value | pad, MD5 chain)."""
    sub = u16(len(value)) + value + pad
    out, prev = b'', u16(attr) + secret + rv
    for i in range(0, len(sub), 16):
        b = hashlib.md5(prev).digest()
        chunk = sub[i:i + 16]
        c = bytes(x ^ y for x, y in zip(chunk, b))
        out += c
        prev = secret + c
    return out

TID = [5000]
def sccrq_avps(tid=None, host=b'hostile', pv=b'\x01\x00', skip=()):
    # a fresh Assigned Tunnel ID per case: xl2tpd ignores an SCCRQ whose (peer address, assigned
    # tunnel id) matches a tunnel it still holds, even one that is closing ("requested tunnel twice")
    if tid is None: TID[0] += 1; tid = TID[0]
    a = [avp(0, u16(1))]
    if 2 not in skip: a.append(avp(2, pv))
    if 3 not in skip: a.append(avp(3, u32(3)))
    if 7 not in skip: a.append(avp(7, host))
    if 9 not in skip: a.append(avp(9, u16(tid)))
    a.append(avp(10, u16(4)))
    return a

MT = {0: 'ZLB', 1: 'SCCRQ', 2: 'SCCRP', 3: 'SCCCN', 4: 'StopCCN', 6: 'HELLO', 10: 'ICRQ', 11: 'ICRP', 12: 'ICCN', 14: 'CDN'}

def decode(b):
    fl, = struct.unpack('!H', b[:2])
    if not fl & 0x8000:
        return f'DATA {b.hex()}'
    ln, tid, sid, ns, nr = struct.unpack('!HHHHH', b[2:12])
    i, avps, mt = 12, [], 0
    while i + 6 <= min(ln, len(b)):
        h, v, t = struct.unpack('!HHH', b[i:i + 6]); L = h & 0x3FF
        val = b[i + 6:i + L]
        if t == 0 and v == 0: mt = struct.unpack('!H', val)[0]
        s = f'{t}{"M" if h & 0x8000 else ""}{"H" if h & 0x4000 else ""}/{L}'
        if h & 0x4000: s += f'(hidden={val.hex()})'
        elif t == 1 and v == 0:
            r, = struct.unpack('!H', val[:2]); e = struct.unpack('!H', val[2:4])[0] if L >= 10 else None
            s += f'(result={r},error={e},msg={val[4:].decode("ascii", errors="backslashreplace")!r})'
        elif t == 9: s += f'(tid={struct.unpack("!H", val)[0]})'
        elif t == 13: s += f'(resp={val.hex()})'
        elif t == 7: s += f'({val.decode("ascii", errors="backslashreplace")})'
        avps.append(s); i += max(L, 6)
    return f'{MT.get(mt, mt) if avps else "ZLB"} tid={tid} sid={sid} ns={ns} nr={nr} len={ln} avps=[{" ".join(avps)}]'

def logpos():
    return [os.path.getsize(d + '/log') for d in LOGS]

def newlog(pos):
    out = []
    for d, p in zip(LOGS, pos):
        with open(d + '/log', 'rb') as f:
            f.seek(p); out += [l.decode(errors='replace').rstrip() for l in f if b'warning' in l.lower() or b'closing' in l.lower() or b'error' in l.lower() or b'Unable' in l or b'No handler' in l or b'know how' in l or b'not' in l]
    return out

def run(name, port, pkts, wait=1.5, challenge=None):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind((HOST, 0)); s.settimeout(0.2)
    pos = logpos() if LOGS else None
    print(f'== {name}  (to {HOST}:{port} from :{s.getsockname()[1]})')
    for p in pkts:
        print(f'   >> {decode(p) if len(p) >= 12 else "short"}  hex={p.hex()}')
        s.sendto(p, (HOST, port))
    got, end = [], time.time() + wait
    while time.time() < end:
        try: d, _ = s.recvfrom(4096)
        except socket.timeout: continue
        got.append(d); print(f'   << {decode(d)}  hex={d.hex()}')
    if not got: print('   << (silence)')
    # tidy: ack and close any tunnel it opened
    for d in got:
        if len(d) > 20 and struct.unpack('!H', d[18:20])[0] == 2:
            ns, nr = struct.unpack('!HH', d[8:12]); their = None
            i = 12
            while i < len(d):
                h, v, t = struct.unpack('!HHH', d[i:i+6]); L = h & 0x3FF
                if t == 9: their = struct.unpack('!H', d[i+6:i+8])[0]
                if t == 11 and challenge is None: pass
                i += L
            if their:
                stop = ctrl(their, 0, pkts_ns(pkts), ns + 1, b''.join([avp(0, u16(4)), avp(9, u16(TID[0])), avp(1, u16(1) + u16(0))]))
                s.sendto(stop, (HOST, port)); time.sleep(0.3)
            break
    if LOGS:
        for l in newlog(pos): print(f'   log: {l}')
    s.close()
    return got

def nexttid():
    TID[0] += 1; return TID[0]

def pkts_ns(pkts): return len([p for p in pkts if len(p) > 12])

def sccrq(avps, **kw): return ctrl(0, 0, 0, 0, b''.join(avps), **kw)

A = sccrq_avps
# ---- cases against the plain LNS
run('baseline: well-formed SCCRQ', PLAIN, [sccrq(A())])
run('Protocol Version AVP = 2.0 (value 0x0200)', PLAIN, [sccrq(A(pv=b'\x02\x00'))])
run('header version 3 (L2TPv3 header on UDP) with v2-style SCCRQ body', PLAIN, [sccrq(A(), ver=3)])
run('header version 1 (L2F)', PLAIN, [sccrq(A(), ver=1)])
run('unknown mandatory AVP type 99 (M=1)', PLAIN, [sccrq(A() + [avp(99, b'abcd')])])
run('unknown NON-mandatory AVP type 99 (M=0)', PLAIN, [sccrq(A() + [avp(99, b'abcd', m=False)])])
run('unknown mandatory vendor AVP (vendor 9, type 99, M=1)', PLAIN, [sccrq(A() + [avp(99, b'abcd', vendor=9)])])
run('unassigned-but-in-range mandatory AVP type 34 (Call Errors: no handler, M=1)', PLAIN, [sccrq(A() + [avp(34, b'\x00' * 26)])])
run('truncated AVP: length 20 but only 4 value bytes left', PLAIN, [sccrq(A() + [avp(8, b'abcd', m=False, length=20)])])
run('AVP length 4 (< 6)', PLAIN, [sccrq(A() + [struct.pack('!HHH', 0x8004, 0, 8)])])
run('mandatory AVP with reserved bits 0x0400 set', PLAIN, [sccrq(A() + [avp(8, b'abcd', extra_flags=0x0400)])])
run('first AVP is not Message Type', PLAIN, [ctrl(0, 0, 0, 0, b''.join(A()[1:] + [avp(0, u16(1))]))])
run('SCCRQ without Assigned Tunnel ID', PLAIN, [sccrq(A(skip=(9,)))])
run('SCCRQ without Host Name', PLAIN, [sccrq(A(skip=(7,)))])
run('SCCRQ without Framing Capabilities', PLAIN, [sccrq(A(skip=(3,)))])
run('header Length field larger than datagram', PLAIN, [sccrq(A())[:-4]])
run('ZLB to tunnel 0', PLAIN, [ctrl(0, 0, 0, 0, b'')])
run('HELLO to unknown tunnel 777', PLAIN, [ctrl(777, 0, 0, 0, avp(0, u16(6)))])
run('data message (T=0) to unknown tunnel 777', PLAIN, [struct.pack('!HHH', 0x0002, 777, 1) + b'\xff\x03\xc0\x21'])
run('message type 99 (unknown) to tunnel 0', PLAIN, [ctrl(0, 0, 0, 0, avp(0, u16(99)))])
# hidden Host Name in SCCRQ to the plain LNS (it knows the secret from the secrets file too)
rv = os.urandom(16)
run('SCCRQ with hidden Host Name (correct RFC 2661 4.3 hiding, secret from secrets file)', PLAIN,
    [sccrq([avp(0, u16(1)), avp(36, rv), avp(2, b'\x01\x00'), avp(3, u32(3)), avp(7, hide(7, b'hidden-host', SECRET, rv), h=True), avp(9, u16(nexttid())), avp(10, u16(4))])])
rv2 = os.urandom(16)
run('SCCRQ with hidden Host Name hidden with a WRONG secret', PLAIN,
    [sccrq([avp(0, u16(1)), avp(36, rv2), avp(2, b'\x01\x00'), avp(3, u32(3)), avp(7, hide(7, b'hidden-host', b'wrong-secret', rv2), h=True), avp(9, u16(nexttid())), avp(10, u16(4))])])
run('SCCRQ with hidden Host Name but NO Random Vector', PLAIN,
    [sccrq([avp(0, u16(1)), avp(2, b'\x01\x00'), avp(3, u32(3)), avp(7, hide(7, b'hidden-host', SECRET, rv), h=True), avp(9, u16(nexttid())), avp(10, u16(4))])])

# ---- cases against the auth LNS (challenge = yes)
chal = bytes(range(16))
got = run('auth LNS: SCCRQ with Challenge AVP (16 bytes 00..0f)', AUTH, [sccrq(A() + [avp(11, chal)])])
exp = hashlib.md5(bytes([2]) + SECRET + chal).hexdigest()
print(f'   expected Challenge Response in SCCRP = MD5(0x02|secret|challenge) = {exp}')
run('auth LNS: SCCRQ without Challenge AVP', AUTH, [sccrq(A())])

# full handshake with a WRONG SCCCN challenge response
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind((HOST, 0)); s.settimeout(1.5)
print(f'== auth LNS: SCCRQ+Challenge, then SCCCN with a WRONG Challenge Response  (from :{s.getsockname()[1]})')
s.sendto(sccrq(A(tid=4343) + [avp(11, chal)]), (HOST, AUTH))
d, _ = s.recvfrom(4096); print(f'   << {decode(d)}')
their = None; their_chal = None; i = 12
while i < len(d):
    h, v, t = struct.unpack('!HHH', d[i:i+6]); L = h & 0x3FF
    if t == 9: their = struct.unpack('!H', d[i+6:i+8])[0]
    if t == 11: their_chal = d[i+6:i+L]
    i += L
print(f'   (LNS challenge to us: {their_chal.hex() if their_chal else None}; correct SCCCN response would be MD5(0x03|secret|chal) = {hashlib.md5(bytes([3]) + SECRET + their_chal).hexdigest() if their_chal else None})')
s.sendto(ctrl(their, 0, 1, 1, avp(0, u16(3)) + avp(13, b'\x00' * 16)), (HOST, AUTH))
end = time.time() + 2
while time.time() < end:
    try: d, _ = s.recvfrom(4096); print(f'   << {decode(d)}  hex={d.hex()}')
    except socket.timeout: break
# and the CORRECT one on a fresh tunnel
s2 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s2.bind((HOST, 0)); s2.settimeout(1.5)
print(f'== auth LNS: SCCRQ+Challenge, then SCCCN with the CORRECT Challenge Response  (from :{s2.getsockname()[1]})')
s2.sendto(sccrq(A(tid=4444) + [avp(11, chal)]), (HOST, AUTH))
d, _ = s2.recvfrom(4096); print(f'   << {decode(d)}')
i = 12
while i < len(d):
    h, v, t = struct.unpack('!HHH', d[i:i+6]); L = h & 0x3FF
    if t == 9: their = struct.unpack('!H', d[i+6:i+8])[0]
    if t == 11: their_chal = d[i+6:i+L]
    i += L
s2.sendto(ctrl(their, 0, 1, 1, avp(0, u16(3)) + avp(13, hashlib.md5(bytes([3]) + SECRET + their_chal).digest())), (HOST, AUTH))
end = time.time() + 1.5
while time.time() < end:
    try: d, _ = s2.recvfrom(4096); print(f'   << {decode(d)}  hex={d.hex()}')
    except socket.timeout: break
# ICRQ whose Assigned Session ID (4660 = 0x1234) is HIDDEN (RFC 2661 4.3) -> xl2tpd must unhide it with the
# tunnel secret (it has loaded it while checking our challenge) and answer ICRP with header session id 4660.
rv3 = bytes(range(0x20, 0x30))
icrq = ctrl(their, 0, 2, 1, avp(0, u16(10)) + avp(36, rv3) + avp(14, hide(14, u16(0x1234), SECRET, rv3), h=True)
            + avp(15, u32(77)) + avp(18, u32(0))
            # multi-block MD5 chain: Called Number 21 (29 bytes + 7 bytes of padding) and Calling Number 22 (no padding)
            + avp(21, hide(21, b'called-0123456789-abcdefghijk', SECRET, rv3, pad=b'\x00' * 7), h=True)
            + avp(22, hide(22, b'calling-number-longer-than-one-md5-block', SECRET, rv3), h=True))
print(f'   >> ICRQ with hidden Assigned Session 4660, hidden Called Number (padded), hidden Calling Number; random vector 202122..2f  hex={icrq.hex()}')
s2.sendto(icrq, (HOST, AUTH))
end = time.time() + 1.5; icrp_ns = None
while time.time() < end:
    try:
        d, _ = s2.recvfrom(4096); print(f'   << {decode(d)}  hex={d.hex()}')
        if len(d) > 20 and struct.unpack('!H', d[18:20])[0] == 11: icrp_ns = struct.unpack('!H', d[8:10])[0]
    except socket.timeout: break
nr = 2 if icrp_ns is None else icrp_ns + 1
s2.sendto(ctrl(their, 0, 3, nr, avp(0, u16(4)) + avp(9, u16(4444)) + avp(1, u16(1) + u16(0))), (HOST, AUTH))
time.sleep(0.5)
try:
    d, _ = s2.recvfrom(4096); print(f'   << {decode(d)}  (after our StopCCN)')
except socket.timeout: print('   << (no ack to our StopCCN)')
