#!/usr/bin/env python3
"""Compact one-line-per-L2TP-message summary of a pcap, made from tshark's PDML decode
(test/vectors/NAME.summary.txt, written by decode.sh next to this file).

usage: summarize.py X.pcap [tshark -d/-o args...]   (default decode-as: udp ports 17010-17019 and 1701 as l2tp)
Line format:
  #frame +t(s) SRC:port>DST:port  TYPE  tid=T sid=S ns=N nr=N len=L | AVP AVP ...
  AVP = type:Name[flags]/len[=value]   flags: M mandatory, H hidden
Writes to stdout.
"""
import subprocess, sys, xml.etree.ElementTree as ET

pcap = sys.argv[1]
extra = sys.argv[2:]
decode = []
for p in list(range(17010, 17020)):
    decode += ['-d', f'udp.port=={p},l2tp']
xml = subprocess.run(['tshark', '-r', pcap, *decode, *extra, '-T', 'pdml'],
                     capture_output=True, check=True).stdout
root = ET.fromstring(xml)

# values worth showing inline (field name -> label)
SHOW = {
    'l2tp.avp.message_type': None, 'l2tp.result_code': 'result', 'l2tp.avp.error_code': 'error',
    'l2tp.avp.error_message': 'msg', 'l2tp.avp.host_name': None, 'l2tp.avp.vendor_name': None,
    'l2tp.avp.firmware_revision': None, 'l2tp.avp.assigned_tunnel_id': None,
    'l2tp.avp.assigned_session_id': None, 'l2tp.avp.receive_window_size': None,
    'l2tp.avp.call_serial_number': None, 'l2tp.avp.protocol_version': 'ver',
    'l2tp.avp.protocol_revision': 'rev', 'l2tp.avp.async_framing_supported': 'async',
    'l2tp.avp.sync_framing_supported': 'sync', 'l2tp.avp.analog_access_supported': 'analog',
    'l2tp.avp.digital_access_supported': 'digital', 'l2tp.avp.analog_bearer_type': 'analog',
    'l2tp.avp.digital_bearer_type': 'digital', 'l2tp.avp.async_framing_type': 'async',
    'l2tp.avp.sync_framing_type': 'sync', 'l2tp.avp.connect_speed': None, 'l2tp.avp.rx_connect_speed': None,
    'l2tp.avp.cause_code': 'cause', 'l2tp.avp.cause_msg': 'causemsg', 'l2tp.avp.advisory_msg': 'advisory',
    'l2tp.avp.minimum_bps': 'min', 'l2tp.avp.maximum_bps': 'max', 'l2tp.avp.called_number': None,
    'l2tp.avp.calling_number': None, 'l2tp.avp.sub_address': None,
    'l2tp.avp.tie_breaker': None, 'l2tp.avp.chap_challenge': None, 'l2tp.avp.chap_challenge_response': None,
    'l2tp.avp.random_vector': None, 'l2tp.avp.physical_channel': None,
}

NAMES = {1: 'SCCRQ', 2: 'SCCRP', 3: 'SCCCN', 4: 'StopCCN', 6: 'HELLO', 7: 'OCRQ', 8: 'OCRP', 9: 'OCCN',
         10: 'ICRQ', 11: 'ICRP', 12: 'ICCN', 14: 'CDN', 15: 'WEN', 16: 'SLI'}

def f(pkt, name):
    e = pkt.find(f".//field[@name='{name}']")
    return e.get('show') if e is not None else None

for pkt in root.findall('packet'):
    num = f(pkt, 'frame.number'); t = float(f(pkt, 'frame.time_relative'))
    src = f"{f(pkt,'ip.src') or f(pkt,'ipv6.src')}:{f(pkt,'udp.srcport')}"
    dst = f"{f(pkt,'ip.dst') or f(pkt,'ipv6.dst')}:{f(pkt,'udp.dstport')}"
    l2 = pkt.find("proto[@name='l2tp']")
    if l2 is None:
        print(f"#{num} +{t:.3f} {src}>{dst}  (not decoded as L2TP)"); continue
    typ = f(l2, 'l2tp.type'); ver = f(l2, 'l2tp.version')
    avps = [e for e in l2.findall('field') if e.get('name') == '' and e.get('show', '').endswith('AVP')]
    hdr = f"tid={f(l2,'l2tp.tunnel') or f(l2,'l2tp.ccid')} sid={f(l2,'l2tp.session') or f(l2,'l2tp.sid')}"
    if typ == '1':
        hdr += f" ns={f(l2,'l2tp.Ns')} nr={f(l2,'l2tp.Nr')}"
    hdr += f" len={f(l2,'l2tp.length')} v{ver}"
    if typ != '1':
        mt = 'DATA'
    elif not avps:
        mt = 'ZLB'
    else:
        mte = avps[0].find("field[@name='l2tp.avp.message_type']")
        mt = NAMES.get(int(mte.get('show')), 'type' + mte.get('show')) if mte is not None else '?'
    parts = []
    for a in avps:
        g = lambda n: (a.find(f"field[@name='{n}']").get('show') if a.find(f"field[@name='{n}']") is not None else '?')
        fl = ('M' if g('l2tp.avp.mandatory') == '1' else '') + ('H' if g('l2tp.avp.hidden') == '1' else '')
        vid = g('l2tp.avp.vendor_id')
        s = f"{g('l2tp.avp.type')}{'' if vid in ('0','?') else '@v'+vid}:{a.get('show')[:-4].replace(' ', '')}[{fl}]/{g('l2tp.avp.length')}"
        vals = []
        for c in a.findall('field'):
            n = c.get('name')
            if n in SHOW and n != 'l2tp.avp.message_type':
                lab = SHOW[n]
                v = c.get('show')
                vals.append(f"{lab}={v}" if lab else v)
        if vals and g('l2tp.avp.hidden') != '1':
            s += '=' + ','.join(vals)
        parts.append(s)
    if typ != '1':
        up = pkt.find(".//field[@name='udp.payload']")
        raw = bytes.fromhex(up.get('value')) if up is not None else b''
        fl = int(f(l2, 'l2tp.flags'), 16)
        off = 2 + (2 if fl & 0x4000 else 0) + 4 + (4 if fl & 0x0800 else 0)
        if fl & 0x0200 and len(raw) >= off + 2: off += 2 + int.from_bytes(raw[off:off + 2], 'big')
        parts = [f"flags=0x{fl:04x} ppp={raw[off:][:48].hex()}" if raw else 'ppp=?']
    print(f"#{num} +{t:.3f} {src}>{dst}  {mt:7} {hdr} | {' '.join(parts)}")
