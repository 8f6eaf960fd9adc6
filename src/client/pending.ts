/**
 * One outstanding wait of the driver (opening a tunnel or a session, closing): a promise with a
 * deadline and an optional AbortSignal. The tunnel's single timer serves every deadline, so a
 * tunnel holds exactly one `setTimeout` however many waits are outstanding.
 * @internal
 * @module
 */
import type { L2tpError } from '../wire/errors.js';
import { abortError, timeoutError } from './driver-errors.js';
import type { AbortSignalLike } from './platform.js';

/** What a wait does when its time runs out, its signal aborts, or the tunnel is released. @internal */
export interface PendingHooks<T> {
  /** Called once, with `TIMEOUT` or `ABORTED`: undo what the wait started (it may settle later). */
  giveUp(pending: Pending<T>, error: L2tpError): void;
  /** The tunnel is gone: settle now (default: reject with `failure` or `fallback()`). */
  released?(pending: Pending<T>): void;
}

/** What the tunnel's timer needs from any wait, whatever it resolves with. @internal */
export interface Wait {
  readonly deadline: number;
  readonly settled: boolean;
  readonly failure: L2tpError | undefined;
  expire(): void;
  release(fallback: () => L2tpError): void;
}

/** @internal */
export class Pending<T> implements Wait {
  readonly promise: Promise<T>;
  /** Why this wait gave up, once it has. */
  failure: L2tpError | undefined;
  settled = false;
  private res!: (v: T) => void;
  private rej!: (e: unknown) => void;
  private readonly onAbort: (() => void) | undefined;

  constructor(
    readonly what: string,
    /** Absolute time (driver clock) of the timeout. */
    readonly deadline: number,
    private readonly timeout: number,
    private readonly signal: AbortSignalLike | undefined,
    private readonly hooks: PendingHooks<T>,
    private readonly done: (p: Pending<T>) => void,
  ) {
    this.promise = new Promise<T>((res, rej) => {
      this.res = res;
      this.rej = rej;
    });
    if (signal !== undefined) {
      this.onAbort = () => this.giveUp(abortError(what, signal.reason));
      signal.addEventListener('abort', this.onAbort, { once: true });
    }
  }

  /** Deadline passed. */
  expire(): void {
    this.giveUp(timeoutError(this.what, this.timeout));
  }

  giveUp(error: L2tpError): void {
    if (this.settled || this.failure !== undefined) return;
    this.failure = error;
    this.hooks.giveUp(this, error);
  }

  /** The tunnel was released with this wait outstanding. */
  release(fallback: () => L2tpError): void {
    if (this.settled) return;
    if (this.hooks.released !== undefined) this.hooks.released(this);
    else this.reject(this.failure ?? fallback());
  }

  resolve(value: T): void {
    if (this.settle()) this.res(value);
  }

  reject(error: unknown): void {
    if (this.settle()) this.rej(error);
  }

  private settle(): boolean {
    if (this.settled) return false;
    this.settled = true;
    if (this.onAbort !== undefined) this.signal!.removeEventListener('abort', this.onAbort);
    this.done(this);
    return true;
  }
}
