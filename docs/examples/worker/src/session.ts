/**
 * POST /api/l2tp/session: a tunnel and one incoming call on it (SCCRQ → SCCRP → SCCCN, then ICRQ →
 * ICRP → ICCN, RFC 2661 §7.2.1 and §7.4), then torn down.
 *
 * The prober hangs up after its ICCN, leaving the tunnel and the call on the peer until its
 * retransmissions give up. Ours ends with a StopCCN (which clears the session too, §5.7) and
 * waits for its acknowledgement.
 */
import { establishSession, MessageType } from 'l2tp-wire';
import { open, tunnelOptions, versionText } from './open.js';
import { json, ms, refusal, wholeMs } from './reply.js';
import { closeTimeout, type Target } from './request.js';

/** The prober's fixed `note`. */
export const SESSION_NOTE =
  'L2TP tunnel (SCCRQ→SCCRP→SCCCN) + session (ICRQ→ICRP→ICCN) established. PPP LCP negotiation would follow over the L2TP data channel.';

export async function session(t: Target): Promise<Response> {
  const { tap, started, connectMs } = await open(t);
  const r = await establishSession(tap, tunnelOptions(t, started));
  if (!r.success) {
    // A refusal is an HTTP 500 for the prober, its error naming the reply it did not expect.
    const stage = r.peer === undefined ? 'SCCRP (2)' : 'ICRP (11)';
    const got = r.error?.code === 'PEER_STOPPED' ? `Expected ${stage}, got msgType=${tap.lastReply?.message.type ?? 0}` : undefined;
    return json({ success: false, host: t.host, port: t.port, ...refusal(r, got), teardown: tap.teardown() }, 500);
  }
  const iccnAt = tap.sent.get(MessageType.ICCN)?.at ?? Date.now();
  await r.tunnel!.close(undefined, { timeout: closeTimeout(t, started) });
  const peer = r.peer!;
  return json({
    // The prober's fields.
    success: true,
    host: t.host,
    port: t.port,
    localTunnelId: r.localTunnelId,
    peerTunnelId: r.peerTunnelId,
    localSessionId: r.localSessionId,
    peerSessionId: r.peerSessionId,
    peerHostname: peer.hostName,
    protocolVersion: versionText(peer.protocolVersion),
    latencyMs: wholeMs(iccnAt - started), // from before the TCP connect to our ICCN
    note: SESSION_NOTE,
    // Ours.
    vendorName: r.vendorName,
    connectMs,
    controlRtt: ms(r.rtt), // SCCRQ → SCCRP
    sessionRtt: ms(r.sessionRtt), // ICRQ → session up
    teardown: tap.teardown(),
  });
}
