/**
 * Reading a request body: the Worker prober's fields, its defaults per endpoint and its exact
 * refusal texts (its clients and test suite match them), plus our own fields.
 */

/** The endpoints; `stop-control` is ours (the prober has no kept tunnels). */
export type Route = 'connect' | 'session' | 'start-control' | 'hello' | 'stop-control';

/** A refusal of the request itself: HTTP 400, `error` is the message (the prober's text where it has one). */
export class BadRequest extends Error {}

/** The body was not JSON: the prober answers this with its HTTP 500 shape, so do we. */
export class NotJson extends Error {}

/** Where to connect and how. */
export interface Target {
  host: string;
  port: number;
  /** Milliseconds for the whole exchange, TCP connect included. */
  timeout: number;
  /** Our Host Name AVP (RFC 2661 §4.4.3). */
  hostname: string;
  /** The tunnel secret (RFC 2661 §5.1.1), when the peer challenges. Ours, not the prober's. */
  secret?: string;
}

/**
 * The prober's defaults, endpoint by endpoint. Its /start-control always sends "cloudflare-worker"
 * and reads no `hostname`; we take one when given. Its /hello sends no SCCRQ at all; ours opens a
 * tunnel, so it needs a host name too.
 */
const DEFAULTS: Record<Exclude<Route, 'stop-control'>, { timeout: number; hostname: string }> = {
  connect: { timeout: 15_000, hostname: 'portofcall-worker' },
  session: { timeout: 15_000, hostname: 'portofcall' },
  'start-control': { timeout: 10_000, hostname: 'cloudflare-worker' },
  hello: { timeout: 10_000, hostname: 'cloudflare-worker' },
};

/** The JSON body as an object of fields; `{}` for JSON that is not an object (the prober then finds no host). */
export async function readFields(request: Request): Promise<Record<string, unknown>> {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    throw new NotJson('the request body is not JSON');
  }
  return body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
}

/** Host, port, timeout, hostname and secret of a request to `route`, checked in the prober's order. */
export function readTarget(route: Exclude<Route, 'stop-control'>, f: Record<string, unknown>): Target {
  const { host, port = 1701, timeout = DEFAULTS[route].timeout, hostname = DEFAULTS[route].hostname, secret } = f;
  if (route === 'hello' && (typeof host !== 'string' || host === '' || f.tunnelId === undefined)) throw new BadRequest('Host and tunnelId are required');
  if (typeof host !== 'string' || host === '') throw new BadRequest('Host is required');
  // A JSON number only: the prober refuses "1701" with this same message.
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) throw new BadRequest('Port must be between 1 and 65535');
  if (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout <= 0 || timeout > 2 ** 31 - 1) throw new BadRequest('"timeout" must be a number of milliseconds above 0');
  if (typeof hostname !== 'string' || hostname.length < 1 || hostname.length > 255) throw new BadRequest('"hostname" must be a string of 1 to 255 characters');
  if (secret !== undefined && (typeof secret !== 'string' || secret === '')) throw new BadRequest('"secret" must be a non-empty string');
  return { host, port, timeout: Math.ceil(timeout), hostname, ...(secret !== undefined ? { secret } : {}) };
}

/** /hello's `tunnelId` (the prober's: the peer's ID of a tunnel that already exists). */
export function readTunnelId(f: Record<string, unknown>): number {
  const { tunnelId } = f;
  if (typeof tunnelId !== 'number' || !Number.isInteger(tunnelId) || tunnelId < 0 || tunnelId > 0xffff) throw new BadRequest('"tunnelId" must be a Tunnel ID: an integer from 0 to 65535');
  return tunnelId;
}

/** `keep: true` asks /start-control to hold the tunnel open (in a Durable Object) and return a `handle`. */
export function readKeep(f: Record<string, unknown>): boolean {
  if (f.keep !== undefined && typeof f.keep !== 'boolean') throw new BadRequest('"keep" must be true or false');
  return f.keep === true;
}

/** A `handle` as /start-control returned it (a Durable Object ID). */
export function readHandle(f: Record<string, unknown>): string {
  if (typeof f.handle !== 'string' || !/^[0-9a-f]{64}$/.test(f.handle)) throw new BadRequest('"handle" must be the handle /start-control returned');
  return f.handle;
}

/** Milliseconds left of `t.timeout` since `started` (`Date.now()`), at least 1. */
export const remaining = (t: Target, started: number): number => Math.max(1, t.timeout - (Date.now() - started));

/**
 * How long a teardown may wait for the StopCCN's acknowledgement: what is left of the timeout,
 * but at least a second — leaving nothing behind on the peer is worth overrunning a little.
 */
export const closeTimeout = (t: Target, started: number): number => Math.max(1000, remaining(t, started));
