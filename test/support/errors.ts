import { expect } from 'vitest';
import { L2tpError } from '../../src/wire/errors.js';

/**
 * The `L2tpError` code `f` throws, or `undefined` when it returns. Any other exception is
 * rethrown, so a parser that throws something else fails the test.
 */
export function code(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof L2tpError) return e.code;
    throw e;
  }
  return undefined;
}

/**
 * The `L2tpError` that `f` throws. Returning, or throwing anything else, fails the test: the
 * assertions on the error's code, offset and message that follow are always reached.
 */
export function l2tpError(f: () => unknown): L2tpError {
  let caught: unknown;
  try {
    f();
  } catch (e) {
    caught = e;
  }
  expect(caught, 'expected an L2tpError').toBeInstanceOf(L2tpError);
  return caught as L2tpError;
}

/**
 * Asserts that `f` throws an `L2tpError` with exactly this `code` and `offset`, and a message
 * that is `reason` followed by the offset (the form the constructor gives: `… (at byte N)`), so a
 * reader of the error is told what was wrong and where.
 */
export function expectL2tpError(f: () => unknown, want: { code: string; offset: number; reason: string }): void {
  const e = l2tpError(f);
  expect({ code: e.code, offset: e.offset, message: e.message }).toEqual({
    code: want.code,
    offset: want.offset,
    message: `${want.reason} (at byte ${want.offset})`,
  });
}
