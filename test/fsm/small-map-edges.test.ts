/**
 * SmallMap with `undefined` as a key, which the property test (keys 0–3) never draws: the empty
 * map holds no entry for it, as an empty Map holds none (its one-entry fields start undefined).
 */
import { expect, it } from 'vitest';
import { SmallMap } from '../../src/fsm/small-map.js';

it('an empty SmallMap has no entry for the key undefined: delete says false, as Map.delete does', () => {
  const m = new SmallMap<number | undefined, object>();
  expect(m.delete(undefined)).toBe(new Map<number | undefined, object>().delete(undefined));
  expect(m.delete(undefined)).toBe(false);
  expect(m.get(undefined)).toBeUndefined();
  expect(m.size).toBe(0);
});
