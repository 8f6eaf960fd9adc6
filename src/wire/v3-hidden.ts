/**
 * AVP hiding in L2TPv3 (RFC 3931 §5.3).
 *
 * v3 keeps L2TPv2's scheme (RFC 2661 §4.3: the Hidden AVP Subformat XORed with an MD5 chain
 * seeded by the 2-byte Attribute Type and the Random Vector, see `hidden.ts`) but keys the chain
 * with a *derived* shared key instead of the raw secret:
 *
 * ```
 * shared key = HMAC-MD5(key = shared secret, data = the one octet 1)
 * ```
 *
 * (the Message Digest derives its own key with the octet 2, `v3-digest.ts`). The H bit may be set
 * only when control message authentication is on (§5.3): a hidden AVP in a message without a
 * Message Digest is a protocol error for the control plane to refuse.
 */
import { hmac } from '../crypto/index.js';
import { secretBytes, type TunnelSecret } from './challenge.js';
import { hideAvpValue, unhideAvpValue } from './hidden.js';
import { MD5 } from './v3-digest.js';

/**
 * The key v3 hides AVPs with: HMAC-MD5 keyed by the shared secret over the single octet 1
 * (RFC 3931 §5.3). Give it as the secret to the v2 functions (`hideAvpValue`,
 * `unhideAvpValue`, `parseControl(bytes, { secret })`, `encodeControl({ hiding: { secret } })`)
 * and they hide and unhide the v3 way.
 * @example
 * ```ts
 * const m = parseControl(bytes, { secret: v3HidingKey('s3cret') }); // unhides v3 AVPs
 * ```
 */
export function v3HidingKey(secret: TunnelSecret): Uint8Array {
  return hmac(MD5, secretBytes(secret), Uint8Array.of(1));
}

/**
 * Hide an AVP value the L2TPv3 way (RFC 3931 §5.3): `hideAvpValue` keyed by
 * {@link v3HidingKey}`(secret)`. Same arguments, result and errors as `hideAvpValue`.
 * @example
 * ```ts
 * const hidden = hideAvpValueV3(60, u32(7), 's3cret', randomVector); // Router ID, hidden
 * ```
 */
export function hideAvpValueV3(attributeType: number, value: Uint8Array, secret: TunnelSecret, randomVector: Uint8Array, padding?: Uint8Array): Uint8Array {
  return hideAvpValue(attributeType, value, v3HidingKey(secret), randomVector, padding);
}

/**
 * Unhide an AVP value hidden the L2TPv3 way (RFC 3931 §5.3): `unhideAvpValue` keyed by
 * {@link v3HidingKey}`(secret)`. Same arguments, result and errors (`BAD_HIDDEN_LENGTH`).
 * @example
 * ```ts
 * const value = unhideAvpValueV3(avp.type, avp.value, 's3cret', randomVector, avp.valueOffset);
 * ```
 */
export function unhideAvpValueV3(attributeType: number, hidden: Uint8Array, secret: TunnelSecret, randomVector: Uint8Array, offset = 0): Uint8Array {
  return unhideAvpValue(attributeType, hidden, v3HidingKey(secret), randomVector, offset);
}
