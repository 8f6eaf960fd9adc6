import { describe, expect, it } from 'vitest';
import { parseControl } from '../../src/wire/control.js';
import { parseData } from '../../src/wire/data.js';
import { Pair } from './harness.js';

function tunnel(a = {}, b = {}): Pair {
  const pair = new Pair(a, b);
  pair.do('a', { type: 'open' });
  pair.run(5_000);
  expect(pair.b.state).toBe('established');
  return pair;
}

function sessionId(acts: ReturnType<Pair['do']>): number {
  const o = acts.find((a) => a.type === 'session-opening');
  if (!o || o.type !== 'session-opening') throw new Error('no session-opening');
  return o.sessionId;
}

describe('sessions: incoming call ICRQ → ICRP → ICCN (RFC 2661 §7.4)', () => {
  for (const [opener, name] of [['a', 'LAC role on the initiator'], ['b', 'LAC role on the responder']] as const) {
    it(`comes up both sides (${name}); PPP frames flow both ways`, () => {
      const pair = tunnel();
      const other = opener === 'a' ? 'b' : 'a';
      const id = sessionId(pair.do(opener, { type: 'openSession', call: { kind: 'incoming', callingNumber: '5551234', txConnectSpeed: 64_000 } }));
      expect(pair.fsm(opener).sessionState(id)).toBe('wait-reply');
      pair.run(pair.now + 2_000);
      expect(pair.wire.filter((w) => w.typeName.startsWith('IC')).map((w) => `${w.from}:${w.typeName}`)).toEqual([`${opener}:ICRQ`, `${other}:ICRP`, `${opener}:ICCN`]);
      const [upL] = pair.actions(opener, 'session-up');
      const [upR] = pair.actions(other, 'session-up');
      expect(upL).toMatchObject({ sessionId: id, kind: 'incoming', origin: 'local' });
      expect(upR).toMatchObject({ peerSessionId: id, kind: 'incoming', origin: 'peer', call: { callingNumber: '5551234', txConnectSpeed: 64_000, framingType: 1 } });
      expect(upL!.peerSessionId).toBe(upR!.sessionId);
      // Session IDs are never 0 (§3.1).
      expect(upL!.sessionId).not.toBe(0);
      expect(upR!.sessionId).not.toBe(0);
      // Frames: encodeData with the peer's tunnel and session IDs; delivered as PPP payloads.
      const lcp = new Uint8Array([0xff, 0x03, 0xc0, 0x21, 0x01, 0x01, 0x00, 0x04]);
      const [send] = pair.do(opener, { type: 'sendFrame', sessionId: id, frame: lcp });
      const d = parseData((send as { bytes: Uint8Array }).bytes);
      expect(d).toMatchObject({ tunnelId: pair.fsm(other).localTunnelId, sessionId: upR!.sessionId });
      pair.run(pair.now + 100);
      const frames = pair.actions(other, 'frame');
      expect(frames).toHaveLength(1);
      expect(frames[0]!.sessionId).toBe(upR!.sessionId);
      expect([...frames[0]!.payload]).toEqual([...lcp]);
      pair.do(other, { type: 'sendFrame', sessionId: upR!.sessionId, frame: lcp.subarray(0, 4) });
      pair.run(pair.now + 100);
      expect([...pair.actions(opener, 'frame')[0]!.payload]).toEqual([0xff, 0x03, 0xc0, 0x21]);
    });
  }

  it('data for an unknown session, or another tunnel, is dropped silently', () => {
    const pair = tunnel();
    pair.do('a', { type: 'openSession', call: { kind: 'incoming' } });
    pair.run(pair.now + 1_000);
    const up = pair.actions('b', 'session-up')[0]!;
    const mk = (tid: number, sid: number) => new Uint8Array([0x00, 0x02, tid >> 8, tid & 255, sid >> 8, sid & 255, 0xff, 0x03]);
    const otherSid = up.sessionId === 1 ? 2 : 1;
    expect(pair.b.handle({ type: 'received', bytes: mk(pair.b.localTunnelId, otherSid) }, pair.now)).toEqual([]);
    expect(pair.b.handle({ type: 'received', bytes: mk(pair.b.localTunnelId ^ 1, up.sessionId) }, pair.now)).toEqual([]);
    expect(pair.b.handle({ type: 'received', bytes: mk(pair.b.localTunnelId, up.sessionId) }, pair.now).map((a) => a.type)).toEqual(['frame']);
  });

  it('hidden AVPs on: the ICRQ’s Assigned Session ID goes hidden and still arrives', () => {
    const secret = 's3cret';
    const pair = tunnel({ secret, hideAvps: true }, { secret, hideAvps: true });
    const id = sessionId(pair.do('a', { type: 'openSession', call: { kind: 'incoming', callingNumber: '42' } }));
    pair.run(pair.now + 1_000);
    const icrq = parseControl(pair.sent('a', 'ICRQ')[0]!.bytes, { requireAvps: false });
    expect(icrq.avps.find((x) => x.type === 14)!.hidden).toBe(true);
    expect(pair.actions('b', 'session-up')[0]).toMatchObject({ peerSessionId: id, call: { callingNumber: '42' } });
  });

  it('session IDs are random, non-zero and unique among live sessions', () => {
    const pair = tunnel();
    const ids = new Set<number>();
    for (let i = 0; i < 200; i++) ids.add(sessionId(pair.do('a', { type: 'openSession', call: { kind: 'incoming' } })));
    expect(ids.size).toBe(200);
    expect(ids.has(0)).toBe(false);
    pair.run(pair.now + 5_000);
    expect(pair.b.sessionCount).toBe(200);
    expect(new Set(pair.b.sessionIds()).size).toBe(200);
  });
});

describe('sessions: outgoing call OCRQ → OCRP → OCCN (RFC 2661 §7.5)', () => {
  for (const opener of ['a', 'b'] as const) {
    it(`comes up both sides (opened by ${opener})`, () => {
      // Each side advertises Bearer Capabilities: it can place outgoing calls (§4.4.3, §6.9).
      const pair = tunnel({ bearerCapabilities: 2 }, { bearerCapabilities: 2 });
      const other = opener === 'a' ? 'b' : 'a';
      const id = sessionId(pair.do(opener, { type: 'openSession', call: { kind: 'outgoing', calledNumber: '0800123', maximumBps: 56_000 } }));
      pair.run(pair.now + 2_000);
      expect(pair.wire.filter((w) => w.typeName.startsWith('OC')).map((w) => `${w.from}:${w.typeName}`)).toEqual([`${opener}:OCRQ`, `${other}:OCRP`, `${other}:OCCN`]);
      expect(pair.actions(opener, 'session-up')[0]).toMatchObject({ sessionId: id, kind: 'outgoing', origin: 'local', call: { calledNumber: '0800123', txConnectSpeed: 56_000 } });
      expect(pair.actions(other, 'session-up')[0]).toMatchObject({ peerSessionId: id, kind: 'outgoing', origin: 'peer', call: { calledNumber: '0800123' } });
    });
  }
});

describe('sessions: CDN both ways (RFC 2661 §6.12)', () => {
  for (const closer of ['a', 'b'] as const) {
    it(`${closer} hangs up with result/error codes and a Q.931 cause; the peer reports it`, () => {
      const pair = tunnel();
      const other = closer === 'a' ? 'b' : 'a';
      pair.do('a', { type: 'openSession', call: { kind: 'incoming' } });
      pair.run(pair.now + 1_000);
      const mine = pair.actions(closer, 'session-up')[0]!;
      const theirs = pair.actions(other, 'session-up')[0]!;
      const cause = { cause: 16, message: 0x45, advisory: 'normal clearing' };
      pair.do(closer, { type: 'closeSession', sessionId: mine.sessionId, result: { result: 2, error: 6, message: 'bye' }, cause });
      expect(pair.fsm(closer).sessionState(mine.sessionId)).toBeUndefined();
      const c = parseControl(pair.sent(closer, 'CDN')[0]!.bytes);
      expect(c).toMatchObject({ sessionId: theirs.sessionId, assignedSessionId: mine.sessionId, resultCode: { result: 2, error: 6, message: 'bye' }, q931CauseCode: cause });
      pair.run(pair.now + 1_000);
      expect(pair.actions(other, 'session-down')[0]).toMatchObject({ sessionId: theirs.sessionId, by: 'peer', result: { result: 2, error: 6, message: 'bye' }, cause });
      expect(pair.actions(closer, 'session-down')[0]).toMatchObject({ sessionId: mine.sessionId, by: 'local' });
      expect(pair.fsm(other).sessionCount).toBe(0);
      // The tunnel stays up.
      expect(pair.a.state).toBe('established');
      expect(pair.b.state).toBe('established');
      // Frames to a closed session are a local error.
      expect(() => pair.fsm(closer).handle({ type: 'sendFrame', sessionId: mine.sessionId, frame: new Uint8Array(1) }, pair.now)).toThrow(RangeError);
    });
  }

  it('CDN before the call is up (caller gives up while waiting for ICRP)', () => {
    const pair = tunnel();
    pair.drop = (w) => w.typeName === 'ICRP';
    const id = sessionId(pair.do('a', { type: 'openSession', call: { kind: 'incoming' } }));
    pair.run(pair.now + 100);
    pair.do('a', { type: 'closeSession', sessionId: id });
    pair.run(pair.now + 1_000);
    // b finds the call by a's Assigned Session ID (header Session ID 0: a never learnt b's ID).
    expect(parseControl(pair.sent('a', 'CDN')[0]!.bytes).sessionId).toBe(0);
    expect(pair.actions('b', 'session-down')).toHaveLength(1);
    expect(pair.b.sessionCount).toBe(0);
  });

  it('StopCCN takes every session down with the tunnel, no CDN needed', () => {
    const pair = tunnel({}, { bearerCapabilities: 2 });
    pair.do('a', { type: 'openSession', call: { kind: 'incoming' } });
    pair.do('a', { type: 'openSession', call: { kind: 'outgoing', calledNumber: '1' } });
    pair.run(pair.now + 1_000);
    pair.do('b', { type: 'close' });
    pair.run(pair.now + 1_000);
    expect(pair.actions('a', 'session-down').map((d) => [d.by, d.error?.code])).toEqual([['peer', 'PEER_STOPPED'], ['peer', 'PEER_STOPPED']]);
    expect(pair.actions('b', 'session-down').map((d) => d.by)).toEqual(['local', 'local']);
    expect(pair.sent('a', 'CDN')).toEqual([]);
  });
});

describe('sessions: WEN and SLI (RFC 2661 §6.13, §6.14)', () => {
  it('an SLI right after ICCN and a WEN are delivered to the user, not treated as errors', () => {
    const pair = tunnel();
    pair.do('a', { type: 'openSession', call: { kind: 'incoming' } });
    pair.run(pair.now + 1_000);
    const lac = pair.actions('a', 'session-up')[0]!;
    const lns = pair.actions('b', 'session-up')[0]!;
    pair.do('b', { type: 'sendSli', sessionId: lns.sessionId, accm: { send: 0, receive: 0xffffffff } });
    pair.do('a', { type: 'sendWen', sessionId: lac.sessionId, callErrors: { crcErrors: 1, framingErrors: 2, hardwareOverruns: 3, bufferOverruns: 4, timeoutErrors: 5, alignmentErrors: 6 } });
    pair.run(pair.now + 1_000);
    expect(pair.actions('a', 'sli')).toEqual([{ type: 'sli', sessionId: lac.sessionId, accm: { send: 0, receive: 0xffffffff } }]);
    expect(pair.actions('b', 'wen')[0]).toMatchObject({ sessionId: lns.sessionId, callErrors: { crcErrors: 1, alignmentErrors: 6 } });
    expect([...pair.actions('a', 'error'), ...pair.actions('b', 'error')]).toEqual([]);
    expect(pair.a.sessionState(lac.sessionId)).toBe('established');
  });
});

describe('sessions: limits and local errors', () => {
  it('a peer cannot open more than maxSessions: the next ICRQ gets CDN result 4', () => {
    const pair = tunnel({}, { maxSessions: 3 });
    for (let i = 0; i < 5; i++) pair.do('a', { type: 'openSession', call: { kind: 'incoming' } });
    pair.run(pair.now + 2_000);
    expect(pair.b.sessionCount).toBe(3);
    expect(pair.actions('a', 'session-up')).toHaveLength(3);
    const refusals = pair.sent('b', 'CDN').map((w) => parseControl(w.bytes).resultCode);
    expect(refusals).toEqual([
      { result: 4, error: 4, message: 'too many sessions' },
      { result: 4, error: 4, message: 'too many sessions' },
    ]);
    expect(pair.actions('a', 'session-down').map((d) => d.result?.result)).toEqual([4, 4]);
  });

  it('acceptCalls: false refuses calls with CDN result 3', () => {
    const pair = tunnel({}, { acceptCalls: false });
    pair.do('a', { type: 'openSession', call: { kind: 'incoming' } });
    pair.run(pair.now + 1_000);
    expect(pair.actions('a', 'session-down')[0]!.result).toEqual({ result: 3 });
  });

  it('opening a session before the tunnel is up, or using an unknown ID, throws and changes nothing', () => {
    const pair = new Pair({}, {});
    expect(() => pair.a.handle({ type: 'openSession', call: { kind: 'incoming' } }, 0)).toThrow(TypeError);
    pair.do('a', { type: 'open' });
    expect(() => pair.a.handle({ type: 'openSession', call: { kind: 'incoming' } }, 0)).toThrow(/wait for the established action/);
    pair.run(5_000);
    expect(() => pair.a.handle({ type: 'closeSession', sessionId: 1234 }, pair.now)).toThrow(RangeError);
    expect(() => pair.a.handle({ type: 'sendFrame', sessionId: 1234, frame: new Uint8Array(2) }, pair.now)).toThrow(RangeError);
    const id = sessionId(pair.do('a', { type: 'openSession', call: { kind: 'incoming' } }));
    expect(() => pair.a.handle({ type: 'sendFrame', sessionId: id, frame: new Uint8Array(2) }, pair.now)).toThrow(/wait for its session-up/);
    expect(() => pair.a.handle({ type: 'openSession', call: { kind: 'outgoing' } as never }, pair.now)).toThrow(TypeError);
    expect(() => pair.a.handle({ type: 'openSession', call: { kind: 'incoming', txConnectSpeed: -1 } }, pair.now)).toThrow(RangeError);
    expect(pair.a.sessionCount).toBe(1);
  });
});
