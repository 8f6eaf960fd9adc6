/**
 * A minimal async responder (LNS side) for driver tests: one responder-role TunnelFsm bound to a
 * Transport and one timer, written independently of src/client so the driver is tested against
 * something it does not share code with. Echoes PPP frames by default.
 */
import type { Transport } from '../../src/client/transport.js';
import { TunnelFsm, type TunnelAction, type TunnelEvent, type TunnelOptions } from '../../src/fsm/index.js';
import { seededRandom } from '../fsm/harness.js';

export interface ResponderOptions extends Partial<TunnelOptions> {
  /** Send every received PPP frame back on its session. Default true. */
  echo?: boolean;
  /** Millisecond clock (Date.now under fake timers). Default performance.now. */
  clock?: () => number;
  /** Seed of the responder's random bytes. Default 99. */
  seed?: number;
}

export class Responder {
  readonly fsm: TunnelFsm;
  /** Every action, in order. */
  readonly actions: TunnelAction[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly clock: () => number;
  private readonly echo: boolean;
  private waiters: Array<{ type: TunnelAction['type']; resolve: (a: TunnelAction) => void }> = [];

  constructor(
    readonly transport: Transport,
    o: ResponderOptions = {},
  ) {
    const { echo = true, clock = () => performance.now(), seed = 99, ...fsm } = o;
    this.clock = clock;
    this.echo = echo;
    this.fsm = new TunnelFsm({ hostName: 'lns.test', random: seededRandom(seed), vendorName: 'responder', firmwareRevision: 0x0690, ...fsm });
    transport.onMessage((bytes) => this.do({ type: 'received', bytes }));
  }

  /** Feed one event now and carry out the actions. */
  do(event: TunnelEvent): TunnelAction[] {
    if (this.fsm.state === 'closed' && event.type !== 'received') return [];
    const acts = this.fsm.handle(event, this.clock());
    for (const a of acts) {
      this.actions.push(a);
      if (a.type === 'send') this.transport.send(a.bytes).catch(() => {});
      if (a.type === 'frame' && this.echo) this.do({ type: 'sendFrame', sessionId: a.sessionId, frame: a.payload });
      for (const w of this.waiters.filter((x) => x.type === a.type)) w.resolve(a);
      this.waiters = this.waiters.filter((x) => x.type !== a.type);
    }
    this.arm();
    return acts;
  }

  /** The first action of `type` from now on (or already seen, with `past`). */
  next<T extends TunnelAction['type']>(type: T, past = false): Promise<Extract<TunnelAction, { type: T }>> {
    if (past) {
      const seen = this.actions.find((a) => a.type === type);
      if (seen) return Promise.resolve(seen as Extract<TunnelAction, { type: T }>);
    }
    return new Promise((resolve) => this.waiters.push({ type, resolve: resolve as (a: TunnelAction) => void }));
  }

  of<T extends TunnelAction['type']>(type: T): Extract<TunnelAction, { type: T }>[] {
    return this.actions.filter((a) => a.type === type) as Extract<TunnelAction, { type: T }>[];
  }

  private arm(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const d = this.fsm.nextDeadline();
    if (d === undefined || this.fsm.state === 'closed') return;
    this.timer = setTimeout(() => this.do({ type: 'tick' }), Math.max(0, Math.ceil(d - this.clock())));
  }

  /** Stop the timer and close the transport. */
  async stop(): Promise<void> {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    await this.transport.close();
  }
}
