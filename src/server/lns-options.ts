/**
 * {@link createLns} options: validation and defaults (misuse is a `TypeError`/`RangeError`).
 * @internal
 */
import { assertInt } from '../wire/bytes.js';
import type { LnsOptions } from './lns-types.js';

/** Validated options. */
export interface Resolved {
  readonly host: string;
  readonly port: number;
  readonly tcpPort: number | undefined;
  readonly maxTunnels: number;
  readonly maxHalfOpen: number;
  readonly closeTimeout: number;
  readonly o: LnsOptions;
}

export function resolveLnsOptions(o: LnsOptions): Resolved {
  if (o === null || typeof o !== 'object') throw new TypeError('createLns(options): options must be an object with at least hostName');
  if (typeof o.hostName !== 'string' || o.hostName === '') throw new TypeError('createLns: hostName must be a non-empty string (RFC 2661 §4.4.3 Host Name)');
  const host = o.host ?? '127.0.0.1';
  const port = o.port ?? 1701;
  assertInt(port, 0, 0xffff, 'createLns: port');
  let tcpPort: number | undefined;
  if (o.tcp === true) tcpPort = port;
  else if (o.tcp !== undefined && o.tcp !== false) {
    if (typeof o.tcp !== 'object' || o.tcp === null) throw new TypeError('createLns: tcp must be a boolean or { port }');
    tcpPort = o.tcp.port ?? port;
    assertInt(tcpPort, 0, 0xffff, 'createLns: tcp.port');
  }
  const l = o.limits ?? {};
  const maxTunnels = l.maxTunnels ?? 4096;
  assertInt(maxTunnels, 1, 0xffff, 'createLns: limits.maxTunnels');
  const maxHalfOpen = l.maxHalfOpen ?? 256;
  assertInt(maxHalfOpen, 1, 0xffff, 'createLns: limits.maxHalfOpen');
  const closeTimeout = o.closeTimeout ?? 1000;
  assertInt(closeTimeout, 0, 2 ** 31 - 1, 'createLns: closeTimeout (ms)');
  if (o.onFrame !== undefined && typeof o.onFrame !== 'function') throw new TypeError('createLns: onFrame must be a function (session, frame) => void');
  if (o.random !== undefined && typeof o.random !== 'function') throw new TypeError('createLns: random must be a function (n) => Uint8Array');
  return { host, port, tcpPort, maxTunnels, maxHalfOpen, closeTimeout, o };
}

