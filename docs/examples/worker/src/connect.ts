/**
 * POST /api/l2tp/connect: is there an LNS, and what does it say about itself?
 *
 * The prober sends an SCCRQ, reads one reply and hangs up, which leaves a half-open tunnel on the
 * peer until its SCCRP retransmissions run out (~31 s, RFC 2661 §5.8). Ours is `probe()`: SCCRQ →
 * SCCRP → SCCCN → StopCCN, waiting for the StopCCN's acknowledgement (§5.7): nothing is left behind.
 */
import { MessageType, probe } from 'l2tp-wire';
import { open, tunnelOptions } from './open.js';
import { ms, refusal, json, wholeMs } from './reply.js';
import type { Target } from './request.js';

export async function connect(t: Target): Promise<Response> {
  const { tap, started, connectMs } = await open(t);
  const r = await probe(tap, tunnelOptions(t, started));
  const reply = tap.firstReply;
  const type = reply?.message.type ?? 0;
  return json({
    // The prober's fields: same names, types and meanings ("" / 0 for what the peer did not send).
    success: r.success,
    host: t.host,
    port: t.port,
    tunnelId: r.tunnelId,
    assignedTunnelId: r.assignedTunnelId,
    peerHostname: r.peerHostname ?? '',
    vendorName: r.vendorName ?? '',
    protocolVersion: r.protocolVersion ?? '',
    rtt: wholeMs((reply?.at ?? Date.now()) - started), // from before the TCP connect to the reply
    // Ours.
    messageType: type,
    firmwareRevision: r.firmwareRevision,
    challenged: r.challenged,
    authenticated: r.authenticated,
    connectMs,
    controlRtt: ms(r.rtt), // SCCRQ → SCCRP only
    teardown: tap.teardown(),
    ...(r.success ? {} : refusal(r, type !== MessageType.SCCRP ? `Unexpected message type: ${type} (expected SCCRP)` : undefined)),
  });
}
