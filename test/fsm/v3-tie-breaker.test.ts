/**
 * L2TPv3 control connection tie breaking (RFC 3931 §5.4.3 Control Connection Tie Breaker, §7.2):
 * "The lower value 'wins', and the 'loser' MUST discard its control connection. A StopCCN SHOULD
 * be sent by the winner as an explicit rejection for the losing SCCRQ. In the case in which a tie
 * breaker is present on both sides and the value is equal, both sides MUST discard their control
 * connections and restart control connection negotiation with a new, random tie breaker value."
 * The v2 rules (RFC 2661 §4.4.3: silent discard, no StopCCN) are in test/fsm/tunnel.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { TUNNEL_TRANSITIONS, findTransition, type TunnelAction } from '../../src/fsm/index.js';
import { parseControl } from '../../src/wire/control.js';
import { verifyControlV3 } from '../../src/wire/v3-digest.js';
import { Pair } from './harness.js';

const SECRET = 'tie secret';
const low = new Uint8Array([0, 0, 0, 0, 0, 0, 0, 1]);
const high = new Uint8Array([0x80, 0, 0, 0, 0, 0, 0, 0]);
const parse = (b: Uint8Array) => parseControl(b, { requireAvps: false });

/** Both LCCEs open at once; each SCCRQ reaches the other while its own is outstanding. */
function crossed(tieA: boolean | Uint8Array, tieB: boolean | Uint8Array, secret?: string, seed = 1): Pair {
  const o = { version: 3 as const, secret };
  const pair = new Pair({ ...o, tieBreaker: tieA }, { ...o, tieBreaker: tieB }, { seed, link: { delay: 10 } });
  pair.do('a', { type: 'open' });
  pair.do('b', { type: 'open' });
  pair.run(10_000);
  return pair;
}

describe('v3 control connection tie breaker (RFC 3931 §5.4.3, §7.2)', () => {
  for (const secret of [undefined, SECRET]) {
    it(`the lower value wins; the winner rejects the losing SCCRQ with one StopCCN (result 3), and one connection comes up (authentication ${secret ? 'on' : 'off'})`, () => {
      const p = crossed(high, low, secret);
      expect([p.a.state, p.b.state]).toEqual(['established', 'established']);
      expect([p.a.role, p.b.role]).toEqual(['responder', 'initiator']); // a lost and answered b's SCCRQ
      expect(p.sent('a', 'SCCRP')).toHaveLength(1);
      expect(p.a.peerControlConnectionId).toBe(p.b.localControlConnectionId);
      expect(p.b.peerControlConnectionId).toBe(p.a.localControlConnectionId);
      // The loser sends nothing for its discarded connection; the winner sends exactly one StopCCN.
      expect(p.sent('a', 'StopCCN')).toHaveLength(0);
      const stops = p.sent('b', 'StopCCN');
      expect(stops).toHaveLength(1);
      const losing = parse(p.sent('a', 'SCCRQ')[0]!.bytes);
      const stop = parse(stops[0]!.bytes);
      // Addressed to the losing connection (the loser's Assigned Control Connection ID), its first
      // message (Ns 0) acking the losing SCCRQ (Nr = its Ns + 1), outside b's own sequence.
      expect(stop.controlConnectionId).toBe(losing.assignedControlConnectionId);
      expect([stop.ns, stop.nr]).toEqual([0, losing.ns + 1]);
      // §5.4.2: 3, "Control connection already exists"; §6.4: the Assigned Control Connection ID
      // MUST be present once an SCCRQ of ours went out.
      expect(stop.resultCode?.result).toBe(3);
      expect(stop.assignedControlConnectionId).toBe(p.b.localControlConnectionId);
      if (secret !== undefined) {
        // Signed over the winner's nonce (from its SCCRQ) then the loser's (from the losing SCCRQ), as §5.4.1 orders them.
        const winning = parse(p.sent('b', 'SCCRQ')[0]!.bytes);
        expect(() => verifyControlV3(stops[0]!.bytes, { secret, nonces: { local: winning.controlMessageAuthenticationNonce!, remote: losing.controlMessageAuthenticationNonce! } })).not.toThrow();
      }
      // The StopCCN does not disturb the connection that won: nobody stops, for a minute.
      p.run(70_000);
      expect([p.a.state, p.b.state]).toEqual(['established', 'established']);
      expect(p.actions('a', 'stopped')).toEqual([]);
      expect(p.actions('b', 'stopped')).toEqual([]);
      // The loser takes the StopCCN for the connection it already discarded quietly: without
      // authentication as an old Ns (acked), with it as a message of that connection's nonces.
      expect(p.actions('a', 'error')).toEqual([]);
      expect(p.actions('b', 'error')).toEqual([]);
    });
  }

  it('only one side sent a Tie Breaker: that side wins and rejects the other SCCRQ', () => {
    const p = crossed(false, true);
    expect([p.a.role, p.b.role]).toEqual(['responder', 'initiator']);
    expect(p.a.state).toBe('established');
    expect(p.sent('b', 'StopCCN')).toHaveLength(1);
    expect(p.sent('a', 'StopCCN')).toHaveLength(0);
  });

  it('equal values: both discard and restart with a new random Tie Breaker; one connection results', () => {
    const p = crossed(low, low, SECRET);
    p.run(60_000);
    expect([p.a.state, p.b.state]).toEqual(['established', 'established']);
    const roles = [p.a.role, p.b.role].sort();
    expect(roles).toEqual(['initiator', 'responder']);
    // Each side sent a second SCCRQ whose Tie Breaker is new (not the fixed bytes configured).
    for (const side of ['a', 'b'] as const) {
      const rqs = p.sent(side, 'SCCRQ').map((w) => parse(w.bytes));
      const distinct = new Set(rqs.map((m) => Array.from(m.tieBreaker!).join(',')));
      expect(distinct.size, side).toBe(2);
      expect(rqs[0]!.tieBreaker).toEqual(low);
    }
    const restarted = (acts: TunnelAction[]) => acts.filter((x) => x.type === 'error' && x.error.message.includes('restarted')).length;
    expect(restarted(p.actions('a', 'error'))).toBe(1);
    expect(restarted(p.actions('b', 'error'))).toBe(1);
    expect(p.actions('a', 'stopped')).toEqual([]);
  });

  it('the table says it: v3 rows for the winner and for equal values, v2 rows unchanged', () => {
    expect(findTransition(TUNNEL_TRANSITIONS, 'wait-ctl-reply', 'recv-SCCRQ-win-tie', 3)?.action).toContain('StopCCN');
    expect(findTransition(TUNNEL_TRANSITIONS, 'wait-ctl-reply', 'recv-SCCRQ-win-tie', 2)?.action).toBe('ignore the SCCRQ');
    expect(findTransition(TUNNEL_TRANSITIONS, 'wait-ctl-reply', 'recv-SCCRQ-equal-tie', 3)?.next).toBe('wait-ctl-reply');
    expect(findTransition(TUNNEL_TRANSITIONS, 'wait-ctl-reply', 'recv-SCCRQ-equal-tie', 2)?.next).toBe('closed');
  });
});
