/**
 * The one timer of a driven tunnel: it serves the state machine's `nextDeadline()` and the
 * deadlines of every outstanding wait, so a tunnel holds exactly one `setTimeout`.
 * @internal
 * @module
 */
import { L2tpError } from '../wire/errors.js';
import { Pending, type PendingHooks, type Wait } from './pending.js';
import { MAX_TIMER_DELAY, type AbortSignalLike, type Clock, type Timers } from './platform.js';

/** @internal */
export class TunnelTimer {
  /** Outstanding waits (open, openSession, close). */
  readonly waits = new Set<Wait>();
  private timer: unknown = undefined;
  private timerAt = Infinity;

  constructor(
    private readonly clock: Clock,
    private readonly timers: Timers,
    /** Called when the timer fires, with the waits already expired; re-arms after. */
    private readonly fire: (now: number) => void,
  ) {}

  /** A new wait with a deadline `timeout` from now, served by this timer. */
  pending<T>(what: string, timeout: number, signal: AbortSignalLike | undefined, hooks: PendingHooks<T>, fsmDeadline: () => number | undefined): Pending<T> {
    const p = new Pending<T>(what, this.clock() + timeout, timeout, signal, hooks, (q) => {
      this.waits.delete(q);
    });
    this.waits.add(p);
    if (signal?.aborted) p.giveUp(new L2tpError('ABORTED', `${what} aborted`, undefined, { cause: signal.reason }));
    else this.arm(fsmDeadline());
    return p;
  }

  /**
   * Re-arm at the earliest of the FSM's deadline and the waits' deadlines. `weak`: the timer
   * should not keep the process alive (Node's `unref`, where the timer handle has one).
   */
  arm(fsmDeadline: number | undefined, weak = false): void {
    let d = fsmDeadline ?? Infinity;
    for (const w of this.waits) if (!w.settled && w.failure === undefined && w.deadline < d) d = w.deadline;
    if (d === this.timerAt) return;
    this.clear();
    this.timerAt = d;
    if (d === Infinity) return;
    const delay = Math.min(MAX_TIMER_DELAY, Math.max(0, Math.ceil(d - this.clock())));
    this.timer = this.timers.setTimeout(() => this.onTimer(), delay);
    if (weak) (this.timer as { unref?: () => void } | null)?.unref?.();
  }

  clear(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
  }

  private onTimer(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    this.fire(this.clock());
  }

  /** Expire every wait whose deadline has passed. */
  expireDue(now: number): void {
    for (const w of [...this.waits]) if (w.deadline <= now) w.expire();
  }
}
