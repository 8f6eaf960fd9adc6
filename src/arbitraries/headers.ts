/**
 * Header arbitraries: L2TPv2 control and data headers (RFC 2661 §3.1) and L2TPv3 control and
 * data headers over UDP (RFC 3931 §3.2.1, §4.1.2.1). Each comes as the `HeaderInit` and its
 * encoded bytes; a header with L=1 says exactly its own length (an AVP-less control message is a ZLB).
 */
import fc from 'fast-check';
import { encodeHeader, headerLength, type ControlHeaderV3Init, type DataHeaderV3Init, type HeaderInit, type HeaderV2Init } from '../wire/header.js';

/** A header and its bytes. */
export interface GeneratedHeader<H extends HeaderInit = HeaderInit> {
  readonly header: H;
  readonly bytes: Uint8Array;
}

const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.integer({ min: 0, max: 0xffffffff });

function encoded<H extends HeaderInit>(h: H): GeneratedHeader<H> {
  const init = h.version === 3 || h.length === undefined ? h : { ...h, length: headerLength(h) };
  return { header: init, bytes: encodeHeader(init) };
}

/**
 * A valid L2TPv2 header (RFC 2661 §3.1). Control: T=L=S=1, O=P=0. Data: L, S, O and P at random.
 * @example
 * ```ts
 * fc.assert(fc.property(headerV2Arb(), ({ bytes }) => parseHeader(bytes).version === 2));
 * ```
 */
export function headerV2Arb(options: { control?: boolean } = {}): fc.Arbitrary<GeneratedHeader<HeaderV2Init>> {
  const control = options.control === undefined ? fc.boolean() : fc.constant(options.control);
  return control.chain((isControl) =>
    isControl
      ? fc.record({ tunnelId: u16, sessionId: u16, ns: u16, nr: u16 }).map((f) => encoded<HeaderV2Init>({ isControl: true, length: 12, ...f }))
      : fc
          .record({
            tunnelId: u16,
            sessionId: u16,
            withLength: fc.boolean(),
            seq: fc.option(fc.tuple(u16, u16), { nil: undefined }),
            offsetSize: fc.option(fc.integer({ min: 0, max: 16 }), { nil: undefined }),
            priority: fc.boolean(),
          })
          .map((f) => {
            const h: HeaderV2Init = { isControl: false, tunnelId: f.tunnelId, sessionId: f.sessionId, priority: f.priority };
            if (f.withLength) h.length = 0;
            if (f.seq) [h.ns, h.nr] = f.seq;
            if (f.offsetSize !== undefined) h.offsetSize = f.offsetSize;
            return encoded(h);
          }),
  );
}

/**
 * A valid L2TPv3 control header over UDP (RFC 3931 §3.2.1): T=L=S=1, 12 bytes, Length 12.
 * @example
 * ```ts
 * fc.assert(fc.property(controlHeaderV3Arb(), ({ header, bytes }) => parseHeader(bytes).version === 3 && header.length === 12));
 * ```
 */
export function controlHeaderV3Arb(): fc.Arbitrary<GeneratedHeader<ControlHeaderV3Init>> {
  return fc
    .record({ controlConnectionId: u32, ns: u16, nr: u16 })
    .map((f) => encoded<ControlHeaderV3Init>({ version: 3, isControl: true, length: 12, ...f }));
}

/**
 * A valid L2TPv3 data header over UDP (RFC 3931 §4.1.2.1), with no cookie or a 4- or 8-byte one.
 * @example
 * ```ts
 * fc.assert(fc.property(dataHeaderV3Arb(), ({ header, bytes }) =>
 *   parseHeader(bytes, { cookieLength: (header.cookie?.length ?? 0) as 0 | 4 | 8 }).headerLength === bytes.length));
 * ```
 */
export function dataHeaderV3Arb(): fc.Arbitrary<GeneratedHeader<DataHeaderV3Init>> {
  return fc
    .record({ sessionId: fc.integer({ min: 1, max: 0xffffffff }), cookieLength: fc.constantFrom(0, 4, 8) }) // non-zero, RFC 3931 §4.1
    .chain(({ sessionId, cookieLength }) =>
      fc.uint8Array({ minLength: cookieLength, maxLength: cookieLength }).map((c) => {
        const h: DataHeaderV3Init = { version: 3, isControl: false, sessionId };
        if (cookieLength) h.cookie = c;
        return encoded(h);
      }),
    );
}

/**
 * Any valid header: v2 control or data, v3 control or data.
 * @example
 * ```ts
 * fc.assert(fc.property(headerArb(), ({ header, bytes }) => headerLength(header) === bytes.length));
 * ```
 */
export function headerArb(): fc.Arbitrary<GeneratedHeader> {
  return fc.oneof(headerV2Arb(), controlHeaderV3Arb(), dataHeaderV3Arb()) as fc.Arbitrary<GeneratedHeader>;
}
