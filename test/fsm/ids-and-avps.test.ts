/**
 * Two small rules of src/fsm/checks.ts, called directly with inputs chosen from the RFC text:
 * - randomId32: L2TPv3 Control Connection IDs and Session IDs are non-zero (RFC 3931 §5.4.3,
 *   §5.4.4) and must not collide with one in use. The random source is given explicitly and
 *   yields 0, taken IDs, and the top of the 32-bit space, which a real RNG almost never does.
 * - recognisedAvp: RFC 2661 §4.1 — an AVP is recognised only when it is an IETF AVP of RFC 2661
 *   itself (types 0–39, 20 reserved) with its reserved bits zero; L2TPv3 (RFC 3931 §5.1) ignores
 *   the reserved bits on receipt, which `avpRecognised(3, …)` does and recognisedAvp (v2) must not.
 */
import { describe, expect, it } from 'vitest';
import { randomId32, recognisedAvp } from '../../src/fsm/checks.js';
import { avpRecognised } from '../../src/fsm/message-rules.js';

/** A random source of 4-byte draws that replays `words` (32-bit values), then zeros; counts the draws. */
function replay32(...words: number[]): { random: (n: number) => Uint8Array; draws: () => number } {
  let i = 0;
  return {
    random: (n) => {
      expect(n).toBe(4);
      const b = new Uint8Array(n);
      const w = i < words.length ? words[i]! : 0;
      i++;
      b[0] = w >>> 24;
      b[1] = (w >>> 16) & 0xff;
      b[2] = (w >>> 8) & 0xff;
      b[3] = w & 0xff;
      return b;
    },
    draws: () => i,
  };
}

describe('randomId32 (RFC 3931 §5.4.3/§5.4.4: IDs are non-zero and unique)', () => {
  it('a free first draw is the ID, as drawn (all 32 bits, unsigned)', () => {
    const src = replay32(0xdeadbeef);
    expect(randomId32(src.random, () => false)).toBe(0xdeadbeef);
    expect(src.draws()).toBe(1);
  });

  it('a drawn 0 is never the ID: the next draw is taken', () => {
    const src = replay32(0, 0x01020304);
    expect(randomId32(src.random, () => false)).toBe(0x01020304);
    expect(src.draws()).toBe(2);
  });

  it('a drawn ID already in use is skipped for the next draw', () => {
    const src = replay32(77, 78);
    expect(randomId32(src.random, (id) => id === 77)).toBe(78);
  });

  it('makes exactly 16 draws, then scans upward from the last one (a 17th draw would give another ID)', () => {
    const draws = Array.from({ length: 16 }, (_, i) => 1000 + i * 10);
    const src = replay32(...draws, 0x5555);
    const taken = new Set(draws);
    // The last draw, 1150, is taken; 1151 is the first free ID above it.
    expect(randomId32(src.random, (id) => taken.has(id))).toBe(1151);
    expect(src.draws()).toBe(16);
  });

  it('the upward scan wraps from 2^32 − 1 to 1, never to 0', () => {
    const src = replay32(...Array.from({ length: 16 }, () => 0xffffffff));
    const id = randomId32(src.random, (n) => n === 0xffffffff);
    expect(id).toBe(1);
  });

  it('with a source of zeros only, and 1 taken: 2 (the scan starts after the last draw, 0)', () => {
    const src = replay32();
    expect(randomId32(src.random, (n) => n === 1)).toBe(2);
  });

  it('gives up with a RangeError after 16 draws and 65536 scanned IDs, none of them 0', () => {
    const asked: number[] = [];
    const src = replay32(...Array.from({ length: 16 }, (_, i) => 0x10000 * (i + 1)));
    expect(() =>
      randomId32(src.random, (id) => {
        asked.push(id);
        return true;
      }),
    ).toThrow(new RangeError('no free 32-bit ID found'));
    expect(src.draws()).toBe(16);
    expect(asked.length).toBe(16 + 0x10000);
    expect(asked.includes(0)).toBe(false);
    // The scan goes upward from the last draw, 0x100000, each ID once.
    expect(asked[16]).toBe(0x100001);
    expect(asked.at(-1)).toBe(0x100000 + 0x10000);
  });
});

describe('recognisedAvp: what an L2TPv2 state machine recognises (RFC 2661 §4.1)', () => {
  it('the IETF AVPs of RFC 2661 (types 0–39) except the reserved type 20', () => {
    for (let type = 0; type <= 39; type++) {
      expect(recognisedAvp({ vendorId: 0, type, reserved: undefined }), `type ${type}`).toBe(type !== 20);
    }
  });

  it('not a vendor AVP, nor an AVP of a later RFC (RFC 3931 Assigned Control Connection ID, type 61)', () => {
    expect(recognisedAvp({ vendorId: 9, type: 1, reserved: undefined })).toBe(false);
    expect(recognisedAvp({ vendorId: 0, type: 40, reserved: undefined })).toBe(false);
    expect(recognisedAvp({ vendorId: 0, type: 61, reserved: undefined })).toBe(false);
  });

  it('not with a reserved bit set (§4.1: such an AVP is treated as unrecognised); RFC 3931 §5.1 ignores them in v3', () => {
    expect(recognisedAvp({ vendorId: 0, type: 1, reserved: 0x4 })).toBe(false);
    expect(avpRecognised(3, { vendorId: 0, type: 1, reserved: 0x4 })).toBe(true);
    expect(avpRecognised(3, { vendorId: 0, type: 61, reserved: 0x1 })).toBe(true);
  });
});
