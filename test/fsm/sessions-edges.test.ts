/**
 * The session table's edges (RFC 2661 §7.4 incoming, §7.5 outgoing calls, §6.6–§6.14), on the
 * LNS of an established pair fed hand-made messages: messages out of state, for unknown
 * sessions, missing the IDs that address a call; the exact actions the user sees; local misuse.
 */
import { describe, expect, it } from 'vitest';
import type { TunnelAction, TunnelFsm } from '../../src/fsm/index.js';
import { MessageType as M } from '../../src/wire/message-catalog.js';
import { actionsOf, CraftedPeer, controlSent, lnsWithPeer, opened } from './crafted-peer.js';



const of = actionsOf;


/** The peer's ICRQ (its Assigned Session ID `peerId`): our session, in wait-connect. */
function peerIcrq(lns: TunnelFsm, peer: CraftedPeer, peerId = 55): number {
  peer.send({ type: M.ICRQ, sessionId: 0, assignedSessionId: peerId, callSerialNumber: 9 });
  const id = lns.sessionIds().at(-1)!;
  expect(lns.sessionState(id)).toBe('wait-connect');
  return id;
}

/** Our CDN among the actions and the session-down that goes with it. */
function cdnDown(acts: TunnelAction[]) {
  const cdn = controlSent(acts).filter((m) => m.typeName === 'CDN');
  expect(cdn).toHaveLength(1);
  const down = of(acts, 'session-down');
  expect(down).toHaveLength(1);
  return { cdn: cdn[0]!, down: down[0]! };
}

describe('a session message out of state clears the call: CDN 2/6 naming it (RFC 2661 §7.4, §7.5)', () => {
  it('ICRP for an outgoing call of ours (waiting for OCRP)', () => {
    const { lns, peer } = lnsWithPeer();
    const id = opened(peer.local({ type: 'openSession', call: { kind: 'outgoing', calledNumber: '1' } }));
    const acts = peer.send({ type: M.ICRP, sessionId: id, assignedSessionId: 77 });
    const { cdn, down } = cdnDown(acts);
    const message = 'unexpected ICRP for a outgoing call in state wait-reply';
    expect(cdn.resultCode).toEqual({ result: 2, error: 6, message });
    expect(cdn.assignedSessionId).toBe(id);
    expect(down).toMatchObject({ sessionId: id, by: 'local', result: { result: 2, error: 6, message } });
    expect(down.error).toMatchObject({ code: 'PROTOCOL', message });
    expect(of(acts, 'session-up')).toEqual([]);
    expect(lns.sessionState(id)).toBeUndefined();
  });

  it('OCRP for an incoming call of ours (waiting for ICRP)', () => {
    const { lns, peer } = lnsWithPeer();
    const id = opened(peer.local({ type: 'openSession', call: { kind: 'incoming' } }));
    const { cdn, down } = cdnDown(peer.send({ type: M.OCRP, sessionId: id, assignedSessionId: 77 }));
    expect(cdn.resultCode?.message).toBe('unexpected OCRP for a incoming call in state wait-reply');
    expect(down.error?.code).toBe('PROTOCOL');
    expect(lns.sessionState(id)).toBeUndefined();
  });

  it('ICCN for an outgoing call of ours that got its OCRP (waiting for OCCN)', () => {
    const { lns, peer } = lnsWithPeer();
    const id = opened(peer.local({ type: 'openSession', call: { kind: 'outgoing', calledNumber: '1' } }));
    expect(controlSent(peer.send({ type: M.OCRP, sessionId: id, assignedSessionId: 77 }))).toEqual([]);
    expect(lns.sessionState(id)).toBe('wait-connect');
    const acts = peer.send({ type: M.ICCN, sessionId: id, txConnectSpeed: 1, framingType: 1 });
    expect(cdnDown(acts).cdn.resultCode?.message).toBe('unexpected ICCN for a outgoing call in state wait-connect');
    expect(of(acts, 'session-up')).toEqual([]);
  });

  it('OCCN for the peer’s incoming call (waiting for ICCN)', () => {
    const { lns, peer } = lnsWithPeer();
    const id = peerIcrq(lns, peer);
    const acts = peer.send({ type: M.OCCN, sessionId: id, txConnectSpeed: 1, framingType: 1 });
    const { cdn } = cdnDown(acts);
    expect(cdn.resultCode?.message).toBe('unexpected OCCN for a incoming call in state wait-connect');
    expect(cdn.sessionId).toBe(55);
    expect(of(acts, 'session-up')).toEqual([]);
  });

  it('WEN and SLI before the call is up; no wen/sli action, no internal error', () => {
    for (const [type, fields] of [[M.WEN, { callErrors: { crcErrors: 1, framingErrors: 0, hardwareOverruns: 0, bufferOverruns: 0, timeoutErrors: 0, alignmentErrors: 0 } }], [M.SLI, { accm: { send: 0, receive: 0 } }]] as const) {
      const { lns, peer } = lnsWithPeer();
      const id = opened(peer.local({ type: 'openSession', call: { kind: 'incoming' } }));
      const acts = peer.send({ type, sessionId: id, ...fields });
      const name = type === M.WEN ? 'WEN' : 'SLI';
      expect(cdnDown(acts).cdn.resultCode?.message).toBe(`unexpected ${name} for a incoming call in state wait-reply`);
      expect(acts.map((a) => a.type)).not.toContain('wen');
      expect(acts.map((a) => a.type)).not.toContain('sli');
      expect(of(acts, 'error')).toEqual([]);
      expect(lns.sessionCount).toBe(0);
    }
  });
});

describe('which call a message is for (RFC 2661 §3.1 header Session ID, §6.12 CDN)', () => {
  it('a message for no live session is only acked: nothing reported, nothing cleared', () => {
    const { lns, peer } = lnsWithPeer();
    const id = peerIcrq(lns, peer);
    const acts = peer.send({ type: M.WEN, sessionId: id ^ 0x8000, callErrors: { crcErrors: 1, framingErrors: 0, hardwareOverruns: 0, bufferOverruns: 0, timeoutErrors: 0, alignmentErrors: 0 } });
    expect(acts.filter((a) => a.type !== 'send')).toEqual([]);
    expect(controlSent(acts)).toEqual([]);
    expect(lns.sessionState(id)).toBe('wait-connect');
  });

  it('only a CDN is matched by the peer’s Assigned Session ID: an ICRP with Session ID 0 naming a call is ignored', () => {
    const { lns, peer } = lnsWithPeer();
    const id = peerIcrq(lns, peer, 55);
    const acts = peer.send({ type: M.ICRP, sessionId: 0, assignedSessionId: 55 });
    expect(acts.filter((a) => a.type !== 'send')).toEqual([]);
    expect(controlSent(acts)).toEqual([]);
    expect(lns.sessionState(id)).toBe('wait-connect');
  });

  it('a CDN is for the call its header Session ID names, even if its Assigned Session ID is another call’s', () => {
    const { lns, peer } = lnsWithPeer();
    const a = peerIcrq(lns, peer, 55);
    const b = peerIcrq(lns, peer, 66);
    const acts = peer.send({ type: M.CDN, sessionId: a, assignedSessionId: 66, resultCode: { result: 1 } });
    expect(of(acts, 'session-down').map((d) => d.sessionId)).toEqual([a]);
    expect(lns.sessionState(a)).toBeUndefined();
    expect(lns.sessionState(b)).toBe('wait-connect');
  });

  it('the peer’s CDN: session-down with its Result Code, no cause field when it sent none, and PEER_STOPPED', () => {
    const { lns, peer } = lnsWithPeer();
    const id = peerIcrq(lns, peer);
    const [down] = of(peer.send({ type: M.CDN, sessionId: id, assignedSessionId: 55, resultCode: { result: 3 } }), 'session-down');
    expect(Object.keys(down!)).toEqual(['type', 'sessionId', 'by', 'result', 'error']);
    expect(down).toMatchObject({ type: 'session-down', sessionId: id, by: 'peer', result: { result: 3 } });
    expect(down!.error).toMatchObject({ code: 'PEER_STOPPED', message: `peer sent CDN for session ${id} (result 3)` });
  });

  it('lenient: a CDN without Result Code still clears the call; no result field, no result in the message', () => {
    const { lns, peer } = lnsWithPeer({ lenient: true });
    const id = peerIcrq(lns, peer);
    const acts = peer.send({ type: M.CDN, sessionId: id, assignedSessionId: 55 });
    const [down] = of(acts, 'session-down');
    expect(Object.keys(down!)).toEqual(['type', 'sessionId', 'by', 'error']);
    expect(down!.error?.message).toBe(`peer sent CDN for session ${id}`);
    expect(lns.sessionCount).toBe(0);
  });
});

describe('replies without the peer’s Session ID (lenient; RFC 2661 §6.7, §6.10 require it)', () => {
  for (const [kind, type, name] of [['incoming', M.ICRP, 'ICRP'], ['outgoing', M.OCRP, 'OCRP']] as const) {
    it(`${name} without Assigned Session ID: our CDN 2/6 names the AVP; no ICCN`, () => {
      const { lns, peer } = lnsWithPeer({ lenient: true });
      const call = kind === 'incoming' ? { kind } : { kind, calledNumber: '1' };
      const id = opened(peer.local({ type: 'openSession', call }));
      const acts = peer.send({ type, sessionId: id });
      const { cdn, down } = cdnDown(acts);
      expect(cdn.resultCode).toEqual({ result: 2, error: 6, message: `${name} without Assigned Session ID` });
      expect(down.error).toMatchObject({ code: 'PROTOCOL', message: `${name} without Assigned Session ID` });
      expect(controlSent(acts).map((m) => m.typeName)).toEqual(['CDN']);
      expect(lns.sessionState(id)).toBeUndefined();
    });
  }
});

describe('WEN (§6.13)', () => {
  it('lenient: a WEN without Call Errors is reported as such, not as a wen action', () => {
    const { lns, peer } = lnsWithPeer({ lenient: true });
    const id = peerIcrq(lns, peer);
    peer.send({ type: M.ICCN, sessionId: id, txConnectSpeed: 1, framingType: 1 });
    const acts = peer.send({ type: M.WEN, sessionId: id });
    expect(of(acts, 'wen')).toEqual([]);
    expect(of(acts, 'error').map((a) => a.error.code)).toEqual(['MISSING_AVP']);
    expect(lns.sessionState(id)).toBe('established');
  });
});

describe('the peer’s requests (RFC 2661 §6.6, §6.9)', () => {
  it('an ICRQ without Assigned Session ID cannot be answered: one MISSING_AVP error, nothing sent', () => {
    const { lns, peer } = lnsWithPeer();
    const acts = peer.send({ type: M.ICRQ, sessionId: 0, callSerialNumber: 1 });
    const errors = of(acts, 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.error).toMatchObject({ code: 'MISSING_AVP', message: 'ICRQ without Assigned Session ID: ignored' });
    expect(controlSent(acts)).toEqual([]);
    expect(lns.sessionCount).toBe(0);
  });

  it('a broken ICRQ is refused with a CDN and reported as a PROTOCOL error; a refusal by policy is not an error', () => {
    const { lns, peer } = lnsWithPeer();
    const acts = peer.send({ type: M.ICRQ, sessionId: 0, assignedSessionId: 55 });
    expect(controlSent(acts).map((m) => m.typeName)).toEqual(['CDN']);
    const errors = of(acts, 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.error).toMatchObject({ code: 'PROTOCOL', message: 'ICRQ refused: ICRQ without the Call Serial Number AVP that RFC 2661 §6.6 requires' });
    expect(lns.sessionCount).toBe(0);
    const closed = lnsWithPeer({ acceptCalls: false });
    const refused = closed.peer.send({ type: M.ICRQ, sessionId: 0, assignedSessionId: 55, callSerialNumber: 1 });
    expect(controlSent(refused).map((m) => [m.typeName, m.resultCode?.result])).toEqual([['CDN', 3]]);
    expect(refused.filter((a) => a.type !== 'send')).toEqual([]);
  });

  it('the peer’s OCRQ: OCRP and OCCN at once, and the call is established (usable for frames)', () => {
    const { lns, peer } = lnsWithPeer({ bearerCapabilities: 2 });
    const acts = peer.send({ type: M.OCRQ, sessionId: 0, assignedSessionId: 55, callSerialNumber: 1, minimumBps: 0, maximumBps: 64_000, bearerType: 2, framingType: 1, calledNumber: '5' });
    expect(controlSent(acts).map((m) => m.typeName)).toEqual(['OCRP', 'OCCN']);
    const id = of(acts, 'session-up')[0]!.sessionId;
    expect(lns.sessionState(id)).toBe('established');
    expect(peer.local({ type: 'sendFrame', sessionId: id, frame: new Uint8Array([0xff, 0x03]) })).toHaveLength(1);
  });
});

describe('v2 has no session tie breaking (RFC 3931 §5.4.4 is v3 only)', () => {
  it('our ICRQ waiting, and the peer’s ICRQ carrying v3’s Remote End ID (66) and Session Tie Breaker (5) AVPs, M=0: answered as any ICRQ, ours untouched', () => {
    const { lns, peer } = lnsWithPeer();
    const mine = opened(peer.local({ type: 'openSession', call: { kind: 'incoming' } }));
    expect(lns.sessionState(mine)).toBe('wait-reply');
    // Not v2 AVPs in an ICRQ: with M=0 they may be ignored (RFC 2661 §4.1), and nothing may break.
    const extraAvps = [{ type: 66, value: Uint8Array.of(0x65), mandatory: false }, { type: 5, value: new Uint8Array(8), mandatory: false }];
    const acts = peer.send({ type: M.ICRQ, sessionId: 0, assignedSessionId: 55, callSerialNumber: 9, extraAvps });
    expect(controlSent(acts).map((m) => m.typeName)).toEqual(['ICRP']);
    expect(of(acts, 'error')).toEqual([]);
    expect(of(acts, 'session-down')).toEqual([]);
    expect(lns.sessionState(mine)).toBe('wait-reply');
    expect(lns.sessionCount).toBe(2);
  });
});
