/**
 * writePcap judged by tshark, not by our reader: tshark dissects each packet (IPv4 and IPv6, UDP on
 * 1701 and on another port with `-d`, L2TPv3 over IP protocol 115), validates the IPv4 header and
 * UDP checksums, and shows the timestamps to the microsecond. The L2TP messages are written here
 * byte by byte (RFC 2661 §3.1, RFC 3931 §4.1.1), not built by our encoder.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { writePcap } from '../../src/pcap.js';
import { hex } from '../support/hex.js';
import { tsharkVersion } from '../support/tshark.js';

const hasTshark = tsharkVersion() !== undefined || process.env.L2TP_WIRE_NO_TSHARK !== '1';
const tmp = mkdtempSync(join(tmpdir(), 'l2tp-pcap-write-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Hello to tunnel 7, Ns 3, Nr 2. */
const HELLO = hex('c802 0014 0007 0000 0003 0002 8008 0000 0000 0006');
/** L2TPv3 over IP: Session ID 0, then a Hello (type 6) to Control Connection ID 0x11223344. */
const V3_IP_HELLO = hex('00000000 c803 0014 11223344 0001 0002 8008 0000 0000 0006');

describe.runIf(hasTshark)(`writePcap, read back by tshark (${tsharkVersion() ?? 'tshark missing: this test fails'})`, () => {
  it('IPv4/IPv6, UDP and IP protocol 115: valid checksums, ports, µs timestamps, L2TP fields', () => {
    const file = join(tmp, 'w.pcap');
    writeFileSync(
      file,
      writePcap([
        { payload: HELLO, src: '192.0.2.1', dst: '192.0.2.2', srcPort: 40000, timestampUs: 1_700_000_000_000_001 },
        { payload: HELLO, src: '2001:db8::1', dst: '2001:db8::2', srcPort: 1701, dstPort: 17010, timestampUs: 1_700_000_000_999_999 },
        { payload: V3_IP_HELLO, src: '192.0.2.1', dst: '192.0.2.2', encapsulation: 'ip', timestampUs: 1_700_000_001_000_000 },
      ]),
    );
    const fields = ['frame.time_epoch', 'ip.src', 'ipv6.src', 'ip.proto', 'ipv6.nxt', 'ip.checksum.status', 'udp.srcport', 'udp.dstport', 'udp.checksum.status', 'l2tp.version', 'l2tp.tunnel', 'l2tp.ccid', 'l2tp.Ns', 'l2tp.avp.message_type'];
    const out = execFileSync(
      'tshark',
      ['-r', file, '-o', 'ip.check_checksum:TRUE', '-o', 'udp.check_checksum:TRUE', '-d', 'udp.port==17010,l2tp', '-T', 'fields', '-E', 'separator=|', ...fields.flatMap((f) => ['-e', f])],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    );
    const rows = out.trim().split('\n').map((l) => Object.fromEntries(l.split('|').map((v, i) => [fields[i]!, v])));
    expect(rows).toHaveLength(3); // checksum.status: 1 = good, 0 = bad (checking on)
    expect(rows[0]).toMatchObject({ 'frame.time_epoch': '1700000000.000001000', 'ip.src': '192.0.2.1', 'ip.proto': '17', 'ip.checksum.status': '1', 'udp.srcport': '40000', 'udp.dstport': '1701', 'udp.checksum.status': '1', 'l2tp.version': '2', 'l2tp.tunnel': '7', 'l2tp.Ns': '3', 'l2tp.avp.message_type': '6' });
    expect(rows[1]).toMatchObject({ 'frame.time_epoch': '1700000000.999999000', 'ipv6.src': '2001:db8::1', 'ipv6.nxt': '17', 'udp.dstport': '17010', 'udp.checksum.status': '1', 'l2tp.tunnel': '7' });
    expect(rows[2]).toMatchObject({ 'frame.time_epoch': '1700000001.000000000', 'ip.proto': '115', 'l2tp.version': '3', 'l2tp.ccid': '0x11223344', 'l2tp.avp.message_type': '6' });
  });
});

describe('writePcap refuses what it cannot write', () => {
  it('mixed families, bad addresses, ports and timestamps are RangeErrors saying what to change', () => {
    expect(() => writePcap([{ payload: HELLO, src: '::1', dst: '127.0.0.1' }])).toThrow(/different IP families/);
    expect(() => writePcap([{ payload: HELLO, src: '300.0.0.1' }])).toThrow(RangeError);
    expect(() => writePcap([{ payload: HELLO, srcPort: 70000 }])).toThrow(/ports must be/);
    expect(() => writePcap([{ payload: HELLO, timestampUs: 1.5 }])).toThrow(/timestampUs/);
    expect(() => writePcap([{ payload: new Uint8Array(70000) }])).toThrow(/does not fit/);
  });
});
