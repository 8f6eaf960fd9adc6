/**
 * The shape of the AVP and message catalogues: what the control codec needs to know about each
 * AVP (name, typed value codec, M-bit rule, whether it may be hidden) and each message type.
 */

/**
 * A typed value codec for one kind of AVP value. Codecs are total over inputs whose length lies
 * in [`minLength`, `maxLength`]; content a definition forbids is an `L2tpError('BAD_AVP_VALUE')`.
 */
export interface ValueCodec<T> {
  /** Short name of the value kind: `'u16'`, `'string'`, `'resultCode'`, … */
  readonly kind: string;
  /** Smallest value length in bytes the definition allows. */
  readonly minLength: number;
  /** Largest value length in bytes the definition allows (1017 when unbounded). */
  readonly maxLength: number;
  /**
   * Decode `length` bytes at `offset`. The caller has checked `length` against the bounds.
   * @throws {@link L2tpError} `BAD_AVP_VALUE` when the content is not allowed.
   */
  decode(bytes: Uint8Array, offset: number, length: number): T;
  /**
   * Content rules that depend on the bytes beyond their length bounds (e.g. a Result Code of
   * exactly 3 bytes). The parser calls it eagerly, so typed fields, decoded on demand, never throw.
   * @throws {@link L2tpError} `BAD_AVP_VALUE`.
   */
  validate?(bytes: Uint8Array, offset: number, length: number): void;
  /** Encoded size of `value`. @throws `TypeError`/`RangeError` when `value` cannot be encoded. */
  encodedLength(value: T): number;
  /** Write `value` (of `encodedLength(value)` bytes) at `offset`. */
  encode(value: T, bytes: Uint8Array, offset: number): void;
}

/** What the RFC says about an AVP's M bit. */
export type MandatoryRule = 'must' | 'must-not' | 'may';

/** One entry of the AVP catalogue. */
export interface AvpDef<T = unknown> {
  /** 0 for IETF AVPs. */
  readonly vendorId: number;
  readonly type: number;
  /** The name as the defining RFC spells it, e.g. `'Assigned Tunnel ID'`. */
  readonly name: string;
  /** The typed field on a parsed message, e.g. `'assignedTunnelId'`. Unique across the catalogue. */
  readonly key: string;
  /** Where it is defined, e.g. `'RFC 2661 §4.4.3'`. */
  readonly rfc: string;
  /** The RFC's M-bit rule. */
  readonly mandatoryRule: MandatoryRule;
  /**
   * The M bit this library sets when it sends the AVP: 1 when the RFC says MUST be 1, otherwise 0
   * (conservative: a peer tears the tunnel down over an M=1 AVP it does not know).
   */
  readonly mandatory: boolean;
  /** Whether the RFC allows the H bit (RFC 2661 §4.3). */
  readonly hideable: boolean;
  readonly codec: ValueCodec<T>;
}

/** One entry of the message-type catalogue. */
export interface MessageDef {
  readonly type: number;
  /** The abbreviation, e.g. `'SCCRQ'`. */
  readonly name: string;
  /** The full name, e.g. `'Start-Control-Connection-Request'`. */
  readonly longName: string;
  readonly rfc: string;
  /** Whether the message belongs to the control connection or to a session (header Session ID). */
  readonly scope: 'tunnel' | 'session';
  /** IETF AVP types an L2TPv2 message of this type MUST carry (RFC 2661 §6), Message Type excluded. */
  readonly requiredV2: readonly number[];
}
