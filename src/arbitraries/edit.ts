/**
 * Byte surgery on encoded control messages, for the mutators: list AVPs, splice them, keep the
 * header Length right. Inputs are valid L2TPv2 control messages (12-byte header, RFC 2661 §3.1).
 * @internal
 */
import { AvpReader } from '../wire/avp.js';
import { put16, u16 } from '../wire/bytes.js';

/** Where an AVP sits in a message. */
export interface AvpSlot {
  readonly offset: number;
  /** The whole AVP, header included. */
  readonly length: number;
  readonly mandatory: boolean;
  readonly hidden: boolean;
  readonly reserved: number;
  readonly vendorId: number;
  readonly type: number;
}

/** The AVPs of a valid control message, in order. */
export function avpSlots(msg: Uint8Array): AvpSlot[] {
  const out: AvpSlot[] = [];
  const r = new AvpReader(msg, 12, u16(msg, 2));
  while (r.next()) {
    out.push({
      offset: r.offset,
      length: r.valueLength + 6,
      mandatory: r.mandatory,
      hidden: r.hidden,
      reserved: r.reserved,
      vendorId: r.vendorId,
      type: r.type,
    });
  }
  return out;
}

/** A copy of `msg` with `remove` bytes at `at` replaced by `insert`, and the header Length fixed. */
export function splice(msg: Uint8Array, at: number, remove: number, insert: Uint8Array = new Uint8Array(0)): Uint8Array {
  const out = new Uint8Array(msg.length - remove + insert.length);
  out.set(msg.subarray(0, at), 0);
  out.set(insert, at);
  out.set(msg.subarray(at + remove), at + insert.length);
  put16(out, 2, u16(msg, 2) - remove + insert.length);
  return out;
}

/** Encode one AVP header + value (flags word from its parts). */
export function avpBytes(mandatory: boolean, hidden: boolean, vendorId: number, type: number, value: Uint8Array, reserved = 0): Uint8Array {
  const b = new Uint8Array(6 + value.length);
  put16(b, 0, (mandatory ? 0x8000 : 0) | (hidden ? 0x4000 : 0) | (reserved << 10) | (6 + value.length));
  put16(b, 2, vendorId);
  put16(b, 4, type);
  b.set(value, 6);
  return b;
}

/** A copy of `msg` with the 16-bit word at `offset` set to `value`. */
export function with16(msg: Uint8Array, offset: number, value: number): Uint8Array {
  const out = msg.slice();
  put16(out, offset, value);
  return out;
}
