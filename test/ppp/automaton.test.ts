import { describe, expect, it } from 'vitest';
import { Automaton, AUTOMATON_STATES, AUTOMATON_TRANSITIONS, automatonTransition } from '../../src/ppp/automaton.js';

describe('RFC 1661 §4.1 state transition table', () => {
  it('has the RFC\'s shape: 16 events × 10 states, 120 defined cells', () => {
    // Counted from the RFC's table: Up 2, Down 8, Open 10, Close 10, TO± 5 each, RCR± RCA RCN 8 each,
    // RTR RTA RUC RXJ± RXR 8 each.
    expect(AUTOMATON_TRANSITIONS).toHaveLength(2 + 8 + 10 + 10 + 5 + 5 + 8 * 10);
    expect(new Set(AUTOMATON_TRANSITIONS.map((t) => t.event)).size).toBe(16);
  });
  it.each([
    // Cells quoted from the RFC text.
    ['starting', 'Up', 'irc,scr', 'req-sent'],
    ['stopped', 'RCR+', 'irc,scr,sca', 'ack-sent'],
    ['stopped', 'RCR-', 'irc,scr,scn', 'req-sent'],
    ['ack-rcvd', 'RCR+', 'sca,tlu', 'opened'],
    ['ack-sent', 'RCA', 'irc,tlu', 'opened'],
    ['opened', 'RTR', 'tld,zrc,sta', 'stopping'],
    ['opened', 'Close', 'tld,irc,str', 'closing'],
    ['opened', 'RXJ-', 'tld,irc,str', 'stopping'],
    ['opened', 'RXR', 'ser', 'opened'],
    ['req-sent', 'TO-', 'tlf', 'stopped'],
    ['closing', 'RTA', 'tlf', 'closed'],
    ['closed', 'RCR+', 'sta', 'closed'],
    ['initial', 'Open', 'tls', 'starting'],
  ] as const)('%s + %s → %s / %s', (state, event, actions, next) => {
    const t = automatonTransition(state, event)!;
    expect(t.actions.join(',')).toBe(actions);
    expect(t.next).toBe(next);
  });
  it('"-" cells are absent and ignored by the automaton', () => {
    expect(automatonTransition('initial', 'RCR+')).toBeUndefined();
    expect(automatonTransition('opened', 'Up')).toBeUndefined();
    const a = new Automaton();
    expect(a.handle('RCA')).toEqual([]);
    expect(a.state).toBe('initial');
  });
  it('keeps the RFC\'s notes: p (passive) on TO- in the request states, x (crossed) on RCA/RCN', () => {
    expect(automatonTransition('req-sent', 'TO-')!.note).toBe('p');
    expect(automatonTransition('opened', 'RCA')!.note).toBe('x');
    expect(automatonTransition('stopped', 'Open')!.note).toBe('r');
  });
  it('a normal open: Open, Up, RCR+, RCA', () => {
    const a = new Automaton();
    const log = (['Open', 'Up', 'RCR+', 'RCA'] as const).map((e) => [...a.handle(e), a.state].join(' '));
    expect(log).toEqual(['tls starting', 'irc scr req-sent', 'sca ack-sent', 'irc tlu opened']);
  });
  it('every state is reachable from initial', () => {
    const seen = new Set<string>(['initial']);
    let grew = true;
    while (grew) {
      grew = false;
      for (const t of AUTOMATON_TRANSITIONS) if (seen.has(t.from) && !seen.has(t.next)) (seen.add(t.next), (grew = true));
    }
    expect([...seen].sort()).toEqual([...AUTOMATON_STATES].sort());
  });
});
