/**
 * Hiding of AVP Attribute Values (RFC 2661 §4.3).
 *
 * A hidden AVP (H bit set) carries, instead of its value, the "Hidden AVP Subformat"
 *
 * ```
 * | Original Length (2) | Original Attribute Value ... | Padding ... |
 * ```
 *
 * XORed 16 bytes at a time with an MD5 chain keyed by the tunnel secret S and the message's
 * Random Vector RV (AVP 36, which must come earlier in the same message):
 *
 * ```
 * b1 = MD5(Attribute Type (2 bytes, big-endian) | S | RV)    c1 = p1 xor b1
 * bi = MD5(S | c(i-1))                                       ci = pi xor bi
 * ```
 *
 * The last chunk may be shorter than 16 bytes: only the bytes present are XORed and the AVP is
 * not lengthened (§4.3), so the hidden value is exactly as long as the subformat. Padding lets a
 * sender disguise the value's length; a receiver must accept any padding.
 *
 * **Vendor AVPs.** §4.3 seeds the chain with "the 2 octet Attribute number of the AVP" only; the
 * Vendor ID is not part of the MD5 input. So a vendor AVP is hidden with its own attribute type
 * alone, and `(vendor V, type t)` and `(IETF, type t)` in the same message get the same first
 * keystream block. That is a weakness of the RFC (two such values XOR to the XOR of the plain
 * texts), not something an implementation may fix on its own without breaking interoperability;
 * senders that care should not hide two AVPs with equal types under one Random Vector.
 *
 * L2TPv3 (RFC 3931 §5.3) keeps this scheme unchanged (the first hash still takes the 2-byte
 * Attribute Type, no Vendor ID) but keys it with a shared key derived from the secret,
 * HMAC-MD5(secret, 1), instead of the secret itself, and allows hiding only with control message
 * authentication on: see `v3-hidden.ts` (`v3HidingKey`, `hideAvpValueV3`).
 *
 * **Padding.** What the encoder pads by default (and why: l2tpns refuses hidden parts under 8
 * bytes) is in `hiding-plan.ts`; these functions take the padding they are given.
 */
import { assertBytes, assertInt, put16 } from './bytes.js';
import { L2tpError } from './errors.js';
import { Md5 } from './md5.js';
import { secretBytes, type TunnelSecret } from './challenge.js';

/** Largest hidden value that fits an AVP: the 10-bit Length (1023) minus the 6-byte header. */
const MAX_HIDDEN = 0x3ff - 6;

const hasher = new Md5();
/** The current keystream block b(i). */
const block = new Uint8Array(16);
/** The 2-byte Attribute Type that seeds b1. */
const typeBytes = new Uint8Array(2);

/** b1 = MD5(Attribute Type | S | RV), written into {@link block}. */
function firstBlock(attributeType: number, secret: Uint8Array, randomVector: Uint8Array): void {
  put16(typeBytes, 0, attributeType);
  hasher.reset();
  hasher.update(typeBytes).update(secret).update(randomVector).digestInto(block, 0);
}

/**
 * Hide an AVP value (RFC 2661 §4.3): returns the bytes to put in the AVP's value field (with the
 * H bit set), `2 + value.length + padding.length` bytes long.
 *
 * This is pure: it uses no randomness of its own. The caller gives the Random Vector (which it
 * must also send, as AVP 36, before this AVP) and, optionally, the padding bytes (random ones
 * are best; their number is the caller's choice, e.g. to round every hidden value up to a fixed
 * size so lengths leak nothing).
 *
 * @param attributeType The AVP's Attribute Type (0–65535). For a vendor AVP, its type alone:
 *   the Vendor ID is not hashed (see the module note).
 * @param secret The tunnel secret; a string is UTF-8 encoded.
 * @throws `RangeError` when the result would exceed 1017 bytes (what an AVP can carry) or
 *   `attributeType` is out of range; `TypeError` for non-`Uint8Array` arguments.
 *
 * @example
 * ```ts
 * const hidden = hideAvpValue(14, u16(4660), secret, rv);   // Assigned Session ID, no padding
 * encodeAvp({ mandatory: true, hidden: true, type: 14, value: hidden });
 * ```
 */
export function hideAvpValue(
  attributeType: number,
  value: Uint8Array,
  secret: TunnelSecret,
  randomVector: Uint8Array,
  padding?: Uint8Array,
): Uint8Array {
  assertInt(attributeType, 0, 0xffff, 'attributeType');
  assertBytes(value, 'value');
  const s = secretBytes(secret);
  assertBytes(randomVector, 'randomVector');
  if (padding !== undefined) assertBytes(padding, 'padding');
  const padLength = padding?.length ?? 0;
  const n = 2 + value.length + padLength;
  if (n > MAX_HIDDEN) {
    throw new RangeError(
      `hidden value would be ${n} bytes (2 + ${value.length} value + ${padLength} padding); an AVP holds at most ${MAX_HIDDEN}: shorten the value or the padding`,
    );
  }
  // Build the subformat in the output, then XOR it in place, chunk by chunk.
  const out = new Uint8Array(n);
  put16(out, 0, value.length);
  out.set(value, 2);
  if (padding) out.set(padding, 2 + value.length);
  firstBlock(attributeType, s, randomVector);
  for (let i = 0; i < n; i += 16) {
    const m = Math.min(16, n - i);
    for (let j = 0; j < m; j++) out[i + j] ^= block[j]!;
    // b(i+1) = MD5(S | c(i)): c(i) is what we just wrote.
    if (i + 16 < n) hasher.update(s).update(out, i, i + 16).digestInto(block, 0);
  }
  return out;
}

/**
 * Unhide an AVP value (RFC 2661 §4.3): returns the Original Attribute Value (a new array;
 * any padding is dropped unread).
 *
 * The decrypted Original Length is attacker-controlled (anyone can send a hidden AVP, and a
 * wrong secret decrypts to noise), so it is checked against the room the AVP has before
 * anything is sliced; stacks that trusted it have had heap overflows.
 *
 * @param attributeType The AVP's Attribute Type (for a vendor AVP, its type alone; see the module note).
 * @param hidden The AVP's value field as received.
 * @param secret The tunnel secret; a string is UTF-8 encoded.
 * @param randomVector The value of the last Random Vector AVP before this AVP in the message.
 * @param offset Where `hidden` starts in the message, only to report errors at the right byte.
 * @throws {@link L2tpError} `BAD_HIDDEN_LENGTH` when `hidden` is shorter than the 2-byte
 *   Original Length, or the decrypted length exceeds `hidden.length - 2` (often: a wrong secret).
 *   Never anything else for any bytes; `TypeError`/`RangeError` only for misuse of the API.
 * @example
 * ```ts
 * const value = unhideAvpValue(avp.type, avp.value, secret, randomVector, avp.valueOffset);
 * ```
 */
export function unhideAvpValue(
  attributeType: number,
  hidden: Uint8Array,
  secret: TunnelSecret,
  randomVector: Uint8Array,
  offset = 0,
): Uint8Array {
  assertInt(attributeType, 0, 0xffff, 'attributeType');
  assertBytes(hidden, 'hidden');
  const s = secretBytes(secret);
  assertBytes(randomVector, 'randomVector');
  assertInt(offset, 0, Number.MAX_SAFE_INTEGER, 'offset');
  const n = hidden.length;
  if (n < 2) {
    throw new L2tpError('BAD_HIDDEN_LENGTH', `hidden AVP value is ${n} bytes, too short for its 2-byte Original Length`, offset);
  }
  firstBlock(attributeType, s, randomVector);
  const length = ((hidden[0]! ^ block[0]!) << 8) | (hidden[1]! ^ block[1]!);
  if (length > n - 2) {
    throw new L2tpError(
      'BAD_HIDDEN_LENGTH',
      `hidden AVP decrypts to Original Length ${length} but has room for ${n - 2} bytes (wrong secret or Random Vector?)`,
      offset,
    );
  }
  // Decrypt only the chunks that hold value bytes; trailing padding is never looked at.
  const end = 2 + length;
  const out = new Uint8Array(length);
  for (let i = 0; i < end; i += 16) {
    if (i > 0) hasher.update(s).update(hidden, i - 16, i).digestInto(block, 0);
    const from = Math.max(i, 2);
    const to = Math.min(i + 16, end);
    for (let k = from; k < to; k++) out[k - 2] = hidden[k]! ^ block[k - i]!;
  }
  return out;
}
