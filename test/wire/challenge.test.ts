/// <reference types="node" />
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AvpReader } from '../../src/wire/avp.js';
import { challengeResponse, secretBytes, verifyChallengeResponse } from '../../src/wire/challenge.js';
import { runs } from '../runs.js';

const SECRET = 'l2tp-wire-test-secret';
const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const fromHex = (h: string): Uint8Array => Uint8Array.from(h.match(/../g) ?? [], (x) => parseInt(x, 16));

/** IETF AVP values of a v2 control message (12-byte header: T, L, S set, no O), first of each type. */
function avpValues(msg: Uint8Array): Map<number, Uint8Array> {
  const r = new AvpReader(msg, 12, msg.length);
  const out = new Map<number, Uint8Array>();
  while (r.next()) if (r.vendorId === 0 && !out.has(r.type)) out.set(r.type, r.value());
  return out;
}
const MESSAGE_TYPE = 0;
const CHALLENGE = 11;
const CHALLENGE_RESPONSE = 13;

/**
 * Datagrams copied verbatim from the real xl2tpd 1.3.18 captures (test/vectors/NAME.hex,
 * frames #1–#3: LAC SCCRQ, LNS SCCRP, LAC SCCCN; `challenge = yes` on both sides, secret SECRET).
 * Each SCCRP response was computed by xl2tpd's LNS, each SCCCN response by xl2tpd's LAC, and the
 * other side accepted it (the tunnels came up).
 */
const CAPTURES: Record<string, [sccrq: string, sccrp: string, scccn: string]> = {
  'auth.hex': [
    'c802007f000000000000000080080000000000018008000000020100800a0000000300000003800a00000004000000000008000000060690800e000000076c61632d6175746800130000000878656c6572616e63652e636f6d800800000009d25d80080000000a000480160000000bfa479613b2abda30b82f3a532f304e95',
    'c8020095d25d00000000000180080000000000028008000000020100800a0000000300000003800a00000004000000000008000000060690800e000000076c6e732d6175746800130000000878656c6572616e63652e636f6d8008000000095c3e80080000000a000480160000000de5b024503cac84e555f3eea963fb240f80160000000bde45e90c32e6bb3f6b1b4a131093401d',
    'c802002a5c3e000000010001800800000000000380160000000d5f02e0db58566ef5519e72f29c857f87',
  ],
  'hidden.hex': [
    'c802009700000000000000008008000000000001801600000024607f0210277b0fb97d50f4ab06fa28748008000000020100800a0000000300000003800a000000040000000000080000000606908010000000076c61632d68696464656e00130000000878656c6572616e63652e636f6d80080000000969fd80080000000a000480160000000bacc0870256f60a815158efe89fcd6ad4',
    'c80200ad69fd00000000000180080000000000028016000000240619c0d70e0eb225a57639fb2e9434878008000000020100800a0000000300000003800a000000040000000000080000000606908010000000076c6e732d68696464656e00130000000878656c6572616e63652e636f6d800800000009357480080000000a000480160000000db47061fe7bb3eccdc4ad4d60b008296180160000000bb6bfedd1a1f770b821dd4260e55dc0ed',
    'c802004035740000000100018008000000000003801600000024bb3302ec9f84f76096e8b8748e390d9b80160000000d815309c10348e4ca5e9aca9dae303b78',
  ],
};

describe('challengeResponse: known answers from real xl2tpd', () => {
  it('challenge 00 01 … 0f answered in an SCCRP (hostile.txt, auth LNS)', () => {
    const challenge = Uint8Array.from({ length: 16 }, (_, i) => i);
    expect(hex(challengeResponse(2, SECRET, challenge))).toBe('70941e6ce4c0e8af585afee0d9fb0895');
  });

  it('the same response, read out of the SCCRP xl2tpd actually sent (hostile.txt)', () => {
    // hostile.txt, "auth LNS: SCCRQ with Challenge AVP (16 bytes 00..0f)": the SCCRP received.
    const sccrp = fromHex(
      'c8020095139c00000000000180080000000000028008000000020100800a0000000300000003800a00000004000000000008000000060690800e000000076c6e732d6175746800130000000878656c6572616e63652e636f6d800800000009625780080000000a000480160000000d70941e6ce4c0e8af585afee0d9fb089580160000000bcccc72fde5a31b6595052976bce80cc2',
    );
    const avps = avpValues(sccrp);
    const challenge = Uint8Array.from({ length: 16 }, (_, i) => i);
    expect(verifyChallengeResponse(2, SECRET, challenge, avps.get(CHALLENGE_RESPONSE)!)).toBe(true);
  });

  for (const [file, [rq, rp, cn]] of Object.entries(CAPTURES)) {
    describe(file, () => {
      const sccrq = avpValues(fromHex(rq));
      const sccrp = avpValues(fromHex(rp));
      const scccn = avpValues(fromHex(cn));

      it('frames are SCCRQ, SCCRP, SCCCN with the AVPs the test relies on', () => {
        expect([sccrq, sccrp, scccn].map((m) => hex(m.get(MESSAGE_TYPE)!))).toEqual(['0001', '0002', '0003']);
        expect(sccrq.get(CHALLENGE)).toHaveLength(16);
        expect(sccrp.get(CHALLENGE)).toHaveLength(16);
        expect(sccrp.get(CHALLENGE_RESPONSE)).toHaveLength(16);
        expect(scccn.get(CHALLENGE_RESPONSE)).toHaveLength(16);
      });

      it("SCCRP's Challenge Response = MD5(2 | secret | SCCRQ's Challenge)", () => {
        expect(hex(challengeResponse(2, SECRET, sccrq.get(CHALLENGE)!))).toBe(hex(sccrp.get(CHALLENGE_RESPONSE)!));
        expect(verifyChallengeResponse(2, SECRET, sccrq.get(CHALLENGE)!, sccrp.get(CHALLENGE_RESPONSE)!)).toBe(true);
      });

      it("SCCCN's Challenge Response = MD5(3 | secret | SCCRP's Challenge)", () => {
        expect(hex(challengeResponse(3, SECRET, sccrp.get(CHALLENGE)!))).toBe(hex(scccn.get(CHALLENGE_RESPONSE)!));
        expect(verifyChallengeResponse(3, SECRET, sccrp.get(CHALLENGE)!, scccn.get(CHALLENGE_RESPONSE)!)).toBe(true);
      });

      it('the wrong message type, secret or challenge does not verify', () => {
        const chal = sccrq.get(CHALLENGE)!;
        const resp = sccrp.get(CHALLENGE_RESPONSE)!;
        expect(verifyChallengeResponse(3, SECRET, chal, resp)).toBe(false);
        expect(verifyChallengeResponse(2, SECRET + 'x', chal, resp)).toBe(false);
        expect(verifyChallengeResponse(2, SECRET, sccrp.get(CHALLENGE)!, resp)).toBe(false);
      });
    });
  }
});

describe('verifyChallengeResponse', () => {
  const challenge = Uint8Array.from({ length: 16 }, (_, i) => i);
  const good = fromHex('70941e6ce4c0e8af585afee0d9fb0895');

  it('rejects any single flipped bit', () => {
    for (let i = 0; i < 16 * 8; i++) {
      const bad = good.slice();
      bad[i >> 3] ^= 1 << (i & 7);
      expect(verifyChallengeResponse(2, SECRET, challenge, bad)).toBe(false);
    }
  });

  it('rejects a response of the wrong length (truncated, extended, empty)', () => {
    expect(verifyChallengeResponse(2, SECRET, challenge, good.subarray(0, 15))).toBe(false);
    expect(verifyChallengeResponse(2, SECRET, challenge, Uint8Array.from([...good, 0]))).toBe(false);
    expect(verifyChallengeResponse(2, SECRET, challenge, new Uint8Array(0))).toBe(false);
  });
});

describe('secrets', () => {
  it('a string secret is its UTF-8 bytes', () => {
    const challenge = Uint8Array.from({ length: 16 }, (_, i) => i);
    const bytes = Uint8Array.from(SECRET, (c) => c.charCodeAt(0));
    expect(hex(challengeResponse(2, bytes, challenge))).toBe('70941e6ce4c0e8af585afee0d9fb0895');
  });

  it('UTF-8 encoding agrees with Buffer for any string, lone surrogates included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ unit: fc.nat(0xffff).map((c) => String.fromCharCode(c)), maxLength: 20 }), (a, b) => {
        const s = a + b;
        expect(hex(secretBytes(s))).toBe(Buffer.from(s, 'utf8').toString('hex'));
      }),
      { numRuns: runs(1000) },
    );
  });

  it('agrees with node:crypto for random type, secret and challenge', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 64 }), fc.uint8Array({ maxLength: 64 }), (t, s, c) => {
        const ref = createHash('md5').update(Uint8Array.of(t)).update(s).update(c).digest('hex');
        expect(hex(challengeResponse(t, s, c))).toBe(ref);
      }),
      { numRuns: runs(500) },
    );
  });
});

describe('misuse is a TypeError / RangeError', () => {
  const c = new Uint8Array(16);
  it.each([-1, 256, 2.5, NaN])('messageType %s', (t) => {
    expect(() => challengeResponse(t, SECRET, c)).toThrow(RangeError);
  });
  it('secret and challenge types', () => {
    expect(() => challengeResponse(2, 42 as unknown as string, c)).toThrow(TypeError);
    expect(() => challengeResponse(2, SECRET, 'abc' as unknown as Uint8Array)).toThrow(TypeError);
    expect(() => verifyChallengeResponse(2, SECRET, c, null as unknown as Uint8Array)).toThrow(TypeError);
  });
});
