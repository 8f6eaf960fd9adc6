/**
 * encodeControl at its edges (RFC 2661 §3.1, §4.1): what a caller must be told when it misuses the
 * API (the exact TypeError/RangeError text says what to change), the 16-bit Length field at
 * 65535/65536 bytes, writing into a caller's buffer, and the pooled slab (small messages only).
 * Expected bytes are written by hand from the RFC layouts, never taken from the encoder.
 */
import { describe, expect, it } from 'vitest';
import { encodeControl, MessageType, parseControl, type AvpInit } from '../../src/index.js';
import { toHex } from '../support/hex.js';

// §3.1: T=1 L=1 S=1, Ver=2 → 0xC802; Length; Tunnel ID; Session ID; Ns; Nr.
// §4.4.1: Message Type AVP, M=1, Length 8, Vendor 0, Attribute 0, value = the type.
const HELLO_T1 = 'c802 0014 0001 0000 0000 0000' + '8008 0000 0000 0006';

/** An AVP (unknown type 99, M=0) with a `n`-byte value: 6 + n bytes on the wire. */
const raw = (n: number, fill = 0xab): AvpInit => ({ type: 99, value: new Uint8Array(n).fill(fill) });

/**
 * AVPs totalling `avpBytes` bytes: whole 1023-byte AVPs (the 10-bit Length's largest, §4.1) and
 * one shorter AVP for the rest (the rest must be at least 6).
 */
function avpsOf(avpBytes: number): AvpInit[] {
  const out: AvpInit[] = [];
  while (avpBytes - 1023 >= 6) {
    out.push(raw(1017));
    avpBytes -= 1023;
  }
  if (avpBytes) out.push(raw(avpBytes - 6));
  return out;
}

const messageTypeAvp = (t: number): AvpInit => ({ mandatory: true, type: 0, value: Uint8Array.of(t >> 8, t & 0xff) });

describe('encodeControl: what is not a message', () => {
  it.each([
    [null, 'null'],
    [undefined, 'undefined'],
    [42, 'number'],
    ['HELLO', 'string'],
  ])('%s is a TypeError naming what it got (%s)', (msg, what) => {
    expect(() => encodeControl(msg as never)).toThrow(new TypeError(`message must be an object, got ${what}`));
  });
});

describe('encodeControl: the message type', () => {
  // 0 is a ZLB; a Message Type AVP value is 16 bits (§4.4.1).
  it.each([70000, -1, 1.5])('type %s is a RangeError, pooled or into a target', (type) => {
    const want = new RangeError(`type must be an integer from 1 to 65535, got ${type}`);
    expect(() => encodeControl({ type })).toThrow(want);
    expect(() => encodeControl({ type }, new Uint8Array(64))).toThrow(want);
  });
});

describe('encodeControl into a target', () => {
  const cases: [string, () => object][] = [
    ['typed', () => ({ type: MessageType.HELLO, tunnelId: 1 })],
    ['verbatim', () => ({ tunnelId: 1, avps: [messageTypeAvp(MessageType.HELLO)] })],
  ];

  it.each(cases)('%s: writes the 20 bytes at the offset and nothing else', (_, msg) => {
    const target = new Uint8Array(40).fill(0xee);
    expect(encodeControl(msg(), target, 7)).toBe(target);
    expect(toHex(target)).toBe('ee'.repeat(7) + HELLO_T1.replace(/ /g, '') + 'ee'.repeat(13));
  });

  it.each(cases)('%s: a target that is not bytes is a TypeError naming it', (_, msg) => {
    expect(() => encodeControl(msg() as never, 'buffer' as never)).toThrow(new TypeError('target must be a Uint8Array, got string'));
  });

  it.each(cases)('%s: an offset past the last that fits is a RangeError giving the range', (_, msg) => {
    // 20 bytes into 40: offsets 0 to 20 fit.
    const target = new Uint8Array(40);
    expect(() => encodeControl(msg() as never, target, 21)).toThrow(new RangeError('offset must be an integer from 0 to 20, got 21'));
    expect(() => encodeControl(msg() as never, target, -1)).toThrow(new RangeError('offset must be an integer from 0 to 20, got -1'));
    expect(toHex(encodeControl(msg() as never, target, 20).subarray(20))).toBe(HELLO_T1.replace(/ /g, ''));
  });

  it('a ZLB (§5.8: header only, Length 12) writes its 12 bytes and leaves the rest of the target alone', () => {
    const target = new Uint8Array(32).fill(0xee);
    encodeControl({ tunnelId: 1, ns: 2, nr: 3 }, target, 4);
    expect(toHex(target)).toBe('ee'.repeat(4) + 'c802000c0001000000020003' + 'ee'.repeat(16));
  });

  it('a ZLB with extraAvps is a TypeError, into a target too', () => {
    const want = new TypeError('a ZLB carries no AVPs, got extraAvps');
    expect(() => encodeControl({ extraAvps: [raw(1)] })).toThrow(want);
    expect(() => encodeControl({ extraAvps: [raw(1)] }, new Uint8Array(64))).toThrow(want);
    // An empty list is no AVP: still a ZLB.
    expect(toHex(encodeControl({ tunnelId: 1, extraAvps: [] }, new Uint8Array(12)))).toBe('c802000c0001000000000000');
  });
});

describe('the 16-bit Length field (§3.1): 65535 bytes at most', () => {
  it('verbatim: 65535 bytes encode (Length ffff); 65536 is a RangeError, before the target is looked at', () => {
    const avps = [messageTypeAvp(MessageType.HELLO), ...avpsOf(65535 - 20)];
    const b = encodeControl({ tunnelId: 1, avps });
    expect(b.length).toBe(65535);
    expect(toHex(b.subarray(0, 20))).toBe('c802ffff00010000000000008008000000000006');
    const into = new Uint8Array(65535);
    encodeControl({ tunnelId: 1, avps }, into);
    expect(toHex(into)).toBe(toHex(b));

    const over = [messageTypeAvp(MessageType.HELLO), ...avpsOf(65536 - 20)];
    const want = new RangeError('message would be 65536 bytes; the Length field holds at most 65535');
    expect(() => encodeControl({ avps: over })).toThrow(want);
    // Too big is the problem, not the buffer: the caller is told that, not about the offset.
    expect(() => encodeControl({ avps: over }, new Uint8Array(100))).toThrow(want);
  });

  it('typed: 65535 bytes encode, pooled or into a target; 65536 is a RangeError, before the target is looked at', () => {
    const extraAvps = avpsOf(65535 - 20);
    const b = encodeControl({ type: MessageType.HELLO, tunnelId: 1, extraAvps });
    expect(b.length).toBe(65535);
    expect(toHex(b.subarray(0, 20))).toBe('c802ffff00010000000000008008000000000006');
    const into = new Uint8Array(65535);
    encodeControl({ type: MessageType.HELLO, tunnelId: 1, extraAvps }, into);
    expect(toHex(into)).toBe(toHex(b));

    const over = avpsOf(65536 - 20);
    const want = new RangeError('message would be 65536 bytes; the Length field holds at most 65535');
    expect(() => encodeControl({ type: MessageType.HELLO, extraAvps: over })).toThrow(want);
    expect(() => encodeControl({ type: MessageType.HELLO, extraAvps: over }, new Uint8Array(100))).toThrow(want);
  });
});

describe('the shared slab holds only messages of at most 1024 bytes (bytes.ts POOL_MAX)', () => {
  // HELLO (20 bytes) + an unknown AVP of 6 + n bytes.
  const hello = (n: number) => ({ type: MessageType.HELLO, tunnelId: 1, extraAvps: [raw(n)] });
  // HELLO + a Challenge AVP (§4.4.3, type 11, M=1): a typed field the codec writes.
  const challenged = (n: number) => ({ type: MessageType.HELLO, tunnelId: 1, challenge: new Uint8Array(n).fill(0xcd) });

  it.each([
    ['an extra AVP', hello],
    ['a typed Challenge', challenged],
  ])('a message of 1024 bytes is a slab view; 1025 to 1043 bytes get a buffer of their own (%s)', (_, make) => {
    const small = encodeControl(make(1024 - 26));
    expect(small.length).toBe(1024);
    expect(small.buffer.byteLength).toBe(8192);
    for (const size of [1025, 1030, 1036, 1043]) {
      const b = encodeControl(make(size - 26));
      expect(b.length).toBe(size);
      expect([b.byteOffset, b.buffer.byteLength]).toEqual([0, size]);
      expect(toHex(b.subarray(0, 20))).toBe(`c802${size.toString(16).padStart(4, '0')}00010000000000008008000000000006`);
      expect(parseControl(b).length).toBe(size);
    }
  });

  it('a big message right after the slab is nearly full encodes (it must not be written past the slab)', () => {
    for (const make of [hello, challenged]) {
      // Fill the slab with 1024-byte messages until one sits at 6144: the next starts at 7168,
      // the last place a 1024-byte message fits in 8192.
      let guard = 0;
      while (encodeControl(make(1024 - 26)).byteOffset !== 6144) expect(guard++).toBeLessThan(16);
      const b = encodeControl(make(1030 - 26));
      expect(b.length).toBe(1030);
      expect(toHex(b.subarray(1024))).toBe((make === hello ? 'ab' : 'cd').repeat(6));
    }
  });

  it('a message of 9227 bytes (nine full extra AVPs) encodes and parses back', () => {
    const extraAvps = avpsOf(9 * 1023);
    const b = encodeControl({ type: MessageType.HELLO, tunnelId: 1, extraAvps });
    expect(b.length).toBe(20 + 9 * 1023);
    const m = parseControl(b);
    expect(m.avps.map((a) => [a.type, a.value.length])).toEqual([[0, 2], ...Array.from({ length: 9 }, () => [99, 1017])]);
  });
});

describe('Message Type AVP header (§4.4.1) and typed field order (§6)', () => {
  it('messageType stands for type and is written once, as the first AVP', () => {
    expect(toHex(encodeControl({ messageType: MessageType.HELLO, tunnelId: 1 } as never))).toBe(HELLO_T1.replace(/ /g, ''));
  });
});
