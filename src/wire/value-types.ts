/**
 * The structured values of AVPs (RFC 2661 §4.4, RFC 3931 §5.4, RFC 3145): what the typed fields
 * of a parsed message hold.
 */

/** Protocol Version AVP value (RFC 2661 §4.4.3): L2TPv2 sends `{ version: 1, revision: 0 }`. */
export interface ProtocolVersionValue {
  readonly version: number;
  readonly revision: number;
}

/**
 * Result Code AVP value (RFC 2661 §4.4.2). The 2-byte form (`result` only) is legal and common;
 * `message` is carried only after an `error` code.
 */
export interface ResultCodeValue {
  /** Result code: its meaning depends on the message (StopCCN or CDN), see `ResultCode`. */
  readonly result: number;
  /** General error code (`GeneralError`), present when the AVP is 4 bytes or longer. */
  readonly error?: number;
  /** Human-readable Error Message, present only after an error code. */
  readonly message?: string;
}

/** Q.931 Cause Code AVP value (RFC 2661 §4.4.4): cause code, cause message, optional advisory text. */
export interface Q931CauseValue {
  /** The returned Q.931 Cause Code (2 octets). */
  readonly cause: number;
  /** The Q.931 message code (1 octet) the cause arrived in, e.g. DISCONNECT. */
  readonly message: number;
  /** Optional Advisory Msg text. */
  readonly advisory?: string;
}

/** Call Errors AVP value (RFC 2661 §4.4.6; "Circuit Errors" in RFC 3931 §5.4.5): six counters. */
export interface CallErrorsValue {
  readonly crcErrors: number;
  readonly framingErrors: number;
  readonly hardwareOverruns: number;
  readonly bufferOverruns: number;
  readonly timeoutErrors: number;
  readonly alignmentErrors: number;
}

/** ACCM AVP value (RFC 2661 §4.4.6): the PPP async control character maps the LNS negotiated. */
export interface AccmValue {
  /** Send ACCM: what the LAC should use when sending to the remote system. */
  readonly send: number;
  /** Receive ACCM: what the LAC should expect from the remote system. */
  readonly receive: number;
}

/** PPP Disconnect Cause Code AVP value (RFC 3145 §2). */
export interface PppDisconnectCauseValue {
  /** Disconnect Code (2 octets), RFC 3145 §2.1. */
  readonly code: number;
  /** The PPP Control Protocol Number that was running, e.g. 0xc021 for LCP. */
  readonly protocol: number;
  /** Direction: 0 global, 1 at peer, 2 at local. */
  readonly direction: number;
  /** Optional text. */
  readonly message?: string;
}

/** Message Digest AVP value (RFC 3931 §5.4.1): Digest Type (0 HMAC-MD5, 1 HMAC-SHA-1) and digest. */
export interface MessageDigestValue {
  readonly digestType: number;
  readonly digest: Uint8Array;
}
