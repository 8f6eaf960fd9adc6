/**
 * One kept tunnel, in a Durable Object: /start-control with `keep: true` opens it, /hello with
 * its `handle` sends a HELLO on it, /stop-control ends it.
 *
 * Why a Durable Object: a socket belongs to the request that opened it — another request may not
 * touch it ("Cannot perform I/O on behalf of a different request"). A Durable Object outlives
 * requests, so the tunnel /start-control opened is the one /hello talks on (its own HELLO timer
 * keeps running too, RFC 2661 §6.5).
 */
import { L2tpError, MessageType, openTunnel, type Tunnel } from 'l2tp-wire';
import { open, tunnelOptions } from './open.js';
import { failure, json, ms, wholeMs } from './reply.js';
import { BadRequest, readTarget } from './request.js';
import { replyFields } from './start-control.js';
import type { Tap } from './tap.js';

export class L2tpTunnel {
  private tunnel: Tunnel | undefined;
  private tap: Tap | undefined;

  async fetch(request: Request): Promise<Response> {
    const route = new URL(request.url).pathname.slice(1);
    const fields = (await request.json()) as Record<string, unknown>;
    const handle = fields.handle as string;
    try {
      if (route === 'start-control') return await this.start(readTarget('start-control', fields), handle);
      const tunnel = this.tunnel;
      if (!tunnel || tunnel.state !== 'established') {
        const why = tunnel ? `the tunnel is ${tunnel.state}${tunnel.stop?.error ? `: ${tunnel.stop.error.message}` : ''}` : 'no tunnel for this handle';
        return json({ success: false, handle, error: why, code: 'NO_TUNNEL' }, 404);
      }
      if (route === 'stop-control') {
        await tunnel.close(undefined, { timeout: 5000 });
        this.tunnel = undefined;
        return json({ success: true, handle, tunnelId: tunnel.localTunnelId, teardown: this.tap!.teardown() });
      }
      return await this.hello(tunnel, fields, handle);
    } catch (e) {
      return failure(e);
    }
  }

  private async start(t: ReturnType<typeof readTarget>, handle: string): Promise<Response> {
    if (this.tunnel) throw new BadRequest('this handle already has a tunnel');
    const opened = await open(t);
    this.tap = opened.tap;
    let tunnel: Tunnel;
    try {
      tunnel = await openTunnel(opened.tap, tunnelOptions(t, opened.started));
    } catch (e) {
      // The peer answered but refused (a StopCCN), or we refused its SCCRP: the prober reports
      // that as HTTP 200, success false. No answer at all is its 500.
      if (opened.tap.firstReply === undefined || !(e instanceof L2tpError) || ['TIMEOUT', 'TRANSPORT', 'ABORTED'].includes(e.code)) throw e;
      return json({ success: false, ...replyFields(opened), error: e.message, code: e.code, teardown: opened.tap.teardown() });
    }
    this.tunnel = tunnel;
    const { hostName: peerHostname, vendorName, firmwareRevision, challenged } = tunnel.peer;
    return json({
      success: true,
      ...replyFields(opened),
      // Ours.
      handle,
      localTunnelId: tunnel.localTunnelId,
      assignedTunnelId: tunnel.peerTunnelId,
      peerHostname,
      vendorName,
      firmwareRevision,
      challenged,
      connectMs: opened.connectMs,
      rtt: ms(tunnel.rtt),
    });
  }

  private async hello(tunnel: Tunnel, fields: Record<string, unknown>, handle: string): Promise<Response> {
    const { timeout = 10_000 } = fields;
    if (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout <= 0) throw new BadRequest('"timeout" must be a number of milliseconds above 0');
    const acked = this.tap!.nextAck(MessageType.HELLO, Math.ceil(timeout));
    await tunnel.hello();
    const rtt = await acked;
    return json({
      success: true,
      message: `Hello ACK received: HELLO acknowledged in ${wholeMs(rtt)} ms on the kept tunnel (ours ${tunnel.localTunnelId}, the peer's ${tunnel.peerTunnelId}), which stays up.`,
      handle,
      tunnelId: tunnel.localTunnelId,
      assignedTunnelId: tunnel.peerTunnelId,
      rtt: wholeMs(rtt),
      latencyMs: wholeMs(rtt),
    });
  }
}
