/// <reference types="node" />
/**
 * The embedded LNS: many L2TPv2 tunnels and sessions at once over UDP (and TCP), each one a
 * responder {@link TunnelFsm}, all behind one socket per protocol and one timer.
 *
 * Routing (RFC 2661 §3.1, §7.2): every message after the SCCRQ carries *our* Tunnel ID in its
 * header, so tunnels are keyed by it — a LAC whose NAT mapping changes keeps its tunnel, and we
 * reply to wherever it now sends from. An SCCRQ has Tunnel ID 0; it is keyed by where it came
 * from and the LAC's Assigned Tunnel ID (§4.4.3), which tells apart LACs behind one NAT and
 * maps a retransmitted SCCRQ to the tunnel it already opened.
 *
 * The trade-off of following the peer's address: any datagram carrying a tunnel's ID moves that
 * tunnel's replies, so someone able to guess a 16-bit Tunnel ID (and spoof nothing else) can
 * divert them. L2TPv2 control messages carry no per-message authentication to check first
 * (RFC 2661 §9.2 leaves packet-level security to the layer below, e.g. IPsec, RFC 3193);
 * counted in `stats.rebinds`.
 * @module
 */
import { TunnelFsm } from '../fsm/index.js';
import { L2tpError } from '../wire/errors.js';
import { StopCcnResult } from '../wire/result-codes.js';
import type { ResultCodeValue } from '../wire/value-codecs.js';
import { AsyncQueue } from './async-queue.js';
import { servePppOnLns } from './lns-ppp.js';
import { report } from './lns-events.js';
import { LnsFronts, openFronts } from './lns-front.js';
import { resolveLnsOptions, tunnelOptions, type Resolved } from './lns-options.js';
import { LnsRouter } from './lns-route.js';
import type { Lns, LnsAddress, LnsEvents, LnsOptions, LnsSession, LnsStats, LnsTunnel } from './lns-types.js';

/** Sessions a `sessions()` iterator holds before dropping the oldest. */
const SESSION_QUEUE = 1024;

/**
 * Start an embedded LNS (RFC 2661 responder) on UDP, and TCP when asked.
 *
 * Resolves once every socket is bound. Rejects with `L2tpError('TRANSPORT')` when a bind fails
 * (nothing is left open), `ABORTED` when `signal` fires first, `TypeError`/`RangeError` for bad
 * options. Nothing a peer sends can throw out of it: malformed messages, unknown Tunnel IDs and
 * SCCRQs over the limits are dropped and counted in {@link Lns.stats}.
 *
 * @example
 * ```ts
 * const lns = await createLns({ hostName: 'lns.example', port: 0, echo: true });
 * lns.on('session-up', (s) => console.log('call', s.id, 'on tunnel', s.tunnel.id));
 * console.log('listening on', lns.address());
 * // …
 * await lns.close();
 * ```
 */
export async function createLns(options: LnsOptions): Promise<Lns> {
  const r = resolveLnsOptions(options);
  const fsmOptions = tunnelOptions(r);
  new TunnelFsm({ ...fsmOptions, localTunnelId: 1 });
  // Checked before any socket opens: a PPP option it refuses leaves nothing bound.
  if (options.ppp !== undefined && options.ppp.addressPool === undefined && options.ppp.peerAddress === undefined) {
    throw new TypeError('createLns: options.ppp needs addressPool or peerAddress');
  }
  const { udp, tcp } = await openFronts(r);
  const lns = new EmbeddedLns(r, fsmOptions, (h) => new LnsFronts(udp, tcp, h));
  if (options.ppp !== undefined) servePppOnLns(lns, options.ppp);
  return lns;
}

/**
 * The LNS proper: its public API and shutdown. Its layers, each in its own module: state and the
 * one timer (lns-state), FSM driving (lns-drive), SCCRQ admission (lns-sccrq), routing (lns-route).
 * @internal
 */
class EmbeddedLns extends LnsRouter implements Lns {
  constructor(
    r: Resolved,
    fsmOptions: Omit<ConstructorParameters<typeof TunnelFsm>[0], 'localTunnelId'>,
    fronts: (h: ConstructorParameters<typeof LnsFronts>[2]) => LnsFronts,
  ) {
    super(r, fsmOptions, fronts);
  }

  // ------------------------------------------------------------------------------------------
  // Public API

  address(): LnsAddress {
    return this.fronts.address();
  }

  get stats(): LnsStats {
    const t = this.table;
    return {
      ...this.c,
      tunnels: t.size,
      halfOpen: t.halfOpen,
      established: t.established,
      lingering: t.size - t.halfOpen - t.established,
      sessions: t.sessions,
      deadlines: this.timer.entries,
      timers: this.timer.armed,
      connections: this.fronts.connections,
    };
  }

  get closed(): boolean {
    return this.closing !== undefined;
  }

  tunnels(): LnsTunnel[] {
    return this.table.all();
  }

  sessions(): AsyncIterableIterator<LnsSession> {
    const q: AsyncQueue<LnsSession> = new AsyncQueue(SESSION_QUEUE, () => this.sessionQueues.delete(q));
    if (this.closing !== undefined) q.end();
    else this.sessionQueues.add(q);
    return q;
  }

  on<E extends keyof LnsEvents>(event: E, listener: (...args: LnsEvents[E]) => void): () => void {
    return this.events.on(event, listener);
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    // Error Code 0 ("no general error") must precede the message (RFC 2661 §4.4.2).
    const bye: ResultCodeValue = { result: StopCcnResult.ShuttingDown, error: 0, message: 'LNS is being shut down' };
    for (const t of this.table.all()) {
      // Tunnels already closing (StopCCN sent or received) only linger; nobody waits on them.
      if (t.state === 'closing') continue;
      t.bye = true;
      try {
        t.close(bye);
      } catch (e) {
        report(e);
      }
    }
    if (this.r.closeTimeout > 0 && this.pendingAcks() > 0) {
      await new Promise<void>((res) => {
        const limit = setTimeout(done, this.r.closeTimeout);
        const self = this;
        function done() {
          clearTimeout(limit);
          self.ackWaiter = undefined;
          res();
        }
        this.ackWaiter = () => {
          if (this.pendingAcks() === 0) done();
        };
      });
    }
    for (const t of this.table.all()) this.discard(t, new L2tpError('TRANSPORT', 'the LNS closed'));
    this.timer.clear();
    for (const q of this.sessionQueues) q.end();
    this.sessionQueues.clear();
    await this.fronts.close();
  }

  /** Tunnels whose StopCCN (sent by `close()`) is not acknowledged yet. */
  private pendingAcks(): number {
    let n = 0;
    for (const t of this.table.values()) if (t.bye && !t.stopAcked && t.fsm.state === 'closing') n++;
    return n;
  }
}
