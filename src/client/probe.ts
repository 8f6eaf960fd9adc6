/**
 * `probe()`: is there an L2TP LNS, and what does it say about itself? One control connection,
 * opened and closed at once.
 * @module
 */
import type { ControlMessage } from '../wire/control.js';
import { parseControl } from '../wire/control.js';
import { L2tpError } from '../wire/errors.js';
import { MessageType } from '../wire/message-catalog.js';
import type { ProtocolVersionValue, ResultCodeValue } from '../wire/value-codecs.js';
import type { StopError } from './driver-errors.js';
import { adoptTransport, checkTransport } from './open.js';
import type { OpenTunnelOptions } from './options.js';
import type { Transport } from './transport.js';
import { Tunnel } from './tunnel.js';

/** Options of {@link probe}: those of `openTunnel()`, plus the StopCCN's result. */
export interface ProbeOptions extends OpenTunnelOptions {
  /**
   * Result Code of the StopCCN that ends the probe (RFC 2661 §4.4.2): 1 "general request to
   * clear" (default) or 6 "requester is being shut down" are the usual choices.
   */
  stopResult?: number;
}

/** What {@link probe} found. Fields named as the seed prober's `/connect` response, plus more. */
export interface ProbeResult {
  /** The peer answered with an acceptable SCCRP and the control connection came up (then closed). */
  readonly success: boolean;
  /** Our Tunnel ID (the Assigned Tunnel ID we sent in the SCCRQ). */
  readonly tunnelId: number;
  /** The peer's Tunnel ID (Assigned Tunnel ID of its SCCRP, or of its StopCCN); 0 when it gave none. */
  readonly assignedTunnelId: number;
  /** The peer's Host Name AVP (RFC 2661 §4.4.3). */
  readonly peerHostname?: string;
  /** The peer's Vendor Name AVP, when sent (e.g. `"xelerance.com"` for xl2tpd). */
  readonly vendorName?: string;
  /** Protocol Version AVP as text, `"1.0"` for L2TPv2. */
  readonly protocolVersion?: string;
  /** Protocol Version AVP as sent: `{ version: 1, revision: 0 }`. */
  readonly protocolVersionValue?: ProtocolVersionValue;
  /** The peer's Firmware Revision AVP, when sent. */
  readonly firmwareRevision?: number;
  /** Framing Capabilities bits (1 synchronous, 2 asynchronous). */
  readonly framingCapabilities?: number;
  /** Bearer Capabilities bits (1 digital, 2 analog), when sent. */
  readonly bearerCapabilities?: number;
  /** The peer's Receive Window Size; 4 when it sent none (RFC 2661 §5.8). */
  readonly receiveWindowSize?: number;
  /** L2TPv3 (`version: 3`): the peer's Router ID (RFC 3931 §5.4.3), a 32-bit number. */
  readonly routerId?: number;
  /** L2TPv3: the peer's Pseudowire Capabilities List (§5.4.3): Pseudowire Types it accepts (5 Ethernet, 4 Ethernet VLAN, 7 PPP…). */
  readonly pseudowireCapabilities?: readonly number[];
  /** L2TPv3: the peer's Assigned Control Connection ID (§5.4.3; 32 bits), also in `assignedTunnelId`. */
  readonly assignedControlConnectionId?: number;
  /** The peer's SCCRP carried a Challenge AVP: it requires the tunnel secret (RFC 2661 §5.1.1). */
  readonly challenged: boolean;
  /** We challenged the peer (a `secret` was given) and its Challenge Response was right. */
  readonly authenticated: boolean;
  /** Milliseconds from our SCCRQ to the peer's SCCRP (or StopCCN); NaN when neither came. */
  readonly rtt: number;
  /** The Result Code of the peer's StopCCN when it refused us (`success` is then false). */
  readonly result?: ResultCodeValue;
  /**
   * Why `success` is false: `PEER_STOPPED` (the peer refused; see `result`), `AUTH_FAILED` (it
   * challenged us without our having a secret, or its response to our challenge was wrong),
   * `PROTOCOL` or a parse error code (its SCCRP was unacceptable).
   */
  readonly error?: StopError;
}

/**
 * Probe an L2TP peer: send one SCCRQ, wait for its SCCRP, complete with SCCCN (RFC 2661 §7.2.1)
 * and end at once with a StopCCN (result {@link ProbeOptions.stopResult}), waiting for its
 * acknowledgement; the transport is closed when this settles (unless `keepTransport`).
 *
 * A peer that refuses (StopCCN), or whose SCCRP we cannot accept, is an answer, not a failure:
 * `success` is false and `result`/`error` say why — and what its SCCRP said is still reported
 * (a peer that demands a secret we lack still tells its host name and vendor).
 * Rejects only when there was no answer: `L2tpError` `TIMEOUT`, `TRANSPORT` or `ABORTED`.
 *
 * @example
 * ```ts
 * const r = await probe(await udpTransport({ host: '192.0.2.7' }), { timeout: 5000 });
 * if (r.success) console.log(r.peerHostname, r.vendorName, r.protocolVersion, `${r.rtt.toFixed(1)} ms`);
 * ```
 */
export async function probe(transport: Transport, options: ProbeOptions = {}): Promise<ProbeResult> {
  const t = checkTransport(transport, 'probe');
  const { stopResult = 1, ...rest } = options ?? {};
  const { o, tunnel } = await adoptTransport(t, rest, 'probe', () => {
    if (!Number.isInteger(stopResult) || stopResult < 0 || stopResult > 0xffff) throw new RangeError(`probe: stopResult must be a StopCCN Result Code (0–65535), got ${String(stopResult)}`);
  });
  const secret = o.fsm.secret;
  let sccrp: ControlMessage | undefined;
  let answeredAt = NaN;
  tunnel.tap = (m) => {
    if (sccrp !== undefined || m.length < 1 || (m[0]! & 0x80) === 0) return;
    const at = o.clock();
    try {
      const c = parseControl(m, { secret, requireAvps: false });
      if (c.isZlb) return;
      if (Number.isNaN(answeredAt)) answeredAt = at;
      if (c.type === MessageType.SCCRP) sccrp = c;
    } catch {
      // The FSM judges malformed input (and answers it); the probe only reports what parses.
    }
  };
  const started = o.clock();
  let error: StopError | undefined;
  try {
    await tunnel.start();
  } catch (e) {
    if (!(e instanceof L2tpError) || e.code === 'TIMEOUT' || e.code === 'TRANSPORT' || e.code === 'ABORTED') throw e;
    error = e;
  }
  if (error === undefined) await tunnel.close(stopResult, { timeout: Math.max(1, o.timeout - (o.clock() - started)), ...(o.signal ? { signal: o.signal } : {}) });
  else await tunnel.closed;
  const peer = error === undefined ? tunnel.peer : undefined;
  const m = sccrp;
  const version = peer?.protocolVersion ?? m?.protocolVersion;
  const result: { -readonly [K in keyof ProbeResult]: ProbeResult[K] } = {
    success: error === undefined,
    tunnelId: tunnel.localTunnelId,
    assignedTunnelId: peer?.assignedTunnelId ?? m?.assignedTunnelId ?? tunnel.peerTunnelId,
    challenged: peer?.challenged ?? m?.challenge !== undefined,
    authenticated: peer?.authenticated ?? false,
    rtt: error === undefined ? tunnel.rtt : answeredAt - started,
  };
  const hostName = peer?.hostName ?? m?.hostName;
  if (hostName !== undefined) result.peerHostname = hostName;
  const vendorName = peer?.vendorName ?? m?.vendorName;
  if (vendorName !== undefined) result.vendorName = vendorName;
  if (version !== undefined) {
    result.protocolVersion = `${version.version}.${version.revision}`;
    result.protocolVersionValue = { version: version.version, revision: version.revision };
  }
  const firmwareRevision = peer?.firmwareRevision ?? m?.firmwareRevision;
  if (firmwareRevision !== undefined) result.firmwareRevision = firmwareRevision;
  const framing = peer?.framingCapabilities ?? m?.framingCapabilities;
  if (framing !== undefined) result.framingCapabilities = framing;
  const bearer = peer?.bearerCapabilities ?? m?.bearerCapabilities;
  if (bearer !== undefined) result.bearerCapabilities = bearer;
  // v3 (RFC 3931 §6.2): what an SCCRP says that a v2 one does not.
  const routerId = peer?.routerId ?? m?.routerId;
  if (routerId !== undefined) result.routerId = routerId;
  const pwCaps = peer?.pseudowireCapabilities ?? m?.pseudowireCapabilitiesList;
  if (pwCaps !== undefined) result.pseudowireCapabilities = [...pwCaps];
  const accid = peer?.assignedControlConnectionId ?? m?.assignedControlConnectionId;
  if (accid !== undefined) result.assignedControlConnectionId = accid;
  const window = peer?.receiveWindowSize ?? (m !== undefined ? (m.receiveWindowSize ?? 4) : undefined);
  if (window !== undefined) result.receiveWindowSize = window;
  if (error !== undefined) {
    result.error = error;
    if (error.code === 'PEER_STOPPED' && error.result !== undefined) result.result = error.result;
  }
  return result;
}
