/**
 * Local misuse is a TypeError or RangeError whose message says what to change: that message is
 * the documented contract, so tests check the class and the exact text.
 */
import { expect } from 'vitest';

/** The error `f` throws; returning fails the test. */
export function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}

/** `f` throws exactly this class (not a subclass) with exactly this message. */
export function expectLocalError(f: () => unknown, cls: typeof TypeError | typeof RangeError, message: string): void {
  const e = thrown(f);
  expect(e.constructor).toBe(cls);
  expect(e.message).toBe(message);
}
