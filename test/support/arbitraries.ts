/**
 * fast-check arbitraries for the control codec's property and robustness tests.
 *
 * Everything here is derived from the catalogues (`AVP_CATALOG`, `MESSAGE_CATALOG`), so a new
 * catalogue row is covered without touching this file; a new *codec kind* makes
 * {@link typedValueArb} throw at import time until it is taught here.
 *
 * Sizes are biased: most values are small (so a message can carry dozens of AVPs and 10,000 runs
 * stay fast), some sit exactly at the codec's bounds (1017 bytes, the 10-bit AVP Length minus the
 * 6-byte header, RFC 2661 §4.1).
 */
import fc from 'fast-check';
import {
  AVP_CATALOG,
  AVP_HEADER_LENGTH,
  MessageType,
  avpDef,
  encodeControl,
  messageAvps,
  messageDef,
  cdn,
  hello,
  iccn,
  icrp,
  icrq,
  occn,
  ocrp,
  ocrq,
  sccrp,
  sccrq,
  scccn,
  sli,
  stopccn,
  wen,
  zlb,
  type AvpDef,
  type AvpInit,
  type ControlMessageInit,
  type HidingOptions,
} from '../../src/index.js';

/** Largest AVP value: 1023 (10-bit Length) − 6 (header), RFC 2661 §4.1. */
export const MAX_VALUE = 1017;
/** The captures' tunnel secret (test/vectors/README.md); any secret would do. */
export const TEST_SECRET = 'l2tp-wire-test-secret';

const encoder = new TextEncoder();
export const utf8Length = (s: string): number => encoder.encode(s).length;

/** Every catalogue row that is a typed field of an encodable message (Message Type is the header's `type`). */
export const TYPED_DEFS: readonly AvpDef[] = AVP_CATALOG.filter((d) => d.key !== 'messageType');

// ---------------------------------------------------------------------------------------------
// Sizes, bytes, strings

/** A length in [min, max]: mostly within 32 of `min`, sometimes anywhere, sometimes a bound. */
export function sizeArb(min: number, max: number): fc.Arbitrary<number> {
  if (max < min) throw new RangeError(`sizeArb: max ${max} < min ${min}`);
  if (max - min <= 32) return fc.integer({ min, max });
  return fc.oneof(
    { weight: 8, arbitrary: fc.integer({ min, max: min + 32 }) },
    { weight: 1, arbitrary: fc.integer({ min, max }) },
    { weight: 1, arbitrary: fc.constantFrom(min, max) },
  );
}

export function bytesArb(min: number, max: number): fc.Arbitrary<Uint8Array> {
  return sizeArb(min, max).chain((n) => fc.uint8Array({ minLength: n, maxLength: n }));
}

/** ASCII most of the time; any code point (no lone surrogates: those do not round-trip) otherwise. */
const charArb = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
);

/** A well-formed string whose UTF-8 encoding is between `min` and `max` bytes. */
export function stringArb(min: number, max: number): fc.Arbitrary<string> {
  return sizeArb(min, max).chain((n) =>
    fc.array(charArb, { maxLength: Math.min(n, 64) }).map((chars) => {
      // Take code points while they fit in n bytes, then pad with ASCII to exactly n bytes.
      let s = '';
      let len = 0;
      for (const c of chars) {
        const l = utf8Length(c);
        if (len + l > n) break;
        s += c;
        len += l;
      }
      return s + 'x'.repeat(n - len);
    }),
  );
}

// ---------------------------------------------------------------------------------------------
// Typed values, one arbitrary per codec kind

const u8 = fc.integer({ min: 0, max: 0xff });
const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.integer({ min: 0, max: 0xffffffff });

const lengthsCache = new Map<AvpDef, number[]>();
/** The value lengths a `bytes` codec accepts (some allow only a list, e.g. Assigned Cookie 4 or 8). */
function allowedByteLengths(d: AvpDef): number[] {
  const cached = lengthsCache.get(d);
  if (cached) return cached;
  const out: number[] = [];
  lengthsCache.set(d, out);
  for (let n = d.codec.minLength; n <= d.codec.maxLength; n++) {
    try {
      d.codec.encodedLength(new Uint8Array(n) as never);
      out.push(n);
    } catch {
      // not an allowed length
    }
  }
  return out;
}

/**
 * A typed value for catalogue row `d` whose encoding is at most `cap` bytes (a hidden value must
 * leave room for the 2-byte Original Length and the padding, RFC 2661 §4.3).
 */
export function typedValueArb(d: AvpDef, cap: number = d.codec.maxLength): fc.Arbitrary<unknown> {
  // Built once per (row, cap): message arbitraries ask for them inside `chain`, once per run.
  const id = `${d.key}:${Math.min(cap, d.codec.maxLength)}`;
  let a = valueCache.get(id);
  if (a === undefined) valueCache.set(id, (a = buildTypedValueArb(d, cap)));
  return a;
}
const valueCache = new Map<string, fc.Arbitrary<unknown>>();

function buildTypedValueArb(d: AvpDef, cap: number): fc.Arbitrary<unknown> {
  const c = d.codec;
  const max = Math.min(c.maxLength, cap);
  switch (c.kind) {
    case 'u8':
    case 'proxyAuthenId':
      return u8;
    case 'u16':
    case 'bits16':
      return u16;
    case 'u16nz':
      return fc.integer({ min: 1, max: 0xffff });
    case 'u32':
    case 'bits32':
      return u32;
    case 'u32nz':
      return fc.integer({ min: 1, max: 0xffffffff });
    case 'u64':
      return fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
    case 'string':
      return stringArb(c.minLength, max);
    case 'bytes': {
      const lengths = allowedByteLengths(d).filter((n) => n <= max);
      if (lengths.length === max - c.minLength + 1) return bytesArb(c.minLength, max);
      return fc.constantFrom(...lengths).chain((n) => fc.uint8Array({ minLength: n, maxLength: n }));
    }
    case 'empty':
      return fc.constant(true);
    case 'u16List':
      return sizeArb(c.minLength >> 1, max >> 1).chain((n) => fc.array(u16, { minLength: n, maxLength: n }));
    case 'protocolVersion':
      return fc.record({ version: u8, revision: u8 });
    case 'resultCode':
      // RFC 2661 §4.4.2: 2 bytes (result), 4 (+ error), or more (+ message).
      return fc.oneof(
        fc.record({ result: u16 }),
        fc.record({ result: u16, error: u16 }),
        // An empty message is the 4-byte form on the wire, so texts here are 1 byte or more.
        fc.record({ result: u16, error: u16, message: stringArb(1, max - 4) }),
      );
    case 'q931Cause':
      return fc.oneof(fc.record({ cause: u16, message: u8 }), fc.record({ cause: u16, message: u8, advisory: stringArb(1, max - 3) }));
    case 'callErrors':
      return fc.record({ crcErrors: u32, framingErrors: u32, hardwareOverruns: u32, bufferOverruns: u32, timeoutErrors: u32, alignmentErrors: u32 });
    case 'accm':
      return fc.record({ send: u32, receive: u32 });
    case 'pppDisconnectCause':
      return fc.oneof(
        fc.record({ code: u16, protocol: u16, direction: u8 }),
        fc.record({ code: u16, protocol: u16, direction: u8, message: stringArb(1, max - 5) }),
      );
    case 'messageDigest':
      return fc.record({ digestType: u8, digest: bytesArb(16, max - 1) });
    default:
      throw new Error(`test/support/arbitraries.ts knows no codec kind '${c.kind}' (AVP ${d.vendorId}:${d.type} ${d.name}): add it`);
  }
}

// Fail at import, not in the middle of a property, when a codec kind is missing above.
for (const d of AVP_CATALOG) typedValueArb(d);

/** Raw value bytes of any length the codec of `d` allows (content arbitrary: it may be invalid). */
export function rawValueArb(d: AvpDef): fc.Arbitrary<Uint8Array> {
  return bytesArb(d.codec.minLength, d.codec.maxLength);
}

// ---------------------------------------------------------------------------------------------
// Raw AVPs the catalogue does not type

/**
 * An AVP no typed field reads: an unknown (Vendor ID, type), or a known one with reserved bits
 * set ("treat as unrecognized", RFC 2661 §4.1; L2TPv2 only, RFC 3931 §5.1 ignores them). Any M and H bits.
 */
export const untypedAvpArb: fc.Arbitrary<AvpInit> = fc
  .record({
    mandatory: fc.boolean(),
    hidden: fc.boolean(),
    reserved: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 15 })),
    vendorId: fc.oneof(fc.constant(0), fc.constantFrom(9, 3561), u16),
    type: fc.oneof(fc.integer({ min: 0, max: 140 }), u16),
    value: bytesArb(0, 40),
  })
  .filter((a) => a.reserved !== 0 || avpDef(a.vendorId, a.type) === undefined);

// ---------------------------------------------------------------------------------------------
// Whole messages

/** A message to encode, and what parsing it (with `secret`) must give back. */
export interface GeneratedMessage {
  readonly init: ControlMessageInit;
  /** Every typed field the parsed message must carry, by catalogue key (others must be absent). */
  readonly expected: Readonly<Record<string, unknown>>;
  /** The secret to parse with (set when the message hides AVPs). */
  readonly secret: string | undefined;
}

const hidingArb: fc.Arbitrary<HidingOptions> = fc.record(
  {
    secret: fc.oneof(fc.constant(TEST_SECRET), fc.string({ minLength: 1, maxLength: 24 })),
    // RFC 2661 §4.4.1: Random Vector "MUST contain one or more octets"; 16 is usual.
    randomVector: fc.oneof(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.uint8Array({ minLength: 1, maxLength: 40 })),
    padding: fc.uint8Array({ minLength: 0, maxLength: 24 }),
    // Either every hideable field (the default), or an explicit list of IETF types to hide.
    // (Never one the RFC says MUST NOT be hidden, §4.4: asking for that is a RangeError. Rows whose
    // RFC text was not checked — M rule 'may' — may be hidden when listed.)
    avps: fc.subarray(TYPED_DEFS.filter((d) => d.vendorId === 0 && (d.hideable || d.mandatoryRule === 'may')).map((d) => d.type), { maxLength: 30 }),
  },
  { requiredKeys: ['secret', 'randomVector'] },
);

function hides(d: AvpDef, h: HidingOptions | undefined): boolean {
  if (h === undefined || (d.vendorId === 0 && d.type === 36)) return false;
  return h.avps ? d.vendorId === 0 && h.avps.includes(d.type) : d.hideable;
}

/** Catalogue rows RFC 2661 §6 requires for an L2TPv2 message of `type`. */
export function requiredDefs(type: number): AvpDef[] {
  return (messageDef(type)?.requiredV2 ?? []).map((t) => avpDef(0, t)!);
}

/**
 * Arbitrary valid control messages: v2 and v3, message types 1–29 (reserved 5 and 13 and the
 * RFC 3931+ types included) and ZLBs, any subset of the catalogue's typed fields (the §6 required
 * ones always, for v2), hidden or not, plus untyped raw AVPs after them.
 */
export function controlMessageArb(options: { maxFields?: number } = {}): fc.Arbitrary<GeneratedMessage> {
  const maxFields = options.maxFields ?? 24;
  const header = fc.oneof(
    fc.record({ version: fc.constant(2 as const), tunnelId: u16, sessionId: u16, ns: u16, nr: u16 }),
    fc.record({ version: fc.constant(3 as const), tunnelId: u32, ns: u16, nr: u16 }),
  );
  const body = fc.record({
    type: fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 20, arbitrary: fc.integer({ min: 1, max: 29 }) }),
    hiding: fc.option(hidingArb, { nil: undefined, freq: 3 }),
    optional: fc.subarray(TYPED_DEFS as AvpDef[], { maxLength: maxFields }),
    extra: fc.array(untypedAvpArb, { maxLength: 4 }),
  });
  return fc.tuple(header, body).chain(([h, b]) => {
    if (b.type === 0) {
      return fc.constant<GeneratedMessage>({ init: { ...h, type: 0 }, expected: {}, secret: undefined });
    }
    const hiding = b.hiding;
    // RFC 3931 §5.1: v3 ignores the reserved bits, so a known AVP with them set is typed there.
    const extra = h.version === 3 ? b.extra.filter((a) => avpDef(a.vendorId ?? 0, a.type) === undefined) : b.extra;
    const defs = new Set<AvpDef>(h.version === 2 ? requiredDefs(b.type) : []);
    for (const d of b.optional) defs.add(d);
    // With hiding, the Random Vector AVP is the hiding one; a randomVector field is not sent.
    if (hiding) for (const d of defs) if (d.vendorId === 0 && d.type === 36) defs.delete(d);
    const list = [...defs];
    const room = MAX_VALUE - 2 - (hiding?.padding?.length ?? 0);
    const values = fc.tuple(...list.map((d) => typedValueArb(d, hides(d, hiding) ? room : d.codec.maxLength)));
    return values.map((vs): GeneratedMessage => {
      const fields: Record<string, unknown> = {};
      list.forEach((d, i) => (fields[d.key] = vs[i]));
      const expected = { ...fields };
      if (hiding) expected.randomVector = hiding.randomVector;
      const init = { ...h, type: b.type, ...fields, extraAvps: extra, hiding } as ControlMessageInit;
      return { init, expected, secret: hiding ? (hiding.secret as string) : undefined };
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Builders

/** The 15 L2TPv2 builders (RFC 2661 §6, plus the ZLB of §5.8), with their message types. */
export const BUILDERS = [
  { name: 'sccrq', type: MessageType.SCCRQ, build: sccrq },
  { name: 'sccrp', type: MessageType.SCCRP, build: sccrp },
  { name: 'scccn', type: MessageType.SCCCN, build: scccn },
  { name: 'stopccn', type: MessageType.StopCCN, build: stopccn },
  { name: 'hello', type: MessageType.HELLO, build: hello },
  { name: 'ocrq', type: MessageType.OCRQ, build: ocrq },
  { name: 'ocrp', type: MessageType.OCRP, build: ocrp },
  { name: 'occn', type: MessageType.OCCN, build: occn },
  { name: 'icrq', type: MessageType.ICRQ, build: icrq },
  { name: 'icrp', type: MessageType.ICRP, build: icrp },
  { name: 'iccn', type: MessageType.ICCN, build: iccn },
  { name: 'cdn', type: MessageType.CDN, build: cdn },
  { name: 'wen', type: MessageType.WEN, build: wen },
  { name: 'sli', type: MessageType.SLI, build: sli },
  { name: 'zlb', type: 0, build: zlb },
] as const satisfies readonly { name: string; type: number; build: (o: never) => Uint8Array }[];

export type BuilderEntry = (typeof BUILDERS)[number];

/** Builder options: the §6 required fields, any of the message's §6 optional ones, header fields. */
export interface BuilderCase {
  readonly builder: BuilderEntry;
  readonly options: Record<string, unknown>;
}

export const builderCaseArb: fc.Arbitrary<BuilderCase> = fc.constantFrom(...BUILDERS).chain((builder): fc.Arbitrary<BuilderCase> => {
  const header = fc.record({ tunnelId: u16, sessionId: u16, ns: u16, nr: u16 }, { requiredKeys: [] });
  if (builder.type === 0) return header.map((options): BuilderCase => ({ builder, options }));
  const required = requiredDefs(builder.type);
  const optional = messageAvps(builder.type).filter((d) => !required.includes(d) && d.type !== 36);
  return fc
    .tuple(header, fc.tuple(...required.map((d) => typedValueArb(d))), fc.subarray(optional).chain((ds) => fc.tuple(fc.constant(ds), fc.tuple(...ds.map((d) => typedValueArb(d))))))
    .map(([h, req, [ods, ovs]]): BuilderCase => {
      const options: Record<string, unknown> = { ...h };
      required.forEach((d, i) => (options[d.key] = req[i]));
      ods.forEach((d, i) => (options[d.key] = ovs[i]));
      return { builder, options };
    });
});

// ---------------------------------------------------------------------------------------------
// Mutations (robustness)

/** Offsets of the AVP headers of a well-formed control message (walked by their Length fields). */
export function avpOffsets(b: Uint8Array): number[] {
  const out: number[] = [];
  const end = Math.min(b.length, (b[2]! << 8) | b[3]!);
  for (let o = 12; o + AVP_HEADER_LENGTH <= end; ) {
    const len = ((b[o]! << 8) | b[o + 1]!) & 0x3ff;
    if (len < AVP_HEADER_LENGTH) break;
    out.push(o);
    o += len;
  }
  return out;
}

type Mutation = (b: Uint8Array) => Uint8Array;

/** RFC-labelled ways a datagram goes wrong: each takes a copy and returns a new one. */
const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  // Truncated in transit (or a short read).
  fc.nat().map((k): Mutation => (b) => b.slice(0, b.length === 0 ? 0 : k % b.length)),
  // Bit flips anywhere (header flags, lengths, hidden values…).
  fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 7 })), { minLength: 1, maxLength: 4 }).map(
    (flips): Mutation =>
      (b) => {
        const c = b.slice();
        if (c.length) for (const [i, bit] of flips) c[i % c.length]! ^= 1 << bit;
        return c;
      },
  ),
  // A lying header Length (RFC 2661 §3.1).
  u16.map((len): Mutation => (b) => {
    const c = b.slice();
    if (c.length >= 4) {
      c[2] = len >>> 8;
      c[3] = len & 0xff;
    }
    return c;
  }),
  // A lying AVP Length (RFC 2661 §4.1): 0–1023, any AVP.
  fc.tuple(fc.nat(), fc.integer({ min: 0, max: 0x3ff })).map(
    ([which, len]): Mutation =>
      (b) => {
        const c = b.slice();
        const offs = avpOffsets(c);
        if (offs.length) {
          const o = offs[which % offs.length]!;
          const w = (((c[o]! << 8) | c[o + 1]!) & 0xfc00) | len;
          c[o] = w >>> 8;
          c[o + 1] = w & 0xff;
        }
        return c;
      },
  ),
  // Flag bits of an AVP (M, H, reserved) toggled.
  fc.tuple(fc.nat(), fc.integer({ min: 2, max: 7 })).map(
    ([which, bit]): Mutation =>
      (b) => {
        const c = b.slice();
        const offs = avpOffsets(c);
        if (offs.length) c[offs[which % offs.length]!]! ^= 1 << bit;
        return c;
      },
  ),
  // Random bytes over a span.
  fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 16 })).map(
    ([at, junk]): Mutation =>
      (b) => {
        const c = b.slice();
        if (c.length) c.set(junk.subarray(0, Math.max(0, c.length - (at % c.length))), at % c.length);
        return c;
      },
  ),
  // Trailing garbage past Length.
  fc.uint8Array({ minLength: 1, maxLength: 32 }).map((junk): Mutation => (b) => {
    const c = new Uint8Array(b.length + junk.length);
    c.set(b);
    c.set(junk, b.length);
    return c;
  }),
  // An AVP dropped or duplicated (cut at AVP boundaries, Length left as it was or fixed).
  fc.tuple(fc.nat(), fc.boolean(), fc.boolean()).map(
    ([which, dup, fix]): Mutation =>
      (b) => {
        const offs = avpOffsets(b);
        if (!offs.length) return b.slice();
        const i = which % offs.length;
        const o = offs[i]!;
        const end = i + 1 < offs.length ? offs[i + 1]! : Math.min(b.length, (b[2]! << 8) | b[3]!);
        const avp = b.subarray(o, end);
        const parts = dup ? [b.subarray(0, end), avp, b.subarray(end)] : [b.subarray(0, o), b.subarray(end)];
        const c = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
        let at = 0;
        for (const p of parts) {
          c.set(p, at);
          at += p.length;
        }
        if (fix && c.length <= 0xffff && c.length >= 4) {
          c[2] = c.length >>> 8;
          c[3] = c.length & 0xff;
        }
        return c;
      },
  ),
);

/** Encoded valid messages (copied out of the encoder's pool) and the secret they need. */
export const encodedMessageArb: fc.Arbitrary<{ bytes: Uint8Array; secret: string | undefined }> = controlMessageArb({ maxFields: 12 }).map(
  (g) => ({ bytes: encodeControl(g.init).slice(), secret: g.secret }),
);

/** A valid message with 1–3 mutations applied, or two valid messages spliced together. */
export const mutatedMessageArb: fc.Arbitrary<{ bytes: Uint8Array; secret: string | undefined }> = fc.oneof(
  fc.tuple(encodedMessageArb, fc.array(mutationArb, { minLength: 1, maxLength: 3 })).map(([m, ms]) => ({
    bytes: ms.reduce((b, f) => f(b), m.bytes),
    secret: m.secret,
  })),
  // Splice: the head of one message on the tail of another.
  fc.tuple(encodedMessageArb, encodedMessageArb, fc.nat(), fc.nat()).map(([a, b, i, j]) => {
    const head = a.bytes.subarray(0, i % (a.bytes.length + 1));
    const tail = b.bytes.subarray(j % (b.bytes.length + 1));
    const c = new Uint8Array(head.length + tail.length);
    c.set(head);
    c.set(tail, head.length);
    return { bytes: c, secret: a.secret ?? b.secret };
  }),
);

/**
 * Bytes that look like L2TP for a few bytes: a plausible flags word (control/data, v1–v3, any L/S/O/P),
 * often a coherent Length, then AVP-shaped or random bytes.
 */
export const looksLikeL2tpArb: fc.Arbitrary<Uint8Array> = fc
  .tuple(
    fc.oneof(fc.constantFrom(0xc802, 0xc803, 0x4002, 0x0002, 0x0802, 0x4a02, 0x0202, 0x0102, 0x0003, 0xc801, 0xc80f, 0x8002, 0xca02), u16),
    fc.boolean(),
    fc.array(fc.tuple(u16, u16, u16, fc.uint8Array({ maxLength: 12 })), { maxLength: 8 }),
    fc.uint8Array({ maxLength: 24 }),
  )
  .map(([flags, coherent, avps, tail]) => {
    const parts: number[] = [flags >>> 8, flags & 0xff, 0, 0, 0, 1, 0, 2, 0, 3, 0, 4];
    for (const [w, v, t, val] of avps) parts.push(w >>> 8, w & 0xff, v >>> 8, v & 0xff, t >>> 8, t & 0xff, ...val);
    parts.push(...tail);
    const b = Uint8Array.from(parts);
    if (coherent && b.length >= 4) {
      b[2] = b.length >>> 8;
      b[3] = b.length & 0xff;
    }
    return b;
  });
