/**
 * The few runtime facilities the driver needs — timers, a monotonic clock, random bytes, abort
 * signals — reached through `globalThis` with minimal structural types, so `src/client` compiles
 * with no DOM or Node typings and runs on Node, Deno, Bun, Workers and browsers alike.
 * @module
 */

/**
 * The part of `AbortSignal` the driver uses. Every runtime's `AbortSignal` fits; so does any
 * object with the same members (tests use the real one).
 */
export interface AbortSignalLike {
  readonly aborted: boolean;
  readonly reason?: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** Timer functions, as `globalThis` has them. Injectable for tests (a virtual clock). */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** A monotonic clock in milliseconds (`performance.now()` by default). */
export type Clock = () => number;

interface Host {
  setTimeout?: (callback: () => void, ms: number) => unknown;
  clearTimeout?: (handle: unknown) => void;
  performance?: { now(): number };
  crypto?: { getRandomValues<T extends Uint8Array>(array: T): T };
}

const host = globalThis as unknown as Host;

/** The runtime's own `setTimeout`/`clearTimeout` (looked up at call time, so fake timers apply). */
export const globalTimers: Timers = {
  setTimeout(callback, ms) {
    if (typeof host.setTimeout !== 'function') throw new TypeError('this runtime has no global setTimeout; pass options.timers');
    return host.setTimeout(callback, ms);
  },
  clearTimeout(handle) {
    host.clearTimeout?.(handle);
  },
};

/** `performance.now()` where the runtime has it (every supported one does), else `Date.now()`. */
export const globalClock: Clock = () => (host.performance !== undefined ? host.performance.now() : Date.now());

/** Random bytes from `crypto.getRandomValues` (Web Crypto: global in every supported runtime). */
export function globalRandom(n: number): Uint8Array {
  const c = host.crypto;
  if (c === undefined || typeof c.getRandomValues !== 'function') {
    throw new TypeError('this runtime has no global crypto.getRandomValues; pass options.random');
  }
  return c.getRandomValues(new Uint8Array(n));
}

/** Longest delay `setTimeout` accepts everywhere (2^31 − 1 ms); longer waits are re-armed. */
export const MAX_TIMER_DELAY = 0x7fffffff;
