/**
 * The encoder's one-pass fast path for integers and ASCII strings (src/wire/scalar-writers.ts)
 * must be the codec's behaviour exactly: the same bytes for every value the codec accepts, the
 * codec's own error for every value it refuses. Checked against the two-pass encoder (an encode
 * into a caller's buffer), which always sizes and writes through the catalogue's codecs; and
 * against known answers from RFC 2661 §4.1/§4.4.3 for a few fixed values.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeControl, encodingLength, MessageType, type ControlMessageInit } from '../../src/index.js';
import { runs } from '../runs.js';
import { toHex } from '../support/vectors.js';

/** Encode `msg` both ways: one pass into the slab (fast path), two passes into a buffer (codecs). */
function bothWays(msg: ControlMessageInit): { fast: Uint8Array | Error; codec: Uint8Array | Error } {
  const run = (f: () => Uint8Array): Uint8Array | Error => {
    try {
      return f();
    } catch (e) {
      return e as Error;
    }
  };
  return {
    fast: run(() => encodeControl(msg)),
    codec: run(() => {
      const b = new Uint8Array(encodingLength(msg) + 3);
      return encodeControl(msg, b, 3).subarray(3);
    }),
  };
}

function same(msg: ControlMessageInit): void {
  const { fast, codec } = bothWays(msg);
  if (codec instanceof Error) {
    expect(fast).toBeInstanceOf(Error);
    expect((fast as Error).constructor).toBe(codec.constructor);
    expect((fast as Error).message).toBe(codec.message);
  } else {
    expect(fast).toBeInstanceOf(Uint8Array);
    expect([...(fast as Uint8Array)]).toEqual([...codec]);
  }
}

const numbers = fc.oneof(
  fc.integer({ min: -2, max: 0x1_0000_0002 }),
  fc.constantFrom(0, -0, 1, 0xffff, 0x10000, 0xffffffff, 0x100000000, -1, 1.5, NaN, Infinity, -Infinity, 2 ** 53),
  fc.double(),
);
const strings = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', 'a', 'é', '\u0000', '\u007f', '\u0080', '\ud800', 'x'.repeat(1017), 'x'.repeat(1018)),
);
const anything = fc.oneof(numbers, strings, fc.constantFrom(undefined, null, true, {}, [], 1n));

describe('fast-path fields encode exactly as their codecs', () => {
  it('16-bit (Assigned Tunnel ID: non-zero; Receive Window Size) and 32-bit (Framing Capabilities) values, any number', () => {
    fc.assert(
      fc.property(numbers, numbers, numbers, (a, w, f) => {
        same({ type: MessageType.SCCRQ, hostName: 'h', assignedTunnelId: a });
        same({ type: MessageType.SCCRQ, hostName: 'h', assignedTunnelId: 1, receiveWindowSize: w });
        same({ type: MessageType.SCCRQ, hostName: 'h', assignedTunnelId: 1, framingCapabilities: f });
      }),
      { numRuns: runs(2000) },
    );
  });

  it('strings (Host Name: 1+ bytes; Vendor Name: 0+), ASCII or not, up to and past 1017 bytes', () => {
    fc.assert(
      fc.property(strings, strings, (h, v) => {
        same({ type: MessageType.SCCRQ, hostName: h, assignedTunnelId: 1 });
        same({ type: MessageType.SCCRQ, hostName: 'h', assignedTunnelId: 1, vendorName: v });
      }),
      { numRuns: runs(2000) },
    );
  });

  it('values of the wrong type', () => {
    fc.assert(
      fc.property(anything, (x) => {
        same({ type: MessageType.SCCRQ, hostName: x as string, assignedTunnelId: 1 });
        same({ type: MessageType.SCCRQ, hostName: 'h', assignedTunnelId: x as number });
      }),
      { numRuns: runs(1000) },
    );
  });

  it('known answers (RFC 2661 §4.1 header: M bit per §4.4.3, Length, Vendor 0, Type)', () => {
    const b = encodeControl({ type: MessageType.SCCRQ, hostName: 'ab', assignedTunnelId: 0x1234, framingCapabilities: 0x80000003, vendorName: 'v' });
    const hex = toHex(b);
    // Host Name (7), M=1, Length 8: 8008 0000 0007 'ab'
    expect(hex).toContain('800800000007' + '6162');
    // Assigned Tunnel ID (9), M=1, Length 8: 8008 0000 0009 1234
    expect(hex).toContain('8008000000091234');
    // Framing Capabilities (3), M=1, Length 10: 800a 0000 0003 80000003
    expect(hex).toContain('800a0000000380000003');
    // Vendor Name (8), M=0, Length 7: 0007 0000 0008 'v'
    expect(hex).toContain('00070000000876');
  });
});
