/**
 * hideAvpValue / unhideAvpValue (RFC 2661 §4.3) at their edges: the exact local-misuse errors
 * (TypeError/RangeError naming the argument), and the two BAD_HIDDEN_LENGTH refusals with the
 * text a reader is given. The "decrypts to" case is built with node:crypto's MD5: the first two
 * hidden bytes are b1 = MD5(Attribute Type | S | RV) xor the Original Length we want it to claim.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hideAvpValue, unhideAvpValue } from '../../src/index.js';
import { expectL2tpError } from '../support/errors.js';
import { hex } from '../support/hex.js';

const SECRET = 'edge-hidden';
const RV = hex('0f1e2d3c 4b5a6978 8796a5b4 c3d2e1f0');

describe('hideAvpValue: misuse', () => {
  it('names the argument that is wrong', () => {
    const v = Uint8Array.of(1, 2);
    expect(() => hideAvpValue(70000, v, SECRET, RV)).toThrow(new RangeError('attributeType must be an integer from 0 to 65535, got 70000'));
    expect(() => hideAvpValue(14, 'ab' as never, SECRET, RV)).toThrow(new TypeError('value must be a Uint8Array, got string'));
    expect(() => hideAvpValue(14, v, SECRET, 'rv' as never)).toThrow(new TypeError('randomVector must be a Uint8Array, got string'));
    expect(() => hideAvpValue(14, v, SECRET, RV, [0] as never)).toThrow(new TypeError('padding must be a Uint8Array, got object'));
  });

  it('a hidden value over 1017 bytes (the 10-bit AVP Length less the header) says how it adds up', () => {
    expect(() => hideAvpValue(8, new Uint8Array(1000), SECRET, RV, new Uint8Array(16))).toThrow(
      new RangeError('hidden value would be 1018 bytes (2 + 1000 value + 16 padding); an AVP holds at most 1017: shorten the value or the padding'),
    );
    expect(hideAvpValue(8, new Uint8Array(1000), SECRET, RV, new Uint8Array(15)).length).toBe(1017);
  });
});

describe('unhideAvpValue: misuse and refusals', () => {
  it('names the argument that is wrong', () => {
    const h = new Uint8Array(4);
    expect(() => unhideAvpValue(-1, h, SECRET, RV)).toThrow(new RangeError('attributeType must be an integer from 0 to 65535, got -1'));
    expect(() => unhideAvpValue(14, null as never, SECRET, RV)).toThrow(new TypeError('hidden must be a Uint8Array, got null'));
    expect(() => unhideAvpValue(14, h, SECRET, 7 as never)).toThrow(new TypeError('randomVector must be a Uint8Array, got number'));
    expect(() => unhideAvpValue(14, h, SECRET, RV, -1)).toThrow(new RangeError('offset must be an integer from 0 to 9007199254740991, got -1'));
  });

  it.each([0, 1])('a %i-byte hidden value has no room for the Original Length: BAD_HIDDEN_LENGTH at the offset', (n) => {
    expectL2tpError(() => unhideAvpValue(14, new Uint8Array(n).fill(0x5c), SECRET, RV, 40), {
      code: 'BAD_HIDDEN_LENGTH',
      offset: 40,
      reason: `hidden AVP value is ${n} bytes, too short for its 2-byte Original Length`,
    });
  });

  it('an Original Length past the room the AVP has: BAD_HIDDEN_LENGTH naming both', () => {
    const b1 = createHash('md5').update(Uint8Array.of(0, 14)).update(SECRET).update(RV).digest();
    // Claims 256 bytes in a 6-byte hidden value (room for 4).
    const hidden = Uint8Array.of(b1[0]! ^ 0x01, b1[1]! ^ 0x00, 0, 0, 0, 0);
    expectL2tpError(() => unhideAvpValue(14, hidden, SECRET, RV, 26), {
      code: 'BAD_HIDDEN_LENGTH',
      offset: 26,
      reason: 'hidden AVP decrypts to Original Length 256 but has room for 4 bytes (wrong secret or Random Vector?)',
    });
    // Claiming exactly the room is fine: the 4 bytes come back (xor the same block).
    const exact = Uint8Array.of(b1[0]!, b1[1]! ^ 0x04, b1[2]! ^ 0xaa, b1[3]! ^ 0xbb, b1[4]! ^ 0xcc, b1[5]! ^ 0xdd);
    expect(unhideAvpValue(14, exact, SECRET, RV)).toEqual(Uint8Array.of(0xaa, 0xbb, 0xcc, 0xdd));
  });
});
