/**
 * The ID rule of RFC 2661 §3.1/§4.4.3: Tunnel and Session IDs we assign are never 0 (0 is
 * reserved: "Tunnel ID 0 ... for the first SCCRQ", Session ID 0 for tunnel-scoped messages).
 * The random source is given explicitly here, including one that yields 0.
 */
import { describe, expect, it } from 'vitest';
import { randomId16 } from '../../src/fsm/checks.js';
import { TunnelFsm } from '../../src/fsm/index.js';

/** A random source that replays `words` (16-bit values), then zeros. */
function replay(...words: number[]): (n: number) => Uint8Array {
  let i = 0;
  return (n) => {
    const b = new Uint8Array(n);
    if (n === 2 && i < words.length) {
      const w = words[i++]!;
      b[0] = w >>> 8;
      b[1] = w & 0xff;
    }
    return b;
  };
}

describe('randomId16: never 0, never taken', () => {
  it('skips a drawn 0 and takes the next draw', () => {
    expect(randomId16(replay(0, 0x1234), () => false)).toBe(0x1234);
  });

  it('a source that only ever yields 0 still gives a non-zero ID (1, by the upward scan)', () => {
    expect(randomId16(replay(), () => false)).toBe(1);
  });

  it('skips taken IDs, and scans upward (wrapping past 65535, skipping 0) when draws keep hitting them', () => {
    expect(randomId16(replay(7, 8), (id) => id === 7)).toBe(8);
    const taken = (id: number) => id !== 2;
    expect(randomId16(replay(0xffff), taken)).toBe(2);
    expect(() => randomId16(replay(), () => true)).toThrow(RangeError);
  });

  it('a TunnelFsm whose random source yields zeros gets Tunnel ID 1, not 0', () => {
    expect(new TunnelFsm({ hostName: 'lac', random: replay() }).localTunnelId).toBe(1);
  });
});
