/**
 * The captures the tests read are what the real peers put on the wire: every `NAME.hex` line is
 * a UDP datagram of `NAME.pcap` (the file tshark wrote on `lo`, see regen.sh), in order, with its
 * addresses, ports and time; every `NAME.json` decodes the same number of frames; every hostile.txt
 * datagram xl2tpd sent back is in hostile.pcap. Hand edits to a `.hex` file fail here.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readPcapngUdp } from '../support/pcapng.js';
import { CAPTURES, VECTORS_DIR, loadHex, loadHostileCases, toHex } from '../support/vectors.js';

const NAMES = [...CAPTURES, 'hostile'] as const;
const pcap = (name: string) => readPcapngUdp(new Uint8Array(readFileSync(`${VECTORS_DIR}${name}.pcap`)));

describe('test/vectors: the .hex files are the captured datagrams', () => {
  it('has a pcap, a hex, a summary and xl2tpd logs for every capture, and nothing unexplained', () => {
    // Files only: sub-folders (pcap/: the pcap reader's captures) explain themselves.
    const files = readdirSync(VECTORS_DIR, { withFileTypes: true }).filter((d) => d.isFile() && !d.name.endsWith('.ts')).map((d) => d.name);
    for (const n of NAMES) {
      for (const ext of ['pcap', 'hex', 'summary.txt']) expect(files, `${n}.${ext}`).toContain(`${n}.${ext}`);
      expect(files.some((f) => f.startsWith(`${n}.`) && f.endsWith('.log')), `${n} logs`).toBe(true);
    }
    const known = new RegExp(`^(${NAMES.join('|')})\\.(pcap|hex|json|summary\\.txt|txt|[a-z-]+\\.log)$|^(README\\.md|regen\\.sh)$`);
    expect(files.filter((f) => !known.test(f))).toEqual([]);
  });

  it.each(NAMES)('%s.hex: every line is a datagram of %s.pcap, in order, with its endpoints and time', (name) => {
    const hex = loadHex(name);
    const wire = pcap(name);
    expect(wire.length).toBeGreaterThan(3);
    expect(hex).toHaveLength(wire.length);
    const t0 = wire[0]!.time;
    hex.forEach((h, i) => {
      const w = wire[i]!;
      expect({ frame: h.frame, src: h.src, dst: h.dst, bytes: toHex(h.bytes) }, `${name} #${h.frame}`).toEqual({
        frame: i + 1,
        src: `${w.src}:${w.srcPort}`,
        dst: `${w.dst}:${w.dstPort}`,
        bytes: toHex(w.payload),
      });
      // decode.sh prints frame.time_relative with 3 decimals.
      expect(Math.abs(h.time - (w.time - t0)), `${name} #${h.frame} time`).toBeLessThanOrEqual(0.0005 + 1e-9);
    });
  });

  it.each(CAPTURES)('%s.json: tshark decoded the same number of frames', (name) => {
    const json = JSON.parse(readFileSync(`${VECTORS_DIR}${name}.json`, 'utf8')) as unknown[];
    expect(json).toHaveLength(pcap(name).length);
  });

  it('hostile.txt: every datagram sent and received is in hostile.pcap', () => {
    const onWire = new Set(pcap('hostile').map((r) => toHex(r.payload)));
    const cases = loadHostileCases();
    expect(cases.length).toBeGreaterThan(20);
    const all = cases.flatMap((c) => [...c.sent, ...c.received]).map(toHex);
    expect(all.length).toBeGreaterThan(40);
    expect(all.filter((h) => !onWire.has(h))).toEqual([]);
  });
});
