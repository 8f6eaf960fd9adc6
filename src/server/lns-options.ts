/**
 * {@link createLns} options: validation and defaults (misuse is a `TypeError`/`RangeError`
 * naming the option and the range it must be in).
 * @internal
 */
import { globalRandom } from '../client/platform.js';
import { checkTcpLimits, type TcpLimits } from '../transports/node-tcp-limits.js';
import { assertInt } from '../wire/bytes.js';
import type { LnsOptions } from './lns-types.js';

/** Largest `setTimeout` delay Node accepts (ms). */
const MAX_MS = 2 ** 31 - 1;

/** Defaults of the limits (docs/lns.md explains each). */
export const LNS_DEFAULTS = {
  maxTunnels: 4096,
  maxHalfOpen: 256,
  maxHalfOpenPerSource: 32,
  maxConnections: 1024,
  maxConnectionsPerSource: 64,
  tcpHandshakeTimeout: 10_000,
  tcpIdleTimeout: 60_000,
  maxBufferedBytes: 4 * 1024 * 1024,
  recvBufferSize: 1024 * 1024,
} as const;

/** Validated options. */
export interface Resolved {
  readonly host: string;
  readonly port: number;
  readonly tcpPort: number | undefined;
  readonly maxTunnels: number;
  readonly maxHalfOpen: number;
  readonly maxHalfOpenPerSource: number;
  /** TCP listener limits. */
  readonly tcp: Required<TcpLimits>;
  /** Close a TCP connection carrying no tunnel after this long without a message (0 = never). */
  readonly idleTimeout: number;
  readonly recvBufferSize: number;
  readonly closeTimeout: number;
  /** The L2TP versions served on the port(s): 2 (RFC 2661), 3 (RFC 3931 over UDP), told apart by the version nibble. */
  readonly versions: readonly (2 | 3)[];
  readonly o: LnsOptions;
}

function int(v: unknown, dflt: number, min: number, max: number, what: string): number {
  const x = v ?? dflt;
  assertInt(x, min, max, `createLns: ${what}`);
  return x;
}

export function resolveLnsOptions(o: LnsOptions): Resolved {
  if (o === null || typeof o !== 'object') throw new TypeError('createLns(options): options must be an object with at least hostName');
  if (typeof o.hostName !== 'string' || o.hostName === '') throw new TypeError('createLns: hostName must be a non-empty string (RFC 2661 §4.4.3 Host Name)');
  const host = o.host ?? '127.0.0.1';
  const port = int(o.port, 1701, 0, 0xffff, 'port');
  let tcpPort: number | undefined;
  if (o.tcp === true) tcpPort = port;
  else if (o.tcp !== undefined && o.tcp !== false) {
    if (typeof o.tcp !== 'object' || o.tcp === null) throw new TypeError('createLns: tcp must be a boolean or { port }');
    tcpPort = int(o.tcp.port, port, 0, 0xffff, 'tcp.port');
  }
  const l = o.limits ?? {};
  if (l === null || typeof l !== 'object') throw new TypeError('createLns: limits must be an object (see LnsLimits)');
  const d = LNS_DEFAULTS;
  const maxTunnels = int(l.maxTunnels, d.maxTunnels, 1, 0xffff, 'limits.maxTunnels');
  const maxHalfOpen = int(l.maxHalfOpen, d.maxHalfOpen, 1, 0xffff, 'limits.maxHalfOpen');
  const maxHalfOpenPerSource = int(l.maxHalfOpenPerSource, Math.min(d.maxHalfOpenPerSource, maxHalfOpen), 1, 0xffff, 'limits.maxHalfOpenPerSource');
  int(l.maxSessionsPerTunnel, 1024, 0, 0xfffe, 'limits.maxSessionsPerTunnel');
  const maxConnections = int(l.maxConnections, d.maxConnections, 1, 0xffff, 'limits.maxConnections');
  const tcp = checkTcpLimits(
    {
      maxConnections,
      maxConnectionsPerSource: int(l.maxConnectionsPerSource, Math.min(d.maxConnectionsPerSource, maxConnections), 1, 0xffff, 'limits.maxConnectionsPerSource'),
      handshakeTimeout: int(l.tcpHandshakeTimeout, d.tcpHandshakeTimeout, 1, MAX_MS, 'limits.tcpHandshakeTimeout (ms)'),
      maxBufferedBytes: int(l.maxBufferedBytes, d.maxBufferedBytes, 0xffff, 2 ** 40, 'limits.maxBufferedBytes (at least 65535, one full message)'),
    },
    'createLns: limits',
  );
  const idleTimeout = int(l.tcpIdleTimeout, d.tcpIdleTimeout, 0, MAX_MS, 'limits.tcpIdleTimeout (ms, 0 = never)');
  const recvBufferSize = int(o.recvBufferSize, d.recvBufferSize, 4096, 2 ** 30, 'recvBufferSize (bytes)');
  const closeTimeout = int(o.closeTimeout, 1000, 0, MAX_MS, 'closeTimeout (ms)');
  if (o.helloInterval !== undefined) int(o.helloInterval, 0, 0, MAX_MS, 'helloInterval (ms, 0 = off)');
  if (o.firmwareRevision !== undefined) int(o.firmwareRevision, 0, 0, 0xffff, 'firmwareRevision');
  if (o.onFrame !== undefined && typeof o.onFrame !== 'function') throw new TypeError('createLns: onFrame must be a function (session, frame) => void');
  if (o.dataSequencing !== undefined && !['off', 'on', 'required'].includes(o.dataSequencing)) throw new TypeError(`createLns: dataSequencing must be 'off', 'on' or 'required' (RFC 2661 §5.4), got ${String(o.dataSequencing)}`);
  if (o.l2SpecificSublayer !== undefined && o.l2SpecificSublayer !== 'none' && o.l2SpecificSublayer !== 'default') {
    throw new TypeError(`createLns: l2SpecificSublayer must be 'none' or 'default' (RFC 3931 §4.6), got ${String(o.l2SpecificSublayer)}`);
  }
  if (o.l2SpecificSublayer === 'none' && o.dataSequencing === 'required' && (o.versions ?? [2]).includes(3)) {
    // RFC 3931 §5.4.4: sequence numbers travel in the sublayer; without one there is nowhere to put them.
    throw new TypeError("createLns: dataSequencing 'required' needs the default L2-Specific Sublayer on v3 sessions (RFC 3931 §4.6, §5.4.4): use l2SpecificSublayer 'default' or leave it out");
  }
  if (o.conformance !== undefined && !(['strict', 'report', 'lenient'] as unknown[]).includes(o.conformance)) {
    throw new RangeError(`createLns: conformance must be 'strict', 'report' or 'lenient', got ${JSON.stringify(o.conformance)}`);
  }
  if (o.random !== undefined && typeof o.random !== 'function') throw new TypeError('createLns: random must be a function (n) => Uint8Array');
  const versions = o.versions ?? [2];
  if (!Array.isArray(versions) || versions.length === 0 || versions.some((v) => v !== 2 && v !== 3)) {
    throw new TypeError(`createLns: versions must be a non-empty array of 2 (RFC 2661) and/or 3 (RFC 3931), e.g. [2, 3]; got ${JSON.stringify(versions)}`);
  }
  return { host, port, tcpPort, maxTunnels, maxHalfOpen, maxHalfOpenPerSource, tcp, idleTimeout, recvBufferSize, closeTimeout, versions, o };
}

/** The options of every tunnel's responder FSM, from the LNS's. */
export function tunnelOptions(r: Resolved) {
  return {
    hostName: r.o.hostName,
    // Batched: one getRandomValues per 4 KiB, not one per tunnel (issue 16).
    random: r.o.random ?? globalRandom,
    secret: r.o.secret,
    hideAvps: r.o.hideAvps,
    vendorName: r.o.vendorName ?? 'l2tp-wire',
    firmwareRevision: r.o.firmwareRevision,
    helloInterval: r.o.helloInterval,
    dataSequencing: r.o.dataSequencing,
    maxSessions: r.o.limits?.maxSessionsPerTunnel,
    sequencer: r.o.sequencer,
    // v3 only (RFC 3931): ignored by the v2 tunnels.
    routerId: r.o.routerId,
    pseudowireCapabilities: r.o.pseudowireCapabilities,
    digestType: r.o.digestType,
    cookieLength: r.o.cookieLength,
    l2SpecificSublayer: r.o.l2SpecificSublayer,
  };
}
