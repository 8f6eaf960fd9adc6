/**
 * L2TP headers: L2TPv2 (RFC 2661 §3.1) and L2TPv3 over UDP (RFC 3931 §3.2.1, §4.1.2.1).
 */
import { assertBytes, assertInt, put16, put32, u16, u32 } from './bytes.js';
import { fail } from './errors.js';

/**
 * Header flag bits of the first 16-bit word (RFC 2661 §3.1).
 * @example
 * ```ts
 * const isControl = ((bytes[0] << 8) & HeaderFlag.Type) !== 0; // T bit
 * ```
 */
export const HeaderFlag = {
  /** T: control (1) or data (0) message. */
  Type: 0x8000,
  /** L: Length field present. */
  Length: 0x4000,
  /** S: Ns and Nr fields present. */
  Sequence: 0x0800,
  /** O: Offset Size field present (v2 data only). */
  Offset: 0x0200,
  /** P: priority (v2 data only). */
  Priority: 0x0100,
} as const;

// The other bits of the v2 flags word (0x34F0) are reserved ("x", RFC 2661 §3.1): sent as 0,
// ignored on receipt — encodeHeader never sets them and parseHeader never looks at them.

/** An L2TPv2 header, control or data (RFC 2661 §3.1). */
export interface HeaderV2 {
  readonly version: 2;
  /** T bit: control message. */
  readonly isControl: boolean;
  /** Length field, when L=1; otherwise `undefined`. */
  readonly length: number | undefined;
  readonly tunnelId: number;
  readonly sessionId: number;
  /** Ns when S=1, otherwise `undefined`. */
  readonly ns: number | undefined;
  /** Nr when S=1, otherwise `undefined`. */
  readonly nr: number | undefined;
  /** Offset Size when O=1 (payload starts this many bytes after the field), otherwise `undefined`. */
  readonly offsetSize: number | undefined;
  /** P bit: data message to be treated preferentially. */
  readonly priority: boolean;
  /** Bytes from the start of the message to the payload (or first AVP), offset pad included. */
  readonly headerLength: number;
}

/** An L2TPv3 control message header over UDP (RFC 3931 §3.2.1). */
export interface ControlHeaderV3 {
  readonly version: 3;
  readonly isControl: true;
  readonly length: number;
  /** The receiver's Control Connection ID (0 on the first SCCRQ). */
  readonly controlConnectionId: number;
  readonly ns: number;
  readonly nr: number;
  /** Always 12. */
  readonly headerLength: number;
}

/** An L2TPv3 data message header over UDP (RFC 3931 §4.1.2.1). */
export interface DataHeaderV3 {
  readonly version: 3;
  readonly isControl: false;
  /** 32-bit Session ID (the receiver's). */
  readonly sessionId: number;
  /** The cookie, a view into the input (length as negotiated: 0, 4 or 8 bytes). */
  readonly cookie: Uint8Array | undefined;
  /** Bytes from the start of the message to the payload (the L2-specific sublayer, if any). */
  readonly headerLength: number;
}

/** Any header {@link parseHeader} can return. */
export type Header = HeaderV2 | ControlHeaderV3 | DataHeaderV3;

/** Options for {@link parseHeader}. */
export interface ParseHeaderOptions {
  /**
   * L2TPv3 data only: the cookie length negotiated for the session (0, 4 or 8 bytes;
   * RFC 3931 §4.1). The header does not say it, so the caller must. Default 0.
   */
  cookieLength?: 0 | 4 | 8;
}

/**
 * Parse the header of an L2TP message (v2, or v3 over UDP).
 *
 * Reads only the header: for control messages `headerLength` is where the AVPs start; for data
 * messages, where the payload starts. When L=1 the Length field is checked against the input:
 * it may not exceed it (trailing bytes past Length, such as link padding, are ignored).
 *
 * @throws {@link L2tpError} `TRUNCATED`, `BAD_VERSION`, `BAD_LENGTH`, `BAD_SESSION_ID` (v3 data
 *   to Session ID 0); `RangeError` for a `cookieLength` other than 0, 4 or 8.
 * @example
 * ```ts
 * const h = parseHeader(bytes);
 * if (h.version === 2 && h.isControl) console.log(h.tunnelId, h.ns, h.nr);
 * ```
 */
export function parseHeader(bytes: Uint8Array, options?: ParseHeaderOptions): Header {
  const cl = options?.cookieLength;
  if (cl !== undefined && cl !== 0 && cl !== 4 && cl !== 8) {
    throw new RangeError(`cookieLength must be 0, 4 or 8 (RFC 3931 §4.1), got ${String(cl)}`);
  }
  assertBytes(bytes);
  const n = bytes.length;
  if (n < 2) fail('TRUNCATED', 'message shorter than the 2-byte flags word', n);
  const flags = u16(bytes, 0);
  const version = flags & 0x000f;
  if (version === 2) return parseV2(bytes, flags, n);
  if (version === 3) return flags & HeaderFlag.Type ? parseV3Control(bytes, flags, n) : parseV3Data(bytes, n, options);
  return fail('BAD_VERSION', version === 1 ? 'version 1 is L2F (RFC 2341), not L2TP' : `unknown L2TP version ${version}`, 1);
}

function parseV2(b: Uint8Array, flags: number, n: number): HeaderV2 {
  let o = 2;
  let length: number | undefined;
  if (flags & HeaderFlag.Length) {
    if (n < 4) fail('TRUNCATED', 'message ends inside the Length field', n);
    length = u16(b, 2);
    if (length > n) fail('BAD_LENGTH', `Length ${length} exceeds the ${n} bytes received`, 2);
    o = 4;
  }
  const end = length ?? n;
  if (end < o + 4) fail('TRUNCATED', 'message ends inside Tunnel ID / Session ID', end);
  const tunnelId = u16(b, o);
  const sessionId = u16(b, o + 2);
  o += 4;
  let ns: number | undefined;
  let nr: number | undefined;
  if (flags & HeaderFlag.Sequence) {
    if (end < o + 4) fail('TRUNCATED', 'message ends inside Ns / Nr', end);
    ns = u16(b, o);
    nr = u16(b, o + 2);
    o += 4;
  }
  let offsetSize: number | undefined;
  if (flags & HeaderFlag.Offset) {
    if (end < o + 2) fail('TRUNCATED', 'message ends inside Offset Size', end);
    offsetSize = u16(b, o);
    o += 2 + offsetSize;
    if (o > end) fail('BAD_LENGTH', `Offset Size ${offsetSize} runs past the end of the message`, o - 2 - offsetSize);
  }
  return {
    version: 2,
    isControl: (flags & HeaderFlag.Type) !== 0,
    length,
    tunnelId,
    sessionId,
    ns,
    nr,
    offsetSize,
    priority: (flags & HeaderFlag.Priority) !== 0,
    headerLength: o,
  };
}

function parseV3Control(b: Uint8Array, flags: number, n: number): ControlHeaderV3 {
  // RFC 3931 §3.2.1: L and S MUST be 1 for control messages; the header is fixed at 12 bytes.
  if ((flags & (HeaderFlag.Length | HeaderFlag.Sequence)) !== (HeaderFlag.Length | HeaderFlag.Sequence)) {
    fail('BAD_FLAGS', 'L2TPv3 control message without the L and S bits set', 0);
  }
  if (n < 12) fail('TRUNCATED', 'L2TPv3 control header is 12 bytes', n);
  const length = u16(b, 2);
  if (length > n) fail('BAD_LENGTH', `Length ${length} exceeds the ${n} bytes received`, 2);
  if (length < 12) fail('BAD_LENGTH', `Length ${length} is shorter than the 12-byte header`, 2);
  return { version: 3, isControl: true, length, controlConnectionId: u32(b, 4), ns: u16(b, 8), nr: u16(b, 10), headerLength: 12 };
}

function parseV3Data(b: Uint8Array, n: number, options?: ParseHeaderOptions): DataHeaderV3 {
  const cookieLength = options?.cookieLength ?? 0;
  const headerLength = 8 + cookieLength;
  if (n < headerLength) fail('TRUNCATED', `L2TPv3 data header with a ${cookieLength}-byte cookie is ${headerLength} bytes`, n);
  const sessionId = u32(b, 4);
  // RFC 3931 §4.1: "a non-zero identifier for a session"; 0 is reserved (over IP it marks a
  // control message, §4.1.1.2), so a data message to Session ID 0 addresses no session.
  if (sessionId === 0) fail('BAD_SESSION_ID', 'L2TPv3 data message with Session ID 0 (RFC 3931 §4.1: non-zero)', 4);
  return {
    version: 3,
    isControl: false,
    sessionId,
    cookie: cookieLength ? b.subarray(8, headerLength) : undefined,
    headerLength,
  };
}

/** What {@link encodeHeader} writes for L2TPv2. */
export interface HeaderV2Init {
  version?: 2;
  isControl: boolean;
  /** Write the Length field (always for control messages). The value is `length`. */
  length?: number;
  tunnelId: number;
  sessionId: number;
  /** Write Ns/Nr (S=1) when both are given. */
  ns?: number;
  nr?: number;
  /** Write an Offset Size field and that many zero pad bytes. */
  offsetSize?: number;
  priority?: boolean;
}

/** What {@link encodeHeader} writes for an L2TPv3 control header. */
export interface ControlHeaderV3Init {
  version: 3;
  isControl: true;
  length: number;
  controlConnectionId: number;
  ns: number;
  nr: number;
}

/** What {@link encodeHeader} writes for an L2TPv3 data header over UDP. */
export interface DataHeaderV3Init {
  version: 3;
  isControl: false;
  sessionId: number;
  cookie?: Uint8Array;
}

/** Any header {@link encodeHeader} can write. */
export type HeaderInit = HeaderV2Init | ControlHeaderV3Init | DataHeaderV3Init;

/**
 * Size in bytes of the header {@link encodeHeader} would write for `h`.
 * @example
 * ```ts
 * headerLength({ isControl: true, length: 12, tunnelId: 7, sessionId: 0 }); // 12
 * headerLength({ isControl: false, tunnelId: 7, sessionId: 3 });            // 6
 * ```
 */
export function headerLength(h: HeaderInit): number {
  if (h.version === 3) return h.isControl ? 12 : 8 + (h.cookie?.length ?? 0);
  let n = 6;
  if (h.length !== undefined || h.isControl) n += 2;
  if (h.isControl || (h.ns !== undefined && h.nr !== undefined)) n += 4;
  if (h.offsetSize !== undefined) {
    assertInt(h.offsetSize, 0, 0xffff, 'offsetSize');
    n += 2 + h.offsetSize;
  }
  return n;
}

/**
 * Write a header into `target` at `offset` (or into a new, right-sized array) and return the
 * array. Reserved bits are written as 0 (RFC 2661 §3.1). Control headers always carry L and S
 * and never O or P (§3.1 MUSTs); for them, `ns`/`nr` default to 0.
 *
 * @throws `RangeError` when a field is out of range.
 * @example
 * ```ts
 * const zlb = encodeHeader({ isControl: true, length: 12, tunnelId: 7, sessionId: 0, ns: 0, nr: 0 });
 * ```
 */
export function encodeHeader(h: HeaderInit, target?: Uint8Array, offset = 0): Uint8Array {
  const size = headerLength(h);
  const b = target ?? new Uint8Array(size);
  if (target) {
    assertBytes(target, 'target');
    assertInt(offset, 0, target.length - size, 'offset');
  }
  if (h.version === 3) {
    if (h.isControl) {
      assertInt(h.length, 12, 0xffff, 'length');
      assertInt(h.controlConnectionId, 0, 0xffffffff, 'controlConnectionId');
      assertInt(h.ns, 0, 0xffff, 'ns');
      assertInt(h.nr, 0, 0xffff, 'nr');
      put16(b, offset, HeaderFlag.Type | HeaderFlag.Length | HeaderFlag.Sequence | 3);
      put16(b, offset + 2, h.length);
      put32(b, offset + 4, h.controlConnectionId);
      put16(b, offset + 8, h.ns);
      put16(b, offset + 10, h.nr);
    } else {
      // RFC 3931 §4.1: the Session ID of a data message is non-zero.
      assertInt(h.sessionId, 1, 0xffffffff, 'sessionId (L2TPv3 data: non-zero, RFC 3931 §4.1)');
      if (h.cookie && h.cookie.length !== 4 && h.cookie.length !== 8) {
        throw new RangeError(`cookie must be 4 or 8 bytes (RFC 3931 §4.1), got ${h.cookie.length}`);
      }
      put16(b, offset, 3);
      put16(b, offset + 2, 0);
      put32(b, offset + 4, h.sessionId);
      if (h.cookie) b.set(h.cookie, offset + 8);
    }
    return b;
  }
  if (h.version !== undefined && h.version !== 2) throw new RangeError(`version must be 2 or 3, got ${String(h.version)}`);
  assertInt(h.tunnelId, 0, 0xffff, 'tunnelId');
  assertInt(h.sessionId, 0, 0xffff, 'sessionId');
  const control = h.isControl;
  const withLength = control || h.length !== undefined;
  const withSeq = control || (h.ns !== undefined && h.nr !== undefined);
  let flags = 2;
  if (control) flags |= HeaderFlag.Type;
  if (withLength) flags |= HeaderFlag.Length;
  if (withSeq) flags |= HeaderFlag.Sequence;
  if (!control && h.offsetSize !== undefined) flags |= HeaderFlag.Offset;
  if (!control && h.priority) flags |= HeaderFlag.Priority;
  if (control && (h.offsetSize !== undefined || h.priority)) {
    throw new RangeError('control messages carry no Offset Size and no priority (RFC 2661 §3.1)');
  }
  let o = offset;
  put16(b, o, flags);
  o += 2;
  if (withLength) {
    assertInt(h.length, 0, 0xffff, 'length');
    put16(b, o, h.length);
    o += 2;
  }
  put16(b, o, h.tunnelId);
  put16(b, o + 2, h.sessionId);
  o += 4;
  if (withSeq) {
    const ns = h.ns ?? 0;
    const nr = h.nr ?? 0;
    assertInt(ns, 0, 0xffff, 'ns');
    assertInt(nr, 0, 0xffff, 'nr');
    put16(b, o, ns);
    put16(b, o + 2, nr);
    o += 4;
  }
  if (flags & HeaderFlag.Offset) {
    assertInt(h.offsetSize, 0, 0xffff, 'offsetSize');
    put16(b, o, h.offsetSize);
    b.fill(0, o + 2, o + 2 + h.offsetSize);
  }
  return b;
}

