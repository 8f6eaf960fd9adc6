/**
 * A tiny typed event emitter (isomorphic: no `node:events`). A listener that throws does not
 * break the driver: the exception is rethrown asynchronously as an unhandled rejection, the way
 * the transports report a throwing handler (see `Transport`).
 * @module
 */

/** Map of event name to the listener's argument list. */
export type EventMap = { [event: string]: unknown[] };

type Listener = (...args: unknown[]) => void;

/** Subscribe to and emit typed events. */
export class Emitter<E extends EventMap> {
  private readonly listeners = new Map<keyof E, Listener[]>();

  /** Call `listener` on every `event`. Returns a function that unsubscribes it. */
  on<K extends keyof E>(event: K, listener: (...args: E[K]) => void): () => void {
    if (typeof listener !== 'function') throw new TypeError(`on(${String(event)}, listener): listener must be a function, got ${typeof listener}`);
    const list = this.listeners.get(event);
    const l = listener as unknown as Listener;
    if (list === undefined) this.listeners.set(event, [l]);
    else list.push(l);
    return () => this.off(event, listener);
  }

  /** Call `listener` on the next `event` only. Returns a function that unsubscribes it. */
  once<K extends keyof E>(event: K, listener: (...args: E[K]) => void): () => void {
    const off = this.on(event, (...args: E[K]) => {
      off();
      listener(...args);
    });
    return off;
  }

  /** Remove a listener added with {@link on}. */
  off<K extends keyof E>(event: K, listener: (...args: E[K]) => void): void {
    const list = this.listeners.get(event);
    if (list === undefined) return;
    const i = list.indexOf(listener as unknown as Listener);
    if (i >= 0) list.splice(i, 1);
  }

  /** Whether anyone listens to `event`. @internal */
  has(event: keyof E): boolean {
    return (this.listeners.get(event)?.length ?? 0) > 0;
  }

  /** Call every listener of `event`, in subscription order. @internal */
  emit<K extends keyof E>(event: K, ...args: E[K]): void {
    const list = this.listeners.get(event);
    if (list === undefined || list.length === 0) return;
    for (const l of list.slice()) {
      try {
        l(...(args as unknown[]));
      } catch (e) {
        void Promise.reject(e);
      }
    }
  }

  /** Drop every listener (after the last event). @internal */
  clear(): void {
    this.listeners.clear();
  }
}
