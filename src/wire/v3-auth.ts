/**
 * Encoding and parsing L2TPv3 control messages with authentication (RFC 3931 §4.3, §5.4.1) and,
 * optionally, hidden AVPs (§5.3): the one call site that puts the digest and the v3 hiding key
 * together, so callers cannot get the order of operations wrong.
 *
 * `encodeControl({ version: 3, hiding })` on its own hides with the raw secret (the v2 scheme) and
 * adds no digest: for v3 use {@link encodeControlV3} (or give `encodeControl` the derived
 * `v3HidingKey(secret)` as the hiding secret and sign with `signControlV3`).
 */
import { AVP_HEADER_LENGTH } from './avp.js';
import { u16 } from './bytes.js';
import { type TunnelSecret } from './challenge.js';
import { encodeControl, parseControl, type ControlMessage, type ControlMessageInit, type HidingOptions } from './control.js';
import { signControlV3, verifyControlV3, type DigestNonces } from './v3-digest.js';
import { v3HidingKey } from './v3-hidden.js';

/** Where the Message Type AVP (always 8 bytes, first) ends in a v3 control message. */
const AFTER_MESSAGE_TYPE = 12 + 8;

/** Control message authentication settings of one control connection, from the sender's side. */
export interface V3AuthOptions {
  /** The shared secret; a string is UTF-8 encoded. */
  readonly secret: TunnelSecret;
  /** 0 HMAC-MD5 (default; MUST be supported) or 1 HMAC-SHA-1 (RFC 3931 §5.4.1). */
  readonly digestType?: 0 | 1;
  /** Both nonces once known (omit for the SCCRQ); see `signControlV3`. */
  readonly nonces?: DigestNonces;
}

/** A v3 message to encode: {@link ControlMessageInit} whose hiding takes no secret (it is derived). */
export interface ControlMessageV3Init extends Omit<ControlMessageInit, 'version' | 'hiding' | 'messageDigest'> {
  /** Hide hideable typed fields with the v3 key derived from the auth secret (§5.3). */
  readonly hiding?: Omit<HidingOptions, 'secret'>;
}

/**
 * Encode and sign an L2TPv3 control message: a Message Digest AVP right after Message Type
 * (§5.4.1), hidden AVPs (if `hiding`) keyed by `v3HidingKey(auth.secret)` (§5.3) after the Random
 * Vector, then the digest over the whole message (§5.4.1).
 *
 * @throws `TypeError`/`RangeError` as `encodeControl` does, or when `type` is 0 (a v3 ZLB
 *   carries no AVP to put a digest in: acknowledge with the ACK message, type 20).
 * @example
 * ```ts
 * const sccrq = encodeControlV3({ type: 1, routerId: 1, assignedControlConnectionId: 7, pseudowireCapabilitiesList: [5],
 *   hostName: 'lcce-a', controlMessageAuthenticationNonce: myNonce }, { secret: 's3cret' });
 * ```
 */
export function encodeControlV3(msg: ControlMessageV3Init, auth: V3AuthOptions): Uint8Array {
  const type = msg.avps === undefined ? (msg.type ?? 0) : undefined;
  if (type === 0) throw new RangeError('an authenticated v3 message needs a message type: a ZLB has no room for a Message Digest (use the ACK message, type 20)');
  const digestType = auth.digestType ?? 0;
  if (digestType !== 0 && digestType !== 1) throw new RangeError(`auth.digestType must be 0 (HMAC-MD5) or 1 (HMAC-SHA-1), got ${String(digestType)}`);
  const init: ControlMessageInit = {
    ...msg,
    version: 3,
    messageDigest: { digestType, digest: new Uint8Array(digestType === 0 ? 16 : 20) },
    hiding: msg.hiding === undefined ? undefined : { ...msg.hiding, secret: v3HidingKey(auth.secret) },
  };
  if (init.hiding === undefined) delete (init as { hiding?: unknown }).hiding;
  const bytes = encodeControl(init);
  moveDigestFirst(bytes);
  return signControlV3(bytes, auth);
}

/**
 * §5.4.1: the Message Digest AVP MUST come immediately after Message Type, at a fixed offset.
 * The catalogue's order (and the Random Vector the hiding path puts first) may place it later;
 * rotate it into place. Hidden values depend on the Random Vector's value, not its position.
 */
function moveDigestFirst(b: Uint8Array): void {
  const end = u16(b, 2);
  let o = AFTER_MESSAGE_TYPE;
  while (o + AVP_HEADER_LENGTH <= end) {
    const len = u16(b, o) & 0x03ff;
    if (u16(b, o + 2) === 0 && u16(b, o + 4) === 59) {
      if (o === AFTER_MESSAGE_TYPE) return;
      const avp = b.slice(o, o + len);
      b.copyWithin(AFTER_MESSAGE_TYPE + len, AFTER_MESSAGE_TYPE, o);
      b.set(avp, AFTER_MESSAGE_TYPE);
      return;
    }
    o += len;
  }
}

/**
 * Verify and parse a received L2TPv3 control message with authentication on: checks the Message
 * Digest (§5.4.1) and unhides hidden AVPs with the v3 key (§5.3). `auth.nonces` are from the
 * *sender's* side: `local` is the peer's nonce, `remote` ours.
 * @throws {@link L2tpError} `BAD_DIGEST` (answer StopCCN, Result Code 4), `MISSING_AVP`, or any
 *   error `parseControl` throws.
 * @example
 * ```ts
 * const m = parseControlV3(bytes, { secret: 's3cret', nonces: { local: peerNonce, remote: myNonce } });
 * ```
 */
export function parseControlV3(bytes: Uint8Array, auth: V3AuthOptions): ControlMessage {
  verifyControlV3(bytes, auth);
  return parseControl(bytes, { secret: v3HidingKey(auth.secret) });
}
