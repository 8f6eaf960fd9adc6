/**
 * `establishSession()`: a control connection and one call on it, in one step.
 * @module
 */
import type { CallOptions, PeerInfo } from '../fsm/types.js';
import { L2tpError } from '../wire/errors.js';
import type { ResultCodeValue } from '../wire/value-codecs.js';
import type { StopError } from './driver-errors.js';
import { adoptTransport, checkTransport } from './open.js';
import type { OpenTunnelOptions } from './options.js';
import type { Session } from './session.js';
import type { Transport } from './transport.js';
import { Tunnel } from './tunnel.js';

/** Options of {@link establishSession}: those of `openTunnel()` plus the call to place. */
export interface EstablishSessionOptions extends OpenTunnelOptions {
  /** The call: default `{ kind: 'incoming' }` (ICRQ → ICRP → ICCN, RFC 2661 §7.4). */
  call?: CallOptions;
}

/**
 * What {@link establishSession} did. Fields named as the seed prober's `/session` response, plus
 * handles on the live tunnel and session when it succeeded.
 */
export interface SessionEstablishment {
  /** Both the control connection and the session came up. */
  readonly success: boolean;
  /** Our Tunnel ID. */
  readonly localTunnelId: number;
  /** The peer's Tunnel ID (0 when it never gave one). */
  readonly peerTunnelId: number;
  /** Our Session ID, once a call was placed. */
  readonly localSessionId?: number;
  /** The peer's Session ID, once it answered the call. */
  readonly peerSessionId?: number;
  /** Milliseconds from our SCCRQ to the peer's SCCRP (NaN when the tunnel never came up). */
  readonly rtt: number;
  /** Milliseconds from our ICRQ/OCRQ until the session was up (NaN when it did not come up). */
  readonly sessionRtt: number;
  /** Milliseconds from our SCCRQ until the session was up: the whole setup (NaN on failure). */
  readonly latencyMs: number;
  /** What the peer said about itself, when the tunnel came up. */
  readonly peer?: PeerInfo;
  /** `peer.hostName`, as the seed names it. */
  readonly peerHostname?: string;
  /** `peer.vendorName`, as the seed names it. */
  readonly vendorName?: string;
  /** The Result Code of the peer's StopCCN or CDN when it refused (`success` is then false). */
  readonly result?: ResultCodeValue;
  /** Why `success` is false: `PEER_STOPPED` (see `result`), `AUTH_FAILED`, `PROTOCOL`, … */
  readonly error?: StopError;
  /** The live tunnel (on success): send `hello()`, open more sessions, `close()` it when done. */
  readonly tunnel?: Tunnel;
  /** The live session (on success): `send()` frames, `onFrame()`, `close()`. */
  readonly session?: Session;
}

/**
 * Open a control connection and place one call on it (SCCRQ → SCCRP → SCCCN, then ICRQ → ICRP →
 * ICCN by default). On success the tunnel and session stay up and are returned: close the tunnel
 * when done (that releases the transport). A refusal by the peer (StopCCN or CDN) or an
 * unacceptable answer is a result with `success: false`, everything already released. `timeout`
 * bounds the whole setup.
 *
 * Rejects only when there was no answer: `L2tpError` `TIMEOUT`, `TRANSPORT` or `ABORTED`
 * (everything released first).
 *
 * @example
 * ```ts
 * const r = await establishSession(await udpTransport({ host: '192.0.2.7' }), { hostName: 'lac' });
 * if (r.success) {
 *   r.session!.onFrame((ppp) => console.log(ppp));
 *   await r.tunnel!.close();
 * }
 * ```
 */
export async function establishSession(transport: Transport, options: EstablishSessionOptions = {}): Promise<SessionEstablishment> {
  const t = checkTransport(transport, 'establishSession');
  const { call = { kind: 'incoming' }, ...rest } = options ?? {};
  const { o, tunnel } = await adoptTransport(t, rest, 'establishSession');
  const started = o.clock();
  const base = { localTunnelId: tunnel.localTunnelId };
  const refused = (e: unknown, extra: object): SessionEstablishment => {
    if (!(e instanceof L2tpError) || e.code === 'TIMEOUT' || e.code === 'TRANSPORT' || e.code === 'ABORTED') throw e;
    const err = e as StopError;
    return {
      success: false,
      ...base,
      peerTunnelId: tunnel.peerTunnelId,
      rtt: tunnel.rtt,
      sessionRtt: NaN,
      latencyMs: NaN,
      ...extra,
      ...(err.result !== undefined && err.code === 'PEER_STOPPED' ? { result: err.result } : {}),
      error: err,
    };
  };
  try {
    await tunnel.start();
  } catch (e) {
    return refused(e, {});
  }
  const peer = tunnel.peer;
  const peerFields = { peer, peerHostname: peer.hostName, ...(peer.vendorName !== undefined ? { vendorName: peer.vendorName } : {}) };
  const callAt = o.clock();
  let session: Session;
  try {
    session = await tunnel.openSession(call, { timeout: Math.max(1, o.timeout - (callAt - started)), ...(o.signal ? { signal: o.signal } : {}) });
  } catch (e) {
    // The tunnel is ours to end: a caller gets no handle on a failed setup.
    await tunnel.close(undefined, { timeout: Math.max(1, o.timeout - (o.clock() - started)) });
    return refused(e, peerFields);
  }
  const upAt = o.clock();
  return {
    success: true,
    ...base,
    peerTunnelId: tunnel.peerTunnelId,
    localSessionId: session.localId,
    peerSessionId: session.peerId,
    rtt: tunnel.rtt,
    sessionRtt: upAt - callAt,
    latencyMs: upAt - started,
    ...peerFields,
    tunnel,
    session,
  };
}
