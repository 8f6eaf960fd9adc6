/**
 * A lenient scan of one datagram: every header field and AVP header as sent, problems noted
 * instead of thrown. The conformance checks need to see exactly what `parseControl` would refuse
 * (reserved bits, a missing L bit, a wrong Length), so this never throws for any bytes.
 */
import { AvpFlag, AVP_HEADER_LENGTH } from '../wire/avp.js';
import { u16, u32 } from '../wire/bytes.js';
import { HeaderFlag } from '../wire/header.js';
import { MessageType, messageName } from '../wire/message-catalog.js';

/** Reserved bits of the v2 flags word: everything but T, L, S, O, P and Ver (RFC 2661 §3.1). */
export const V2_RESERVED_BITS = 0x34f0;
/** Reserved bits of the v3 control flags word: everything but T, L, S and Ver (RFC 3931 §3.2.1). */
export const V3_CONTROL_RESERVED_BITS = 0x37f0;

/** One AVP header as it was on the wire. @internal */
export interface ScannedAvp {
  readonly offset: number;
  /** The AVP's Length field (header included). */
  readonly length: number;
  readonly mandatory: boolean;
  readonly hidden: boolean;
  /** The 4 reserved bits, 0–15. */
  readonly reserved: number;
  readonly vendorId: number;
  readonly type: number;
  /** The value bytes as sent (still hidden when `hidden`). */
  readonly value: Uint8Array;
}

/** One datagram, header and AVPs, as sent. @internal */
export interface ScannedMessage {
  readonly bytes: Uint8Array;
  /** First 16-bit word. */
  readonly flags: number;
  readonly version: number;
  readonly isControl: boolean;
  /** Length field if L=1. */
  readonly lengthField: number | undefined;
  readonly tunnelId: number | undefined;
  readonly sessionId: number | undefined;
  readonly ns: number | undefined;
  readonly nr: number | undefined;
  /** Where the AVPs (control) start; where the header was cut short, `undefined`. */
  readonly bodyOffset: number | undefined;
  /** Where the message ends: the Length field when it fits, else the datagram's end. */
  readonly end: number;
  readonly avps: readonly ScannedAvp[];
  /** Offset of the first AVP whose Length is < 6 or runs past `end`; -1 if none. */
  readonly badAvpAt: number;
  /** True for a control message with no AVP at all (a ZLB acknowledgement). */
  readonly isZlb: boolean;
  /**
   * True for an acknowledgement only, which takes no Ns of its own: a ZLB (RFC 2661 §5.8) or an
   * L2TPv3 Explicit Acknowledgement, message type 20 (RFC 3931 §4.2).
   */
  readonly isAck: boolean;
  /** Message Type AVP value if the first AVP is one; 0 for a ZLB; -1 otherwise. */
  readonly type: number;
  /** `'SCCRQ'`, `'ZLB'`, `'DATA'`, `'Unknown(99)'`, `'?'` (no Message Type first). */
  readonly typeName: string;
}

/** Scan `bytes` without judging it. Never throws. @internal */
export function scanMessage(bytes: Uint8Array): ScannedMessage {
  const n = bytes.length;
  const flags = n >= 2 ? u16(bytes, 0) : 0;
  const version = flags & 0x000f;
  const isControl = (flags & HeaderFlag.Type) !== 0;
  let lengthField: number | undefined;
  let tunnelId: number | undefined;
  let sessionId: number | undefined;
  let ns: number | undefined;
  let nr: number | undefined;
  let body: number | undefined;
  if (version === 3 && isControl) {
    // RFC 3931 §3.2.1: flags, Length, Control Connection ID (32), Ns, Nr — always all present.
    if (n >= 12) {
      lengthField = u16(bytes, 2);
      tunnelId = u32(bytes, 4);
      ns = u16(bytes, 8);
      nr = u16(bytes, 10);
      body = 12;
    }
  } else if (version === 3) {
    // RFC 3931 §4.1.2.1: a data message over UDP starts with a 32-bit Session ID (after 4 bytes).
    if (n >= 8) sessionId = u32(bytes, 4);
  } else {
    // RFC 2661 §3.1: each optional field is present only when its flag says so.
    let o = 2;
    if (flags & HeaderFlag.Length) {
      if (n >= o + 2) lengthField = u16(bytes, o);
      o += 2;
    }
    if (n >= o + 4) {
      tunnelId = u16(bytes, o);
      sessionId = u16(bytes, o + 2);
    }
    o += 4;
    if (flags & HeaderFlag.Sequence) {
      if (n >= o + 4) {
        ns = u16(bytes, o);
        nr = u16(bytes, o + 2);
      }
      o += 4;
    }
    if (flags & HeaderFlag.Offset) o += 2 + (n >= o + 2 ? u16(bytes, o) : 0);
    if (o <= n) body = o;
  }
  const end = lengthField !== undefined && lengthField <= n ? lengthField : n;
  const avps: ScannedAvp[] = [];
  let badAvpAt = -1;
  if (isControl && body !== undefined && body <= end) {
    for (let o = body; o < end; ) {
      if (o + AVP_HEADER_LENGTH > end) {
        badAvpAt = o;
        break;
      }
      const w = u16(bytes, o);
      const len = w & AvpFlag.Length;
      if (len < AVP_HEADER_LENGTH || o + len > end) {
        badAvpAt = o;
        break;
      }
      avps.push({
        offset: o,
        length: len,
        mandatory: (w & AvpFlag.Mandatory) !== 0,
        hidden: (w & AvpFlag.Hidden) !== 0,
        reserved: (w & AvpFlag.Reserved) >>> 10,
        vendorId: u16(bytes, o + 2),
        type: u16(bytes, o + 4),
        value: bytes.subarray(o + AVP_HEADER_LENGTH, o + len),
      });
      o += len;
    }
  }
  const isZlb = isControl && body !== undefined && avps.length === 0 && badAvpAt < 0 && end <= body;
  const first = avps[0];
  let type = -1;
  let typeName = isControl ? '?' : 'DATA';
  if (isZlb) {
    type = 0;
    typeName = 'ZLB';
  } else if (first !== undefined && first.vendorId === 0 && first.type === 0 && !first.hidden && first.value.length >= 2) {
    type = u16(first.value, 0);
    typeName = messageName(type) ?? `Unknown(${type})`;
  }
  const isAck = isZlb || type === MessageType.ACK;
  return { bytes, flags, version, isControl, lengthField, tunnelId, sessionId, ns, nr, bodyOffset: body, end, avps, badAvpAt, isZlb, isAck, type, typeName };
}

/** `'Minimum BPS'` for a known AVP, `'vendor 9 type 1'` / `'type 99'` otherwise. @internal */
export function avpLabel(name: string | undefined, vendorId: number, type: number): string {
  if (name !== undefined) return name;
  return vendorId === 0 ? `AVP type ${type}` : `vendor ${vendorId} AVP type ${type}`;
}
