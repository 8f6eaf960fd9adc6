/**
 * encodeControlV3 (RFC 3931 §5.4.1) at its edges: the default Digest Type (0, HMAC-MD5, 16
 * bytes), the Message Digest AVP put right after Message Type (§5.4.1: "MUST immediately follow
 * the Message Type AVP") also when a caller's verbatim AVPs place it later or start with a vendor
 * AVP of the same type number, and the refusals with their text. Expected bytes are written by
 * hand (§3.2.1 header, §5.1 AVP header); digests by Node's OpenSSL HMAC.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { encodeControlV3, type AvpInit } from '../../src/index.js';
import { hex, toHex } from '../support/hex.js';

const SECRET = 'v3-auth-edge';
/** §4.3: the shared key is HMAC-MD5(secret, 0x02). */
const KEY = createHmac('md5', Buffer.from(SECRET)).update(Uint8Array.of(2)).digest();
const messageType = (t: number): AvpInit => ({ mandatory: true, type: 0, value: Uint8Array.of(0, t) });
const zeroMd5Digest: AvpInit = { mandatory: true, type: 59, value: new Uint8Array(17) };
const cisco59: AvpInit = { vendorId: 9, type: 59, value: hex('0102030405') };

/** `bytes` with the 16 digest bytes at `at` zeroed, and the HMAC-MD5 they must hold. */
function expectMd5DigestAt(bytes: Uint8Array, at: number): void {
  const zeroed = bytes.slice();
  zeroed.fill(0, at, at + 16);
  expect(toHex(bytes.subarray(at, at + 16))).toBe(createHmac('md5', KEY).update(zeroed).digest('hex'));
}

describe('encodeControlV3', () => {
  it('by default signs with HMAC-MD5 (Digest Type 0, a 16-byte digest) right after Message Type', () => {
    const b = encodeControlV3({ type: 3, tunnelId: 0x01020304, ns: 1, nr: 2 }, { secret: SECRET });
    // c803 Length 43, CCID 01020304, Ns 1, Nr 2 | Message Type SCCCN (3) | Message Digest: M=1, Length 23, type 59, Digest Type 0.
    expect(toHex(b.subarray(0, 27))).toBe('c803002b0102030400010002' + '800800000000' + '0003' + '80170000003b' + '00');
    expect(b.length).toBe(43);
    expectMd5DigestAt(b, 27);
  });

  it('verbatim AVPs: the Message Digest is moved to right after Message Type, past a vendor AVP of type 59', () => {
    const b = encodeControlV3({ tunnelId: 7, avps: [messageType(3), cisco59, zeroMd5Digest] }, { secret: SECRET });
    expect(toHex(b.subarray(0, 27))).toBe('c80300360000000700000000' + '800800000000' + '0003' + '80170000003b' + '00');
    // The vendor AVP (Length 11, vendor 9, type 59) now follows the digest, unchanged.
    expect(toHex(b.subarray(43))).toBe('000b0009003b' + '0102030405');
    expectMd5DigestAt(b, 27);
  });

  it('verbatim AVPs without a Message Digest: a RangeError saying to encode one', () => {
    expect(() => encodeControlV3({ tunnelId: 7, avps: [messageType(3), cisco59] }, { secret: SECRET })).toThrow(
      new RangeError('the message has no Message Digest AVP (59) to fill: encode one (e.g. messageDigest: { digestType: 0, digest: new Uint8Array(16) }) before signing'),
    );
  });

  it('a ZLB and an unknown Digest Type are RangeErrors saying what to do', () => {
    expect(() => encodeControlV3({ tunnelId: 7 }, { secret: SECRET })).toThrow(
      new RangeError('an authenticated v3 message needs a message type: a ZLB has no room for a Message Digest (use the ACK message, type 20)'),
    );
    expect(() => encodeControlV3({ type: 3 }, { secret: SECRET, digestType: 2 as 0 })).toThrow(new RangeError('auth.digestType must be 0 (HMAC-MD5) or 1 (HMAC-SHA-1), got 2'));
  });
});
