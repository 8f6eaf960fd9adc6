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

/** Bytes drawn from the runtime per refill of the random pool. */
const POOL_SIZE = 4096;
/** Draws larger than this skip the pool (they are rare: none per tunnel). */
const POOL_MAX_DRAW = 256;
let pool: Uint8Array | undefined;
let poolOffset = POOL_SIZE;

/**
 * Random bytes from `crypto.getRandomValues` (Web Crypto: global in every supported runtime),
 * drawn in batches: one call fills a 4 KiB pool, and each request gets a fresh copy of the next
 * unused bytes, which are then zeroed in the pool (nothing handed out stays behind). A tunnel
 * needs a few bytes at a time (a 2-byte ID, a 16-byte challenge or Random Vector), and one
 * `getRandomValues` per request was 4.5 % of an LNS's CPU. Draws over 256 bytes go straight to
 * the runtime. The bytes are the runtime's CSPRNG output either way.
 */
export function globalRandom(n: number): Uint8Array {
  const c = host.crypto;
  if (c === undefined || typeof c.getRandomValues !== 'function') {
    throw new TypeError('this runtime has no global crypto.getRandomValues; pass options.random');
  }
  if (!(n <= POOL_MAX_DRAW)) return c.getRandomValues(new Uint8Array(n));
  if (pool === undefined || poolOffset + n > POOL_SIZE) {
    pool ??= new Uint8Array(POOL_SIZE);
    c.getRandomValues(pool);
    poolOffset = 0;
  }
  const end = poolOffset + n;
  const out = pool.slice(poolOffset, end);
  pool.fill(0, poolOffset, end);
  poolOffset = end;
  return out;
}

/** Longest delay `setTimeout` accepts everywhere (2^31 − 1 ms); longer waits are re-armed. */
export const MAX_TIMER_DELAY = 0x7fffffff;
