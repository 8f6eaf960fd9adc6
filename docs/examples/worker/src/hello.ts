/**
 * POST /api/l2tp/hello with the prober's body `{ host, port, tunnelId, timeout }`.
 *
 * The prober sends a HELLO for `tunnelId` on a fresh TCP connection and calls any reply an ack.
 * No RFC peer accepts that: a HELLO belongs to an established control connection (RFC 2661
 * §6.5), and a peer drops messages for a tunnel it does not hold with that sender. So ours does
 * what the request means: open a tunnel, send a HELLO on it, time it until the peer acknowledges
 * it (§5.8), tear the tunnel down with a StopCCN (§5.7), and say all of that in `message`.
 * (`{ handle }` instead: a HELLO on a tunnel /start-control kept, in tunnel-object.ts.)
 */
import { MessageType, openTunnel } from 'l2tp-wire';
import { open, tunnelOptions } from './open.js';
import { json, wholeMs } from './reply.js';
import { closeTimeout, remaining, type Target } from './request.js';

export async function hello(t: Target, requestedTunnelId: number): Promise<Response> {
  const { tap, started, connectMs } = await open(t);
  const tunnel = await openTunnel(tap, tunnelOptions(t, started));
  let rtt: number;
  try {
    const acked = tap.nextAck(MessageType.HELLO, remaining(t, started));
    await tunnel.hello();
    rtt = await acked;
  } finally {
    await tunnel.close(undefined, { timeout: closeTimeout(t, started) });
  }
  const teardown = tap.teardown();
  return json({
    // The prober's fields.
    success: true,
    message:
      `Hello ACK received: HELLO acknowledged in ${wholeMs(rtt)} ms on a new tunnel (ours ${tunnel.localTunnelId}, the peer's ${tunnel.peerTunnelId}), ` +
      `then closed with a StopCCN (${teardown === 'StopCCN acknowledged' ? 'acknowledged' : 'not acknowledged'}). ` +
      `tunnelId ${requestedTunnelId} was not used: a peer accepts a HELLO only on a tunnel it set up with the sender (RFC 2661 §6.5).`,
    // Ours.
    localTunnelId: tunnel.localTunnelId,
    assignedTunnelId: tunnel.peerTunnelId,
    requestedTunnelId,
    connectMs,
    rtt: wholeMs(rtt),
    latencyMs: wholeMs(rtt),
    teardown,
  });
}
