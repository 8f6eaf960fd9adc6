/**
 * Host and port on the command line and in output: `HOST`, `HOST:PORT`, `[IPV6]`, `[IPV6]:PORT`
 * (and a bare IPv6 address). IPv6 is printed in brackets whenever a port follows (RFC 3986 §3.2.2
 * writes it that way), so `[::1]:1701` is never confused with an address.
 */
import { isIP } from 'node:net';
import { UsageError } from './args.js';

/** A host and, when one was written, a port. */
export interface Endpoint {
  readonly host: string;
  readonly port?: number;
}

const HOSTNAME = /^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/i;
const FORMS = 'HOST, HOST:PORT, [IPV6] or [IPV6]:PORT';

/**
 * Parse `text`; `what` names it in errors (`host`, `--target`). Ports from `minPort` to 65535.
 * @throws UsageError saying which forms are accepted.
 */
export function parseEndpoint(text: string, what: string, minPort = 1): Endpoint {
  let host = text;
  let portText: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(text);
  if (bracketed) {
    host = bracketed[1]!;
    portText = bracketed[2];
    if (isIP(host) !== 6) throw new UsageError(`bad ${what} ${JSON.stringify(text)}: brackets hold an IPv6 address; give ${FORMS}`);
  } else if (isIP(text) === 0) {
    const colon = text.lastIndexOf(':');
    if (colon >= 0) {
      host = text.slice(0, colon);
      portText = text.slice(colon + 1);
    }
  }
  if (isIP(host) === 0 && !HOSTNAME.test(host)) throw new UsageError(`bad ${what} ${JSON.stringify(text)}: give ${FORMS}`);
  if (portText === undefined) return { host };
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < minPort || port > 65535) throw new UsageError(`bad port in ${what} ${JSON.stringify(text)}: a whole number from ${minPort} to 65535`);
  return { host, port };
}

/** `host:port`, with an IPv6 host in brackets: `[::1]:1701`. */
export function formatEndpoint(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
