/**
 * A minimal LAC for the LNS tests: an initiator TunnelFsm bound to a Transport and one real
 * timer — the driver loop written out small, independent of `src/client/`. Every action is
 * logged so tests can wait for one.
 */
import type { Transport } from '../../src/client/transport.js';
import { TunnelFsm, type TunnelAction, type TunnelEvent, type TunnelOptions } from '../../src/fsm/index.js';

type Act<T extends TunnelAction['type']> = Extract<TunnelAction, { type: T }>;

export class RawLac {
  readonly fsm: TunnelFsm;
  readonly log: TunnelAction[] = [];
  /** PPP frames received per local session ID. */
  readonly frames = new Map<number, Uint8Array[]>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private waiters: { pred: (a: TunnelAction) => boolean; res: (a: TunnelAction) => void }[] = [];
  private t0 = performance.now();

  constructor(
    public transport: Transport,
    options: Partial<TunnelOptions> = {},
  ) {
    this.fsm = new TunnelFsm({
      hostName: 'raw-lac.test',
      random: (n) => crypto.getRandomValues(new Uint8Array(n)),
      sequencer: { closeLinger: 200 },
      ...options,
      dataWithLength: transport.kind === 'stream',
    });
    this.listen(transport);
  }

  private listen(t: Transport): void {
    t.onMessage((m) => {
      if (t === this.transport) this.do({ type: 'received', bytes: m });
    });
    t.onError(() => {});
  }

  /** Send from now on through another transport (a NAT rebinding, as the LNS sees it). */
  rebind(t: Transport): void {
    this.transport = t;
    this.listen(t);
  }

  do(event: TunnelEvent): TunnelAction[] {
    const acts = this.fsm.handle(event, performance.now() - this.t0);
    for (const a of acts) {
      this.log.push(a);
      if (a.type === 'send') void this.transport.send(a.bytes).catch(() => {});
      if (a.type === 'frame') {
        const l = this.frames.get(a.sessionId) ?? [];
        l.push(a.payload.slice());
        this.frames.set(a.sessionId, l);
      }
      for (const w of [...this.waiters]) {
        if (w.pred(a)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.res(a);
        }
      }
    }
    this.arm();
    return acts;
  }

  private arm(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const d = this.fsm.nextDeadline();
    if (d === undefined || this.fsm.state === 'closed') return;
    this.timer = setTimeout(() => this.do({ type: 'tick' }), Math.max(0, d - (performance.now() - this.t0)));
  }

  /** The first logged (or future) action matching `pred`; rejects after `ms`. */
  waitFor<T extends TunnelAction['type']>(type: T, pred: (a: Act<T>) => boolean = () => true, ms = 5000): Promise<Act<T>> {
    const p = (a: TunnelAction) => a.type === type && pred(a as Act<T>);
    const found = this.log.find(p);
    if (found) return Promise.resolve(found as Act<T>);
    return new Promise((res, rej) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.res !== done);
        rej(new Error(`RawLac: no ${type} within ${ms} ms (state ${this.fsm.state}; log: ${this.log.map((a) => a.type).join(',')})`));
      }, ms);
      const done = (a: TunnelAction) => {
        clearTimeout(timer);
        res(a as Act<T>);
      };
      this.waiters.push({ pred: p, res: done });
    });
  }

  async open(): Promise<Act<'established'>> {
    this.do({ type: 'open' });
    return Promise.race([this.waitFor('established'), this.waitFor('stopped').then((s) => Promise.reject(new Error(`stopped: ${s.error?.message ?? JSON.stringify(s.result)}`)))]);
  }

  /** Place an incoming call (ICRQ → ICRP → ICCN); resolves with our Session ID once up. */
  async call(): Promise<number> {
    const opening = this.do({ type: 'openSession', call: { kind: 'incoming' } }).find((a) => a.type === 'session-opening') as Act<'session-opening'>;
    await this.waitFor('session-up', (a) => a.sessionId === opening.sessionId);
    return opening.sessionId;
  }

  send(sessionId: number, frame: Uint8Array): void {
    this.do({ type: 'sendFrame', sessionId, frame });
  }

  hangUp(sessionId: number): void {
    this.do({ type: 'closeSession', sessionId });
  }

  /** StopCCN, then wait for the FSM to finish (its linger is short here), then close the transport. */
  async close(): Promise<void> {
    if (this.fsm.state !== 'closed') {
      this.do({ type: 'close' });
      await this.waitFor('closed', () => true, 10_000);
    }
    this.dispose();
    await this.transport.close();
  }

  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
