/**
 * L2TPv3 session edges through the shared session table (RFC 3931 §5.4.4, §7.3): a reply whose
 * Data Sequencing level is out of range clears the call with a CDN; the Session Tie Breaker only
 * settles two ICRQs for the same circuit (Remote End ID) that cross, not an established call nor
 * a circuit whose name merely starts the same. Messages from the peer are crafted by hand.
 */
import { describe, expect, it } from 'vitest';
import type { TunnelAction, TunnelFsm } from '../../src/fsm/index.js';
import { MessageType as M } from '../../src/wire/message-catalog.js';
import { actionsOf, CraftedPeer, controlSent, lnsWithPeer, opened } from './crafted-peer.js';

const v3 = () => lnsWithPeer({ version: 3 }, { version: 3 });

const of = actionsOf;
const eth = (name: string) => new TextEncoder().encode(name);
const BAD_SEQ = 'Data Sequencing level 3: 0, 1 or 2 (RFC 3931 §5.4.4)';

/** The peer's ICRQ for circuit `end` (its Local Session ID `peerId`). */
function icrq(peer: CraftedPeer, end: string, peerId: number, tieBreaker?: Uint8Array): TunnelAction[] {
  return peer.send({ type: M.ICRQ, localSessionId: peerId, remoteSessionId: 0, callSerialNumber: 1, pseudowireType: 5, remoteEndId: eth(end), circuitStatus: 3, tieBreaker });
}

function expectCleared(lns: TunnelFsm, id: number, acts: TunnelAction[], message: string): void {
  const cdn = controlSent(acts).filter((m) => m.typeName === 'CDN');
  expect(cdn).toHaveLength(1);
  expect(cdn[0]!.resultCode).toEqual({ result: 2, error: 3, message });
  expect(of(acts, 'session-down')).toMatchObject([{ sessionId: id, by: 'local', error: { code: 'PROTOCOL', message } }]);
  expect(of(acts, 'session-up')).toEqual([]);
  expect(lns.sessionState(id)).toBeUndefined();
  expect(lns.sessionCount).toBe(0);
}

describe('v3 replies with a Data Sequencing level out of range (RFC 3931 §5.4.4: 0, 1 or 2)', () => {
  it('ICRP: CDN 2/3 (a value out of range) and the call is gone; no ICCN', () => {
    const { lns, peer } = v3();
    const id = opened(peer.local({ type: 'openSession', call: { kind: 'incoming', remoteEndId: 'eth0' } }));
    const acts = peer.send({ type: M.ICRP, localSessionId: 77, remoteSessionId: id, circuitStatus: 3, dataSequencing: 3 });
    expect(controlSent(acts).map((m) => m.typeName)).toEqual(['CDN']);
    expectCleared(lns, id, acts, BAD_SEQ);
  });

  it('OCRP: the same', () => {
    const { lns, peer } = v3();
    const id = opened(peer.local({ type: 'openSession', call: { kind: 'outgoing', remoteEndId: 'eth0' } }));
    expectCleared(lns, id, peer.send({ type: M.OCRP, localSessionId: 77, remoteSessionId: id, circuitStatus: 3, dataSequencing: 3 }), BAD_SEQ);
  });

  it('ICCN for the peer’s call: the same, and no session-up', () => {
    const { lns, peer } = v3();
    expect(controlSent(icrq(peer, 'eth0', 55)).map((m) => m.typeName)).toEqual(['ICRP']);
    const id = lns.sessionIds()[0]!;
    expectCleared(lns, id, peer.send({ type: M.ICCN, localSessionId: 55, remoteSessionId: id, circuitStatus: 3, dataSequencing: 3 }), BAD_SEQ);
  });
});

describe('which call a v3 session message is for (RFC 3931 §5.4.4: Remote Session ID names ours)', () => {
  it('a Remote Session ID that names no call of ours is not matched by its Local Session ID: ignored', () => {
    const { lns, peer } = v3();
    const id = opened(peer.local({ type: 'openSession', call: { kind: 'incoming', remoteEndId: 'eth0' } }));
    peer.send({ type: M.ICRP, localSessionId: 77, remoteSessionId: id, circuitStatus: 3 });
    expect(lns.sessionState(id)).toBe('established');
    // The peer's call 77, but addressed to a Session ID we never gave out.
    const acts = peer.send({ type: M.SLI, localSessionId: 77, remoteSessionId: (id ^ 1) >>> 0, circuitStatus: 1 });
    expect(acts.filter((a) => a.type !== 'send')).toEqual([]);
    expect(controlSent(acts).map((m) => m.typeName)).toEqual(['ACK']); // acked (RFC 3931 §6.15), nothing more
    // The same, addressed to ours: delivered.
    expect(of(peer.send({ type: M.SLI, localSessionId: 77, remoteSessionId: id, circuitStatus: 1 }), 'circuit-status')).toEqual([{ type: 'circuit-status', sessionId: id, circuitStatus: 1 }]);
  });
});

describe('v3 Session Tie Breaker only for crossing ICRQs of one circuit (RFC 3931 §5.4.4)', () => {
  const low = new Uint8Array(8);
  const high = new Uint8Array(8).fill(0xff);

  it('a circuit whose Remote End ID only starts like ours is another circuit: both calls go on', () => {
    for (const [ours, theirs] of [['eth0', 'eth01'], ['eth01', 'eth0']] as const) {
      const { lns, peer } = v3();
      const id = opened(peer.local({ type: 'openSession', call: { kind: 'incoming', remoteEndId: ours, tieBreaker: high } }));
      const acts = icrq(peer, theirs, 55, low);
      expect(controlSent(acts).map((m) => m.typeName)).toEqual(['ICRP']);
      expect(of(acts, 'session-down')).toEqual([]);
      expect(lns.sessionState(id)).toBe('wait-reply');
      expect(lns.sessionCount).toBe(2);
    }
  });

  it('our call for the circuit is already up: the peer’s ICRQ is no tie, whichever value is lower', () => {
    for (const [ours, theirs] of [[low, high], [high, low]] as const) {
      const { lns, peer } = v3();
      const id = opened(peer.local({ type: 'openSession', call: { kind: 'incoming', remoteEndId: 'eth0', tieBreaker: ours } }));
      peer.send({ type: M.ICRP, localSessionId: 77, remoteSessionId: id, circuitStatus: 3 });
      expect(lns.sessionState(id)).toBe('established');
      const acts = icrq(peer, 'eth0', 55, theirs);
      expect(controlSent(acts).map((m) => m.typeName)).toEqual(['ICRP']);
      expect(of(acts, 'session-down')).toEqual([]);
      expect(lns.sessionState(id)).toBe('established');
    }
  });

  it('crossing ICRQs: the lower value wins; ours won: CDN 13 for theirs; ours lost: our call goes, theirs is answered', () => {
    const won = v3();
    const ours = opened(won.peer.local({ type: 'openSession', call: { kind: 'incoming', remoteEndId: 'eth0', tieBreaker: low } }));
    const refused = won.peer.send({ type: M.ICRQ, localSessionId: 55, remoteSessionId: 0, callSerialNumber: 1, pseudowireType: 5, remoteEndId: eth('eth0'), circuitStatus: 3, tieBreaker: high });
    const cdn = controlSent(refused);
    expect(cdn.map((m) => [m.typeName, m.resultCode?.result, m.remoteSessionId])).toEqual([['CDN', 13, 55]]);
    expect(cdn[0]!.resultCode?.message).toMatch(/tie breaker/);
    expect(won.lns.sessionState(ours)).toBe('wait-reply');

    const lost = v3();
    const mine = opened(lost.peer.local({ type: 'openSession', call: { kind: 'incoming', remoteEndId: 'eth0', tieBreaker: high } }));
    const acts = icrq(lost.peer, 'eth0', 55, low);
    expect(controlSent(acts).map((m) => m.typeName)).toEqual(['ICRP']);
    expect(of(acts, 'session-down')).toMatchObject([{ sessionId: mine, by: 'peer', error: { code: 'PROTOCOL' } }]);
    expect(of(acts, 'session-down')[0]!.error?.message).toMatch(/tie breaker/);
    expect(lost.lns.sessionState(mine)).toBeUndefined();
    expect(lost.lns.sessionCount).toBe(1);
  });

  it('a broken ICRQ is refused for what is wrong with it and takes no part in tie breaking', () => {
    const { lns, peer } = v3();
    const mine = opened(peer.local({ type: 'openSession', call: { kind: 'incoming', remoteEndId: 'eth0', tieBreaker: high } }));
    // No Circuit Status: an AVP RFC 3931 §6.6 requires in ICRQ.
    const acts = peer.send({ type: M.ICRQ, localSessionId: 55, remoteSessionId: 0, callSerialNumber: 1, pseudowireType: 5, remoteEndId: eth('eth0'), tieBreaker: low });
    expect(controlSent(acts).map((m) => [m.typeName, m.resultCode?.result])).toEqual([['CDN', 2]]);
    expect(of(acts, 'session-down')).toEqual([]);
    expect(lns.sessionState(mine)).toBe('wait-reply');
  });
});

describe('v3 Session Tie Breaker edges, settled as RFC 3931 §5.4.3 settles crossing SCCRQs', () => {
  const low = new Uint8Array(8);
  const high = new Uint8Array(8).fill(0xff);
  const mid = Uint8Array.of(0x80, 0, 0, 0, 0, 0, 0, 1);

  it('only our ICRQ carries a value: ours wins, theirs gets CDN 13', () => {
    const { lns, peer } = v3();
    const mine = opened(peer.local({ type: 'openSession', call: { kind: 'incoming', remoteEndId: 'eth0', tieBreaker: high } }));
    const acts = icrq(peer, 'eth0', 55);
    expect(controlSent(acts).map((m) => [m.typeName, m.resultCode?.result, m.remoteSessionId])).toEqual([['CDN', 13, 55]]);
    expect(of(acts, 'session-down')).toEqual([]);
    expect(lns.sessionState(mine)).toBe('wait-reply');
    expect(lns.sessionCount).toBe(1);
  });

  it('only the peer’s ICRQ carries a value: it wins; our call goes and theirs is answered', () => {
    const { lns, peer } = v3();
    const mine = opened(peer.local({ type: 'openSession', call: { kind: 'incoming', remoteEndId: 'eth0' } }));
    const acts = icrq(peer, 'eth0', 55, high);
    expect(controlSent(acts).map((m) => m.typeName)).toEqual(['ICRP']);
    expect(of(acts, 'session-down')).toMatchObject([{ sessionId: mine, by: 'peer', error: { code: 'PROTOCOL', message: expect.stringMatching(/won the session tie breaker/) } }]);
    expect(lns.sessionState(mine)).toBeUndefined();
    expect(lns.sessionCount).toBe(1);
  });

  it('neither carries a value: two calls for the circuit are meant, both go on', () => {
    const { lns, peer } = v3();
    const mine = opened(peer.local({ type: 'openSession', call: { kind: 'incoming', remoteEndId: 'eth0' } }));
    const acts = icrq(peer, 'eth0', 55);
    expect(controlSent(acts).map((m) => m.typeName)).toEqual(['ICRP']);
    expect(of(acts, 'session-down')).toEqual([]);
    expect(lns.sessionState(mine)).toBe('wait-reply');
    expect(lns.sessionCount).toBe(2);
  });

  it('equal values: both calls are discarded — ours goes down, theirs gets CDN 13, nothing is left', () => {
    for (const v of [low, mid, high]) {
      const { lns, peer } = v3();
      const mine = opened(peer.local({ type: 'openSession', call: { kind: 'incoming', remoteEndId: 'eth0', tieBreaker: v } }));
      const acts = icrq(peer, 'eth0', 55, v.slice());
      expect(controlSent(acts).map((m) => [m.typeName, m.resultCode?.result, m.remoteSessionId])).toEqual([['CDN', 13, 55]]);
      expect(controlSent(acts)[0]!.resultCode?.message).toBe('equal session tie breakers (RFC 3931 §5.4.3, §5.4.4)');
      expect(of(acts, 'session-down')).toMatchObject([{ sessionId: mine, by: 'peer', error: { code: 'PROTOCOL', message: expect.stringMatching(/equal Session Tie Breakers/) } }]);
      expect(lns.sessionState(mine)).toBeUndefined();
      expect(lns.sessionCount).toBe(0);
    }
  });

  it('values that differ only in their last byte are not equal: the lower wins', () => {
    const { lns, peer } = v3();
    const mine = opened(peer.local({ type: 'openSession', call: { kind: 'incoming', remoteEndId: 'eth0', tieBreaker: mid } }));
    const theirs = mid.slice();
    theirs[7] = 0;
    const acts = icrq(peer, 'eth0', 55, theirs);
    expect(controlSent(acts).map((m) => m.typeName)).toEqual(['ICRP']);
    expect(lns.sessionState(mine)).toBeUndefined();
  });

  it('our waiting call for the circuit is an outgoing one (OCRQ): an ICRQ for it is no tie, both go on', () => {
    for (const [ours, theirs] of [[low, high], [high, low], [high, undefined]] as const) {
      const { lns, peer } = v3();
      const mine = opened(peer.local({ type: 'openSession', call: { kind: 'outgoing', remoteEndId: 'eth0', tieBreaker: ours } }));
      const acts = icrq(peer, 'eth0', 55, theirs);
      expect(controlSent(acts).map((m) => m.typeName)).toEqual(['ICRP']);
      expect(of(acts, 'session-down')).toEqual([]);
      expect(lns.sessionState(mine)).toBe('wait-reply');
    }
  });

  it('a lenient LCCE takes an ICRQ without Remote End ID (§6.6 requires it) as naming no circuit: no tie', () => {
    const { lns, peer } = lnsWithPeer({ version: 3, lenient: true }, { version: 3 });
    const mine = opened(peer.local({ type: 'openSession', call: { kind: 'incoming', remoteEndId: 'eth0', tieBreaker: high } }));
    const acts = peer.send({ type: M.ICRQ, localSessionId: 55, remoteSessionId: 0, callSerialNumber: 1, pseudowireType: 5, circuitStatus: 3, tieBreaker: low });
    expect(controlSent(acts).map((m) => m.typeName)).toEqual(['ICRP']);
    expect(of(acts, 'session-down')).toEqual([]);
    expect(lns.sessionState(mine)).toBe('wait-reply');
  });
});

describe('a lenient v3 LCCE and an ICRQ missing what RFC 3931 §6.6 requires', () => {
  it('no Pseudowire Type: CDN 14 (unsupported) saying none was sent, reported, nothing thrown', () => {
    const { lns, peer } = lnsWithPeer({ version: 3, lenient: true }, { version: 3 });
    const acts = peer.send({ type: M.ICRQ, localSessionId: 55, remoteSessionId: 0, callSerialNumber: 1, remoteEndId: eth('eth0'), circuitStatus: 3 });
    const cdn = controlSent(acts).filter((m) => m.typeName === 'CDN');
    expect(cdn.map((m) => [m.resultCode?.result, m.remoteSessionId])).toEqual([[14, 55]]);
    expect(cdn[0]!.resultCode?.message).toMatch(/^no Pseudowire Type \(RFC 3931 §6\.6 requires one; we support 5/);
    expect(of(acts, 'error').map((a) => a.error.message).join('\n')).not.toMatch(/internal error/);
    expect(lns.sessionCount).toBe(0);
  });
});
