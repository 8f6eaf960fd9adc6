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
