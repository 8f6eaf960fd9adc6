import { describe, expect, it } from 'vitest';
import { SESSION_TRANSITIONS, TUNNEL_TRANSITIONS, findTransition, type Transition } from '../../src/fsm/index.js';

function deterministic<S extends string, E extends string>(table: readonly Transition<S, E>[]): string[] {
  const seen = new Map<string, number>();
  const dup: string[] = [];
  table.forEach((t, i) => {
    // One row per (state, event) in each version: a v2-only and a v3-only row may share both.
    for (const v of t.versions ?? [2, 3]) {
      for (const s of t.from) {
        const k = `v${v} ${s}/${t.event}`;
        if (seen.has(k)) dup.push(`${k} (rows ${seen.get(k)} and ${i})`);
        seen.set(k, i);
      }
    }
  });
  return dup;
}

function reachable<S extends string, E extends string>(table: readonly Transition<S, E>[], start: S): Set<S> {
  const r = new Set<S>([start]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const t of table) if (t.from.some((s) => r.has(s)) && !r.has(t.next)) (r.add(t.next), (grew = true));
  }
  return r;
}

describe('transition tables', () => {
  it('the tunnel table has one row per (state, event), and every state is reachable from idle', () => {
    expect(deterministic(TUNNEL_TRANSITIONS)).toEqual([]);
    expect([...reachable(TUNNEL_TRANSITIONS, 'idle')].sort()).toEqual(['closed', 'closing', 'established', 'idle', 'wait-ctl-conn', 'wait-ctl-reply']);
  });

  it('the session table likewise', () => {
    expect(deterministic(SESSION_TRANSITIONS)).toEqual([]);
    expect([...reachable(SESSION_TRANSITIONS, 'idle')].sort()).toEqual(['closed', 'established', 'idle', 'wait-connect', 'wait-reply']);
  });

  it('matches RFC 2661 §7.2.1 on the main path of both roles', () => {
    expect(findTransition(TUNNEL_TRANSITIONS, 'idle', 'open')?.next).toBe('wait-ctl-reply');
    expect(findTransition(TUNNEL_TRANSITIONS, 'wait-ctl-reply', 'recv-SCCRP-acceptable')?.next).toBe('established');
    expect(findTransition(TUNNEL_TRANSITIONS, 'idle', 'recv-SCCRQ-acceptable')?.next).toBe('wait-ctl-conn');
    expect(findTransition(TUNNEL_TRANSITIONS, 'wait-ctl-conn', 'recv-SCCCN-acceptable')?.next).toBe('established');
    expect(findTransition(TUNNEL_TRANSITIONS, 'established', 'close')?.next).toBe('closing');
    expect(findTransition(TUNNEL_TRANSITIONS, 'established', 'recv-StopCCN')?.next).toBe('closing');
    // Nothing leaves closed.
    expect(TUNNEL_TRANSITIONS.filter((t) => t.from.includes('closed')).every((t) => t.next === 'closed')).toBe(true);
  });

  it('every row names its RFC section and action (the diagram is generated from them)', () => {
    for (const t of [...TUNNEL_TRANSITIONS, ...SESSION_TRANSITIONS]) {
      expect(t.action.length).toBeGreaterThan(0);
      // A v3-only row cites RFC 3931; every other row RFC 2661 (whose tables RFC 3931 §7 keeps).
      if (!t.from.includes('closed' as never)) expect(t.rfc).toMatch(t.versions?.every((v) => v === 3) ? /^RFC 3931 §/ : /^RFC 2661 §/);
    }
  });
});
