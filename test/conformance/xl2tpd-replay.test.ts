/**
 * Real xl2tpd exchanges, replayed through the observer from each end in turn: xl2tpd, a real
 * implementation, must come out with no deviation. The one exception is real and documented: in
 * the `retransmit` capture the LAC end is a hand-made client that never acknowledges (that is
 * the point of the capture), and the observer says so.
 */
import { describe, expect, it } from 'vitest';
import { formatReport } from '../../src/conformance/index.js';
import { datagrams, replay } from './replay.js';
import { XL2TPD_CAPTURES } from './xl2tpd-captures.js';

const SECRET = 'l2tp-wire-test-secret';
/** Long enough after the last datagram for every timing rule to have had its chance. */
const AFTER = 40_000;

/** [capture, peer end judged, role of that end]. */
const XL2TPD_ENDS: readonly (readonly [string, string, string])[] = [
  ['plain', '127.0.0.1:17011', 'LAC'], ['plain', '127.0.0.1:17010', 'LNS'],
  ['auth', '127.0.0.1:17015', 'LAC'], ['auth', '127.0.0.1:17014', 'LNS'],
  ['hidden', '127.0.0.1:17017', 'LAC'], ['hidden', '127.0.0.1:17016', 'LNS'],
  ['hello', '127.0.0.1:17013', 'LAC'], ['hello', '127.0.0.1:17012', 'LNS'],
  ['data', '127.0.0.1:17011', 'LAC'], ['data', '127.0.0.1:17010', 'LNS'],
  ['retransmit', '127.0.0.1:17010', 'LNS'],
];

describe('xl2tpd captures: no deviation from either end', () => {
  it.each(XL2TPD_ENDS)('%s: xl2tpd as %s (%s)', (name, peer) => {
    const cap = XL2TPD_CAPTURES[name]!;
    const last = datagrams(cap).at(-1)!.at;
    const r = replay(cap, peer, { secret: SECRET }).report(last + AFTER);
    expect(r.deviations, formatReport(r).join('\n')).toEqual([]);
    expect(r.verdict).toBe('pass');
    expect(r.peerVendorName).toBe('xelerance.com');
    // Not vacuous: the card checked the AVP and sequence rules on real messages.
    for (const id of ['avp.not-allowed', 'avp.missing-required', 'avp.m-bit', 'seq.nr-unsent', 'header.control-flags']) {
      expect(r.rules.find((x) => x.rule === id)!.status).toBe('kept');
    }
  });

  it('retransmit: xl2tpd LNS backs off 1, 2, 4, 8, 16 s — backoff and cap kept', () => {
    const r = replay(XL2TPD_CAPTURES['retransmit']!, '127.0.0.1:17010').report(100_000);
    const rule = (id: string) => r.rules.find((x) => x.rule === id)!;
    expect(rule('timing.backoff').status).toBe('kept');
    expect(rule('timing.cap').status).toBe('kept');
    expect(rule('timing.retransmit-early').status).toBe('kept');
    expect(r.peerMessages).toEqual({ SCCRP: 5, StopCCN: 4 });
  });

  it('retransmit: the hand-made client that never acks is caught (ack.missing for SCCRP and StopCCN)', () => {
    const r = replay(XL2TPD_CAPTURES['retransmit']!, '127.0.0.1:42131').report(100_000);
    expect(r.deviations.map((d) => [d.rule, d.messageType, d.ns])).toEqual([
      ['ack.missing', 'SCCRP', 0],
      ['ack.missing', 'StopCCN', 1],
    ]);
    expect(r.verdict).toBe('fail');
  });
});
