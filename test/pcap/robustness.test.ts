/**
 * Hostile files: the reader throws nothing but L2tpError (with a file offset) on any input, and a
 * file it accepts yields records whose JSON view can always be built and serialised. Inputs are
 * the real captures with bytes overwritten, cut short or spliced, plus arbitrary bytes behind each
 * magic number. Runs are counted, not timed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCapture, recordToJson } from '../../src/pcap.js';
import { L2tpError } from '../../src/wire/errors.js';

const DIR = join(__dirname, '../vectors/pcap');
const META = JSON.parse(readFileSync(join(DIR, 'meta.json'), 'utf8')) as { lnsPort: number; secret: string };
const FILES = ['xl2tpd-tshark.pcapng', 'xl2tpd-tcpdump-sll.pcap', 'xl2tpd-tcpdump-sll2-ns.pcap'].map((f) => new Uint8Array(readFileSync(join(DIR, f))));
const MAGICS = ['0a0d0d0a', 'd4c3b2a1', 'a1b2c3d4', '4d3cb2a1', 'a1b23c4d'].map((h) => Uint8Array.from(h.match(/../g)!, (x) => parseInt(x, 16)));

/** Decode; true when it returned, false when it threw an L2tpError with an offset inside the file. */
function survives(b: Uint8Array): boolean {
  try {
    const c = decodeCapture(b, { ports: [META.lnsPort], secret: META.secret });
    for (const r of c.records) JSON.stringify(recordToJson(r, META.secret));
    JSON.stringify({ tunnels: c.tunnels, sessions: c.sessions });
    return true;
  } catch (e) {
    if (!(e instanceof L2tpError)) throw e;
    expect(e.offset).toBeGreaterThanOrEqual(0);
    expect(e.offset).toBeLessThanOrEqual(b.length);
    return false;
  }
}

describe('decodeCapture on damaged and arbitrary files', () => {
  it('overwritten bytes in real captures', () => {
    const edit = fc.record({
      file: fc.integer({ min: 0, max: FILES.length - 1 }),
      writes: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }),
    });
    fc.assert(
      fc.property(edit, ({ file, writes }) => {
        const b = FILES[file]!.slice();
        for (const [at, v] of writes) b[at % b.length] = v;
        survives(b);
      }),
      { numRuns: 600 },
    );
  });

  it('a damaged AVP that decodes as a 64-bit value serialises (found by the property above: byte 5 zeroed, one byte set to 0x4a)', () => {
    const b = FILES[2]!.slice();
    b[314136048 % b.length] = 74;
    b[5] = 0;
    const c = decodeCapture(b, { ports: [META.lnsPort], secret: META.secret });
    const decoded = c.records.flatMap((r) => recordToJson(r, META.secret).avps ?? []).map((a) => a.decoded);
    expect(decoded.some((d) => typeof d === 'string' && /^\d+$/.test(d))).toBe(true);
    expect(decoded.some((d) => typeof d === 'bigint')).toBe(false);
    expect(survives(b)).toBe(true);
  });

  it('a timestamp past the years a date can show serialises with time null (found by the property above in CI: two bytes zeroed)', () => {
    // Bytes 165 and 192 of the pcapng: if_tsresol becomes 0 (whole seconds), so a ns count reads as ~1e18 s.
    const b = FILES[0]!.slice();
    b[165] = 0;
    b[192] = 0;
    expect(survives(b)).toBe(true);
    const times = decodeCapture(b, { ports: [META.lnsPort], secret: META.secret }).records.map((r) => recordToJson(r).time);
    expect(times.length).toBeGreaterThan(0);
    expect(times.every((t) => t === null)).toBe(true);
  });

  it('cut at every length: a cut inside a record is TRUNCATED, at a record boundary it reads', () => {
    const b = FILES[1]!;
    let read = 0;
    for (let n = 0; n <= b.length; n++) if (survives(b.subarray(0, n))) read++;
    // 24-byte header plus one boundary per frame (and the whole file) are the only readable cuts.
    expect(read).toBe(decodeCapture(b, { ports: [META.lnsPort] }).frameCount + 1);
  });

  it('arbitrary bytes behind each magic number', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAGICS.length - 1 }), fc.uint8Array({ maxLength: 300 }), (m, rest) => {
        const b = new Uint8Array(4 + rest.length);
        b.set(MAGICS[m]!);
        b.set(rest, 4);
        survives(b);
      }),
      { numRuns: 3000 },
    );
  });
});
