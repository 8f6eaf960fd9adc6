import { describe, expect, it } from 'vitest';
import { parseControl } from '../../src/wire/control.js';
import { MessageType } from '../../src/wire/message-catalog.js';
import { Pair } from './harness.js';

const SECRET = 'l2tp-wire-test-secret';

function up(pair: Pair): void {
  pair.do('a', { type: 'open' });
  pair.run(pair.now + 5_000);
}

describe('TunnelFsm: control connection setup (RFC 2661 §7.2.1)', () => {
  it('LAC (initiator) and LNS (responder) reach established with each other’s details', () => {
    const pair = new Pair({ vendorName: 'l2tp-wire', firmwareRevision: 0x0101 }, { vendorName: 'lns-vendor', bearerCapabilities: 2 });
    pair.do('a', { type: 'open' });
    expect(pair.a.state).toBe('wait-ctl-reply');
    pair.run(5_000);
    expect(pair.a.state).toBe('established');
    expect(pair.b.state).toBe('established');
    expect(pair.a.role).toBe('initiator');
    expect(pair.b.role).toBe('responder');
    const [ea] = pair.actions('a', 'established');
    const [eb] = pair.actions('b', 'established');
    expect(ea!.peer).toMatchObject({ hostName: 'lns.test', vendorName: 'lns-vendor', bearerCapabilities: 2, assignedTunnelId: pair.b.localTunnelId, protocolVersion: { version: 1, revision: 0 }, receiveWindowSize: 4, challenged: false, authenticated: false });
    expect(eb!.peer).toMatchObject({ hostName: 'lac.test', vendorName: 'l2tp-wire', firmwareRevision: 0x0101, assignedTunnelId: pair.a.localTunnelId, framingCapabilities: 3 });
    // The three-message exchange, then a ZLB ack for the SCCCN: nothing more.
    expect(pair.wire.map((w) => `${w.from}:${w.typeName}`)).toEqual(['a:SCCRQ', 'b:SCCRP', 'a:SCCCN', 'b:ZLB']);
    // Header IDs: each side writes the other's Tunnel ID (0 on the SCCRQ, §3.1).
    const ids = pair.wire.map((w) => parseControl(w.bytes, { requireAvps: false }).tunnelId);
    expect(ids).toEqual([0, pair.a.localTunnelId, pair.b.localTunnelId, pair.a.localTunnelId]);
  });

  it('sets the M bit as the RFC requires on an SCCRQ, and no more (Vendor Name, Firmware Revision M=0)', () => {
    const pair = new Pair({ vendorName: 'v', firmwareRevision: 1 }, {});
    pair.do('a', { type: 'open' });
    const m = parseControl(pair.sent('a', 'SCCRQ')[0]!.bytes);
    const flags = Object.fromEntries(m.avps.map((a) => [a.type, a.mandatory]));
    expect(flags).toMatchObject({ 0: true, 2: true, 3: true, 7: true, 9: true, 10: true, 6: false, 8: false });
  });

  it('with a secret: Challenge in SCCRQ and SCCRP, responses checked, both sides authenticated', () => {
    const pair = new Pair({ secret: SECRET }, { secret: SECRET });
    up(pair);
    expect(pair.a.state).toBe('established');
    expect(pair.b.state).toBe('established');
    const rq = parseControl(pair.sent('a', 'SCCRQ')[0]!.bytes);
    const rp = parseControl(pair.sent('b', 'SCCRP')[0]!.bytes);
    const cn = parseControl(pair.sent('a', 'SCCCN')[0]!.bytes);
    expect(rq.challenge).toHaveLength(16);
    expect(rp.challenge).toHaveLength(16);
    expect(rp.challengeResponse).toHaveLength(16);
    expect(cn.challengeResponse).toHaveLength(16);
    expect(pair.actions('a', 'established')[0]!.peer).toMatchObject({ challenged: true, authenticated: true });
    expect(pair.actions('b', 'established')[0]!.peer).toMatchObject({ challenged: true, authenticated: true });
  });

  it('hidden AVPs on: SCCRQ/SCCRP in the clear (peers load the secret after them), later messages hidden behind a Random Vector and decoded by the peer', () => {
    const pair = new Pair({ secret: SECRET, hideAvps: true }, { secret: SECRET, hideAvps: true });
    up(pair);
    expect(pair.b.state).toBe('established');
    for (const name of ['SCCRQ', 'SCCRP'] as const) {
      const m = parseControl(pair.sent(name === 'SCCRQ' ? 'a' : 'b', name)[0]!.bytes, { requireAvps: false });
      expect(m.avps.some((a) => a.hidden || a.type === 36)).toBe(false);
    }
    const cn = parseControl(pair.sent('a', 'SCCCN')[0]!.bytes, { requireAvps: false });
    expect(cn.avps[1]!.type).toBe(36); // Random Vector right after Message Type (§4.3)
    // Challenge Response (13) may be hidden (§4.4.3): hidden, unreadable without the secret.
    expect(cn.avps.filter((a) => a.hidden).map((a) => a.type)).toEqual([13]);
    expect(cn.challengeResponse).toBeUndefined();
    expect(parseControl(pair.sent('a', 'SCCCN')[0]!.bytes, { secret: SECRET }).challengeResponse).toHaveLength(16);
    expect(pair.actions('b', 'established')[0]!.peer.authenticated).toBe(true);
  });

  it('hidden AVPs off: nothing hidden, no Random Vector', () => {
    const pair = new Pair({ secret: SECRET }, { secret: SECRET });
    up(pair);
    for (const w of pair.wire) {
      const m = parseControl(w.bytes, { requireAvps: false });
      expect(m.avps.some((a) => a.hidden || a.type === 36)).toBe(false);
    }
  });
});

describe('TunnelFsm: HELLO keepalive (RFC 2661 §6.5)', () => {
  it('sends HELLO after 60 s without a message from the peer; the peer acks it with a ZLB', () => {
    const pair = new Pair({}, { helloInterval: 0 });
    up(pair);
    const t0 = pair.firstAt('a', 'established')!;
    pair.run(t0 + 59_000);
    expect(pair.sent('a', 'HELLO')).toHaveLength(0);
    pair.run(t0 + 61_000);
    const hellos = pair.sent('a', 'HELLO');
    expect(hellos).toHaveLength(1);
    expect(hellos[0]!.at - t0).toBeGreaterThanOrEqual(59_999);
    expect(hellos[0]!.at - t0).toBeLessThanOrEqual(60_300);
    const ack = pair.wire.filter((w) => w.from === 'b' && w.at >= hellos[0]!.at && w.typeName === 'ZLB');
    expect(ack.length).toBeGreaterThanOrEqual(1);
    expect(pair.a.state).toBe('established');
    // A long quiet run: one HELLO per silence, 60 s after the last message heard (the ZLB that
    // acked the previous HELLO, sent in the same turn: the harness's link has no latency); the
    // tunnel stays up.
    pair.run(t0 + 10 * 60_000 + 5_000);
    const at = pair.sent('a', 'HELLO').map((w) => w.at);
    expect(at).toHaveLength(10);
    for (let i = 1; i < at.length; i++) expect(at[i]! - at[i - 1]!).toBe(60_000);
    expect(pair.a.state).toBe('established');
  });

  it('the interval is configurable, and HELLO can be sent on demand', () => {
    const pair = new Pair({ helloInterval: 5_000 }, { helloInterval: 0 });
    up(pair);
    pair.run(5_000 + 5_000);
    const hellos = pair.sent('a', 'HELLO');
    expect(hellos.length).toBeGreaterThanOrEqual(1);
    expect(hellos[0]!.at).toBe(5_000); // last heard: b's ZLB for the SCCCN, sent as the SCCCN arrived (no ack delay)
    expect(pair.log.filter((l) => l.side === 'a' && l.at > 0 && l.at < 5_000)).toHaveLength(0); // quiet until then
    pair.do('b', { type: 'hello' });
    const t = pair.now;
    pair.run(pair.now + 1_000);
    expect(pair.sent('b', 'HELLO').map((w) => w.at)).toEqual([t]);
    expect(pair.sent('a', 'ZLB').length).toBeGreaterThanOrEqual(1);
  });

  it('an unanswered HELLO fails the tunnel after the retry budget (TIMEOUT)', () => {
    const pair = new Pair({ helloInterval: 1_000 }, {});
    up(pair);
    // Cut the link from b to a: a's HELLO is never acked.
    pair.drop = (w) => w.from === 'b';
    pair.run(pair.now + 60_000);
    const [s] = pair.actions('a', 'stopped');
    expect(s!.error?.code).toBe('TIMEOUT');
    expect(pair.a.state).toBe('closed');
  });
});

describe('TunnelFsm: StopCCN (RFC 2661 §5.7, §5.8)', () => {
  for (const closer of ['a', 'b'] as const) {
    it(`${closer === 'a' ? 'LAC' : 'LNS'} closes: StopCCN with Result Code and Assigned Tunnel ID; the peer acks and cleans up; the closer lingers a full retransmission cycle`, () => {
      const pair = new Pair({}, {});
      up(pair);
      const other = closer === 'a' ? 'b' : 'a';
      const t = pair.now;
      pair.do(closer, { type: 'close', result: { result: 6, error: 0, message: 'shutting down' } });
      expect(pair.fsm(closer).state).toBe('closing');
      const stop = parseControl(pair.sent(closer, 'StopCCN')[0]!.bytes);
      expect(stop.resultCode).toEqual({ result: 6, error: 0, message: 'shutting down' });
      expect(stop.assignedTunnelId).toBe(pair.fsm(closer).localTunnelId);
      expect(stop.tunnelId).toBe(pair.fsm(other).localTunnelId);
      pair.run(t + 1_000);
      // §5.7: the recipient acks, reports the stop, and keeps state for a full retransmission
      // cycle to ack a retransmitted StopCCN.
      expect(pair.fsm(other).state).toBe('closing');
      expect(pair.actions(other, 'closed')).toHaveLength(0);
      expect(pair.actions(other, 'stopped')[0]).toMatchObject({ by: 'peer', result: { result: 6, message: 'shutting down' } });
      expect(pair.actions(other, 'stopped')[0]!.error?.code).toBe('PEER_STOPPED');
      // The peer acked at once (ZLB), and the closer is still lingering.
      expect(pair.sent(other, 'ZLB').some((w) => w.at === t)).toBe(true);
      expect(pair.fsm(closer).state).toBe('closing');
      pair.run(t + 30_000);
      expect(pair.fsm(closer).state).toBe('closing');
      pair.run(t + 32_000);
      expect(pair.fsm(closer).state).toBe('closed');
      expect(pair.actions(closer, 'closed')).toHaveLength(1);
      expect(pair.fsm(other).state).toBe('closed');
      expect(pair.actions(other, 'closed')).toHaveLength(1);
      expect(pair.actions(closer, 'stopped')[0]).toMatchObject({ by: 'local', result: { result: 6 } });
      expect(pair.fsm(closer).nextDeadline()).toBeUndefined();
    });
  }

  it('while lingering, the closer acks the peer’s retransmitted StopCCN again (crossing StopCCNs, first ack lost)', () => {
    const pair = new Pair({}, {});
    up(pair);
    let dropped = 0;
    pair.drop = (w) => w.from === 'a' && w.typeName === 'ZLB' && dropped++ === 0;
    const t = pair.now;
    pair.do('a', { type: 'close' });
    pair.do('b', { type: 'close' });
    pair.run(t + 5_000);
    expect(dropped).toBe(2); // the first ZLB was lost, a second one went out
    const bStops = pair.sent('b', 'StopCCN').map((w) => w.at - t);
    expect(bStops).toEqual([0, 1_000]); // b retransmitted once, then got the ack
    const aAcks = pair.sent('a', 'ZLB').map((w) => w.at - t);
    expect(aAcks.length).toBe(2);
    expect(aAcks[1]).toBeGreaterThanOrEqual(1_000);
    pair.run(t + 60_000);
    expect(pair.a.state).toBe('closed');
    expect(pair.b.state).toBe('closed');
    // Neither side failed: both StopCCNs were acked.
    expect(pair.actions('a', 'stopped').map((s) => s.error?.code)).toEqual([undefined]);
    expect(pair.actions('b', 'stopped').map((s) => s.error?.code)).toEqual([undefined]);
  });

  it('closing an idle tunnel just closes it; close() twice is harmless', () => {
    const pair = new Pair({}, {});
    const acts = pair.do('a', { type: 'close' });
    expect(acts.map((a) => a.type)).toEqual(['stopped', 'closed']);
    expect(pair.do('a', { type: 'close' })).toEqual([]);
  });
});

describe('TunnelFsm: retransmission budget', () => {
  it('at 100 % loss the initiator reports TIMEOUT after 1+2+4+8+8+8 s (Sequencer defaults)', () => {
    const pair = new Pair({}, {}, { link: { loss: 1 } });
    pair.do('a', { type: 'open' });
    pair.run(120_000);
    const sccrqs = pair.sent('a', 'SCCRQ').map((w) => w.at);
    expect(sccrqs).toEqual([0, 1_000, 3_000, 7_000, 15_000, 23_000]);
    const [s] = pair.actions('a', 'stopped');
    expect(s!.error?.code).toBe('TIMEOUT');
    expect(pair.firstAt('a', 'stopped')).toBe(31_000);
    expect(pair.firstAt('a', 'closed')).toBe(31_000);
    expect(pair.a.state).toBe('closed');
  });

  it('at 20 % loss (duplication and reordering too) tunnel and session still come up', () => {
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const pair = new Pair({}, {}, { seed, link: { loss: 0.2, duplicate: 0.05, reorder: 0.1, delay: 20, jitter: 30 } });
      pair.do('a', { type: 'open' });
      pair.run(40_000);
      expect(pair.a.state, `seed ${seed}`).toBe('established');
      expect(pair.b.state, `seed ${seed}`).toBe('established');
      pair.do('a', { type: 'openSession', call: { kind: 'incoming' } });
      pair.run(pair.now + 40_000);
      expect(pair.actions('a', 'session-up'), `seed ${seed}`).toHaveLength(1);
      expect(pair.actions('b', 'session-up'), `seed ${seed}`).toHaveLength(1);
      expect(pair.actions('a', 'error')).toEqual([]);
      expect(pair.actions('b', 'error')).toEqual([]);
    }
  });
});

describe('TunnelFsm: simultaneous SCCRQs and the Tie Breaker (RFC 2661 §4.4.3)', () => {
  /** Both open at once; each one's SCCRQ reaches the other while its own is outstanding. */
  function crossed(tieA: boolean | Uint8Array, tieB: boolean | Uint8Array, seed = 1): Pair {
    const pair = new Pair({ tieBreaker: tieA }, { tieBreaker: tieB }, { seed, link: { delay: 10 } });
    pair.do('a', { type: 'open' });
    pair.do('b', { type: 'open' });
    pair.run(10_000);
    return pair;
  }
  const low = new Uint8Array([0, 0, 0, 0, 0, 0, 0, 1]);
  const high = new Uint8Array([0x80, 0, 0, 0, 0, 0, 0, 0]);

  it('the lower value wins: the loser answers the winner’s SCCRQ, one tunnel comes up', () => {
    const pair = crossed(high, low);
    expect(pair.a.state).toBe('established');
    expect(pair.b.state).toBe('established');
    expect(pair.a.role).toBe('responder'); // a lost and became the responder
    expect(pair.b.role).toBe('initiator');
    expect(pair.sent('a', 'SCCRP')).toHaveLength(1);
    expect(pair.sent('b', 'SCCRP')).toHaveLength(0);
    expect(pair.a.peerTunnelId).toBe(pair.b.localTunnelId);
    expect(pair.b.peerTunnelId).toBe(pair.a.localTunnelId);
    // Nobody timed out or sent StopCCN for the discarded tunnel ("silently discard").
    expect(pair.sent('a', 'StopCCN')).toHaveLength(0);
    expect(pair.sent('b', 'StopCCN')).toHaveLength(0);
    pair.run(60_000);
    expect(pair.actions('a', 'stopped')).toEqual([]);
    expect(pair.actions('b', 'stopped')).toEqual([]);
  });

  it('the other way round', () => {
    const pair = crossed(low, high);
    expect(pair.a.role).toBe('initiator');
    expect(pair.b.role).toBe('responder');
    expect(pair.a.state).toBe('established');
  });

  it('only one side sent a Tie Breaker: that side wins', () => {
    const pair = crossed(false, true);
    expect(pair.b.role).toBe('initiator');
    expect(pair.a.role).toBe('responder');
    expect(pair.a.state).toBe('established');
  });

  it('equal values: both sides discard their tunnels', () => {
    const pair = crossed(low, low);
    expect(pair.a.state).toBe('closed');
    expect(pair.b.state).toBe('closed');
    expect(pair.actions('a', 'stopped')[0]!.error?.code).toBe('PROTOCOL');
  });

  it('no Tie Breaker on either side: the crossing SCCRQ is not this FSM’s (two tunnels are meant)', () => {
    const pair = new Pair({}, {}, { link: { loss: 1 } });
    pair.do('a', { type: 'open' });
    const peerSccrq = new Pair({}, {}, { seed: 9 });
    const bytes = peerSccrq.do('b', { type: 'open' }).find((x) => x.type === 'send')!;
    expect(pair.a.handle({ type: 'received', bytes: (bytes as { bytes: Uint8Array }).bytes }, 1)).toEqual([]);
    expect(pair.a.state).toBe('wait-ctl-reply');
    expect(pair.a.role).toBe('initiator');
  });

  it('tie breaker values are compared as 64-bit unsigned numbers', () => {
    const pair = crossed(new Uint8Array([1, 0, 0, 0, 0, 0, 0, 0]), new Uint8Array([0, 255, 255, 255, 255, 255, 255, 255]));
    expect(pair.b.role).toBe('initiator');
    expect(MessageType.SCCRQ).toBe(1);
  });
});
