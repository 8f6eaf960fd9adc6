/**
 * One L2TP message found in a capture, parsed with the codec: control messages by
 * `parseControl`, data by `parseData` (RFC 2661 §3.1; RFC 3931 §4.1), L2TPv3 over IP unwrapped
 * first (RFC 3931 §4.1.1.1: a zero Session ID marks a control message).
 */
import { parseControl, type ControlMessage } from '../wire/control.js';
import { parseData, type DataMessage, type DataMessageV3 } from '../wire/data.js';
import { L2tpError } from '../wire/errors.js';

/**
 * A parse failure, kept on the record instead of thrown (a capture may hold a hostile packet).
 * @example
 * ```ts
 * for (const r of capture.records) if (r.error) console.log(r.frame, r.error.code, 'at byte', r.error.offset);
 * ```
 */
export interface RecordError {
  readonly code: string;
  readonly message: string;
  /** Byte offset in the record's `bytes`. */
  readonly offset?: number;
}

/**
 * The default L2-Specific Sublayer (RFC 3931 §4.6): `|x|S|x|x|x|x|x|x|Sequence Number (24 bits)|`.
 * Other sublayers (ATM, frame relay…) are left in the payload.
 * @example
 * ```ts
 * if (record.sublayer?.sequenced) console.log('L2TPv3 data sequence', record.sublayer.sequenceNumber);
 * ```
 */
export interface L2SpecificSublayer {
  /** S bit: the Sequence Number is valid. */
  readonly sequenced: boolean;
  readonly sequenceNumber: number;
}

/** What the parse of one message gave. */
export interface ParsedMessage {
  readonly version?: 2 | 3;
  readonly control?: ControlMessage;
  readonly data?: DataMessage;
  readonly sublayer?: L2SpecificSublayer;
  readonly error?: RecordError;
  /** Set when the secret could not unhide the hidden AVPs: the message is parsed without it. */
  readonly secretError?: RecordError;
}

/** How to read data messages of one session: learned from its control messages, or given. */
export interface DataLayout {
  cookieLength: 0 | 4 | 8;
  /** The L2-Specific Sublayer AVP's value: 0 none, 1 the default sublayer (RFC 3931 §5.4.4). */
  l2SpecificSublayer: number;
}

function asError(e: unknown, shift = 0): RecordError {
  if (e instanceof L2tpError) return e.offset === undefined ? { code: e.code, message: e.message } : { code: e.code, message: e.message, offset: e.offset + shift };
  throw e;
}

/** Parse a control message, unhiding with `secret` when it works (else parsing without it). */
export function parseControlRecord(bytes: Uint8Array, secret: string | Uint8Array | undefined, shift = 0): ParsedMessage {
  const version = (bytes[1]! & 0x0f) === 3 ? 3 : 2;
  let secretError: RecordError | undefined;
  if (secret !== undefined) {
    try {
      const control = parseControl(bytes, { secret, requireAvps: false });
      return { version, control };
    } catch (e) {
      secretError = asError(e, shift);
    }
  }
  try {
    const control = parseControl(bytes, { requireAvps: false });
    return secretError ? { version, control, secretError } : { version, control };
  } catch (e) {
    return { version, error: asError(e, shift) };
  }
}

/** Parse an L2TP-over-UDP message (v2 or v3). `layout(sessionId)` says how to read v3 data. */
export function parseUdpMessage(bytes: Uint8Array, secret: string | Uint8Array | undefined, layout: (sessionId: number) => DataLayout): ParsedMessage {
  if (bytes.length < 2) return { error: { code: 'TRUNCATED', message: 'message shorter than the 2-byte flags word', offset: bytes.length } };
  if (bytes[0]! & 0x80) return parseControlRecord(bytes, secret);
  const v = bytes[1]! & 0x0f;
  try {
    if (v === 3 && bytes.length >= 8) {
      const sid = ((bytes[4]! << 24) | (bytes[5]! << 16) | (bytes[6]! << 8) | bytes[7]!) >>> 0;
      const l = layout(sid);
      const data = parseData(bytes, { cookieLength: l.cookieLength }) as DataMessageV3;
      return withSublayer(data, l, data.headerLength);
    }
    const data = parseData(bytes);
    return { version: data.version, data };
  } catch (e) {
    return { version: v === 2 || v === 3 ? v : undefined, error: asError(e) };
  }
}

/**
 * Parse an L2TPv3-over-IP message (RFC 3931 §4.1.1): a 32-bit Session ID, 0 for control messages
 * (whose header follows, as over UDP), else the data header: cookie, sublayer, payload.
 */
export function parseIpMessage(bytes: Uint8Array, secret: string | Uint8Array | undefined, layout: (sessionId: number) => DataLayout): ParsedMessage {
  if (bytes.length < 4) return { version: 3, error: { code: 'TRUNCATED', message: 'L2TPv3 over IP starts with a 4-byte Session ID', offset: bytes.length } };
  const sid = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
  if (sid === 0) return parseControlRecord(bytes.subarray(4), secret, 4);
  const l = layout(sid);
  const headerLength = 4 + l.cookieLength;
  if (bytes.length < headerLength) {
    return { version: 3, error: { code: 'TRUNCATED', message: `L2TPv3 data header with a ${l.cookieLength}-byte cookie is ${headerLength} bytes`, offset: bytes.length } };
  }
  const data: DataMessageV3 = {
    version: 3,
    isControl: false,
    sessionId: sid,
    cookie: l.cookieLength ? bytes.subarray(4, headerLength) : undefined,
    headerLength,
    payload: bytes.subarray(headerLength),
  };
  return withSublayer(data, l, headerLength);
}

function withSublayer(data: DataMessageV3, l: DataLayout, headerLength: number): ParsedMessage {
  if (l.l2SpecificSublayer !== 1) return { version: 3, data };
  const p = data.payload;
  if (p.length < 4) return { version: 3, data, error: { code: 'TRUNCATED', message: 'payload shorter than the 4-byte default L2-Specific Sublayer', offset: headerLength + p.length } };
  const sublayer = { sequenced: (p[0]! & 0x40) !== 0, sequenceNumber: (p[1]! << 16) | (p[2]! << 8) | p[3]! };
  return { version: 3, data: { ...data, payload: p.subarray(4) }, sublayer };
}
