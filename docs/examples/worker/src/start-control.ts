/**
 * POST /api/l2tp/start-control: open a control connection (SCCRQ → SCCRP → SCCCN, RFC 2661
 * §7.2.1) and report the peer's reply.
 *
 * The prober reads the reply and hangs up (a half-open tunnel stays on the peer ~31 s). Ours
 * completes the handshake and, by default, ends it with a StopCCN the peer acknowledges (§5.7).
 * With `keep: true` the tunnel stays up in a Durable Object (tunnel-object.ts) and the answer
 * has a `handle` for /hello and /stop-control.
 */
import { probe } from 'l2tp-wire';
import { open, tunnelOptions, versionText, type Opened } from './open.js';
import { json, ms, refusal, wholeMs } from './reply.js';
import type { Target } from './request.js';

/**
 * The prober's /start-control fields, read from the peer's reply as it reads them: its Message
 * Type, ITS Assigned Tunnel ID (not ours, unlike /connect), Protocol Version, Host Name, Result
 * Code (only when present), and the time from before the TCP connect to the reply.
 */
export function replyFields({ tap, started }: Opened) {
  const reply = tap.firstReply;
  const m = reply?.message;
  return {
    messageType: m?.type ?? 0,
    tunnelId: m?.assignedTunnelId ?? 0,
    protocolVersion: versionText(m?.protocolVersion),
    hostName: m?.hostName ?? '',
    latencyMs: wholeMs((reply?.at ?? Date.now()) - started),
    ...(m?.resultCode !== undefined ? { resultCode: m.resultCode.result } : {}),
  };
}

export async function startControl(t: Target): Promise<Response> {
  const opened = await open(t);
  const r = await probe(opened.tap, tunnelOptions(t, opened.started));
  return json({
    success: r.success,
    ...replyFields(opened),
    // Ours.
    localTunnelId: r.tunnelId,
    assignedTunnelId: r.assignedTunnelId,
    peerHostname: r.peerHostname,
    vendorName: r.vendorName,
    firmwareRevision: r.firmwareRevision,
    challenged: r.challenged,
    connectMs: opened.connectMs,
    rtt: ms(r.rtt), // SCCRQ → SCCRP
    teardown: opened.tap.teardown(),
    ...(r.success ? {} : refusal(r)),
  });
}
