/**
 * Tunnel authentication by challenge/response (RFC 2661 §4.2 "Challenge Response", §5.1.1).
 *
 * A peer that sends a Challenge AVP (11) expects, in the reply, a Challenge Response AVP (13)
 * whose 16-byte value is `MD5(message type | secret | challenge)`. The one-byte message type is
 * that of the message carrying the response: 2 (SCCRP) for the answer to an SCCRQ's challenge,
 * 3 (SCCCN) for the answer to an SCCRP's. Checked against real xl2tpd 1.3.18 in
 * `test/wire/challenge.test.ts`.
 */
import { assertBytes, assertInt } from './bytes.js';
import { Md5 } from './md5.js';

/** A tunnel secret: raw bytes, or a string that is UTF-8 encoded (as xl2tpd reads its secrets file). */
export type TunnelSecret = Uint8Array | string;

/**
 * Length of a Challenge Response value: one MD5 digest.
 * @example
 * ```ts
 * challengeResponse(MessageType.SCCRP, secret, challenge).length === CHALLENGE_RESPONSE_LENGTH; // true
 * ```
 */
export const CHALLENGE_RESPONSE_LENGTH = 16;

const hasher = new Md5();
const typeByte = new Uint8Array(1);

/**
 * The Challenge Response for `challenge`: `MD5(messageType as one byte | secret | challenge)`
 * (RFC 2661 §4.2). `messageType` is the type of the message that will *carry* the response:
 * `2` in an SCCRP, `3` in an SCCCN.
 *
 * @example
 * ```ts
 * const resp = challengeResponse(2, 'l2tp-wire-test-secret', sccrqChallenge);  // 16 bytes
 * ```
 * @throws `RangeError` when `messageType` is not an integer 0–255; `TypeError` for a secret that is
 *   neither a string nor a `Uint8Array`, or a challenge that is not a `Uint8Array`.
 */
export function challengeResponse(messageType: number, secret: TunnelSecret, challenge: Uint8Array): Uint8Array {
  assertInt(messageType, 0, 255, 'messageType');
  const s = secretBytes(secret);
  assertBytes(challenge, 'challenge');
  typeByte[0] = messageType;
  hasher.reset();
  return hasher.update(typeByte).update(s).update(challenge).digest();
}

/**
 * Check a peer's Challenge Response (RFC 2661 §5.1.1): `true` only when `response` is exactly
 * {@link challengeResponse}`(messageType, secret, challenge)`. The comparison takes the same time
 * wherever the first differing byte is, so it does not leak how much of a guess was right.
 * A response of the wrong length is `false` (its length is public anyway).
 * @example
 * ```ts
 * // LAC side: the SCCRP (type 2) answers the Challenge our SCCRQ sent
 * const ok = verifyChallengeResponse(MessageType.SCCRP, secret, ourChallenge, sccrp.challengeResponse!);
 * ```
 */
export function verifyChallengeResponse(
  messageType: number,
  secret: TunnelSecret,
  challenge: Uint8Array,
  response: Uint8Array,
): boolean {
  assertBytes(response, 'response');
  const expected = challengeResponse(messageType, secret, challenge);
  if (response.length !== expected.length) return false;
  let diff = 0;
  for (let i = 0; i < expected.length; i++) diff |= expected[i]! ^ response[i]!;
  return diff === 0;
}

/**
 * A tunnel secret as bytes: a `Uint8Array` as is, a string UTF-8 encoded (a lone surrogate
 * becomes U+FFFD, as `TextEncoder` does). Written out by hand because the core targets ES2022
 * without DOM typings, where `TextEncoder` is not declared.
 * @internal Shared with hidden.ts.
 * @throws `TypeError` for anything else.
 * @example
 * ```ts
 * secretBytes('café'); // Uint8Array [0x63, 0x61, 0x66, 0xc3, 0xa9]
 * ```
 */
export function secretBytes(secret: TunnelSecret): Uint8Array {
  if (secret instanceof Uint8Array) return secret;
  if (typeof secret !== 'string') {
    throw new TypeError(`secret must be a string or a Uint8Array, got ${secret === null ? 'null' : typeof secret}`);
  }
  const out = new Uint8Array(secret.length * 3);
  let n = 0;
  for (let i = 0; i < secret.length; i++) {
    let c = secret.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = i + 1 < secret.length ? secret.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        i++;
      } else {
        c = 0xfffd;
      }
    }
    if (c < 0x80) {
      out[n++] = c;
    } else if (c < 0x800) {
      out[n++] = 0xc0 | (c >>> 6);
      out[n++] = 0x80 | (c & 0x3f);
    } else if (c < 0x10000) {
      out[n++] = 0xe0 | (c >>> 12);
      out[n++] = 0x80 | ((c >>> 6) & 0x3f);
      out[n++] = 0x80 | (c & 0x3f);
    } else {
      out[n++] = 0xf0 | (c >>> 18);
      out[n++] = 0x80 | ((c >>> 12) & 0x3f);
      out[n++] = 0x80 | ((c >>> 6) & 0x3f);
      out[n++] = 0x80 | (c & 0x3f);
    }
  }
  return out.subarray(0, n);
}
