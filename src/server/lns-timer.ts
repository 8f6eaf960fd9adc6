/**
 * The one timer of an embedded LNS: a {@link DeadlineQueue} of owners (tunnels) behind a single
 * `setTimeout`, re-armed for the earliest deadline. A thousand tunnels cost one timer.
 * @internal
 */
import { DeadlineQueue, type DeadlineOwner } from './deadline-queue.js';

/** @internal */
export class LnsTimer<T extends DeadlineOwner> {
  private readonly queue = new DeadlineQueue<T>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerAt = Infinity;

  /**
   * @param now - the clock deadlines are read on (milliseconds).
   * @param onDue - called with every owner whose deadline has passed (their `due` cleared).
   */
  constructor(
    readonly now: () => number,
    private readonly onDue: (owners: T[]) => void,
  ) {}

  /** Owners with a deadline. */
  get entries(): number {
    return this.queue.size;
  }

  /** Timers armed: 0 or 1. */
  get armed(): number {
    return this.timer === undefined ? 0 : 1;
  }

  /** Set (or with `undefined` clear) an owner's deadline. */
  set(owner: T, at: number | undefined): void {
    this.queue.set(owner, at);
    this.arm();
  }

  /** Clear an owner's deadline without re-arming (it is going away). */
  drop(owner: T): void {
    this.queue.set(owner, undefined);
  }

  /** Forget every entry and stop the timer. */
  clear(): void {
    this.queue.clear();
    this.disarm();
  }

  private arm(): void {
    const at = this.queue.peek();
    if (at === undefined) return this.disarm();
    if (this.timer !== undefined && this.timerAt <= at) return;
    this.disarm();
    this.timerAt = at;
    this.timer = setTimeout(() => this.fire(), Math.max(0, Math.ceil(at - this.now())));
  }

  private disarm(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
  }

  private fire(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    this.onDue(this.queue.popDue(this.now()));
    this.arm();
  }
}
