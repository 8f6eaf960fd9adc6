/**
 * Control and data message arbitraries. Control messages are valid L2TPv2 messages: Message
 * Type first (RFC 2661 §4.4.1), every AVP RFC 2661 §6 requires for the type, a random subset of
 * the ones it allows, header IDs as §6 and §3.1 say (0 where the peer's ID is not known yet),
 * and optionally vendor and unknown M=0 AVPs (which a peer must ignore, §4.1) and hidden AVPs
 * (§4.3).
 */
import fc from 'fast-check';
import type { AvpInit } from '../wire/avp.js';
import type { TunnelSecret } from '../wire/challenge.js';
import { encodeControl, type ControlMessageInit, type HidingOptions } from '../wire/control.js';
import { encodeData, type DataMessageV2Init, type DataMessageV3Init } from '../wire/data.js';
import { hideAvpValue } from '../wire/hidden.js';
import { MESSAGE_CATALOG, MessageType, messageAvps, messageDef } from '../wire/message-catalog.js';
import type { MessageDef } from '../wire/avp-def.js';
import { rawAvpArb, vendorAvpArb } from './avps.js';
import { avpValueArb, bytesArb, lengthArb } from './values.js';

/** A generated control message: what it was built from and its bytes (a fresh array). */
export interface GeneratedControl {
  /** Message Type (0 for a ZLB). */
  readonly type: number;
  /** `'SCCRQ'`, …, or `'ZLB'`. */
  readonly name: string;
  /** The `encodeControl` input, typed fields included. */
  readonly init: ControlMessageInit;
  /** The typed AVP fields by catalogue key (what `parseControl` gives back, with the secret for hidden ones). */
  readonly fields: Readonly<Record<string, unknown>>;
  /** The IETF types sent hidden (empty unless a secret was given). */
  readonly hiddenTypes: readonly number[];
  readonly bytes: Uint8Array;
}

/**
 * The RFC 2661 message types (§3.2; 5 and 13 are reserved, so not here).
 * @example
 * ```ts
 * V2_MESSAGE_TYPES.map((d) => d.name);   // ['SCCRQ', 'SCCRP', 'SCCCN', 'StopCCN', 'HELLO', …, 'SLI']
 * ```
 */
export const V2_MESSAGE_TYPES: readonly MessageDef[] = MESSAGE_CATALOG.filter((d) => d.rfc.startsWith('RFC 2661'));

/** Options of {@link controlMessageArb}. */
export interface ControlMessageOptions {
  /** Message types to draw from, by number or name (`'SCCRQ'`). Default: every RFC 2661 type. */
  types?: readonly (number | string)[];
  /** Add vendor AVPs and unknown M=0 AVPs after the typed ones (a peer must ignore them). Default true. */
  extras?: boolean;
  /** Hide the hideable AVPs (all, or a random subset) with this secret and a Random Vector (§4.3). */
  secret?: TunnelSecret;
  /** Header fields to use instead of random ones. */
  header?: { tunnelId?: number; sessionId?: number; ns?: number; nr?: number };
}

const u16 = fc.integer({ min: 0, max: 0xffff });
const id16 = fc.integer({ min: 1, max: 0xffff });

function resolveTypes(types: readonly (number | string)[] | undefined): MessageDef[] {
  if (types === undefined) return [...V2_MESSAGE_TYPES];
  if (types.length === 0) throw new RangeError('options.types must list at least one message type');
  return types.map((t) => {
    const d = typeof t === 'number' ? messageDef(t) : MESSAGE_CATALOG.find((m) => m.name === t);
    if (d === undefined) throw new RangeError(`unknown message type ${String(t)}: use a MessageType number or name such as 'SCCRQ'`);
    return d;
  });
}

/** Header IDs RFC 2661 prescribes: SCCRQ goes to Tunnel ID 0 (§6.1), ICRQ/OCRQ to Session ID 0. */
function headerArb(def: MessageDef): fc.Arbitrary<{ tunnelId: number; sessionId: number; ns: number; nr: number }> {
  const tunnelId = def.type === MessageType.SCCRQ ? fc.constant(0) : id16;
  const opensSession = def.type === MessageType.ICRQ || def.type === MessageType.OCRQ;
  const sessionId = def.scope === 'tunnel' || opensSession ? fc.constant(0) : id16;
  return fc.record({ tunnelId, sessionId, ns: u16, nr: u16 });
}

/** Value overrides that make a message acceptable, not just parseable (e.g. Protocol Version 1.0, §4.4.3). */
function fieldValueArb(key: string): fc.Arbitrary<unknown> | undefined {
  if (key === 'protocolVersion') return fc.constant({ version: 1, revision: 0 });
  // A Receive Window Size of 0 would let the peer send nothing (§5.8).
  if (key === 'receiveWindowSize') return id16;
  return undefined;
}

/** Room for a value that is hidden: the subformat adds 2 bytes and up to {@link MAX_PADDING} (§4.3). */
const MAX_PADDING = 32;
const MAX_HIDDEN_VALUE = 1017 - 2 - MAX_PADDING;

function fieldsArb(def: MessageDef, hiding: boolean): fc.Arbitrary<Record<string, unknown>> {
  const listed = messageAvps(def.type).filter((d) => !(d.vendorId === 0 && d.type === 36));
  const required = new Set(def.requiredV2);
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  const requiredKeys: string[] = [];
  for (const d of listed) {
    const arb = fieldValueArb(d.key) ?? avpValueArb(d);
    model[d.key] = hiding && d.hideable ? arb.filter((v) => d.codec.encodedLength(v) <= MAX_HIDDEN_VALUE) : arb;
    if (required.has(d.type)) requiredKeys.push(d.key);
  }
  return fc.record(model, { requiredKeys }) as fc.Arbitrary<Record<string, unknown>>;
}

/** Catalogue rows by key, for the RFC 2661 message fields. */
const MESSAGE_KEY_DEFS = new Map(V2_MESSAGE_TYPES.flatMap((m) => messageAvps(m.type)).map((d) => [d.key, d] as const));

function hidingArb(secret: TunnelSecret, fields: Record<string, unknown>): fc.Arbitrary<HidingOptions> {
  const types = Object.keys(fields)
    .map((k) => MESSAGE_KEY_DEFS.get(k))
    .filter((d): d is NonNullable<typeof d> => d !== undefined && d.hideable)
    .map((d) => d.type);
  return fc.record({
    randomVector: fc.oneof({ weight: 3, arbitrary: fc.uint8Array({ minLength: 16, maxLength: 16 }) }, { weight: 1, arbitrary: bytesArb(1, 64) }),
    padding: fc.option(bytesArb(0, MAX_PADDING), { nil: undefined }),
    avps: fc.option(fc.subarray(types), { nil: undefined }),
  }).map((h) => {
    const o: HidingOptions = { secret, randomVector: h.randomVector };
    if (h.padding !== undefined) o.padding = h.padding;
    if (h.avps !== undefined) o.avps = h.avps;
    return o;
  });
}


/**
 * Extra AVPs a peer must accept and ignore: vendor AVPs (M=0) and unknown M=0 AVPs.
 * @example
 * ```ts
 * const noisyHello = ignorableAvpsArb().map((extraAvps) => hello({ tunnelId: 9, extraAvps }));
 * ```
 */
export function ignorableAvpsArb(maxCount = 3): fc.Arbitrary<AvpInit[]> {
  return fc.array(fc.oneof(vendorAvpArb(), rawAvpArb({ mandatory: false })), { maxLength: maxCount });
}

/**
 * A valid L2TPv2 control message of one of `options.types` (default: any RFC 2661 type).
 * @example
 * ```ts
 * fc.assert(fc.property(controlMessageArb({ types: ['SCCRQ'] }), (m) => parseControl(m.bytes).typeName === 'SCCRQ'));
 * ```
 */
export function controlMessageArb(options: ControlMessageOptions = {}): fc.Arbitrary<GeneratedControl> {
  const defs = resolveTypes(options.types);
  const extras = options.extras ?? true;
  return fc.constantFrom(...defs).chain((def) =>
    fc
      .record({
        header: headerArb(def),
        fields: fieldsArb(def, options.secret !== undefined),
        extraAvps: extras ? ignorableAvpsArb() : fc.constant([] as AvpInit[]),
      })
      .chain((r) =>
        (options.secret === undefined ? fc.constant(undefined) : hidingArb(options.secret, r.fields)).map((hiding) => {
          const init: ControlMessageInit = { type: def.type, ...r.header, ...options.header, ...r.fields };
          if (r.extraAvps.length) init.extraAvps = r.extraAvps;
          let hiddenTypes: number[] = [];
          if (hiding !== undefined) {
            init.hiding = hiding;
            hiddenTypes = Object.keys(r.fields)
              .map((k) => MESSAGE_KEY_DEFS.get(k)!)
              .filter((d) => (hiding.avps ? hiding.avps.includes(d.type) : d.hideable))
              .map((d) => d.type);
          }
          return { type: def.type, name: def.name, init, fields: r.fields, hiddenTypes, bytes: encodeControl(init).slice() };
        }),
      ),
  );
}

/**
 * A ZLB acknowledgement (RFC 2661 §5.8): a 12-byte control header and no AVPs.
 * @example
 * ```ts
 * fc.assert(fc.property(zlbArb(), (z) => parseControl(z.bytes).isZlb));
 * ```
 */
export function zlbArb(): fc.Arbitrary<GeneratedControl> {
  return fc.record({ tunnelId: id16, sessionId: u16, ns: u16, nr: u16 }).map((h) => {
    const init: ControlMessageInit = { ...h };
    return { type: 0, name: 'ZLB', init, fields: {}, hiddenTypes: [], bytes: encodeControl(init).slice() };
  });
}

/** A hidden AVP value and everything needed to unhide it (RFC 2661 §4.3). */
export interface GeneratedHiddenAvp {
  readonly attributeType: number;
  /** The original value. */
  readonly value: Uint8Array;
  readonly secret: TunnelSecret;
  readonly randomVector: Uint8Array;
  readonly padding: Uint8Array;
  /** The AVP value field as sent (H=1): `2 + value.length + padding.length` bytes. */
  readonly hidden: Uint8Array;
}

/**
 * A hidden AVP value for `unhideAvpValue` (RFC 2661 §4.3), with random padding.
 * @example
 * ```ts
 * fc.assert(fc.property(hiddenAvpArb({ secret: 's' }), (h) =>
 *   unhideAvpValue(h.attributeType, h.hidden, h.secret, h.randomVector).length === h.value.length));
 * ```
 */
export function hiddenAvpArb(options: { secret: TunnelSecret }): fc.Arbitrary<GeneratedHiddenAvp> {
  return fc
    .record({
      attributeType: fc.oneof(fc.constantFrom(...[...MESSAGE_KEY_DEFS.values()].filter((d) => d.hideable).map((d) => d.type)), u16),
      value: bytesArb(0, 200),
      randomVector: bytesArb(1, 64),
      padding: bytesArb(0, 48),
    })
    .map((r) => ({ ...r, secret: options.secret, hidden: hideAvpValue(r.attributeType, r.value, options.secret, r.randomVector, r.padding) }));
}

/** A generated data message. */
export interface GeneratedData {
  readonly init: DataMessageV2Init | DataMessageV3Init;
  /** The PPP frame (v2) or everything after the cookie (v3). */
  readonly payload: Uint8Array;
  readonly bytes: Uint8Array;
}

/** Options of {@link dataMessageArb}. */
export interface DataMessageOptions {
  /** 2, 3, or either (default). */
  version?: 2 | 3;
  /** Largest payload. Default 256. */
  maxPayload?: number;
}

/**
 * A valid data message: L2TPv2 (RFC 2661 §3.1, T=0, with L, S, O and P at random) or L2TPv3 over
 * UDP (RFC 3931 §4.1.2.1, no cookie or a 4- or 8-byte one).
 * @example
 * ```ts
 * fc.assert(fc.property(dataMessageArb({ version: 2 }), (d) => parseData(d.bytes).payload.length === d.payload.length));
 * ```
 */
export function dataMessageArb(options: DataMessageOptions = {}): fc.Arbitrary<GeneratedData> {
  const payload = lengthArb(0, options.maxPayload ?? 256).chain((n) => fc.uint8Array({ minLength: n, maxLength: n }));
  const v2 = fc
    .record({
      tunnelId: id16,
      sessionId: id16,
      payload,
      withLength: fc.boolean(),
      seq: fc.option(fc.tuple(u16, u16), { nil: undefined }),
      offsetSize: fc.option(fc.integer({ min: 0, max: 16 }), { nil: undefined }),
      priority: fc.boolean(),
    })
    .map((f): GeneratedData => {
      const init: DataMessageV2Init = { tunnelId: f.tunnelId, sessionId: f.sessionId, payload: f.payload, withLength: f.withLength, priority: f.priority };
      if (f.seq) [init.ns, init.nr] = f.seq;
      if (f.offsetSize !== undefined) init.offsetSize = f.offsetSize;
      return { init, payload: f.payload, bytes: encodeData(init) };
    });
  const v3 = fc
    .record({ sessionId: fc.integer({ min: 1, max: 0xffffffff }), cookieLength: fc.constantFrom(0, 4, 8), payload })
    .chain((f) =>
      fc.uint8Array({ minLength: f.cookieLength, maxLength: f.cookieLength }).map((cookie): GeneratedData => {
        const init: DataMessageV3Init = { version: 3, sessionId: f.sessionId, payload: f.payload };
        if (f.cookieLength) init.cookie = cookie;
        return { init, payload: f.payload, bytes: encodeData(init) };
      }),
    );
  if (options.version === 2) return v2;
  if (options.version === 3) return v3;
  return fc.oneof(v2, v3);
}
