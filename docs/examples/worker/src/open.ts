/**
 * Opening the TCP connection every endpoint starts with, timed from before the connect as the
 * prober times it, and the tunnel options every endpoint passes to the library.
 */
import { type OpenTunnelOptions } from 'l2tp-wire';
import { workersTransport } from 'l2tp-wire/workers';
import { CloudflareTarget, isCloudflareAddress } from './cloudflare.js';
import { remaining, type Target } from './request.js';
import { Tap } from './tap.js';

/** A connection just opened: the watched transport, and when we began (`Date.now()`). */
export interface Opened {
  readonly tap: Tap;
  readonly started: number;
  /** Milliseconds the TCP connect took. */
  readonly connectMs: number;
}

/** Connect to `t` (TCP: see docs/workers.md for why, and the relay for UDP peers). */
export async function open(t: Target): Promise<Opened> {
  if (isCloudflareAddress(t.host)) throw new CloudflareTarget(t.host);
  const started = Date.now();
  const transport = await workersTransport({ hostname: t.host, port: t.port, timeout: t.timeout });
  return { tap: new Tap(transport, t.secret), started, connectMs: Date.now() - started };
}

/** The library's options: our Host Name, the secret, and what is left of the request's timeout. */
export const tunnelOptions = (t: Target, started: number): OpenTunnelOptions => ({
  hostName: t.hostname,
  timeout: remaining(t, started),
  ...(t.secret ? { secret: t.secret } : {}),
});

/** A Protocol Version AVP as the prober writes it, "ver.rev" ("" when absent). */
export const versionText = (v: { version: number; revision: number } | undefined): string => (v ? `${v.version}.${v.revision}` : '');
