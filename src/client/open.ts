/**
 * `openTunnel()`: the initiator's way in.
 * @module
 */
import { resolveDriverOptions, type OpenTunnelOptions, type ResolvedDriverOptions } from './options.js';
import { Tunnel } from './tunnel.js';
import type { Transport } from './transport.js';

/** @internal Throws `TypeError` unless `t` looks like a {@link Transport}. */
export function checkTransport(t: unknown, what: string): Transport {
  const o = t as Partial<Transport> | null;
  if (o === null || typeof o !== 'object' || typeof o.send !== 'function' || typeof o.onMessage !== 'function' || typeof o.close !== 'function') {
    throw new TypeError(`${what}: transport must be a Transport (e.g. await udpTransport({ host }) from 'l2tp-wire/node')`);
  }
  if (o.closed === true) throw new TypeError(`${what}: the transport is already closed; open a new one`);
  return o as Transport;
}

/**
 * Open an L2TPv2 control connection as the initiator (RFC 2661 §7.2.1: SCCRQ → SCCRP → SCCCN)
 * and resolve once it is established, with `tunnel.peer` (what the peer's SCCRP said) and
 * `tunnel.rtt` (milliseconds from our SCCRQ to its SCCRP).
 *
 * The tunnel takes the transport over: whatever happens, the transport is closed when the
 * tunnel ends (unless `keepTransport`) — and a rejection comes only after it is. That includes
 * options it refuses (a `TypeError`/`RangeError`).
 *
 * Rejects with `L2tpError`:
 * - `TIMEOUT`: no SCCRP within `timeout` (default 10 s), or the Sequencer's retransmission budget
 *   ran out first (RFC 2661 §5.8; 31 s with the default timings);
 * - `PEER_STOPPED`: the peer answered with a StopCCN; `error.result` is its Result Code (e.g.
 *   `{ result: 4 }` when our challenge response was wrong);
 * - `AUTH_FAILED`: the peer's Challenge Response was wrong, or it challenged us and no `secret`
 *   is set (a StopCCN result 4 was sent);
 * - `PROTOCOL` (or a parse error code): the peer's SCCRP was unacceptable (a StopCCN was sent);
 * - `ABORTED`: `signal` aborted;
 * - `TRANSPORT`: the transport failed or closed (e.g. ICMP port unreachable on connected UDP).
 *
 * `TypeError`/`RangeError` for misuse (bad options).
 *
 * @example
 * ```ts
 * import { openTunnel } from 'l2tp-wire';
 * import { udpTransport } from 'l2tp-wire/node';
 * const tunnel = await openTunnel(await udpTransport({ host: '192.0.2.7' }), { hostName: 'lac', secret: 's3cret' });
 * console.log(tunnel.peer.hostName, tunnel.rtt);
 * const session = await tunnel.openSession();
 * await tunnel.close();
 * ```
 */
export async function openTunnel(transport: Transport, options: OpenTunnelOptions = {}): Promise<Tunnel> {
  const t = checkTransport(transport, 'openTunnel');
  const { tunnel } = await adoptTransport(t, options, 'openTunnel');
  await tunnel.start();
  return tunnel;
}

/**
 * @internal Resolve the options and make the tunnel that takes the transport over. On misuse (a
 * `TypeError`/`RangeError`) the transport is closed too, unless `keepTransport`: the caller
 * handed it over, so it must not be left open.
 */
export async function adoptTransport(t: Transport, options: OpenTunnelOptions, what: string, check?: () => void): Promise<{ o: ResolvedDriverOptions; tunnel: Tunnel }> {
  try {
    check?.();
    const o = resolveDriverOptions(options, t.kind === 'stream', what);
    return { o, tunnel: new Tunnel(t, o) };
  } catch (e) {
    if ((options as { keepTransport?: unknown } | null)?.keepTransport !== true) await t.close().catch(() => undefined);
    throw e;
  }
}
