/**
 * Wireshark decodes the L2TPv3 data messages our Pseudowire builds (RFC 3931 §4.1.2.1, §4.6;
 * RFC 4719 §3.1), written with our own pcap writer (l2tp-wire/pcap).
 *
 * A data message does not say how long its cookie is or whether a sublayer follows: the session
 * setup did. Wireshark learns both from the control messages it saw, or from its preferences
 * `l2tp.cookie_size` and `l2tp.l2_specific` (`tshark -G defaultprefs | grep -i l2tp`), which we
 * set per capture. With no ICRQ in the capture the pseudowire type is unknown (0), so the frame is
 * decoded as Ethernet with Decode As (`-d l2tp.pw_type==0,eth`). The frame inside is an ARP
 * request, so a wrong cookie length or sublayer shows up as a wrong MAC, EtherType or ARP field,
 * or as an expert item ("Malformed Packet") — the mis-set-preference run shows the check can fail.
 *
 * Needs tshark; without it (and L2TP_WIRE_NO_TSHARK=1) the tests are reported skipped with that reason.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Pseudowire, encodeControl, parseControl, pseudowireOptions, type PseudowireOptions } from '../../src/index.js';
import { writePcap } from '../../src/pcap.js';
import { hex, toHex } from '../support/hex.js';
import { titled } from '../support/skip.js';
import { tsharkProblem } from '../support/tshark.js';

const noTshark = tsharkProblem();
const dir = mkdtempSync(join(tmpdir(), 'l2tp-pw-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An ARP request (RFC 826) for 192.0.2.2 from 02:00:00:00:00:01 / 192.0.2.1, padded to 60 bytes. */
const ARP_REQUEST = hex(
  'ffffffffffff 020000000001 0806' + '0001 0800 06 04 0001 020000000001 c0000201 000000000000 c0000202' + '00'.repeat(18),
);

const COOKIES = { 0: undefined, 4: hex('deadbeef'), 8: hex('0102030405060708') } as const;
const COOKIE_PREF = { 0: 'None', 4: '4 Byte Cookie', 8: '8 Byte Cookie' } as const;

interface Row {
  sid: string;
  cookie: string;
  s: string;
  seq: string;
  ethDst: string;
  ethSrc: string;
  ethType: string;
  arpOp: string;
  arpTarget: string;
  expert: string;
}

function decode(file: string, cookieLength: 0 | 4 | 8, l2ss: boolean): Row[] {
  const fields = ['l2tp.sid', 'l2tp.cookie', 'l2tp.l2_spec_s', 'l2tp.l2_spec_sequence', 'eth.dst', 'eth.src', 'eth.type', 'arp.opcode', 'arp.dst.proto_ipv4', '_ws.expert.message'];
  const out = execFileSync(
    'tshark',
    ['-r', file, '-o', `l2tp.cookie_size:${COOKIE_PREF[cookieLength]}`, '-o', `l2tp.l2_specific:${l2ss ? 'Default L2-Specific' : 'None'}`, '-d', 'l2tp.pw_type==0,eth', '-T', 'fields', '-E', 'separator=|', ...fields.flatMap((f) => ['-e', f])],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return out
    .trim()
    .split('\n')
    .map((line) => {
      const [sid, cookie, s, seq, ethDst, ethSrc, ethType, arpOp, arpTarget, expert] = line.split('|');
      return { sid: sid!, cookie: cookie!, s: s!, seq: seq!, ethDst: ethDst!, ethSrc: ethSrc!, ethType: ethType!, arpOp: arpOp!, arpTarget: arpTarget!, expert: expert ?? '' };
    });
}

/** Three messages from one session: the sender numbers them 0, 1, 2 when sequencing is on. */
function capture(cookieLength: 0 | 4 | 8, l2ss: boolean): string {
  const pw = new Pseudowire({
    localSessionId: 1,
    remoteSessionId: 0x0a0b0c0d,
    remoteCookie: COOKIES[cookieLength],
    remoteL2SpecificSublayer: l2ss ? 1 : 0,
    remoteDataSequencing: l2ss ? 2 : 0,
  });
  const file = join(dir, `pw-${cookieLength}-${l2ss}.pcap`);
  writeFileSync(file, writePcap([0, 1, 2].map(() => ({ payload: pw.send(ARP_REQUEST), src: '192.0.2.1', dst: '192.0.2.2', srcPort: 40000 }))));
  return file;
}

describe('tshark decodes our L2TPv3 data messages (RFC 3931 §4.1.2.1, §4.6)', () => {
  const cases = [0, 4, 8].flatMap((c) => [false, true].map((l) => [c as 0 | 4 | 8, l] as const));
  it.skipIf(noTshark !== undefined).each(cases)(titled('cookie of %i bytes, default sublayer %s', noTshark), (cookieLength, l2ss) => {
    const rows = decode(capture(cookieLength, l2ss), cookieLength, l2ss);
    expect(rows).toHaveLength(3);
    rows.forEach((r, i) => {
      expect(r.expert, `frame ${i}`).toBe('');
      expect(r.sid).toBe('0x0a0b0c0d');
      expect(r.cookie).toBe(cookieLength ? toHex(COOKIES[cookieLength]!) : '');
      expect([r.s, r.seq]).toEqual(l2ss ? ['1', String(i)] : ['', '']);
      expect([r.ethDst, r.ethSrc, r.ethType]).toEqual(['ff:ff:ff:ff:ff:ff', '02:00:00:00:00:01', '0x0806']);
      expect([r.arpOp, r.arpTarget]).toEqual(['1', '192.0.2.2']);
    });
  });

  it.skipIf(noTshark !== undefined)(titled('told the wrong cookie length, tshark misreads the frame (the check can fail)', noTshark), () => {
    const rows = decode(capture(8, true), 4, true);
    expect(rows[0]!.ethType).not.toBe('0x0806');
    expect(rows[0]!.arpOp).toBe('');
  });
});

/**
 * With the session setup in the capture, Wireshark needs no preferences: it learns each
 * direction's cookie and sublayer from the ICRQ and ICRP (its "Detect" default) and the
 * pseudowire type (Ethernet) from the ICRQ. That is an independent reading of RFC 3931 §5.4.4's
 * "who asked for what", checked against pseudowireOptions: the LAC asked for an 8-byte cookie and
 * the default sublayer with sequencing; the LNS for a 4-byte cookie and no sublayer.
 */
describe('tshark, told nothing, agrees with pseudowireOptions on who uses whose cookie and sublayer (§5.4.4)', () => {
  const LAC = '192.0.2.1';
  const LNS = '192.0.2.2';
  const v3 = (m: Parameters<typeof encodeControl>[0]): Uint8Array => encodeControl({ ...m, version: 3 }).slice();
  const setup = [
    [LAC, v3({ type: 1, tunnelId: 0, ns: 0, nr: 0, hostName: 'lac', routerId: 1, assignedControlConnectionId: 0xaaaa, pseudowireCapabilitiesList: [5] })],
    [LNS, v3({ type: 2, tunnelId: 0xaaaa, ns: 0, nr: 1, hostName: 'lns', routerId: 2, assignedControlConnectionId: 0xbbbb, pseudowireCapabilitiesList: [5] })],
    [LAC, v3({ type: 3, tunnelId: 0xbbbb, ns: 1, nr: 1 })],
    [LAC, v3({ type: 10, tunnelId: 0xbbbb, ns: 2, nr: 1, localSessionId: 0x1001, remoteSessionId: 0, callSerialNumber: 1, pseudowireType: 5, remoteEndId: Uint8Array.of(0x41), circuitStatus: 3, assignedCookie: COOKIES[8], l2SpecificSublayer: 1, dataSequencing: 2 })],
    [LNS, v3({ type: 11, tunnelId: 0xaaaa, ns: 1, nr: 3, localSessionId: 0x2002, remoteSessionId: 0x1001, circuitStatus: 3, assignedCookie: COOKIES[4], l2SpecificSublayer: 0 })],
    [LAC, v3({ type: 12, tunnelId: 0xbbbb, ns: 3, nr: 2, localSessionId: 0x1001, remoteSessionId: 0x2002 })],
  ] as const;
  const icrq = parseControl(setup[3][1]);
  const icrp = parseControl(setup[4][1]);

  function run(name: string, lacOptions: PseudowireOptions, lnsOptions: PseudowireOptions): string[][] {
    const lac = new Pseudowire(lacOptions);
    const lns = new Pseudowire(lnsOptions);
    const data: (readonly [string, Uint8Array])[] = [];
    for (let i = 0; i < 2; i++) data.push([LAC, lac.send(ARP_REQUEST)], [LNS, lns.send(ARP_REQUEST)]);
    const file = join(dir, `${name}.pcap`);
    writeFileSync(file, writePcap([...setup, ...data].map(([src, payload]) => ({ payload, src, dst: src === LAC ? LNS : LAC, srcPort: src === LAC ? 40000 : 1701, dstPort: src === LAC ? 1701 : 40000 }))));
    const fields = ['ip.src', 'l2tp.sid', 'l2tp.cookie', 'l2tp.l2_spec_s', 'l2tp.l2_spec_sequence', 'eth.type', 'arp.opcode', '_ws.expert.message'];
    const out = execFileSync('tshark', ['-r', file, '-T', 'fields', '-E', 'separator=|', ...fields.flatMap((f) => ['-e', f])], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return out.trimEnd().split('\n').slice(setup.length).map((l) => l.split('|'));
  }

  it.skipIf(noTshark !== undefined)(titled('data both ways decodes as the AVPs say', noTshark), () => {
    expect(run('detect', pseudowireOptions(icrq, icrp), pseudowireOptions(icrp, icrq))).toEqual([
      // LAC → LNS: the LNS's Session ID and 4-byte cookie, no sublayer (the LNS asked for none).
      [LAC, '0x00002002', 'deadbeef', '', '', '0x0806', '1', ''],
      // LNS → LAC: the LAC's Session ID and 8-byte cookie, the sublayer numbered from 0.
      [LNS, '0x00001001', '0102030405060708', '1', '0', '0x0806', '1', ''],
      [LAC, '0x00002002', 'deadbeef', '', '', '0x0806', '1', ''],
      [LNS, '0x00001001', '0102030405060708', '1', '1', '0x0806', '1', ''],
    ]);
  });

  it.skipIf(noTshark !== undefined)(titled('each side sending the cookie it assigned itself (the wrong reading) decodes as garbage', noTshark), () => {
    const lac = { ...pseudowireOptions(icrq, icrp), remoteCookie: COOKIES[8] };
    const rows = run('swapped', lac, pseudowireOptions(icrp, icrq));
    expect(rows[0]![2]).toBe('01020304'); // Wireshark still reads 4 bytes, as the LNS asked
    expect(rows[0]![5]).not.toBe('0x0806');
  });
});
