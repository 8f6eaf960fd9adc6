/**
 * Control message shapes (RFC 2661 §3.1, §4, §6; RFC 3931 §3.2.1): what {@link parseControl}
 * returns and what {@link encodeControl} takes.
 */
import type { Avp, AvpInit, AvpJson, ParsedAvp } from './avp.js';
import type { Jsonified } from './json.js';
import type { AvpFields } from './avp-catalog.js';

/** @internal Random Vector AVP (RFC 2661 §4.4.1): seeds hidden AVPs (§4.3). */
export const RANDOM_VECTOR_AVP = 36;
/**
 * Control header size: v2 with L=S=1 (RFC 2661 §3.1) and v3 (RFC 3931 §3.2.1) are both 12 bytes.
 * @example
 * ```ts
 * const avps = decodeAvps(bytes, CONTROL_HEADER_LENGTH); // the AVPs follow the header
 * ```
 */
export const CONTROL_HEADER_LENGTH = 12;

/**
 * A parsed control message: header fields, message type, the typed AVP fields, and `avps`, every
 * AVP in wire order (Message Type included, unknown and vendor AVPs too) so nothing is lost.
 * `encodeControl(parseControl(b))` gives back `b`.
 *
 * Typed fields and `avps` are decoded on access from the parsed bytes: keep those bytes unchanged
 * while you use the message. `toObject()` gives a plain object; `toJSON()` a loggable one.
 */
export interface ControlMessage extends Readonly<AvpFields> {
  readonly version: 2 | 3;
  /**
   * v2: the receiver's Tunnel ID. v3: the receiver's Control Connection ID (32-bit), also
   * readable as {@link controlConnectionId}; `tunnelId` stays for v3 as the version-neutral
   * alias that routing code reads.
   */
  readonly tunnelId: number;
  /** v3 only: the receiver's Control Connection ID (RFC 3931 §3.2.1); `undefined` for v2. */
  readonly controlConnectionId?: number | undefined;
  /** v2: the receiver's Session ID (0 for tunnel messages). v3: always 0. */
  readonly sessionId: number;
  readonly ns: number;
  readonly nr: number;
  /** The header's Length field: the message's size in bytes. */
  readonly length: number;
  /** A Zero-Length Body message (an acknowledgement only; RFC 2661 §5.8). */
  readonly isZlb: boolean;
  /** The Message Type AVP's value (`MessageType`); 0 for a ZLB. */
  readonly type: number;
  /** `'SCCRQ'`, `'StopCCN'`, …; `'ZLB'`; `'Unknown(99)'` for types the catalogue does not name. */
  readonly typeName: string;
  /** Every AVP as on the wire (hidden ones still hidden), in order. */
  readonly avps: readonly ParsedAvp[];
  /** The message's bytes (a view of the parsed input, `length` bytes). */
  readonly bytes: Uint8Array;
  /**
   * A plain-object snapshot with native values (`bigint`, `Uint8Array` views): header fields,
   * every typed field present, and `avps`. `encodeControl(m.toObject())` gives back the bytes.
   */
  toObject(): ControlMessageObject;
  /**
   * The loggable snapshot: {@link toObject} with 64-bit values as decimal strings and bytes as
   * lowercase hex, so `JSON.stringify(m)` never throws whatever the peer sent.
   */
  toJSON(): ControlMessageJson;
}

/** What {@link ControlMessage.toObject} returns. */
export type ControlMessageObject = Omit<ControlMessage, 'avps' | 'bytes' | 'toJSON' | 'toObject'> & { avps: Avp[] };

/** What {@link ControlMessage.toJSON} returns (see `Jsonified`). */
export type ControlMessageJson = Jsonified<Omit<ControlMessageObject, 'avps'>> & { avps: AvpJson[] };

/** Options for {@link parseControl}. */
export interface ParseControlOptions {
  /**
   * Tunnel shared secret: hidden AVPs (RFC 2661 §4.3) are unhidden into the typed fields.
   * Without it, hidden AVPs stay raw in `avps` and their typed field is absent.
   */
  secret?: Uint8Array | string;
  /**
   * Check that the AVPs RFC 2661 §6 requires for the message type are present (v2 only).
   * Default `true`; a peer-facing FSM may prefer to answer with a StopCCN itself.
   */
  requireAvps?: boolean;
}

/** Hiding options for encoding (RFC 2661 §4.3). */
export interface HidingOptions {
  /** The tunnel's shared secret. */
  secret: Uint8Array | string;
  /**
   * The Random Vector (at least one byte; 16 is usual): encoded as a Random Vector AVP right after
   * Message Type. Pure code: the caller provides the randomness.
   */
  randomVector: Uint8Array;
  /**
   * Exact padding appended to every hidden value (§4.3). When given, `pad` is not used.
   */
  padding?: Uint8Array;
  /**
   * Random padding of short hidden values (§4.3 allows any; it also hides the value's length).
   * Default `{ min: 8, max: 16 }`: a hidden part (2 + value + padding, i.e. AVP Length − 6)
   * under 16 bytes is padded to a random total from max(8, its size) to 16 — l2tpns refuses hidden
   * parts under 8 bytes and mis-decodes those over 16. `false`: no padding.
   */
  pad?: HidingPad | false;
  /**
   * AVP types to hide. Default: every typed field whose AVP the RFC allows to be hidden. Listing
   * one the RFC says MUST NOT be hidden (§4.4: Message Type, Result Code, Protocol Version, Host
   * Name, …) is a `RangeError`.
   */
  avps?: readonly number[];
}

/** How {@link HidingOptions.pad} pads short hidden values. */
export interface HidingPad {
  /** Smallest hidden part (2 + value + padding) to pad up to. Default 8. */
  min?: number;
  /** Largest hidden part the padding may bring a value to. Default 16 (or `min` if larger). */
  max?: number;
  /**
   * Random bytes (`n => crypto.getRandomValues(new Uint8Array(n))`). Default: derived from the
   * secret and the Random Vector by MD5, since the encoder itself draws no randomness.
   */
  random?: (n: number) => Uint8Array;
}

/**
 * What {@link encodeControl} takes: header fields and either the raw AVP list (`avps`, encoded
 * verbatim) or the message type plus typed fields (encoded in RFC §6 order, then `extraAvps`).
 */
export interface ControlMessageInit extends AvpFields {
  /** 2 (default) or 3. */
  version?: 2 | 3;
  /** The receiver's Tunnel ID (v2) or Control Connection ID (v3). Default 0. */
  tunnelId?: number;
  /** v3: the receiver's Control Connection ID (RFC 3931 §3.2.1); takes precedence over `tunnelId`. */
  controlConnectionId?: number;
  /** The receiver's Session ID (v2). Default 0. */
  sessionId?: number;
  ns?: number;
  nr?: number;
  /** Message type; 0 (the default) with no AVPs encodes a ZLB. Ignored when `avps` is given. */
  type?: number;
  /** The complete AVP list, Message Type first, encoded verbatim (hidden values as they are). */
  avps?: readonly AvpInit[];
  /** Raw AVPs (vendor, unknown, …) appended after the typed fields. */
  extraAvps?: readonly AvpInit[];
  /** Send hideable typed fields hidden. */
  hiding?: HidingOptions;
}
