/**
 * The listeners of an embedded LNS: `on(event, listener)` and a dispatch that keeps a throwing
 * listener away from the LNS (its exception is rethrown asynchronously, as an unhandled
 * rejection, the way an `EventEmitter` surfaces it).
 * @internal
 */
import type { TunnelAction } from '../fsm/index.js';
import type { DownReason, LnsEvents } from './lns-types.js';

/** Rethrow a user callback's exception outside the LNS. @internal */
export function report(e: unknown): void {
  void Promise.reject(e);
}

/** @internal */
export class LnsEmitter {
  private readonly listeners: { [E in keyof LnsEvents]: Set<(...args: LnsEvents[E]) => void> } = {
    'tunnel-up': new Set(),
    'tunnel-down': new Set(),
    'session-up': new Set(),
    'session-down': new Set(),
    'tunnel-refused': new Set(),
    'half-open-evicted': new Set(),
    'connection-closed': new Set(),
    deviation: new Set(),
    'conformance-report': new Set(),
  };

  on<E extends keyof LnsEvents>(event: E, listener: (...args: LnsEvents[E]) => void): () => void {
    const set = this.listeners[event] as Set<(...args: LnsEvents[E]) => void> | undefined;
    if (set === undefined) throw new TypeError(`unknown LNS event ${String(event)}; one of ${Object.keys(this.listeners).join(', ')}`);
    if (typeof listener !== 'function') throw new TypeError('on(event, listener): listener must be a function');
    set.add(listener);
    return () => void set.delete(listener);
  }

  /** Whether anyone listens to `event` (to skip building what nobody reads). */
  has(event: keyof LnsEvents): boolean {
    return this.listeners[event].size > 0;
  }

  emit<E extends keyof LnsEvents>(event: E, ...args: LnsEvents[E]): void {
    for (const l of this.listeners[event] as Set<(...a: LnsEvents[E]) => void>) {
      try {
        l(...args);
      } catch (e) {
        report(e);
      }
    }
  }
}

/** The `why` of a `tunnel-down`/`session-down` event, from the FSM's action. @internal */
export function why(a: Extract<TunnelAction, { type: 'stopped' | 'session-down' }>): DownReason {
  const d: { -readonly [K in keyof DownReason]: DownReason[K] } = { by: a.by };
  if (a.result !== undefined) d.result = a.result;
  if (a.error !== undefined) d.error = a.error;
  return d;
}
