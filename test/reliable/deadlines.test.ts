/** The Sequencer's deadline helpers: `undefined` is "no deadline", later than any time. */
import { expect, it } from 'vitest';
import { earlier, later } from '../../src/reliable/deadlines.js';

it('earlier() takes the sooner deadline, undefined only when both are none; later() never goes back', () => {
  expect(earlier(undefined, undefined)).toBeUndefined();
  expect(earlier(5, undefined)).toBe(5);
  expect(earlier(undefined, 7)).toBe(7);
  expect(earlier(9, 3)).toBe(3);
  expect(earlier(-2, 0)).toBe(-2); // any clock: negative times are times, not "none"
  expect(later(undefined, 4)).toBe(4);
  expect(later(10, 4)).toBe(10);
  expect(later(1, 4)).toBe(4);
});
