/**
 * SmallMap (the session tables' one-entry map, issue 16) against the built-in Map as the oracle:
 * every sequence of set/delete/clear over a few keys leaves both with the same size, lookups and
 * insertion-ordered iteration, and both answer every call alike.
 */
import { expect, it } from 'vitest';
import fc from 'fast-check';
import { SmallMap } from '../../src/fsm/small-map.js';
import { runs } from '../runs.js';

type Op = { op: 'set'; k: number; v: number } | { op: 'delete'; k: number } | { op: 'clear' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant('set' as const), k: fc.integer({ min: 0, max: 3 }), v: fc.integer() }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('delete' as const), k: fc.integer({ min: 0, max: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('clear' as const) }) },
);

it('behaves as a Map under any sequence of set, delete and clear', () => {
  fc.assert(
    fc.property(fc.array(opArb, { maxLength: 40 }), (ops) => {
      const small = new SmallMap<number, { v: number }>();
      const oracle = new Map<number, { v: number }>();
      for (const o of ops) {
        if (o.op === 'set') {
          const value = { v: o.v };
          expect(small.set(o.k, value)).toBe(small);
          oracle.set(o.k, value);
        } else if (o.op === 'delete') expect(small.delete(o.k)).toBe(oracle.delete(o.k));
        else {
          small.clear();
          oracle.clear();
        }
        expect(small.size).toBe(oracle.size);
        for (let k = 0; k <= 3; k++) {
          expect(small.get(k)).toBe(oracle.get(k));
          expect(small.has(k)).toBe(oracle.has(k));
        }
        expect([...small.keys()]).toEqual([...oracle.keys()]);
        expect([...small.values()]).toEqual([...oracle.values()]);
      }
    }),
    { numRuns: runs(300) },
  );
});

it('keeps insertion order when a second entry makes it a Map', () => {
  const m = new SmallMap<number, { v: number }>();
  const a = { v: 1 };
  const b = { v: 2 };
  m.set(9, a).set(3, b);
  expect([...m.keys()]).toEqual([9, 3]);
  expect([...m.values()]).toEqual([a, b]);
  expect(m.delete(9)).toBe(true);
  expect(m.delete(3)).toBe(true);
  expect(m.size).toBe(0);
  expect([...m.values()]).toEqual([]);
});
