/**
 * Options of a {@link TunnelFsm} and their validation (misuse is a `TypeError`/`RangeError`).
 */
import { assertInt } from '../wire/bytes.js';
import type { TunnelSecret } from '../wire/challenge.js';
import type { HidingPad } from '../wire/control.js';
import { resolveOptions, retransmissionCycle, type SequencerOptions } from '../reliable/options.js';
import { v3HidingKey } from '../wire/v3-hidden.js';
import type { DataSequencingMode } from './data-sequencing.js';
import type { L2tpVersion } from './message-rules.js';

/** Source of random bytes: the driver passes `crypto.getRandomValues`-backed bytes, tests a seeded one. */
export type RandomBytes = (n: number) => Uint8Array;

/** Options of a {@link TunnelFsm}. Times in milliseconds. */
export interface TunnelOptions {
  /**
   * 2 (default): L2TPv2, RFC 2661. 3: an L2TPv3 control connection over UDP (RFC 3931): 32-bit
   * Control Connection IDs, Router ID and Pseudowire Capabilities in SCCRQ/SCCRP, the explicit
   * ACK message instead of ZLBs, and, with `secret`, control message authentication (§4.3)
   * instead of the v2 challenge.
   */
  version?: L2tpVersion;
  /** v3: our Router ID (RFC 3931 §5.4.3), non-zero, e.g. an IPv4 address. Default: random, drawn once per options object. */
  routerId?: number;
  /**
   * v3: the Pseudowire Capabilities List we send (RFC 3931 §5.4.3): pseudowire types we accept.
   * Default `[5, 4, 7]`: Ethernet, Ethernet VLAN, PPP.
   */
  pseudowireCapabilities?: readonly number[];
  /** v3 with `secret`: Message Digest type, 0 HMAC-MD5 (default) or 1 HMAC-SHA-1 (RFC 3931 §5.4.1). */
  digestType?: 0 | 1;
  /** v3: bytes of the random cookie we assign each session (RFC 3931 §4.1, §5.4.4): 0 (default), 4 or 8. */
  cookieLength?: 0 | 4 | 8;
  /**
   * v3: the L2-Specific Sublayer we require on data we receive (RFC 3931 §4.6): `'none'`
   * (default) or `'default'` (the 4-byte sublayer with a sequence number). `dataSequencing:
   * 'required'` implies `'default'`.
   */
  l2SpecificSublayer?: 'none' | 'default';
  /** Our Host Name AVP (RFC 2661 §4.4.3), required in SCCRQ and SCCRP. */
  hostName: string;
  /** Random bytes for Tunnel/Session IDs, challenges, Random Vectors and the Tie Breaker. */
  random: RandomBytes;
  /**
   * Tunnel shared secret. With it we challenge the peer (§5.1.1), answer its challenge, and
   * unhide received hidden AVPs (§4.3). Without it a peer's challenge is refused (StopCCN 4).
   * v3: turns control message authentication on (RFC 3931 §4.3): a nonce in SCCRQ/SCCRP, a
   * Message Digest on every message sent, checked on every message received (a bad or missing
   * one: the message is dropped, §5.4.1; an SCCRQ with no authentication at all: StopCCN Result
   * Code 4).
   */
  secret?: TunnelSecret;
  /**
   * Send hideable AVPs hidden, with a Random Vector (§4.3). Needs `secret`. Default false.
   * `{ pad }` sets how short hidden values are padded (default: to a random 8–16 bytes with
   * `random`, see `HidingOptions.pad`; `false`: no padding).
   */
  hideAvps?: boolean | { pad?: HidingPad | false };
  /** Our Tunnel ID (1–65535; v3: Control Connection ID, 1–2^32-1). Default: random. An LNS passes its own to keep IDs unique. */
  localTunnelId?: number;
  /**
   * Session IDs other control connections of this LCCE hold, which this tunnel must not assign.
   * An L2TPv3 data message names only the session (RFC 3931 §4.1: "the Session ID alone provides
   * the necessary context"), so an LCCE with several control connections keeps its Session IDs
   * unique across them; the LNS passes its own table here. v2 names the tunnel too, so it may
   * leave this out.
   */
  sessionIdTaken?: (id: number) => boolean;
  vendorName?: string;
  firmwareRevision?: number;
  /** Framing Capabilities bits (§4.4.3; 1 sync, 2 async). Default 3. */
  framingCapabilities?: number;
  /** Bearer Capabilities bits (§4.4.3; 1 digital, 2 analog). Omitted by default. */
  bearerCapabilities?: number;
  /**
   * Put a Tie Breaker AVP (§4.4.3) in our SCCRQ: `true` for 8 random bytes, or the 8 bytes.
   * Default: none (then simultaneous SCCRQs open two tunnels, as the RFC says).
   */
  tieBreaker?: boolean | Uint8Array;
  /** Send HELLO after this long without a message from the peer (§6.5). Default 60 000; 0 turns it off. */
  helloInterval?: number;
  /** Most sessions at once on this tunnel; a further ICRQ/OCRQ gets CDN result 4. Default 1024. */
  maxSessions?: number;
  /** Answer the peer's ICRQ/OCRQ (true, default) or refuse them with CDN result 3. */
  acceptCalls?: boolean;
  /** Write the Length field (L=1) on data messages; a stream transport needs it. Default false. */
  dataWithLength?: boolean;
  /**
   * Data channel sequencing (RFC 2661 §5.4). `'off'` (default): a LAC sends Ns/Nr only while the
   * LNS does (it MUST follow the LNS), an LNS sends none. `'on'`: send Ns/Nr from the first data
   * message (an LNS enables sequencing this way; a LAC still follows the LNS once its data
   * arrive). `'required'`: as LAC, also send Sequencing Required in the ICCN/OCCN, which fixes
   * sequencing on for both sides; as LNS, the same as `'on'` (the AVP is the LAC's to send).
   * Received Sequencing Required always turns sequencing on for that session.
   */
  dataSequencing?: DataSequencingMode;
  /** Options of the control channel's Sequencer (timeouts, windows; RFC 2661 §5.8). */
  sequencer?: SequencerOptions;
  /**
   * How long a half-open control connection or call may wait for the peer's next step before
   * it is freed: `wait-ctl-reply` (no SCCRP), `wait-ctl-conn` (no SCCCN), and a session waiting
   * for ICRP/ICCN/OCRP/OCCN (then a CDN result 2 goes out). Counted from the message we sent
   * (SCCRQ, SCCRP, ICRQ, ICRP, OCRQ; OCRP restarts it for the OCCN), however the peer acked
   * it. Default: one retransmission cycle of `sequencer` (31 s with the RFC 2661 §5.8 timers),
   * so a peer whose answer needed every retransmission still gets in. No state lives without
   * a deadline: a peer that acks our SCCRP and never sends SCCCN cannot hold a tunnel forever.
   */
  handshakeTimeout?: number;
  /**
   * After acking the peer's StopCCN, keep acking its retransmissions this long (RFC 2661 §5.7:
   * "a full retransmission cycle", in case our ZLB was lost). Default: `sequencer.closeLinger`
   * (a full retransmission cycle unless changed).
   */
  peerStopLinger?: number;
  /**
   * Accept messages that lack an AVP RFC 2661 §6 requires, reporting each with an `error`
   * action (`MISSING_AVP`) instead of tearing down. Default false: a missing required AVP is a
   * protocol error (§7.1): StopCCN, or CDN for a session's message, Result Code 2 with General
   * Error 6 and a message naming the AVP (as xl2tpd answers). An AVP we cannot read counts as
   * missing: hidden when we have no `secret` (§4.3), or (v2) with reserved bits set (§4.1).
   * Not waived even so: an L2TPv2 SCCRQ/SCCRP's required AVPs (§6.1/§6.2 have their own
   * answers), and an L2TPv3 SCCRQ/SCCRP's Assigned Control Connection ID and Host Name.
   */
  lenient?: boolean;
}

/** @internal Options with defaults filled in. */
export interface ResolvedTunnelOptions {
  readonly version: L2tpVersion;
  /** v3 only (0 for v2). */
  readonly routerId: number;
  readonly pseudowireCapabilities: readonly number[];
  readonly digestType: 0 | 1;
  readonly cookieLength: 0 | 4 | 8;
  readonly l2SpecificSublayer: 'none' | 'default';
  /** What hidden AVPs are keyed by: the secret (v2, RFC 2661 §4.3) or HMAC-MD5(secret, 1) (v3, RFC 3931 §5.3). */
  readonly hidingKey: TunnelSecret | undefined;
  readonly hostName: string;
  readonly random: RandomBytes;
  readonly secret: TunnelSecret | undefined;
  readonly hideAvps: boolean;
  /** The padding rule for hidden values (RFC 2661 §4.3), `random` filled in. */
  readonly hidePad: HidingPad | false;
  readonly localTunnelId: number | undefined;
  readonly sessionIdTaken: ((id: number) => boolean) | undefined;
  readonly vendorName: string | undefined;
  readonly firmwareRevision: number | undefined;
  readonly framingCapabilities: number;
  readonly bearerCapabilities: number | undefined;
  readonly tieBreaker: boolean | Uint8Array;
  readonly helloInterval: number;
  readonly maxSessions: number;
  readonly acceptCalls: boolean;
  readonly dataWithLength: boolean;
  readonly dataSequencing: DataSequencingMode;
  readonly sequencer: SequencerOptions | undefined;
  readonly handshakeTimeout: number;
  readonly peerStopLinger: number | undefined;
  readonly lenient: boolean;
}

/** Objects made by {@link resolveTunnelOptions}: frozen, shareable among tunnels. */
const RESOLVED = new WeakSet<object>();

/**
 * Validate and fill in defaults. The result is frozen; passing it back returns it as is, so a
 * server resolves its options once and every tunnel shares them.
 * @internal
 */
export function resolveTunnelOptions(o: TunnelOptions): ResolvedTunnelOptions {
  if (o !== null && typeof o === 'object' && RESOLVED.has(o)) return o as ResolvedTunnelOptions;
  if (o === null || typeof o !== 'object') throw new TypeError(`options must be an object, got ${o === null ? 'null' : typeof o}`);
  const version = o.version ?? 2;
  if (version !== 2 && version !== 3) throw new RangeError(`options.version must be 2 (RFC 2661) or 3 (RFC 3931), got ${String(version)}`);
  if (typeof o.hostName !== 'string' || o.hostName.length === 0) throw new TypeError('options.hostName must be a non-empty string (RFC 2661 §4.4.3 Host Name)');
  if (typeof o.random !== 'function') throw new TypeError('options.random must be a function (n) => Uint8Array, e.g. n => crypto.getRandomValues(new Uint8Array(n))');
  if (o.secret !== undefined && typeof o.secret !== 'string' && !(o.secret instanceof Uint8Array)) {
    throw new TypeError('options.secret must be a string or a Uint8Array');
  }
  if (o.hideAvps && o.secret === undefined) throw new TypeError('options.hideAvps needs options.secret: hidden AVPs are keyed by the tunnel secret (RFC 2661 §4.3)');
  if (o.localTunnelId !== undefined) assertInt(o.localTunnelId, 1, version === 2 ? 0xffff : 0xffffffff, 'options.localTunnelId');
  const v3 = resolveV3(o, version);
  if (o.firmwareRevision !== undefined) assertInt(o.firmwareRevision, 0, 0xffff, 'options.firmwareRevision');
  const framingCapabilities = o.framingCapabilities ?? 3;
  assertInt(framingCapabilities, 0, 0xffffffff, 'options.framingCapabilities');
  if (o.bearerCapabilities !== undefined) assertInt(o.bearerCapabilities, 0, 0xffffffff, 'options.bearerCapabilities');
  const dataSequencing = o.dataSequencing ?? 'off';
  if (dataSequencing !== 'off' && dataSequencing !== 'on' && dataSequencing !== 'required') {
    throw new TypeError(`options.dataSequencing must be 'off', 'on' or 'required' (RFC 2661 §5.4), got ${String(dataSequencing)}`);
  }
  const tieBreaker = o.tieBreaker ?? false;
  if (tieBreaker instanceof Uint8Array ? tieBreaker.length !== 8 : typeof tieBreaker !== 'boolean') {
    throw new RangeError('options.tieBreaker must be a boolean or 8 bytes (RFC 2661 §4.4.3 Tie Breaker)');
  }
  const helloInterval = o.helloInterval ?? 60_000;
  if (typeof helloInterval !== 'number' || !Number.isFinite(helloInterval) || helloInterval < 0) {
    throw new RangeError(`options.helloInterval must be a finite number of milliseconds ≥ 0 (0 turns HELLO off), got ${String(helloInterval)}`);
  }
  const maxSessions = o.maxSessions ?? 1024;
  assertInt(maxSessions, 0, 0xfffe, 'options.maxSessions');
  // Also validates the sequencer options (RangeError naming the bad one).
  // Resolved once here (frozen, shared by the tunnel's Sequencer: nothing per tunnel).
  const sequencer = resolveOptions(o.sequencer);
  const cycle = retransmissionCycle(sequencer);
  const handshakeTimeout = o.handshakeTimeout ?? cycle;
  if (typeof handshakeTimeout !== 'number' || !Number.isFinite(handshakeTimeout) || handshakeTimeout <= 0) {
    throw new RangeError(`options.handshakeTimeout must be a finite number of milliseconds > 0, got ${String(handshakeTimeout)}`);
  }
  if (o.sessionIdTaken !== undefined && typeof o.sessionIdTaken !== 'function') {
    throw new TypeError(`options.sessionIdTaken must be a function (id) => boolean, got ${typeof o.sessionIdTaken}`);
  }
  const peerStopLinger = o.peerStopLinger;
  if (peerStopLinger !== undefined && (typeof peerStopLinger !== 'number' || !Number.isFinite(peerStopLinger) || peerStopLinger < 0)) {
    throw new RangeError(`options.peerStopLinger must be a finite number of milliseconds ≥ 0, got ${String(peerStopLinger)}`);
  }
  const r: ResolvedTunnelOptions = Object.freeze({
    version,
    ...v3,
    hidingKey: o.secret === undefined ? undefined : version === 2 ? o.secret : v3HidingKey(o.secret),
    hostName: o.hostName,
    random: o.random,
    secret: o.secret,
    hideAvps: o.hideAvps === true || (typeof o.hideAvps === 'object' && o.hideAvps !== null),
    hidePad: resolveHidePad(o),
    localTunnelId: o.localTunnelId,
    sessionIdTaken: o.sessionIdTaken,
    vendorName: o.vendorName,
    firmwareRevision: o.firmwareRevision,
    framingCapabilities,
    bearerCapabilities: o.bearerCapabilities,
    tieBreaker,
    helloInterval,
    maxSessions,
    acceptCalls: o.acceptCalls ?? true,
    dataWithLength: o.dataWithLength === true,
    dataSequencing,
    sequencer,
    handshakeTimeout,
    peerStopLinger,
    lenient: o.lenient === true,
  });
  RESOLVED.add(r);
  return r;
}

/** `hideAvps.pad` with our random source as its default (the encoder draws no randomness). */
function resolveHidePad(o: TunnelOptions): HidingPad | false {
  const h = o.hideAvps;
  const pad = typeof h === 'object' && h !== null ? h.pad : undefined;
  if (pad === false) return false;
  if (pad !== undefined && (typeof pad !== 'object' || pad === null)) throw new TypeError('options.hideAvps.pad must be an object { min?, max?, random? } or false');
  return { ...pad, random: pad?.random ?? o.random };
}

/** The v3-only options, checked (ignored, with neutral values, for v2). */
function resolveV3(o: TunnelOptions, version: L2tpVersion): { routerId: number; pseudowireCapabilities: readonly number[]; digestType: 0 | 1; cookieLength: 0 | 4 | 8; l2SpecificSublayer: 'none' | 'default' } {
  if (version === 2) return { routerId: 0, pseudowireCapabilities: [], digestType: 0, cookieLength: 0, l2SpecificSublayer: 'none' };
  let routerId = o.routerId;
  if (routerId === undefined) {
    // One Router ID per LCCE (per options object), not per tunnel: drawn once here.
    const b = o.random(4);
    routerId = ((((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0) || 1);
  }
  assertInt(routerId, 1, 0xffffffff, 'options.routerId');
  const caps = o.pseudowireCapabilities ?? [5, 4, 7];
  if (!Array.isArray(caps) || caps.length === 0) throw new TypeError('options.pseudowireCapabilities must be a non-empty array of pseudowire types (RFC 3931 §5.4.3), e.g. [5] for Ethernet');
  caps.forEach((t, i) => assertInt(t, 1, 0xffff, `options.pseudowireCapabilities[${i}]`));
  const digestType = o.digestType ?? 0;
  if (digestType !== 0 && digestType !== 1) throw new RangeError(`options.digestType must be 0 (HMAC-MD5) or 1 (HMAC-SHA-1), RFC 3931 §5.4.1; got ${String(digestType)}`);
  const cookieLength = o.cookieLength ?? 0;
  if (cookieLength !== 0 && cookieLength !== 4 && cookieLength !== 8) throw new RangeError(`options.cookieLength must be 0, 4 or 8 (RFC 3931 §5.4.4 Assigned Cookie), got ${String(cookieLength)}`);
  const l2ss = o.l2SpecificSublayer ?? 'none';
  if (l2ss !== 'none' && l2ss !== 'default') throw new TypeError(`options.l2SpecificSublayer must be 'none' or 'default' (RFC 3931 §4.6), got ${String(l2ss)}`);
  return { routerId, pseudowireCapabilities: Object.freeze([...caps]), digestType, cookieLength, l2SpecificSublayer: l2ss };
}
