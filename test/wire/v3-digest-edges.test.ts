/**
 * signControlV3 / verifyControlV3 (RFC 3931 §5.4.1 Message Digest) at their edges: what the walk
 * over the AVPs refuses (and the exact L2tpError it says), what it must not mistake for a Message
 * Digest AVP, trailing bytes past the Length field (ignored, header.ts), and the local-misuse
 * TypeErrors. Messages are written by hand from RFC 3931 §3.2.1 (control header) and §5.1 (AVP
 * header); expected digests come from Node's OpenSSL HMAC over the input §5.4.1 describes.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signControlV3, verifyControlV3 } from '../../src/index.js';
import { expectL2tpError } from '../support/errors.js';
import { hex } from '../support/hex.js';

const SECRET = 'edge-secret';
/** §4.3 / §5.4.1 key: HMAC-MD5(secret, the octet 2), by OpenSSL. */
const KEY = createHmac('md5', Buffer.from(SECRET)).update(Uint8Array.of(2)).digest();
const md5Of = (...parts: Uint8Array[]) => parts.reduce((h, p) => h.update(p), createHmac('md5', KEY)).digest();

/** v3 SCCCN header (T=1 L=1 S=1 Ver=3, CCID 01020304, Ns 2, Nr 3) with Length `n`, and Message Type 3. */
const head = (n: number) => `c803 ${n.toString(16).padStart(4, '0')} 01020304 0002 0003  8008 0000 0000 0003`;
/** Message Digest (type 59, M=1, Length 23): Digest Type 0 (HMAC-MD5), 16 zero bytes. */
const MD5_DIGEST = '8017 0000 003b 00' + '00'.repeat(16);
/** Where the first digest's bytes start: 12 + 8 + 6 + 1. */
const AT = 27;

/** A 43-byte SCCCN with one zeroed HMAC-MD5 digest, then `more` (hex) AVPs, Length counting them. */
function scccn(more = ''): Uint8Array {
  const extra = hex(more);
  return hex(head(43 + extra.length) + MD5_DIGEST + more);
}

describe('what the digest walk refuses', () => {
  const bad = 'not an L2TPv3 control message (T bit clear or version not 3)';

  it('fewer than the 12 header bytes is BAD_VERSION; a 12-byte header alone has no digest (MISSING_AVP)', () => {
    const eleven = hex('c803 000b 01020304 0000 00');
    expectL2tpError(() => verifyControlV3(eleven, { secret: SECRET }), { code: 'BAD_VERSION', offset: 0, reason: bad });
    expectL2tpError(() => signControlV3(eleven, { secret: SECRET }), { code: 'BAD_VERSION', offset: 0, reason: bad });
    const zlb = hex('c803 000c 01020304 0000 0000');
    expectL2tpError(() => verifyControlV3(zlb, { secret: SECRET }), {
      code: 'MISSING_AVP',
      offset: 12,
      reason: 'control message authentication is on but the message has no Message Digest AVP (RFC 3931 §5.4.1)',
    });
    expect(() => signControlV3(zlb, { secret: SECRET })).toThrow(
      new RangeError('the message has no Message Digest AVP (59) to fill: encode one (e.g. messageDigest: { digestType: 0, digest: new Uint8Array(16) }) before signing'),
    );
  });

  it('a T bit clear (a data message) is BAD_VERSION though the version is 3', () => {
    const data = scccn();
    data[0] = 0x48;
    expectL2tpError(() => signControlV3(data, { secret: SECRET }), { code: 'BAD_VERSION', offset: 0, reason: bad });
  });

  it('an AVP whose Length runs past the message is BAD_AVP_LENGTH at that AVP', () => {
    // A last AVP (type 99) claiming 12 bytes where 8 are left.
    const b = scccn('000c 0000 0063 0102');
    expectL2tpError(() => signControlV3(b, { secret: SECRET }), { code: 'BAD_AVP_LENGTH', offset: 43, reason: 'AVP Length 12 does not fit the message' });
    expectL2tpError(() => verifyControlV3(b, { secret: SECRET }), { code: 'BAD_AVP_LENGTH', offset: 43, reason: 'AVP Length 12 does not fit the message' });
  });

  it('a Message Digest AVP of 6 bytes (no Digest Type), even as the last AVP, is BAD_AVP_VALUE', () => {
    const b = scccn('0006 0000 003b');
    expectL2tpError(() => signControlV3(b, { secret: SECRET }), { code: 'BAD_AVP_VALUE', offset: 43, reason: 'Message Digest AVP without a Digest Type' });
  });

  it('a Message Digest AVP of 7 bytes (a Digest Type, no digest) is the wrong digest length', () => {
    const b = scccn('0007 0000 003b 00');
    expectL2tpError(() => verifyControlV3(b, { secret: SECRET }), { code: 'BAD_AVP_VALUE', offset: 49, reason: 'Message Digest Type 0 needs a 16-byte digest, got 0 (RFC 3931 §5.4.1)' });
  });

  it('an unknown Digest Type names itself and the two known ones', () => {
    const b = scccn();
    b[AT - 1] = 7;
    expectL2tpError(() => verifyControlV3(b, { secret: SECRET }), { code: 'BAD_AVP_VALUE', offset: 26, reason: 'Message Digest Type 7 is unknown (0 HMAC-MD5, 1 HMAC-SHA-1; RFC 3931 §5.4.1)' });
  });

  it('a third Message Digest AVP is BAD_AVP_VALUE (§5.4.1 allows two)', () => {
    const b = scccn(MD5_DIGEST + MD5_DIGEST);
    expectL2tpError(() => signControlV3(b, { secret: SECRET }), { code: 'BAD_AVP_VALUE', offset: 66, reason: 'more than two Message Digest AVPs (RFC 3931 §5.4.1 allows two)' });
  });

  it('a wrong digest is BAD_DIGEST at the digest, with the reasons it gives', () => {
    const b = signControlV3(scccn(), { secret: SECRET });
    expectL2tpError(() => verifyControlV3(b, { secret: 'other' }), {
      code: 'BAD_DIGEST',
      offset: AT,
      reason: 'Message Digest does not match (wrong secret or nonces, or the message was altered; RFC 3931 §5.4.1)',
    });
  });
});

describe('what the digest walk accepts', () => {
  it('an AVP of exactly 6 bytes (a header, no value) is walked past', () => {
    const b = scccn('0006 0000 0063');
    const signed = signControlV3(b.slice(), { secret: SECRET });
    expect(Buffer.from(signed.subarray(AT, AT + 16))).toEqual(md5Of(b));
    verifyControlV3(signed, { secret: SECRET });
  });

  it('a vendor AVP of type 59 (Cisco, vendor 9) is not a Message Digest: left as it is', () => {
    const b = scccn('000c 0009 003b 00 0102030405');
    const signed = signControlV3(b.slice(), { secret: SECRET });
    expect(Buffer.from(signed.subarray(AT, AT + 16))).toEqual(md5Of(b));
    expect(signed.subarray(43)).toEqual(hex('000c 0009 003b 00 0102030405'));
    verifyControlV3(signed, { secret: SECRET });
  });

  it('bytes past the Length field (link padding) are neither walked nor hashed', () => {
    const msg = scccn();
    const padded = new Uint8Array(msg.length + 8);
    padded.set(msg);
    const signed = signControlV3(padded, { secret: SECRET });
    expect(Buffer.from(signed.subarray(AT, AT + 16))).toEqual(md5Of(msg));
    expect(signed.subarray(43)).toEqual(new Uint8Array(8));
    verifyControlV3(signed, { secret: SECRET });
  });
});

describe('local misuse: TypeErrors naming the argument', () => {
  it.each([
    ['signControlV3', signControlV3],
    ['verifyControlV3', verifyControlV3],
  ] as const)('%s: bytes, nonces.local and nonces.remote must be Uint8Arrays', (_, f) => {
    expect(() => f('c803' as never, { secret: SECRET })).toThrow(new TypeError('bytes must be a Uint8Array, got string'));
    const good = new Uint8Array(16);
    expect(() => f(scccn(), { secret: SECRET, nonces: { local: 'abc' as never, remote: good } })).toThrow(new TypeError('nonces.local must be a Uint8Array, got string'));
    expect(() => f(scccn(), { secret: SECRET, nonces: { local: good, remote: null as never } })).toThrow(new TypeError('nonces.remote must be a Uint8Array, got null'));
  });
});
