/**
 * Value codecs: known answers from the RFC layouts and from real xl2tpd bytes, then round-trip and
 * totality properties for every codec (fast-check, 1000 runs each).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ValueCodec } from '../../src/wire/avp-def.js';
import { L2tpError } from '../../src/wire/errors.js';
import * as c from '../../src/wire/value-codecs.js';
import { hex, toHex } from '../support/hex.js';
import { runs } from '../runs.js';

const RUNS = { numRuns: runs(1000) };

function decode<T>(codec: ValueCodec<T>, bytes: Uint8Array): T {
  return codec.decode(bytes, 0, bytes.length);
}

function encode<T>(codec: ValueCodec<T>, v: T): Uint8Array {
  const b = new Uint8Array(codec.encodedLength(v));
  codec.encode(v, b, 0);
  return b;
}

function l2tpErrorOf(f: () => unknown): L2tpError {
  try {
    f();
  } catch (e) {
    if (e instanceof L2tpError) return e;
    throw e;
  }
  throw new Error('expected an L2tpError');
}

describe('Result Code (RFC 2661 §4.4.2)', () => {
  it('decodes the 2-byte form (no Error Code) to { result } without an error key', () => {
    const v = decode(c.resultCode, hex('0001'));
    expect(v).toEqual({ result: 1 });
    expect(Object.keys(v)).toEqual(['result']);
  });

  it("decodes xl2tpd's StopCCN Result Code (plain.hex #12: result 1, error 0, 'Server closing')", () => {
    // plain.hex #12, the AVP after Assigned Tunnel ID: 8018 0000 0001 | 0001 0000 "Server closing"
    const v = decode(c.resultCode, hex('0001 0000 53657276657220636c6f73696e67'));
    expect(v).toEqual({ result: 1, error: 0, message: 'Server closing' });
  });

  it("decodes xl2tpd's CDN Result Code (plain.hex #10: the 4-byte form, result 1, error 0)", () => {
    const v = decode(c.resultCode, hex('0001 0000'));
    expect(v).toEqual({ result: 1, error: 0 });
    expect('message' in v).toBe(false);
  });

  it("decodes xl2tpd's StopCCN for an unknown M=1 AVP (hostile.summary #17: result 2, error 6)", () => {
    const msg = 'mandatory attribute 99 cannot be handled';
    const bytes = new Uint8Array(4 + msg.length);
    bytes.set(hex('0002 0006'));
    for (let i = 0; i < msg.length; i++) bytes[4 + i] = msg.charCodeAt(i);
    expect(decode(c.resultCode, bytes)).toEqual({ result: 2, error: 6, message: msg });
  });

  it('refuses a 3-byte value: the Error Code is 2 octets (BAD_AVP_VALUE)', () => {
    const e = l2tpErrorOf(() => c.resultCode.decode(hex('aa 0001 00'), 1, 3));
    expect(e.code).toBe('BAD_AVP_VALUE');
    expect(e.offset).toBe(1);
  });

  it('encodes the three forms with the lengths §4.4.2 gives (8, 10, 10 + message, minus the 6-byte header)', () => {
    expect(toHex(encode(c.resultCode, { result: 1 }))).toBe('0001');
    expect(toHex(encode(c.resultCode, { result: 2, error: 8 }))).toBe('00020008');
    expect(toHex(encode(c.resultCode, { result: 2, error: 6, message: 'x' }))).toBe('0002000678');
  });

  it('refuses a message without an error code (a TypeError naming the fix)', () => {
    expect(() => c.resultCode.encodedLength({ result: 1, message: 'bye' })).toThrow(TypeError);
    expect(() => c.resultCode.encodedLength({ result: 1, message: 'bye' })).toThrow(/error/);
  });
});

describe('fixed-layout values', () => {
  it('Protocol Version: Ver, Rev octets (RFC 2661 §4.4.3; xl2tpd sends 0100)', () => {
    expect(decode(c.protocolVersion, hex('0100'))).toEqual({ version: 1, revision: 0 });
    expect(toHex(encode(c.protocolVersion, { version: 1, revision: 0 }))).toBe('0100');
  });

  it('bit sets: Framing Capabilities 0x00000003 (xl2tpd SCCRQ: async and sync)', () => {
    expect(decode(c.bits32, hex('00000003'))).toBe(3);
    expect(decode(c.bits16, hex('0003'))).toBe(3);
  });

  it('Q.931 Cause Code: Cause Code (2), Cause Msg (1), Advisory Msg (RFC 2661 §4.4.4)', () => {
    expect(decode(c.q931Cause, hex('0011 45 62757379'))).toEqual({ cause: 17, message: 0x45, advisory: 'busy' });
    expect(decode(c.q931Cause, hex('0010 5a'))).toEqual({ cause: 16, message: 0x5a });
  });

  it('Call Errors: Reserved (2) then six 32-bit counters in RFC order (RFC 2661 §4.4.6)', () => {
    const v = decode(c.callErrors, hex('0000 00000001 00000002 00000003 00000004 00000005 ffffffff'));
    expect(v).toEqual({
      crcErrors: 1,
      framingErrors: 2,
      hardwareOverruns: 3,
      bufferOverruns: 4,
      timeoutErrors: 5,
      alignmentErrors: 0xffffffff,
    });
    // The reserved field is ignored on receipt and sent as zero.
    expect(decode(c.callErrors, hex('ffff 00000001 00000002 00000003 00000004 00000005 ffffffff'))).toEqual(v);
    expect(toHex(encode(c.callErrors, v)).slice(0, 4)).toBe('0000');
  });

  it('ACCM: Reserved (2), Send ACCM (4), Receive ACCM (4) (RFC 2661 §4.4.6)', () => {
    expect(decode(c.accm, hex('0000 000a0000 ffffffff'))).toEqual({ send: 0x000a0000, receive: 0xffffffff });
    expect(toHex(encode(c.accm, { send: 1, receive: 2 }))).toBe('00000000000100000002');
  });

  it('Proxy Authen ID: Reserved (1), ID (1) (RFC 2661 §4.4.5)', () => {
    expect(decode(c.proxyAuthenId, hex('ff07'))).toBe(7);
    expect(toHex(encode(c.proxyAuthenId, 7))).toBe('0007');
  });

  it('PPP Disconnect Cause Code: code, protocol, direction, message (RFC 3145 §2)', () => {
    expect(decode(c.pppDisconnectCause, hex('0003 c021 01 6869'))).toEqual({ code: 3, protocol: 0xc021, direction: 1, message: 'hi' });
    expect(decode(c.pppDisconnectCause, hex('0003 c021 02'))).toEqual({ code: 3, protocol: 0xc021, direction: 2 });
  });

  it('Message Digest: Digest Type (1) then the HMAC (RFC 3931 §5.4.1)', () => {
    const v = decode(c.messageDigest, hex('00 000102030405060708090a0b0c0d0e0f'));
    expect(v.digestType).toBe(0);
    expect(toHex(v.digest)).toBe('000102030405060708090a0b0c0d0e0f');
  });

  it('64-bit Connect Speed as bigint (RFC 3931 §5.4.4)', () => {
    expect(decode(c.u64, hex('ffffffffffffffff'))).toBe(2n ** 64n - 1n);
    expect(decode(c.u64, hex('0000000100000002'))).toBe(0x100000002n);
    expect(toHex(encode(c.u64, 0x0102030405060708n))).toBe('0102030405060708');
  });

  it('Pseudowire Capabilities List: 16-bit types; an odd length is BAD_AVP_VALUE', () => {
    expect(decode(c.u16List(), hex('0005 0004'))).toEqual([5, 4]);
    expect(l2tpErrorOf(() => decode(c.u16List(), hex('000500'))).code).toBe('BAD_AVP_VALUE');
  });

  it('Sequencing Required: a zero-length value is the flag (RFC 2661 §4.4.4)', () => {
    expect(decode(c.empty, new Uint8Array(0))).toBe(true);
    expect(c.empty.encodedLength(true)).toBe(0);
    expect(() => c.empty.encodedLength(false as never)).toThrow(TypeError);
  });

  it('Assigned Cookie lengths 4 or 8 only (RFC 3931 §5.4.4)', () => {
    const cookie = c.bytes(4, 8, [4, 8]);
    expect(toHex(decode(cookie, hex('01020304')))).toBe('01020304');
    expect(l2tpErrorOf(() => decode(cookie, hex('0102030405'))).code).toBe('BAD_AVP_VALUE');
    expect(() => cookie.encodedLength(new Uint8Array(6))).toThrow(RangeError);
  });
});

describe('non-zero IDs (RFC 2661 §4.4.3/§4.4.4)', () => {
  it('Assigned Tunnel/Session ID 0 is accepted from a peer but refused when sending', () => {
    expect(decode(c.nonZeroU16, hex('0000'))).toBe(0);
    expect(() => c.nonZeroU16.encodedLength(0)).toThrow(/0 is reserved/);
    expect(decode(c.nonZeroU16, hex('b574'))).toBe(46452); // plain.hex #1 Assigned Tunnel ID
  });
});

describe('strings and bytes', () => {
  it("decodes xl2tpd's Host Name and Vendor Name (plain.hex #1)", () => {
    expect(decode(c.string(1), hex('6c61632d706c61696e'))).toBe('lac-plain');
    expect(decode(c.string(), hex('78656c6572616e63652e636f6d'))).toBe('xelerance.com');
  });

  it('decodes UTF-8 beyond ASCII, and malformed UTF-8 as U+FFFD (never throws)', () => {
    expect(decode(c.string(), hex('68c3a9e282ac f09f9880'))).toBe('hé€😀');
    expect(decode(c.string(), hex('41ff42'))).toBe('A\ufffdB');
  });

  it('keeps a leading U+FEFF (not a byte-order mark to strip), short or long', () => {
    expect(decode(c.string(), hex('efbbbf 41'))).toBe('\ufeffA');
    const long = '\ufeff' + 'x'.repeat(40);
    expect(decode(c.string(), encode(c.string(), long))).toBe(long);
  });

  it('encodes UTF-8 by hand like TextEncoder, lone surrogates as U+FFFD', () => {
    expect(toHex(encode(c.string(), 'hé€😀'))).toBe('68c3a9e282acf09f9880');
    expect(toHex(encode(c.string(), '\ud800x'))).toBe('efbfbd78');
    expect(c.string().encodedLength('😀')).toBe(4);
  });

  it('decodes at an offset inside a larger buffer', () => {
    const b = hex('ff ff 6162 ff');
    expect(c.string().decode(b, 2, 2)).toBe('ab');
    expect(c.u16.decode(b, 1, 2)).toBe(0xff61);
  });

  it('bytes decode to a view of the message, not a copy', () => {
    const b = hex('00 01020304 00');
    const v = c.bytes().decode(b, 1, 4);
    expect(v.buffer).toBe(b.buffer);
    expect(toHex(v)).toBe('01020304');
  });

  it('a string longer than an AVP can hold (1017 bytes) is a RangeError saying so', () => {
    expect(() => c.string().encodedLength('x'.repeat(1018))).toThrow(RangeError);
    expect(() => c.string().encodedLength('x'.repeat(1018))).toThrow(/1018 bytes.*0 to 1017/);
    expect(c.string().encodedLength('x'.repeat(1017))).toBe(1017);
    // 509 two-byte characters are 1018 bytes.
    expect(() => c.string().encodedLength('é'.repeat(509))).toThrow(RangeError);
  });

  it('Host Name needs at least one octet (RFC 2661 §4.4.3)', () => {
    expect(() => c.string(1).encodedLength('')).toThrow(RangeError);
  });
});

describe('local errors: wrong types and ranges', () => {
  it.each([
    ['u8 256', () => c.u8.encodedLength(256), RangeError],
    ['u16 70000', () => c.u16.encodedLength(70000), RangeError],
    ['u16 1.5', () => c.u16.encodedLength(1.5), RangeError],
    ['u16 "5"', () => c.u16.encodedLength('5' as never), TypeError],
    ['u32 -1', () => c.u32.encodedLength(-1), RangeError],
    ['nonZeroU16 0', () => c.nonZeroU16.encodedLength(0), RangeError],
    ['nonZeroU32 0', () => c.nonZeroU32.encodedLength(0), RangeError],
    ['u64 number', () => c.u64.encodedLength(5 as never), TypeError],
    ['u64 2^64', () => c.u64.encodedLength(2n ** 64n), RangeError],
    ['string number', () => c.string().encodedLength(5 as never), TypeError],
    ['bytes array', () => c.bytes().encodedLength([1, 2] as never), TypeError],
    ['bytes 7 for a 8-byte tie breaker', () => c.bytes(8, 8).encodedLength(new Uint8Array(7)), RangeError],
    ['resultCode null', () => c.resultCode.encodedLength(null as never), TypeError],
    ['protocolVersion 256', () => c.protocolVersion.encodedLength({ version: 256, revision: 0 }), RangeError],
    ['u16List entry', () => c.u16List().encodedLength([1, 65536]), RangeError],
    ['accm missing receive', () => c.accm.encodedLength({ send: 1 } as never), TypeError],
    ['messageDigest short', () => c.messageDigest.encodedLength({ digestType: 0, digest: new Uint8Array(15) }), RangeError],
  ] as const)('%s', (_name, f, ctor) => {
    expect(f).toThrow(ctor);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const u8 = fc.integer({ min: 0, max: 0xff });
/** Unicode text (any code point, no lone surrogates) that fits `maxBytes` of UTF-8. */
const text = (minLength: number, maxBytes: number) =>
  fc.string({ unit: 'binary', minLength, maxLength: 200 }).filter((s) => c.utf8Length(s) <= maxBytes);

interface Case {
  name: string;
  codec: ValueCodec<unknown>;
  values: fc.Arbitrary<unknown>;
}

const CASES: Case[] = [
  { name: 'u8', codec: c.u8, values: u8 },
  { name: 'u16', codec: c.u16, values: u16 },
  { name: 'nonZeroU16', codec: c.nonZeroU16, values: fc.integer({ min: 1, max: 0xffff }) },
  { name: 'u32', codec: c.u32, values: u32 },
  { name: 'nonZeroU32', codec: c.nonZeroU32, values: fc.integer({ min: 1, max: 0xffffffff }) },
  { name: 'u64', codec: c.u64, values: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }) },
  { name: 'bits16', codec: c.bits16, values: u16 },
  { name: 'bits32', codec: c.bits32, values: u32 },
  { name: 'string', codec: c.string(), values: text(0, 1017) },
  { name: 'string(1)', codec: c.string(1), values: text(1, 1017) },
  { name: 'bytes', codec: c.bytes(), values: fc.uint8Array({ maxLength: 1017 }) },
  { name: 'bytes(1)', codec: c.bytes(1), values: fc.uint8Array({ minLength: 1, maxLength: 64 }) },
  { name: 'bytes(8,8)', codec: c.bytes(8, 8), values: fc.uint8Array({ minLength: 8, maxLength: 8 }) },
  { name: 'bytes(16,16)', codec: c.bytes(16, 16), values: fc.uint8Array({ minLength: 16, maxLength: 16 }) },
  { name: 'cookie', codec: c.bytes(4, 8, [4, 8]), values: fc.oneof(fc.uint8Array({ minLength: 4, maxLength: 4 }), fc.uint8Array({ minLength: 8, maxLength: 8 })) },
  { name: 'empty', codec: c.empty, values: fc.constant(true) },
  { name: 'u16List', codec: c.u16List(), values: fc.array(u16, { maxLength: 508 }) },
  { name: 'protocolVersion', codec: c.protocolVersion, values: fc.record({ version: u8, revision: u8 }) },
  {
    name: 'resultCode',
    codec: c.resultCode,
    values: fc.oneof(
      fc.record({ result: u16 }),
      fc.record({ result: u16, error: u16 }),
      // A message of zero bytes encodes like no message at all; the RFC has no way to tell them apart.
      fc.record({ result: u16, error: u16, message: text(1, 1013) }),
    ),
  },
  {
    name: 'q931Cause',
    codec: c.q931Cause,
    values: fc.oneof(fc.record({ cause: u16, message: u8 }), fc.record({ cause: u16, message: u8, advisory: text(1, 1014) })),
  },
  {
    name: 'callErrors',
    codec: c.callErrors,
    values: fc.record({ crcErrors: u32, framingErrors: u32, hardwareOverruns: u32, bufferOverruns: u32, timeoutErrors: u32, alignmentErrors: u32 }),
  },
  { name: 'accm', codec: c.accm, values: fc.record({ send: u32, receive: u32 }) },
  { name: 'proxyAuthenId', codec: c.proxyAuthenId, values: u8 },
  {
    name: 'pppDisconnectCause',
    codec: c.pppDisconnectCause,
    values: fc.oneof(
      fc.record({ code: u16, protocol: u16, direction: u8 }),
      fc.record({ code: u16, protocol: u16, direction: u8, message: text(1, 1012) }),
    ),
  },
  {
    name: 'messageDigest',
    codec: c.messageDigest,
    values: fc.record({ digestType: u8, digest: fc.uint8Array({ minLength: 16, maxLength: 40 }) }),
  },
];

describe.each(CASES)('$name codec', ({ codec, values }) => {
  it('decode(encode(v)) equals v, within [minLength, maxLength], written only where it says', () => {
    fc.assert(
      fc.property(values, fc.integer({ min: 0, max: 7 }), (v, at) => {
        const n = codec.encodedLength(v);
        expect(n).toBeGreaterThanOrEqual(codec.minLength);
        expect(n).toBeLessThanOrEqual(codec.maxLength);
        const b = new Uint8Array(at + n + 3).fill(0xa5);
        codec.encode(v, b, at);
        for (let i = 0; i < at; i++) expect(b[i]).toBe(0xa5);
        for (let i = at + n; i < b.length; i++) expect(b[i]).toBe(0xa5);
        expect(codec.decode(b, at, n)).toEqual(v);
      }),
      RUNS,
    );
  });

  it('any byte string of an allowed length decodes, or throws only L2tpError BAD_AVP_VALUE', () => {
    const max = Math.min(codec.maxLength, codec.minLength + 64);
    let decoded = 0;
    fc.assert(
      fc.property(fc.uint8Array({ minLength: codec.minLength, maxLength: max }), fc.integer({ min: 0, max: 4 }), (bytes, at) => {
        const b = new Uint8Array(at + bytes.length);
        b.set(bytes, at);
        try {
          const v = codec.decode(b, at, bytes.length);
          // What decodes re-encodes without a local error (a parsed message can be sent back),
          // except a zero ID: accepted from a peer (the FSM decides), refused when we send.
          if (!(codec.kind.endsWith('nz') && v === 0)) codec.encodedLength(v);
          decoded++;
        } catch (e) {
          expect(e).toBeInstanceOf(L2tpError);
          expect((e as L2tpError).code).toBe('BAD_AVP_VALUE');
        }
      }),
      RUNS,
    );
    // Not vacuously all errors: random bytes of an allowed length mostly decode (bytes with a
    // structure, e.g. a u16 list of odd length, decode about half the time).
    expect(decoded).toBeGreaterThan(RUNS.numRuns / 10);
  });
});

describe('canonical encodings: encode(decode(bytes)) gives the bytes back', () => {
  it.each([
    ['u16', c.u16, 2, 2],
    ['u32', c.u32, 4, 4],
    ['u64', c.u64, 8, 8],
    ['bytes', c.bytes(), 0, 64],
    ['protocolVersion', c.protocolVersion, 2, 2],
    ['u16List', c.u16List(), 0, 64],
  ] as const)('%s', (_name, codec, min, max) => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: min, maxLength: max }).filter((b) => codec.kind !== 'u16List' || b.length % 2 === 0),
        (bytes) => {
          const v = (codec as ValueCodec<unknown>).decode(bytes, 0, bytes.length);
          expect(toHex(encode(codec as ValueCodec<unknown>, v))).toBe(toHex(bytes));
        },
      ),
      RUNS,
    );
  });

  it("decodes like the platform's TextDecoder at every length 0–40 (the ASCII fast path's cases), with one non-ASCII byte anywhere", () => {
    const platform = new TextDecoder('utf-8', { ignoreBOM: true });
    let checked = 0;
    for (let n = 0; n <= 40; n++) {
      const ascii = Uint8Array.from({ length: n }, (_, i) => 0x21 + ((i * 7) % 90));
      expect(c.decodeUtf8(ascii, 0, n), `ASCII, ${n} bytes`).toBe(platform.decode(ascii));
      for (let at = 0; at < n; at++) {
        for (const x of [0x80, 0xc3, 0xff]) {
          // Embedded at offset 3 of a larger array: the decoder must honour `o` and `length`.
          const b = new Uint8Array(n + 6).fill(0xe9);
          b.set(ascii, 3);
          b[3 + at] = x;
          expect(c.decodeUtf8(b, 3, n), `${n} bytes, 0x${x.toString(16)} at ${at}`).toBe(platform.decode(b.subarray(3, 3 + n)));
          checked++;
        }
      }
    }
    expect(checked).toBe(3 * ((40 * 41) / 2));
  });

  it('ASCII strings re-encode byte for byte', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }).map((b) => b.map((x) => x & 0x7f)), (bytes) => {
        expect(toHex(encode(c.string(), decode(c.string(), bytes)))).toBe(toHex(bytes));
      }),
      RUNS,
    );
  });
});
