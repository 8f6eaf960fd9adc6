/**
 * The encoder's hiding options at their edges (src/wire/hiding-plan.ts; RFC 2661 §4.3, §4.4):
 * the local-misuse errors with the text that says what to change, a `pad.min` above 16, a
 * `pad.random` that returns too little, how many random bytes are asked for ("one byte chooses
 * the total, the rest are the padding"), and the default padding of a hidden part over one MD5
 * block (MD5(secret | RV | 0x70 | AVP index | block number), one 16-byte block after another).
 * Hidden values are opened with test/support/hidden-reference.ts (§4.3 over node:crypto's MD5).
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { AvpType, encodeControl, MessageType, parseControl, type HidingOptions } from '../../src/index.js';
import { revealSubformat } from '../support/hidden-reference.js';
import { hex, toHex } from '../support/hex.js';

const SECRET = 'plan-secret';
const S = new TextEncoder().encode(SECRET);
const RV = hex('f0e1d2c3 b4a59687 78695a4b 3c2d1e0f');

/** An ICRQ (§6.6) whose Assigned Session ID (2 bytes) and Call Serial Number (4 bytes) MAY be hidden. */
const icrqWith = (hiding: Partial<HidingOptions>) =>
  encodeControl({ type: MessageType.ICRQ, tunnelId: 3, assignedSessionId: 0x1234, callSerialNumber: 7, hiding: { secret: SECRET, randomVector: RV, ...hiding } }).slice();

/** The hidden AVP of `type` in `bytes`: its decrypted subformat, as hex. */
function subformat(bytes: Uint8Array, type: number): string {
  const a = parseControl(bytes).avps.find((x) => x.hidden && x.type === type)!;
  return toHex(revealSubformat(type, a.value, S, RV));
}

describe('hiding options: local misuse says what to change', () => {
  it.each([
    [{ avps: 'x' }, new TypeError('hiding.avps must be an array of AVP types')],
    [{ avps: [1.5] }, new RangeError('hiding.avps entry must be an integer from 0 to 65535, got 1.5')],
    [{ padding: 'x' }, new TypeError('hiding.padding must be a Uint8Array, got string')],
    [{ pad: 'x' }, new TypeError('hiding.pad must be an object { min?, max?, random? } or false')],
    [{ pad: null }, new TypeError('hiding.pad must be an object { min?, max?, random? } or false')],
    [{ pad: { random: 'x' } }, new TypeError('hiding.pad.random must be a function (n) => Uint8Array')],
    [{ pad: { random: () => 'x' } }, new TypeError('hiding.pad.random(n) result must be a Uint8Array, got string')],
    [{ pad: { random: () => new Uint8Array(2) } }, new RangeError('hiding.pad.random(13) returned 2 bytes')],
  ])('%o', (hiding, error) => {
    expect(() => icrqWith(hiding as never)).toThrow(error);
  });

  it('a message with nothing to hide still has its options checked', () => {
    // HELLO (§6.5) carries no hideable AVP.
    expect(() => encodeControl({ type: MessageType.HELLO, hiding: { secret: SECRET, randomVector: RV, padding: 'x' as never } })).toThrow(
      new TypeError('hiding.padding must be a Uint8Array, got string'),
    );
  });

  it('listing an AVP type the catalogue does not know is not an error (nothing says it MUST NOT be hidden)', () => {
    const b = icrqWith({ avps: [300, AvpType.AssignedSessionId] });
    expect(parseControl(b).avps.filter((a) => a.hidden).map((a) => a.type)).toEqual([AvpType.AssignedSessionId]);
  });
});

describe('how much is padded and how many random bytes are asked for', () => {
  it('pad.min above 16 (no max): max defaults to min, every short value is padded to exactly min', () => {
    const b = icrqWith({ pad: { min: 20 } });
    for (const type of [AvpType.AssignedSessionId, AvpType.CallSerialNumber]) expect(subformat(b, type).length / 2).toBe(20);
    expect(subformat(b, AvpType.AssignedSessionId).slice(0, 8)).toBe('00021234');
  });

  it('pad.random is asked for 1 + max − (2 + value) bytes per short value, and not for a value already at max', () => {
    const asked: number[] = [];
    const random = (n: number) => {
      asked.push(n);
      return new Uint8Array(n).fill(0x11);
    };
    icrqWith({ pad: { random } });
    // 2 + 2 (Assigned Session ID) and 2 + 4 (Call Serial Number), max 16.
    expect(asked).toEqual([13, 11]);
    asked.length = 0;
    // Only Calling Number (§4.4.5, type 22) hidden: 14 bytes + 2 = 16, already max.
    const b = encodeControl({ type: MessageType.ICRQ, tunnelId: 3, assignedSessionId: 1, callSerialNumber: 7, callingNumber: '01234567890123', hiding: { secret: SECRET, randomVector: RV, avps: [AvpType.CallingNumber], pad: { random } } });
    expect(asked).toEqual([]);
    expect(subformat(b, AvpType.CallingNumber)).toBe('000e' + toHex(new TextEncoder().encode('01234567890123')));
  });

  it('the default random bytes over two MD5 blocks: MD5(S | RV | 0x70 | index | 0), then … | 1', () => {
    // Only Assigned Session ID (index 0) hidden, padded to exactly 30: 2 + 2 + 26 bytes of padding,
    // taken from r[1…26] of r = block 0 | block 1 (27 bytes asked: 1 + 30 − 4).
    const b = encodeControl({ type: MessageType.ICRQ, tunnelId: 3, assignedSessionId: 0x1234, callSerialNumber: 7, hiding: { secret: SECRET, randomVector: RV, avps: [AvpType.AssignedSessionId], pad: { min: 30, max: 30 } } });
    const block = (k: number) => createHash('md5').update(S).update(RV).update(Uint8Array.of(0x70, 0, k)).digest();
    const r = Buffer.concat([block(0), block(1)]);
    expect(subformat(b, AvpType.AssignedSessionId)).toBe('00021234' + r.subarray(1, 27).toString('hex'));
  });
});
