/**
 * One builder per L2TPv2 control message (RFC 2661 §6), each returning one right-sized
 * `Uint8Array`. Options are the header fields plus the message's typed AVP fields; required
 * AVPs are required properties, and the RFC's defaults fill the rest (protocol version 1.0,
 * receive window 4, framing capabilities sync + async).
 */
import type { AvpInit } from './avp.js';
import type { AvpFields } from './avp-catalog.js';
import { encodeControl, encodeTyped, type ControlMessageInit, type HidingOptions } from './control.js';
import { MessageType } from './message-catalog.js';

/** Header fields and extras every builder takes. */
export interface MessageOptions {
  /** 2 (default) or 3 (then `tunnelId` is the 32-bit Control Connection ID). */
  version?: 2 | 3;
  /** The peer's Tunnel ID (0 on an SCCRQ). Default 0. */
  tunnelId?: number;
  /** The peer's Session ID (session messages). Default 0. */
  sessionId?: number;
  /** Default 0; a `Sequencer` stamps the real values. */
  ns?: number;
  nr?: number;
  /** Raw AVPs appended after the typed ones (vendor AVPs, experiments). */
  extraAvps?: readonly AvpInit[];
  /** Send the hideable AVPs hidden (RFC 2661 §4.3). */
  hiding?: HidingOptions;
}

/** Options of a builder whose message requires the AVP fields `R`. */
export type BuilderOptions<R extends keyof AvpFields = never> = MessageOptions &
  Omit<AvpFields, R> & { [K in R]-?: NonNullable<AvpFields[K]> };

const V1_0 = { version: 1, revision: 0 } as const;
/** RFC 2661 §4.4.3: sync (bit 1) and async (bit 0x2) framing. */
const SYNC_ASYNC = 3;

const SCCRx_DEFAULTS = { protocolVersion: V1_0, framingCapabilities: SYNC_ASYNC, receiveWindowSize: 4 };

function build(type: number, opts: object, defaults?: Readonly<Record<string, unknown>>): Uint8Array {
  if ((opts as ControlMessageInit).type !== undefined || (opts as ControlMessageInit).avps !== undefined) {
    throw new TypeError("builder options take neither 'type' nor 'avps': use encodeControl() for that");
  }
  return encodeTyped(opts as ControlMessageInit, type, defaults);
}

function need(opts: unknown, message: string, keys: readonly string[]): void {
  if (opts === null || typeof opts !== 'object') throw new TypeError(`${message} options must be an object, got ${opts === null ? 'null' : typeof opts}`);
  for (let i = 0; i < keys.length; i++) {
    if ((opts as Record<string, unknown>)[keys[i]!] === undefined) throw new TypeError(`${message} requires '${keys[i]}' (RFC 2661 §6)`);
  }
}

/** The AVP fields each builder requires (RFC 2661 §6), hoisted so a call allocates no list. */
const REQUIRED = {
  SCCRQ: ['hostName', 'assignedTunnelId'],
  SCCRP: ['hostName', 'assignedTunnelId'],
  SCCCN: [],
  StopCCN: ['assignedTunnelId', 'resultCode'],
  HELLO: [],
  ICRQ: ['assignedSessionId', 'callSerialNumber'],
  ICRP: ['assignedSessionId'],
  ICCN: ['txConnectSpeed', 'framingType'],
  OCRQ: ['assignedSessionId', 'callSerialNumber', 'minimumBps', 'maximumBps', 'bearerType', 'framingType', 'calledNumber'],
  OCRP: ['assignedSessionId'],
  OCCN: ['txConnectSpeed', 'framingType'],
  CDN: ['resultCode', 'assignedSessionId'],
  WEN: ['callErrors'],
  SLI: ['accm'],
  ZLB: [],
} as const satisfies Record<string, readonly string[]>;

/** SCCRQ options: `hostName` and `assignedTunnelId` are required (RFC 2661 §6.1). */
export type SccrqOptions = BuilderOptions<'hostName' | 'assignedTunnelId'>;
/** SCCRP options: `hostName` and `assignedTunnelId` are required (RFC 2661 §6.2). */
export type SccrpOptions = BuilderOptions<'hostName' | 'assignedTunnelId'>;
/** SCCCN options (RFC 2661 §6.3): only the optional Challenge Response. */
export type ScccnOptions = BuilderOptions;
/** StopCCN options: `assignedTunnelId` and `resultCode` are required (RFC 2661 §6.4). */
export type StopccnOptions = BuilderOptions<'assignedTunnelId' | 'resultCode'>;
/** HELLO options (RFC 2661 §6.5). */
export type HelloOptions = BuilderOptions;
/** ICRQ options: `assignedSessionId` and `callSerialNumber` (RFC 2661 §6.6). */
export type IcrqOptions = BuilderOptions<'assignedSessionId' | 'callSerialNumber'>;
/** ICRP options: `assignedSessionId` (RFC 2661 §6.7). */
export type IcrpOptions = BuilderOptions<'assignedSessionId'>;
/** ICCN options: `txConnectSpeed` and `framingType` (RFC 2661 §6.8). */
export type IccnOptions = BuilderOptions<'txConnectSpeed' | 'framingType'>;
/** OCRQ options (RFC 2661 §6.9). */
export type OcrqOptions = BuilderOptions<'assignedSessionId' | 'callSerialNumber' | 'minimumBps' | 'maximumBps' | 'bearerType' | 'framingType' | 'calledNumber'>;
/** OCRP options: `assignedSessionId` (RFC 2661 §6.10). */
export type OcrpOptions = BuilderOptions<'assignedSessionId'>;
/** OCCN options: `txConnectSpeed` and `framingType` (RFC 2661 §6.11). */
export type OccnOptions = BuilderOptions<'txConnectSpeed' | 'framingType'>;
/** CDN options: `resultCode` and `assignedSessionId` (RFC 2661 §6.12). */
export type CdnOptions = BuilderOptions<'resultCode' | 'assignedSessionId'>;
/** WEN options: `callErrors` (RFC 2661 §6.13). */
export type WenOptions = BuilderOptions<'callErrors'>;
/** SLI options: `accm` (RFC 2661 §6.14). */
export type SliOptions = BuilderOptions<'accm'>;
/** ZLB options: header fields only (RFC 2661 §5.8). */
export type ZlbOptions = Pick<MessageOptions, 'version' | 'tunnelId' | 'sessionId' | 'ns' | 'nr'>;

/**
 * Start-Control-Connection-Request (RFC 2661 §6.1). Defaults: protocol version 1.0, framing
 * capabilities sync + async, receive window 4.
 * @example
 * ```ts
 * const bytes = sccrq({ hostName: 'lac.example', assignedTunnelId: 7 });
 * ```
 */
export function sccrq(opts: SccrqOptions): Uint8Array {
  need(opts, 'SCCRQ', REQUIRED.SCCRQ);
  return build(MessageType.SCCRQ, opts, SCCRx_DEFAULTS);
}

/**
 * Start-Control-Connection-Reply (RFC 2661 §6.2). Same defaults as {@link sccrq}.
 * @example
 * ```ts
 * const bytes = sccrp({ tunnelId: 7, hostName: 'lns', assignedTunnelId: 9, challengeResponse });
 * ```
 */
export function sccrp(opts: SccrpOptions): Uint8Array {
  need(opts, 'SCCRP', REQUIRED.SCCRP);
  return build(MessageType.SCCRP, opts, SCCRx_DEFAULTS);
}

/** Start-Control-Connection-Connected (RFC 2661 §6.3). @example `scccn({ tunnelId: 9, ns: 1, nr: 1 })` */
export function scccn(opts: ScccnOptions = {}): Uint8Array {
  need(opts, 'SCCCN', REQUIRED.SCCCN);
  return build(MessageType.SCCCN, opts);
}

/**
 * Stop-Control-Connection-Notification (RFC 2661 §6.4).
 * @example
 * ```ts
 * stopccn({ tunnelId: 9, assignedTunnelId: 7, resultCode: { result: 1 } });
 * ```
 */
export function stopccn(opts: StopccnOptions): Uint8Array {
  need(opts, 'StopCCN', REQUIRED.StopCCN);
  return build(MessageType.StopCCN, opts);
}

/** Hello (RFC 2661 §6.5): keepalive, Message Type only. @example `hello({ tunnelId: 9, ns: 4, nr: 2 })` */
export function hello(opts: HelloOptions = {}): Uint8Array {
  need(opts, 'HELLO', REQUIRED.HELLO);
  return build(MessageType.HELLO, opts);
}

/**
 * Incoming-Call-Request (RFC 2661 §6.6).
 * @example
 * ```ts
 * icrq({ tunnelId: 9, assignedSessionId: 5, callSerialNumber: 1 });
 * ```
 */
export function icrq(opts: IcrqOptions): Uint8Array {
  need(opts, 'ICRQ', REQUIRED.ICRQ);
  return build(MessageType.ICRQ, opts);
}

/** Incoming-Call-Reply (RFC 2661 §6.7). @example `icrp({ tunnelId: 7, sessionId: 5, assignedSessionId: 6 })` */
export function icrp(opts: IcrpOptions): Uint8Array {
  need(opts, 'ICRP', REQUIRED.ICRP);
  return build(MessageType.ICRP, opts);
}

/**
 * Incoming-Call-Connected (RFC 2661 §6.8).
 * @example
 * ```ts
 * iccn({ tunnelId: 9, sessionId: 6, txConnectSpeed: 10_000_000, framingType: FramingType.Sync });
 * ```
 */
export function iccn(opts: IccnOptions): Uint8Array {
  need(opts, 'ICCN', REQUIRED.ICCN);
  return build(MessageType.ICCN, opts);
}

/**
 * Outgoing-Call-Request (RFC 2661 §6.9).
 * @example
 * ```ts
 * ocrq({ tunnelId: 7, assignedSessionId: 5, callSerialNumber: 1, minimumBps: 9600, maximumBps: 64_000,
 *   bearerType: BearerType.Digital, framingType: FramingType.Sync, calledNumber: '5551234' });
 * ```
 */
export function ocrq(opts: OcrqOptions): Uint8Array {
  need(opts, 'OCRQ', REQUIRED.OCRQ);
  return build(MessageType.OCRQ, opts);
}

/**
 * Outgoing-Call-Reply (RFC 2661 §6.10).
 * @example
 * ```ts
 * ocrp({ tunnelId: 9, sessionId: 5, assignedSessionId: 6 });
 * ```
 */
export function ocrp(opts: OcrpOptions): Uint8Array {
  need(opts, 'OCRP', REQUIRED.OCRP);
  return build(MessageType.OCRP, opts);
}

/**
 * Outgoing-Call-Connected (RFC 2661 §6.11).
 * @example
 * ```ts
 * occn({ tunnelId: 7, sessionId: 6, txConnectSpeed: 64_000, framingType: FramingType.Sync });
 * ```
 */
export function occn(opts: OccnOptions): Uint8Array {
  need(opts, 'OCCN', REQUIRED.OCCN);
  return build(MessageType.OCCN, opts);
}

/**
 * Call-Disconnect-Notify (RFC 2661 §6.12).
 * @example
 * ```ts
 * cdn({ tunnelId: 9, sessionId: 6, assignedSessionId: 5, resultCode: { result: 3 } });
 * ```
 */
export function cdn(opts: CdnOptions): Uint8Array {
  need(opts, 'CDN', REQUIRED.CDN);
  return build(MessageType.CDN, opts);
}

/**
 * WAN-Error-Notify (RFC 2661 §6.13), LAC to LNS.
 * @example
 * ```ts
 * wen({ tunnelId: 9, sessionId: 6, callErrors: { crcErrors: 2, framingErrors: 0, hardwareOverruns: 0, bufferOverruns: 0, timeoutErrors: 0, alignmentErrors: 0 } });
 * ```
 */
export function wen(opts: WenOptions): Uint8Array {
  need(opts, 'WEN', REQUIRED.WEN);
  return build(MessageType.WEN, opts);
}

/**
 * Set-Link-Info (RFC 2661 §6.14), LNS to LAC.
 * @example
 * ```ts
 * sli({ tunnelId: 7, sessionId: 5, accm: { send: 0xffffffff, receive: 0 } });
 * ```
 */
export function sli(opts: SliOptions): Uint8Array {
  need(opts, 'SLI', REQUIRED.SLI);
  return build(MessageType.SLI, opts);
}

/**
 * Zero-Length Body acknowledgement (RFC 2661 §5.8): a 12-byte control header with no AVPs.
 * @example `zlb({ tunnelId: 9, ns: 3, nr: 5 })`
 */
export function zlb(opts: ZlbOptions = {}): Uint8Array {
  need(opts, 'ZLB', REQUIRED.ZLB);
  return encodeControl({ version: opts.version, tunnelId: opts.tunnelId, sessionId: opts.sessionId, ns: opts.ns, nr: opts.nr });
}
