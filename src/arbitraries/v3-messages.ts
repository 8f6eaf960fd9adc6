/**
 * L2TPv3 message arbitraries (RFC 3931). Control messages follow §6: Message Type first, every
 * AVP the message's subsection says MUST be present, a random subset of those it says MAY be,
 * header Control Connection ID 0 only on the SCCRQ (§3.2.1, §5.4.3), non-zero assigned IDs
 * (§5.4.3, §5.4.4), and optionally a Message Digest (§4.3, §5.4.1) over the whole message. Data
 * messages follow §4.1.2.1 (Session ID, 0/4/8-byte cookie) and §4.6 (the Default L2-Specific
 * Sublayer, with or without a sequence number).
 */
import fc from 'fast-check';
import type { AvpInit } from '../wire/avp.js';
import { avpDefByKey } from '../wire/avp-catalog.js';
import type { TunnelSecret } from '../wire/challenge.js';
import { encodeControl, type ControlMessageInit } from '../wire/control.js';
import { encodeData } from '../wire/data.js';
import { DEFAULT_L2SS_LENGTH, L2SS_SEQUENCE_MODULUS, writeDefaultL2ss } from '../wire/l2ss.js';
import { encodeControlV3, type V3AuthOptions } from '../wire/v3-auth.js';
import type { DigestNonces } from '../wire/v3-digest.js';
import { avpValueArb, bytesArb } from './values.js';
import { ignorableAvpsArb } from './messages.js';

/**
 * The AVPs of each RFC 3931 control message, by typed-field key, as §6.1–§6.15 list them
 * ("MUST be present" / "MAY be present"). Message Type is the message's `type`; Random Vector
 * comes with hiding and Message Digest with authentication, so neither is listed; Control
 * Message Authentication Nonce is added with authentication too (§5.4.1: SCCRQ, SCCRP).
 * Serial Number is AVP 15 (`callSerialNumber`), Circuit Errors AVP 34 (`callErrors`), the
 * Control Connection and Session Tie Breakers AVP 5 (`tieBreaker`).
 * @example
 * ```ts
 * V3_MESSAGE_AVPS.find((m) => m.name === 'ICRQ')!.required; // ['localSessionId', 'remoteSessionId', …]
 * ```
 */
export const V3_MESSAGE_AVPS: readonly { readonly type: number; readonly name: string; readonly section: string; readonly required: readonly string[]; readonly optional: readonly string[] }[] = [
  { type: 1, name: 'SCCRQ', section: '§6.1', required: ['hostName', 'routerId', 'assignedControlConnectionId', 'pseudowireCapabilitiesList'], optional: ['tieBreaker', 'vendorName', 'receiveWindowSize', 'preferredLanguage'] },
  { type: 2, name: 'SCCRP', section: '§6.2', required: ['hostName', 'routerId', 'assignedControlConnectionId', 'pseudowireCapabilitiesList'], optional: ['vendorName', 'receiveWindowSize', 'preferredLanguage'] },
  { type: 3, name: 'SCCCN', section: '§6.3', required: [], optional: [] },
  { type: 4, name: 'StopCCN', section: '§6.4', required: ['resultCode'], optional: ['assignedControlConnectionId'] },
  { type: 6, name: 'HELLO', section: '§6.5', required: [], optional: [] },
  { type: 10, name: 'ICRQ', section: '§6.6', required: ['localSessionId', 'remoteSessionId', 'callSerialNumber', 'pseudowireType', 'remoteEndId', 'circuitStatus'], optional: ['assignedCookie', 'tieBreaker', 'l2SpecificSublayer', 'dataSequencing', 'txConnectSpeedV3', 'rxConnectSpeedV3', 'physicalChannelId'] },
  { type: 11, name: 'ICRP', section: '§6.7', required: ['localSessionId', 'remoteSessionId', 'circuitStatus'], optional: ['assignedCookie', 'l2SpecificSublayer', 'dataSequencing', 'txConnectSpeedV3', 'rxConnectSpeedV3', 'physicalChannelId'] },
  { type: 12, name: 'ICCN', section: '§6.8', required: ['localSessionId', 'remoteSessionId'], optional: ['l2SpecificSublayer', 'dataSequencing', 'txConnectSpeedV3', 'rxConnectSpeedV3', 'circuitStatus'] },
  { type: 7, name: 'OCRQ', section: '§6.9', required: ['localSessionId', 'remoteSessionId', 'callSerialNumber', 'pseudowireType', 'remoteEndId', 'circuitStatus'], optional: ['assignedCookie', 'txConnectSpeedV3', 'rxConnectSpeedV3', 'tieBreaker', 'l2SpecificSublayer', 'dataSequencing'] },
  { type: 8, name: 'OCRP', section: '§6.10', required: ['localSessionId', 'remoteSessionId', 'circuitStatus'], optional: ['assignedCookie', 'l2SpecificSublayer', 'txConnectSpeedV3', 'rxConnectSpeedV3', 'dataSequencing', 'physicalChannelId'] },
  { type: 9, name: 'OCCN', section: '§6.11', required: ['localSessionId', 'remoteSessionId'], optional: ['l2SpecificSublayer', 'txConnectSpeedV3', 'rxConnectSpeedV3', 'dataSequencing', 'circuitStatus'] },
  { type: 14, name: 'CDN', section: '§6.12', required: ['resultCode', 'localSessionId', 'remoteSessionId'], optional: [] },
  { type: 15, name: 'WEN', section: '§6.13', required: ['localSessionId', 'remoteSessionId', 'callErrors'], optional: [] },
  { type: 16, name: 'SLI', section: '§6.14', required: ['localSessionId', 'remoteSessionId'], optional: ['circuitStatus'] },
  { type: 20, name: 'ACK', section: '§6.15', required: [], optional: [] },
];

/** A generated L2TPv3 control message: what it was built from and its bytes (a fresh array). */
export interface GeneratedControlV3 {
  readonly type: number;
  readonly name: string;
  /** The `encodeControl` / `encodeControlV3` input (header and typed fields). */
  readonly init: ControlMessageInit;
  /** The typed AVP fields by catalogue key, as `parseControl` gives them back. */
  readonly fields: Readonly<Record<string, unknown>>;
  /** With authentication: what `parseControlV3(bytes, auth)` needs to verify the digest (the sender's view). */
  readonly auth: V3AuthOptions | undefined;
  readonly bytes: Uint8Array;
}

/** Options of {@link controlMessageV3Arb}. */
export interface ControlMessageV3Options {
  /** Message types to draw from, by number or name (`'SCCRQ'`). Default: every RFC 3931 type. */
  types?: readonly (number | string)[];
  /** Add vendor AVPs and unknown M=0 AVPs after the typed ones. Default true. */
  extras?: boolean;
  /** Sign with a Message Digest keyed by this secret (§4.3); SCCRQ and SCCRP then carry a nonce. */
  secret?: TunnelSecret;
  /** 0 HMAC-MD5, 1 HMAC-SHA-1, or either (default) when `secret` is given. */
  digestType?: 0 | 1;
}

const u16 = fc.integer({ min: 0, max: 0xffff });
const id32 = fc.integer({ min: 1, max: 0xffffffff });
/** Pseudowire Types of IANA's registry that RFC 3931 §10.6 and the PW RFCs define (Ethernet VLAN 4, Ethernet 5, PPP 7, …). */
const PW_TYPES = [0x0001, 0x0002, 0x0003, 0x0004, 0x0005, 0x0006, 0x0007, 0x0009, 0x000a, 0x000b, 0x000c, 0x000d, 0x000e, 0x000f, 0x0010, 0x0011, 0x0013, 0x0014, 0x0015, 0x0016];

/** Values the RFC constrains beyond what the AVP codec checks. */
function v3FieldArb(key: string, type: number): fc.Arbitrary<unknown> {
  switch (key) {
    case 'assignedControlConnectionId':
    case 'localSessionId':
      return id32; // "a 4-octet non-zero unsigned integer" (§5.4.3, §5.4.4)
    case 'remoteSessionId':
      // §5.4.4: zero until the peer's Local Session ID is known, i.e. in the ICRQ/OCRQ that opens the session.
      return type === 10 || type === 7 ? fc.constant(0) : id32;
    case 'receiveWindowSize':
      return fc.integer({ min: 1, max: 0xffff });
    case 'pseudowireCapabilitiesList':
      return fc.uniqueArray(fc.constantFrom(...PW_TYPES), { minLength: 1, maxLength: 6 });
    case 'pseudowireType':
      return fc.constantFrom(...PW_TYPES);
    case 'assignedCookie':
      return fc.constantFrom(4, 8).chain((n) => fc.uint8Array({ minLength: n, maxLength: n })); // "a 4-octet or 8-octet random value"
    case 'l2SpecificSublayer':
      return fc.constantFrom(0, 1); // §5.4.4: none, default
    case 'dataSequencing':
      return fc.constantFrom(0, 1, 2); // §5.4.4
    case 'circuitStatus':
      return fc.integer({ min: 0, max: 3 }); // §5.4.5: N and A; the other bits reserved, sent 0
    default: {
      const d = avpDefByKey(key);
      if (d === undefined) throw new Error(`no catalogue row for ${key}`);
      return avpValueArb(d);
    }
  }
}

function resolveV3(types: readonly (number | string)[] | undefined): (typeof V3_MESSAGE_AVPS)[number][] {
  if (types === undefined) return [...V3_MESSAGE_AVPS];
  if (types.length === 0) throw new RangeError('options.types must list at least one message type');
  return types.map((t) => {
    const m = V3_MESSAGE_AVPS.find((x) => x.type === t || x.name === t);
    if (m === undefined) throw new RangeError(`${String(t)} is not an RFC 3931 control message; use one of ${V3_MESSAGE_AVPS.map((x) => x.name).join(', ')}`);
    return m;
  });
}

const nonceArb = fc.uint8Array({ minLength: 16, maxLength: 32 }); // §5.4.1: at least 16 random octets recommended

/**
 * A valid L2TPv3 control message over UDP (RFC 3931 §6), signed when `options.secret` is given.
 * @example
 * ```ts
 * fc.assert(fc.property(controlMessageV3Arb({ types: ['ICRQ'] }), (m) => parseControl(m.bytes).localSessionId === m.fields.localSessionId));
 * ```
 */
export function controlMessageV3Arb(options: ControlMessageV3Options = {}): fc.Arbitrary<GeneratedControlV3> {
  const defs = resolveV3(options.types);
  const extras = options.extras ?? true;
  const secret = options.secret;
  return fc.constantFrom(...defs).chain((def) => {
    const model: Record<string, fc.Arbitrary<unknown>> = {};
    for (const k of [...def.required, ...def.optional]) model[k] = v3FieldArb(k, def.type);
    return fc
      .record({
        // §3.2.1/§5.4.3: the SCCRQ goes to Control Connection ID 0, everything after to the peer's.
        header: fc.record({ tunnelId: def.type === 1 ? fc.constant(0) : id32, ns: u16, nr: u16 }),
        fields: fc.record(model, { requiredKeys: [...def.required] }) as fc.Arbitrary<Record<string, unknown>>,
        extraAvps: extras ? ignorableAvpsArb() : fc.constant([] as AvpInit[]),
        nonces: fc.record({ local: nonceArb, remote: nonceArb }),
        digestType: options.digestType === undefined ? fc.constantFrom<0 | 1>(0, 1) : fc.constant(options.digestType),
      })
      .map((r): GeneratedControlV3 => {
        const fields = { ...r.fields };
        // §5.4.4: sequencing may only be requested along with an L2-Specific Sublayer (else Result Code 15).
        if (typeof fields.dataSequencing === 'number' && fields.dataSequencing !== 0) fields.l2SpecificSublayer = 1;
        // §5.4.1: with authentication, SCCRQ and SCCRP carry the sender's nonce.
        if (secret !== undefined && (def.type === 1 || def.type === 2)) fields.controlMessageAuthenticationNonce = r.nonces.local;
        const init: ControlMessageInit = { version: 3, type: def.type, ...r.header, ...fields };
        if (r.extraAvps.length) init.extraAvps = r.extraAvps;
        if (secret === undefined) return { type: def.type, name: def.name, init, fields, auth: undefined, bytes: encodeControl(init).slice() };
        // The SCCRQ's digest hashes no nonce (§5.4.1: the only one is inside it).
        const nonces: DigestNonces | undefined = def.type === 1 ? undefined : r.nonces;
        const auth: V3AuthOptions = nonces ? { secret, digestType: r.digestType, nonces } : { secret, digestType: r.digestType };
        const { version: _v, ...v3init } = init;
        return { type: def.type, name: def.name, init, fields, auth, bytes: encodeControlV3(v3init, auth).slice() };
      });
  });
}

/** A generated L2TPv3 data message over UDP. */
export interface GeneratedDataV3 {
  readonly sessionId: number;
  /** The cookie (empty when none): its length is what the receiver must be told (`cookieLength`). */
  readonly cookie: Uint8Array;
  /** 0 no sublayer, 1 the Default L2-Specific Sublayer (§4.6). */
  readonly l2SpecificSublayer: 0 | 1;
  /** The sublayer's sequence number when S=1 (only with `l2SpecificSublayer: 1`). */
  readonly sequenceNumber: number | undefined;
  /** The tunnelled frame. */
  readonly frame: Uint8Array;
  readonly bytes: Uint8Array;
}

/** Options of {@link dataMessageV3Arb}. */
export interface DataMessageV3Options {
  /** Fixed cookie length; default 0, 4 or 8 at random. */
  cookieLength?: 0 | 4 | 8;
  /** Fixed sublayer; default either. */
  l2SpecificSublayer?: 0 | 1;
  /** Largest frame. Default 256. */
  maxFrame?: number;
}

/**
 * A valid L2TPv3 data message over UDP (RFC 3931 §4.1.2.1), with a 0/4/8-byte cookie and,
 * optionally, the Default L2-Specific Sublayer (§4.6) with S=1 and a 24-bit number, or S=0.
 * @example
 * ```ts
 * fc.assert(fc.property(dataMessageV3Arb({ cookieLength: 8 }), (d) =>
 *   parseData(d.bytes, { cookieLength: 8 }).payload.length === d.frame.length + (d.l2SpecificSublayer ? 4 : 0)));
 * ```
 */
export function dataMessageV3Arb(options: DataMessageV3Options = {}): fc.Arbitrary<GeneratedDataV3> {
  const cookieLength = options.cookieLength === undefined ? fc.constantFrom<0 | 4 | 8>(0, 4, 8) : fc.constant(options.cookieLength);
  const l2ss = options.l2SpecificSublayer === undefined ? fc.constantFrom<0 | 1>(0, 1) : fc.constant(options.l2SpecificSublayer);
  return fc
    .record({
      sessionId: id32, // non-zero (§4.1)
      cookie: cookieLength.chain((n) => fc.uint8Array({ minLength: n, maxLength: n })),
      l2SpecificSublayer: l2ss,
      seq: fc.option(fc.integer({ min: 0, max: L2SS_SEQUENCE_MODULUS - 1 }), { nil: undefined }),
      frame: bytesArb(0, options.maxFrame ?? 256),
    })
    .map((r): GeneratedDataV3 => {
      const sublayer = r.l2SpecificSublayer ? DEFAULT_L2SS_LENGTH : 0;
      const payload = new Uint8Array(sublayer + r.frame.length);
      if (sublayer) writeDefaultL2ss(payload, 0, r.seq);
      payload.set(r.frame, sublayer);
      const bytes = encodeData(r.cookie.length ? { version: 3, sessionId: r.sessionId, cookie: r.cookie, payload } : { version: 3, sessionId: r.sessionId, payload });
      return { sessionId: r.sessionId, cookie: r.cookie, l2SpecificSublayer: r.l2SpecificSublayer, sequenceNumber: r.l2SpecificSublayer ? r.seq : undefined, frame: r.frame, bytes };
    });
}
