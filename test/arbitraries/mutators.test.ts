/**
 * Every mutator's output is what its label promises: `parse-error` mutations are rejected by
 * parseControl with one of the rule's error codes; `peer-teardown` and `ignored` ones parse, and
 * carry exactly the flaw an FSM must act on (checked with the FSM's own rules where it has them).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MUTATORS, RULES, controlMessageArb, mutationArb, zlbArb, type MutatedMessage, type RuleId } from '../../src/arbitraries.js';
import { mandatoryProblem } from '../../src/fsm/checks.js';
import { L2tpError, messageDef, parseControl, type ControlMessage } from '../../src/index.js';
import { runs } from '../runs.js';

const RUNS = runs(1000);
const SECRET = 'l2tp-wire-test-secret';

const messages = fc.oneof(
  { weight: 4, arbitrary: controlMessageArb().map((g) => g.bytes) },
  { weight: 2, arbitrary: controlMessageArb({ secret: SECRET }).map((g) => g.bytes) },
  { weight: 1, arbitrary: zlbArb().map((g) => g.bytes) },
);

/** Typed view of a message without `avps` (for "nothing else changed" comparisons). */
function typed(m: ControlMessage): Record<string, unknown> {
  const { avps: _avps, length: _length, ...rest } = m.toJSON();
  return rest;
}

function parse(b: Uint8Array): ControlMessage {
  return parseControl(b, { secret: SECRET });
}

/** Asserts for the rules a parser accepts: what the FSM must see in the parsed message. */
const ACCEPTED: Partial<Record<RuleId, (m: ControlMessage, original: ControlMessage, mut: MutatedMessage) => void>> = {
  'header-reserved-bits': (m, o) => expect(m.toJSON()).toEqual(o.toJSON()),
  'unknown-ignorable-avp': (m, o) => {
    expect(typed(m)).toEqual(typed(o));
    expect(mandatoryProblem(m, true)).toEqual(mandatoryProblem(o, true));
  },
  'vendor-avp-ietf-collision': (m, o) => {
    // The IETF AVP of the same type is untouched: AVPs are keyed on (vendor, type).
    expect(typed(m)).toEqual(typed(o));
    expect(m.avps.length).toBe(o.avps.length + 1);
    expect(mandatoryProblem(m, true)).toEqual(mandatoryProblem(o, true));
  },
  'unknown-mandatory-avp': (m) => expect(mandatoryProblem(m, true)?.error).toBe(8),
  'avp-reserved-bits': (m, _o, mut) => {
    const flagged = m.avps.filter((a) => a.reserved !== undefined);
    expect(flagged).toHaveLength(1);
    if (mut.expect === 'peer-teardown') {
      expect(flagged[0]!.mandatory).toBe(true);
      expect(mandatoryProblem(m, true)?.error).toBe(8);
    } else {
      expect(flagged[0]!.mandatory).toBe(false);
    }
  },
  'unknown-message-type': (m) => {
    expect(messageDef(m.type)).toBeUndefined();
    expect(m.avps[0]!.mandatory).toBe(true);
  },
  'zero-assigned-id': (m) => expect(m.assignedTunnelId === 0 || m.assignedSessionId === 0).toBe(true),
  'ns-out-of-window': (m, o) => {
    const d = (m.ns - o.ns) & 0xffff;
    // Either at least a window (4) ahead, or behind (the upper half of the sequence space, §5.8).
    expect(d >= 4).toBe(true);
    expect({ ...m.toJSON(), ns: o.ns }).toEqual(o.toJSON());
  },
  'nr-out-of-window': (m, o) => {
    const d = (m.nr - o.nr) & 0xffff;
    expect(d >= 1 && d <= 0x7fff).toBe(true);
  },
};

describe('mutators do what their label says', () => {
  it.each(MUTATORS.map((m) => [m.rule.id]))('%s', (id) => {
    const rule = RULES[id as RuleId];
    let applied = 0;
    fc.assert(
      fc.property(mutationArb(messages, { rules: [id as RuleId], secret: SECRET }), (mut) => {
        applied++;
        expect(mut.rule).toBe(rule);
        expect(mut.bytes).not.toEqual(mut.original);
        if (mut.expect === 'parse-error') {
          let err: unknown;
          try {
            parse(mut.bytes);
          } catch (e) {
            err = e;
          }
          expect(err, mut.detail).toBeInstanceOf(L2tpError);
          expect(rule.errorCodes, `${mut.detail}: ${(err as Error).message}`).toContain((err as L2tpError).code);
          return;
        }
        const check = ACCEPTED[rule.id];
        expect(check, `rule ${rule.id} needs an assertion here`).toBeDefined();
        check!(parse(mut.bytes), parse(mut.original), mut);
      }),
      { numRuns: RUNS },
    );
    expect(applied).toBe(RUNS);
  });

  it('each rule always gives the same kind of expectation (reserved bits: by M bit)', () => {
    fc.assert(
      fc.property(mutationArb(messages, { secret: SECRET }), (mut) => {
        const parseRule = mut.rule.errorCodes !== undefined;
        expect(mut.expect === 'parse-error').toBe(parseRule);
      }),
      { numRuns: RUNS },
    );
  });

  it('hidden-AVP rules need the secret and are skipped without it', () => {
    fc.assert(
      fc.property(mutationArb(messages), (mut) => {
        expect(mut.rule.id).not.toMatch(/^hidden-/);
      }),
      { numRuns: 300 },
    );
  });
});

it('docs/fuzzing.md lists every rule with its section', async () => {
  const { readFileSync } = await import('node:fs');
  const doc = readFileSync(new URL('../../docs/fuzzing.md', import.meta.url), 'utf8');
  for (const r of Object.values(RULES)) expect(doc).toContain(`| \`${r.id}\` | ${r.section} |`);
});
