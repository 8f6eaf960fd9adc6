/**
 * L2TPv3 Message Digest (RFC 3931 §4.3, §5.4.1) and v3 AVP hiding (§5.3): known answers.
 *
 * The messages are written out byte by byte from the RFC's layouts (§3.2.1 control header,
 * §5.1 AVP header, §5.4.1 Message Digest), not produced by our encoder, and the expected values
 * come from Node's OpenSSL HMAC/MD5 over the input the RFC describes — an implementation
 * independent of ours. Our HMAC itself is checked against the RFC 2202 vectors in
 * test/crypto/hashes.test.ts ("hmac: RFC 2202 test cases"); the MD5 instance used here against
 * RFC 2202 test case 2 below. tshark's own check of the same digests: v3-wireshark.test.ts.
 */
import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hmac } from '../../src/crypto/index.js';
import {
  encodeControl,
  encodeControlV3,
  hideAvpValueV3,
  L2tpError,
  parseControl,
  parseControlV3,
  signControlV3,
  unhideAvpValueV3,
  v3DigestKey,
  v3HidingKey,
  verifyControlV3,
} from '../../src/index.js';
import { MD5 } from '../../src/wire/v3-digest.js';

const SECRET = 'rfc3931-secret';
const enc = (s: string): Buffer => Buffer.from(s, 'utf8');
const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));

/**
 * A v3 SCCRQ by hand (RFC 3931 §3.2.1, §5.4.1, §5.4.3), Message Digest zeroed, HMAC-MD5:
 *   c803 005f 00000000 0000 0000       T=1 L=1 S=1 Ver=3, Length 95, CCID 0, Ns 0, Nr 0
 *   8008 0000 0000 0001                Message Type = SCCRQ (1)
 *   8017 0000 003b 00 <16 zero bytes>  Message Digest: Digest Type 0 (HMAC-MD5), digest zeroed
 *   8016 0000 0049 <16-byte nonce>     Control Message Authentication Nonce (73)
 *   800a 0000 003c c0000201            Router ID (60)
 *   800a 0000 003d 0a0b0c0d            Assigned Control Connection ID (61)
 *   800a 0000 003e 0005 0004           Pseudowire Capabilities List (62): Ethernet, Ethernet VLAN
 */
const NONCE_A = hex('a0a1a2a3a4a5a6a7a8a9aaabacadaeaf');
const SCCRQ_ZEROED = hex(`
  c803 005f 00000000 0000 0000
  8008 0000 0000 0001
  8017 0000 003b 00 00000000000000000000000000000000
  8016 0000 0049 a0a1a2a3a4a5a6a7a8a9aaabacadaeaf
  800a 0000 003c c0000201
  800a 0000 003d 0a0b0c0d
  800a 0000 003e 0005 0004`);
/** Where the digest bytes sit: 12 header + 8 Message Type + 6 AVP header + 1 Digest Type. */
const DIGEST_AT = 27;

/** An SCCCN by hand with an HMAC-SHA-1 Message Digest (Digest Type 1, 20 bytes; AVP Length 27). */
const SCCCN_ZEROED = hex(`
  c803 002f 01020304 0001 0001
  8008 0000 0000 0003
  801b 0000 003b 01 0000000000000000000000000000000000000000`);
const NONCE_B = hex('303132333435363738393a3b3c3d3e3f4041424344454647');

/** The RFC's Shared-Key, by OpenSSL: HMAC-MD5(key = secret, data = 0x02). */
const sharedKey = createHmac('md5', enc(SECRET)).update(Uint8Array.of(2)).digest();

describe('Message Digest known answers (RFC 3931 §4.3, §5.4.1)', () => {
  it('our MD5 HashFunction passes RFC 2202 test case 2 (the rest: test/crypto/hashes.test.ts)', () => {
    expect(Buffer.from(hmac(MD5, enc('Jefe'), enc('what do ya want for nothing?'))).toString('hex')).toBe('750c783e6ab0b503eaa86e310a5db738');
  });

  it('derives the key as HMAC-MD5(secret, the octet 2)', () => {
    expect(Buffer.from(v3DigestKey(SECRET))).toEqual(sharedKey);
    expect(Buffer.from(v3DigestKey(enc(SECRET)))).toEqual(sharedKey);
  });

  it('SCCRQ: HMAC-MD5 over the whole message (header first) with the digest field zeroed, no nonces', () => {
    const expected = createHmac('md5', sharedKey).update(SCCRQ_ZEROED).digest();
    const signed = signControlV3(SCCRQ_ZEROED.slice(), { secret: SECRET });
    expect(Buffer.from(signed.subarray(DIGEST_AT, DIGEST_AT + 16))).toEqual(expected);
    // Nothing else changed: the Digest Type octet and every other byte are as written.
    const rest = signed.slice();
    rest.fill(0, DIGEST_AT, DIGEST_AT + 16);
    expect(rest).toEqual(SCCRQ_ZEROED);
    verifyControlV3(signed, { secret: SECRET });
  });

  it('with nonces: HMAC over sender nonce | receiver nonce | message, and the order matters', () => {
    const fromA = createHmac('md5', sharedKey).update(NONCE_A).update(NONCE_B).update(SCCRQ_ZEROED).digest();
    const signed = signControlV3(SCCRQ_ZEROED.slice(), { secret: SECRET, nonces: { local: NONCE_A, remote: NONCE_B } });
    expect(Buffer.from(signed.subarray(DIGEST_AT, DIGEST_AT + 16))).toEqual(fromA);
    const fromB = createHmac('md5', sharedKey).update(NONCE_B).update(NONCE_A).update(SCCRQ_ZEROED).digest();
    expect(fromB).not.toEqual(fromA);
    expect(() => verifyControlV3(signed, { secret: SECRET, nonces: { local: NONCE_B, remote: NONCE_A } })).toThrow(expect.objectContaining({ code: 'BAD_DIGEST' }));
  });

  it('HMAC-SHA-1 (Digest Type 1): 20-byte digest, key still HMAC-MD5(secret, 2)', () => {
    const expected = createHmac('sha1', sharedKey).update(NONCE_A).update(NONCE_B).update(SCCCN_ZEROED).digest();
    const signed = signControlV3(SCCCN_ZEROED.slice(), { secret: SECRET, nonces: { local: NONCE_A, remote: NONCE_B } });
    expect(Buffer.from(signed.subarray(DIGEST_AT, DIGEST_AT + 20))).toEqual(expected);
  });
});

describe('two Message Digest AVPs (§5.4.1: switching secrets or algorithms)', () => {
  // An SCCCN by hand with an HMAC-MD5 digest directly followed by an HMAC-SHA-1 one.
  const TWO = hex(`
    c803 0046 01020304 0001 0001
    8008 0000 0000 0003
    8017 0000 003b 00 00000000000000000000000000000000
    801b 0000 003b 01 0000000000000000000000000000000000000000`);
  const nonces = { local: NONCE_A, remote: NONCE_B };

  it('signs both, each over the message with both digest fields zeroed', () => {
    const md5 = createHmac('md5', sharedKey).update(NONCE_A).update(NONCE_B).update(TWO).digest();
    const sha1 = createHmac('sha1', sharedKey).update(NONCE_A).update(NONCE_B).update(TWO).digest();
    const signed = signControlV3(TWO.slice(), { secret: SECRET, nonces });
    expect(Buffer.from(signed.subarray(27, 43))).toEqual(md5);
    expect(Buffer.from(signed.subarray(50, 70))).toEqual(sha1);
  });

  it('accepts the message when either digest is valid, refuses it when neither is', () => {
    const signed = signControlV3(TWO.slice(), { secret: SECRET, nonces });
    const firstBad = signed.slice();
    firstBad[27]! ^= 1;
    const secondBad = signed.slice();
    secondBad[69]! ^= 1;
    const bothBad = firstBad.slice();
    bothBad[69]! ^= 1;
    verifyControlV3(firstBad, { secret: SECRET, nonces });
    verifyControlV3(secondBad, { secret: SECRET, nonces });
    expect(() => verifyControlV3(bothBad, { secret: SECRET, nonces })).toThrow(expect.objectContaining({ code: 'BAD_DIGEST' }));
  });
});

describe('verifyControlV3 refusals', () => {
  const nonces = { local: NONCE_A, remote: NONCE_B };
  const signed = signControlV3(SCCRQ_ZEROED.slice(), { secret: SECRET, nonces });
  const code = (f: () => void): string | undefined => {
    try {
      f();
      return undefined;
    } catch (e) {
      expect(e).toBeInstanceOf(L2tpError);
      return (e as L2tpError).code;
    }
  };

  it('accepts the signed message and refuses any one-bit change anywhere, header included (BAD_DIGEST)', () => {
    expect(code(() => verifyControlV3(signed, { secret: SECRET, nonces }))).toBeUndefined();
    // Every bit of the message: most fail as BAD_DIGEST; those in the version, Length or AVP
    // Length fields may fail earlier (BAD_VERSION, BAD_AVP_LENGTH, …), but every one must fail.
    for (let i = 0; i < signed.length; i++) {
      for (let bit = 0; bit < 8; bit++) {
        const b = signed.slice();
        b[i]! ^= 1 << bit;
        expect(code(() => verifyControlV3(b, { secret: SECRET, nonces })), `byte ${i} bit ${bit}`).toBeDefined();
      }
    }
    const ns = signed.slice();
    ns[9] = 1; // Ns 0 → 1
    expect(code(() => verifyControlV3(ns, { secret: SECRET, nonces }))).toBe('BAD_DIGEST');
  });

  it('refuses a wrong secret or wrong nonces (BAD_DIGEST), with the digest offset', () => {
    expect(code(() => verifyControlV3(signed, { secret: `${SECRET}x`, nonces }))).toBe('BAD_DIGEST');
    expect(code(() => verifyControlV3(signed, { secret: SECRET }))).toBe('BAD_DIGEST');
    try {
      verifyControlV3(signed, { secret: 'nope', nonces });
    } catch (e) {
      expect((e as L2tpError).offset).toBe(DIGEST_AT);
      expect(JSON.parse(JSON.stringify({ code: (e as L2tpError).code }))).toEqual({ code: 'BAD_DIGEST' });
    }
  });

  it('MISSING_AVP without a Message Digest; BAD_AVP_VALUE for an unknown type or wrong length; BAD_VERSION for v2', () => {
    const noDigest = hex('c803 0014 00000000 0000 0000 8008 0000 0000 0006');
    expect(code(() => verifyControlV3(noDigest, { secret: SECRET }))).toBe('MISSING_AVP');
    expect(() => signControlV3(noDigest.slice(), { secret: SECRET })).toThrow(RangeError);
    const type2 = SCCRQ_ZEROED.slice();
    type2[DIGEST_AT - 1] = 2;
    expect(code(() => verifyControlV3(type2, { secret: SECRET }))).toBe('BAD_AVP_VALUE');
    const md5AsSha1 = SCCRQ_ZEROED.slice();
    md5AsSha1[DIGEST_AT - 1] = 1; // 16-byte digest claimed as HMAC-SHA-1
    expect(code(() => verifyControlV3(md5AsSha1, { secret: SECRET }))).toBe('BAD_AVP_VALUE');
    const v2 = SCCRQ_ZEROED.slice();
    v2[1] = 0x02;
    expect(code(() => verifyControlV3(v2, { secret: SECRET }))).toBe('BAD_VERSION');
  });
});

describe('AVP hiding in v3 (RFC 3931 §5.3)', () => {
  const hidingKey = createHmac('md5', enc(SECRET)).update(Uint8Array.of(1)).digest();
  const rv = hex('000102030405060708090a0b0c0d0e0f');

  it('derives the hiding key as HMAC-MD5(secret, the octet 1), not the digest key', () => {
    expect(Buffer.from(v3HidingKey(SECRET))).toEqual(hidingKey);
    expect(hidingKey).not.toEqual(sharedKey);
  });

  it('hides with the §5.3 MD5 chain, b_1 = MD5(A + S + RV), keyed by the derived key (by hand with OpenSSL MD5)', () => {
    // Vendor Name (8) = "acme": subformat = Original Length 0004 | value, one block.
    const plain = hex('0004 61636d65');
    const b1 = createHash('md5').update(Uint8Array.of(0, 8)).update(hidingKey).update(rv).digest();
    const expected = plain.map((p, i) => p ^ b1[i]!);
    const hidden = hideAvpValueV3(8, enc('acme'), SECRET, rv);
    expect(hidden).toEqual(expected);
    expect(unhideAvpValueV3(8, hidden, SECRET, rv)).toEqual(Uint8Array.from(enc('acme')));
    // The v2 scheme (raw secret) gives different bytes: the derived key is really used.
    const b1v2 = createHash('md5').update(Uint8Array.of(0, 8)).update(enc(SECRET)).update(rv).digest();
    expect(hidden).not.toEqual(plain.map((p, i) => p ^ b1v2[i]!));
  });

  it('encodeControlV3 puts the Message Digest right after Message Type, then the Random Vector, and round-trips', () => {
    const nonces = { local: NONCE_B, remote: NONCE_A };
    const bytes = encodeControlV3(
      { type: 2, tunnelId: 0x0a0b0c0d, ns: 0, nr: 1, routerId: 0xc0000202, assignedControlConnectionId: 0x01020304, pseudowireCapabilitiesList: [5], hostName: 'lcce-b', vendorName: 'acme', controlMessageAuthenticationNonce: NONCE_B, hiding: { randomVector: rv, avps: [8] } },
      { secret: SECRET, digestType: 1, nonces },
    );
    const avps = parseControl(bytes).avps;
    expect(avps.slice(0, 3).map((a) => [a.type, a.hidden])).toEqual([
      [0, false],
      [59, false],
      [36, false],
    ]);
    expect(avps.filter((a) => a.hidden).map((a) => a.type)).toEqual([8]);
    const m = parseControlV3(bytes, { secret: SECRET, nonces });
    expect([m.routerId, m.assignedControlConnectionId, m.hostName, m.vendorName]).toEqual([0xc0000202, 0x01020304, 'lcce-b', 'acme']);
    // Unhiding with the raw secret (the v2 way) does not recover them.
    let v2: ReturnType<typeof parseControl> | undefined;
    try {
      v2 = parseControl(bytes, { secret: SECRET });
    } catch (e) {
      expect((e as L2tpError).code).toBe('BAD_HIDDEN_LENGTH');
    }
    expect(v2?.vendorName).not.toBe('acme');
  });

  it('refuses a v3 ZLB (no room for a digest) and an unknown digest type', () => {
    expect(() => encodeControlV3({ type: 0 }, { secret: SECRET })).toThrow(RangeError);
    expect(() => encodeControlV3({ type: 6 }, { secret: SECRET, digestType: 2 as 0 })).toThrow(RangeError);
    // Plain encodeControl keeps working for v3 with the derived key given explicitly.
    const b = encodeControl({ version: 3, type: 6, messageDigest: { digestType: 0, digest: new Uint8Array(16) } });
    verifyControlV3(signControlV3(b, { secret: SECRET }), { secret: SECRET });
  });
});
