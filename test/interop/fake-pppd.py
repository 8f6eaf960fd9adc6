#!/usr/bin/python3
"""Stand-in for /usr/sbin/pppd, bind-mounted over it inside a private mount namespace by
xl2tpd.ts (`fakePppd: true`), so that xl2tpd has a PPP peer on its pty and keeps the session up.

xl2tpd runs: pppd /dev/pts/N passive nodetach [:0.0.0.0 | :] file OPTS
- writes one async-HDLC framed LCP Configure-Request (id 1, MRU 1500, magic 0x11223344) to the pty;
- echoes every HDLC frame it reads back to the pty unchanged (already framed by xl2tpd), so a frame
  sent into the session comes back out of it -- except an LCP Configure-Request identical to its
  own (two fake pppds facing each other would otherwise echo it back and forth forever);
- logs argv, what it sent and what it got (hex) to fake-pppd.<pid>.log next to OPTS;
- exits on SIGTERM/SIGHUP (xl2tpd hangs the call up) or after 60 s at the latest.
Settings, as comment lines in OPTS (real pppd ignores them), for the data capture of
test/vectors/regen.sh, which wants each side distinguishable and one DATA message each way:
  # fake-pppd: magic-lns 55667788   magic number when run by the LNS (argv has ':0.0.0.0')
  # fake-pppd: echo no               do not echo frames back
Only the L2TP framing done by xl2tpd is real here; the PPP payload is ours."""
import os, select, signal, sys, time, tty

def fcs16(data):
    fcs = 0xFFFF
    for b in data:
        fcs ^= b
        for _ in range(8):
            fcs = (fcs >> 1) ^ 0x8408 if fcs & 1 else fcs >> 1
    return fcs ^ 0xFFFF

def hdlc(frame):
    f = fcs16(frame)
    frame = frame + bytes([f & 0xFF, f >> 8])
    out = bytearray(b'\x7e')
    for b in frame:
        if b < 0x20 or b in (0x7E, 0x7D):
            out += bytes([0x7D, b ^ 0x20])
        else:
            out.append(b)
    return bytes(out + b'\x7e')

opts = sys.argv[sys.argv.index('file') + 1] if 'file' in sys.argv else None
logdir = os.path.dirname(opts) if opts else os.environ.get('FAKE_PPPD_LOGDIR', '/tmp')
log = open(os.path.join(logdir, 'fake-pppd.%d.log' % os.getpid()), 'w')
def say(s):
    log.write(s + '\n'); log.flush()

def bye(sig, _frame):
    say('signal %d' % sig); sys.exit(0)
signal.signal(signal.SIGTERM, bye)
signal.signal(signal.SIGHUP, bye)

settings = {}
if opts and os.path.exists(opts):
    for line in open(opts):
        words = line.split()
        if words[:2] == ['#', 'fake-pppd:'] and len(words) >= 4:
            settings[words[2]] = words[3]
magic = bytes.fromhex('11223344')
if ':0.0.0.0' in sys.argv and 'magic-lns' in settings:
    magic = bytes.fromhex(settings['magic-lns'])
echo = settings.get('echo', 'yes') != 'no'
lcp = bytes([0x01, 0x01, 0x00, 0x0E, 0x01, 0x04, 0x05, 0xDC, 0x05, 0x06]) + magic
conf_req = hdlc(b'\xff\x03\xc0\x21' + lcp)
fd = os.open(sys.argv[1], os.O_RDWR | os.O_NOCTTY)
tty.setraw(fd)
say('argv=%r' % sys.argv)
time.sleep(0.05)
os.write(fd, conf_req)
say('sent %s' % conf_req.hex())
end = time.time() + 60
buf = b''
while time.time() < end:
    r, _, _ = select.select([fd], [], [], 0.2)
    if r:
        try:
            d = os.read(fd, 4096)
        except OSError as e:
            say('read error %s' % e); break
        if not d:
            break
        say('recv %s' % d.hex())
        buf += d
        *frames, buf = buf.split(b'\x7e')
        for f in frames:
            if echo and f and b'\x7e' + f + b'\x7e' != conf_req:
                os.write(fd, b'\x7e' + f + b'\x7e')
                say('echo %s' % f.hex())
say('exit')
