/**
 * L2TPv3 control message authentication (RFC 3931 §4.3, §5.4.1): the Message Digest AVP (59),
 * keyed by a shared secret and the Control Message Authentication Nonces (AVP 73) of both LCCEs.
 *
 * ```
 * Shared-Key = HMAC-MD5(key = shared secret, data = the one octet 2)
 * Digest     = HMAC-Hash(key = Shared-Key, data = local_nonce | remote_nonce | control message)
 * ```
 *
 * - `HMAC-Hash` is HMAC-MD5 (Digest Type 0, 16-byte digest) or HMAC-SHA-1 (Digest Type 1,
 *   20-byte digest), per the AVP's Digest Type (§5.4.1).
 * - `control message` is the whole L2TP control message, header included, from its first byte
 *   (over UDP, right after the UDP header; over IP, after the 4-byte zero Session ID, §4.1.1.2)
 *   to its last, with the Message Digest field (after the Digest Type octet) set to zeros.
 * - `local_nonce` is the nonce of the LCCE that *sends* the message, `remote_nonce` that of the
 *   one that receives it: the two sides put them in opposite orders. When the nonces are not both
 *   known yet (the SCCRQ: the peer's nonce comes in the SCCRP) none is hashed.
 * - The key is derived with the octet 2; AVP hiding in v3 derives its key with the octet 1
 *   ({@link v3HidingKey}), so the two uses of one secret never share a key.
 *
 * Checked against Wireshark, which verifies the digest given the secret (its L2TP preference
 * `l2tp.shared_secret`), in `test/wire/v3-wireshark.test.ts`; the input layout is checked by hand
 * against an independent HMAC in `test/wire/v3-digest.test.ts`.
 *
 * This layer only computes and checks; enabling authentication, choosing nonces (random, at
 * least 16 bytes recommended, §5.4.1) and dropping a message whose digest is wrong belong to the
 * control plane.
 */
import { hmac, SHA1_HASH, type HashFunction } from '../crypto/index.js';
import { assertBytes, u16 } from './bytes.js';
import { secretBytes, type TunnelSecret } from './challenge.js';
import { L2tpError } from './errors.js';
import { Md5 } from './md5.js';

/** Attribute Type of the Message Digest AVP (RFC 3931 §5.4.1). */
const MESSAGE_DIGEST = 59;
/** Control message header length of L2TPv3 over UDP (§3.2.1): flags+ver, Length, CCID, Ns, Nr. */
const V3_CONTROL_HEADER = 12;

/**
 * HMAC-MD5 as a hash for {@link hmac} (RFC 2104 with MD5, RFC 1321).
 * @internal Shared with v3-hidden.ts.
 */
export const MD5: HashFunction = { create: () => new Md5(), blockLength: 64, digestLength: 16 };

/** Hash and digest length by Digest Type (RFC 3931 §5.4.1): a table, as the RFC lists them. */
const DIGEST_TYPES: readonly (readonly [HashFunction, number])[] = [
  /* 0 */ [MD5, 16], // HMAC-MD5, MUST be supported
  /* 1 */ [SHA1_HASH, 20], // HMAC-SHA-1, SHOULD be supported
];

/** The two nonces, named from the point of view of the LCCE that sends the message. */
export interface DigestNonces {
  /** Nonce (AVP 73 value) of the LCCE sending the message. */
  readonly local: Uint8Array;
  /** Nonce of the LCCE receiving it. */
  readonly remote: Uint8Array;
}

/** What {@link signControlV3} and {@link verifyControlV3} need. */
export interface V3DigestOptions {
  /** The shared secret configured on both LCCEs; a string is UTF-8 encoded. */
  readonly secret: TunnelSecret;
  /**
   * Both nonces, once both are known (every message after the SCCRQ). Omit for the SCCRQ: its
   * digest hashes no nonce, since the peer's is not known yet.
   */
  readonly nonces?: DigestNonces;
}

/**
 * The key of the Message Digest: HMAC-MD5 keyed by the shared secret over the single octet 2
 * (RFC 3931 §5.4.1). {@link signControlV3} and {@link verifyControlV3} derive it themselves from
 * the secret; it is exported for logging-free checks and known-answer tests.
 * @example
 * ```ts
 * const key = v3DigestKey('s3cret'); // 16 bytes: what every Message Digest is keyed with
 * ```
 */
export function v3DigestKey(secret: TunnelSecret): Uint8Array {
  return hmac(MD5, secretBytes(secret), Uint8Array.of(2));
}

/** Where a Message Digest AVP's value is: its Digest Type octet and digest length. */
interface DigestPlace {
  readonly typeOffset: number;
  readonly digestLength: number;
}

/**
 * The Message Digest AVPs (vendor 0, type 59) of a v3 control message, at most two (§5.4.1: one
 * right after Message Type, and optionally a second right after it, to switch secrets or
 * algorithms). A walk costs little and also finds them where a sender misplaced them.
 */
function findDigests(b: Uint8Array): DigestPlace[] {
  if (b.length < V3_CONTROL_HEADER || (b[1]! & 0x0f) !== 3 || (b[0]! & 0x80) === 0) {
    throw new L2tpError('BAD_VERSION', 'not an L2TPv3 control message (T bit clear or version not 3)', 0);
  }
  const end = Math.min(b.length, u16(b, 2));
  const found: DigestPlace[] = [];
  let o = V3_CONTROL_HEADER;
  while (o + 6 <= end) {
    const len = u16(b, o) & 0x03ff;
    if (len < 6 || o + len > end) throw new L2tpError('BAD_AVP_LENGTH', `AVP Length ${len} does not fit the message`, o);
    if (u16(b, o + 2) === 0 && u16(b, o + 4) === MESSAGE_DIGEST) {
      if (len < 7) throw new L2tpError('BAD_AVP_VALUE', 'Message Digest AVP without a Digest Type', o);
      if (found.length === 2) throw new L2tpError('BAD_AVP_VALUE', 'more than two Message Digest AVPs (RFC 3931 §5.4.1 allows two)', o);
      found.push({ typeOffset: o + 6, digestLength: len - 7 });
    }
    o += len;
  }
  return found;
}

/** The hash of a Digest Type, checking the digest has that hash's length. */
function hashFor(b: Uint8Array, at: DigestPlace): HashFunction {
  const digestType = b[at.typeOffset]!;
  const row = DIGEST_TYPES[digestType];
  if (row === undefined) {
    throw new L2tpError('BAD_AVP_VALUE', `Message Digest Type ${digestType} is unknown (0 HMAC-MD5, 1 HMAC-SHA-1; RFC 3931 §5.4.1)`, at.typeOffset);
  }
  if (at.digestLength !== row[1]) {
    throw new L2tpError('BAD_AVP_VALUE', `Message Digest Type ${digestType} needs a ${row[1]}-byte digest, got ${at.digestLength} (RFC 3931 §5.4.1)`, at.typeOffset);
  }
  return row[0];
}

/**
 * Digest of `b` by `hash`, every Message Digest value in `all` read as zeros (§5.4.1:
 * "the Value field for both of the Message Digest AVPs MUST be set to zero").
 */
function compute(b: Uint8Array, all: readonly DigestPlace[], hash: HashFunction, options: V3DigestOptions): Uint8Array {
  const key = v3DigestKey(options.secret);
  const n = options.nonces;
  if (n !== undefined) {
    assertBytes(n.local, 'nonces.local');
    assertBytes(n.remote, 'nonces.remote');
  }
  const length = Math.min(b.length, u16(b, 2));
  const pre = n === undefined ? 0 : n.local.length + n.remote.length;
  const input = new Uint8Array(pre + length);
  if (n !== undefined) {
    input.set(n.local, 0);
    input.set(n.remote, n.local.length);
  }
  input.set(b.subarray(0, length), pre);
  for (const d of all) input.fill(0, pre + d.typeOffset + 1, pre + d.typeOffset + 1 + d.digestLength);
  return hmac(hash, key, input);
}

/**
 * Sign an encoded L2TPv3 control message in place: fills its Message Digest AVP (which the
 * message must already carry, with its Digest Type set and any digest bytes, e.g. zeros) with
 * the digest RFC 3931 §5.4.1 specifies. Returns `bytes`. A message carrying two Message Digest
 * AVPs (§5.4.1, e.g. one HMAC-MD5 and one HMAC-SHA-1 while switching) gets both filled, each
 * computed with both fields zeroed.
 *
 * Sign last: any change to the message after signing (Ns/Nr included) breaks the digest, so a
 * retransmission with a new Nr is signed again.
 *
 * @throws `RangeError` when the message has no Message Digest AVP; {@link L2tpError}
 *   (`BAD_VERSION`, `BAD_AVP_LENGTH`, `BAD_AVP_VALUE`) when the bytes are not a well-formed v3
 *   control message or the Digest Type is unknown or its digest has the wrong length.
 * @example
 * ```ts
 * const bytes = encodeControl({ version: 3, type: 1, messageDigest: { digestType: 0, digest: new Uint8Array(16) },
 *   controlMessageAuthenticationNonce: myNonce, routerId: 1, assignedControlConnectionId: 7,
 *   pseudowireCapabilitiesList: [5], hostName: 'lcce-a' });
 * signControlV3(bytes, { secret: 's3cret' }); // the SCCRQ: no nonces hashed yet
 * ```
 */
export function signControlV3(bytes: Uint8Array, options: V3DigestOptions): Uint8Array {
  assertBytes(bytes, 'bytes');
  const all = findDigests(bytes);
  if (all.length === 0) throw new RangeError('the message has no Message Digest AVP (59) to fill: encode one (e.g. messageDigest: { digestType: 0, digest: new Uint8Array(16) }) before signing');
  // Compute every digest before writing any: each is over the message with both fields zeroed.
  const digests = all.map((at) => compute(bytes, all, hashFor(bytes, at), options));
  all.forEach((at, i) => bytes.set(digests[i]!, at.typeOffset + 1));
  return bytes;
}

/**
 * Verify a received L2TPv3 control message's Message Digest (RFC 3931 §5.4.1): returns normally
 * when it is right, or when either of two Message Digest AVPs is (§5.4.1: "the message MUST be
 * accepted if either Message Digest is valid"). With two secrets configured, call it once per
 * secret. The comparison takes the same time wherever the first differing byte is.
 *
 * @throws {@link L2tpError} `BAD_DIGEST` when no digest matches: §5.4.1 says the message MUST be
 *   dropped, before any of its content is used (issue 18 also has the control plane answer with
 *   StopCCN, Result Code 4); `MISSING_AVP` when there is no Message Digest AVP; `BAD_AVP_VALUE`
 *   for an unknown Digest Type, a digest of the wrong length or a third Message Digest AVP;
 *   `BAD_VERSION`/`BAD_AVP_LENGTH` when the bytes are not a well-formed v3 control message.
 * @example
 * ```ts
 * // On the SCCRP we received: its sender's nonce is local, ours is remote
 * verifyControlV3(bytes, { secret: 's3cret', nonces: { local: sccrp.controlMessageAuthenticationNonce!, remote: myNonce } });
 * ```
 */
export function verifyControlV3(bytes: Uint8Array, options: V3DigestOptions): void {
  assertBytes(bytes, 'bytes');
  const all = findDigests(bytes);
  if (all.length === 0) throw new L2tpError('MISSING_AVP', 'control message authentication is on but the message has no Message Digest AVP (RFC 3931 §5.4.1)', V3_CONTROL_HEADER);
  // Both are checked even when the first matches, so the time taken does not say which one did.
  let anyValid = false;
  for (const at of all) {
    const expected = compute(bytes, all, hashFor(bytes, at), options);
    let diff = 0;
    for (let i = 0; i < expected.length; i++) diff |= expected[i]! ^ bytes[at.typeOffset + 1 + i]!;
    anyValid ||= diff === 0;
  }
  if (!anyValid) throw new L2tpError('BAD_DIGEST', 'Message Digest does not match (wrong secret or nonces, or the message was altered; RFC 3931 §5.4.1)', all[0]!.typeOffset + 1);
}
