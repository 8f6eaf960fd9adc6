/**
 * The session table seen from the user's side: what each local call does and says when misused
 * (RangeError/TypeError texts are the documented contract), the exact session-down actions, and
 * the handshake deadlines of calls being set up (a local timer: RFC 2661 §7.4/§7.5 name no time)
 * when the driver follows nextDeadline(). Virtual clock only.
 */
import { describe, expect, it } from 'vitest';
import type { TunnelFsm } from '../../src/fsm/index.js';
import { MessageType as M } from '../../src/wire/message-catalog.js';
import { actionsOf, CraftedPeer, controlSent, lnsWithPeer, opened } from './crafted-peer.js';
import { expectLocalError } from '../support/local-errors.js';

const H = 20_000; // handshakeTimeout (ms)
const withPeer = (o: Parameters<typeof lnsWithPeer>[0] = {}) => lnsWithPeer({ handshakeTimeout: H, ...o });
const HELLO = 6;


const of = actionsOf;

/** Tick as a driver does, at each nextDeadline() up to `until`: when each session went down, and why. */
function tickUntil(peer: CraftedPeer, until: number): { at: number; sessionId: number; message: string | undefined }[] {
  const downs: { at: number; sessionId: number; message: string | undefined }[] = [];
  for (let d = peer.fsm.nextDeadline(); d !== undefined && d <= until; d = peer.fsm.nextDeadline()) {
    for (const a of of(peer.local({ type: 'tick' }, d), 'session-down')) downs.push({ at: d, sessionId: a.sessionId, message: a.error?.message });
  }
  return downs;
}

/** The peer's call (ICRQ, ICCN): established on our side. */
function peerCallUp(lns: TunnelFsm, peer: CraftedPeer): number {
  peer.send({ type: M.ICRQ, sessionId: 0, assignedSessionId: 55, callSerialNumber: 9 });
  const id = lns.sessionIds().at(-1)!;
  peer.send({ type: M.ICCN, sessionId: id, txConnectSpeed: 64_000, framingType: 1 });
  expect(lns.sessionState(id)).toBe('established');
  return id;
}

describe('openSession misuse (local errors)', () => {
  it('call options that are not an object: TypeError saying what to pass', () => {
    const { lns, peer } = withPeer();
    for (const call of [null, 'incoming', 7]) {
      expectLocalError(() => peer.local({ type: 'openSession', call: call as never }), TypeError, 'openSession needs call options: { kind: "incoming" } or { kind: "outgoing", calledNumber }');
    }
    expect(lns.sessionCount).toBe(0);
  });

  it('maxSessions local calls open; the next one is a RangeError naming the limit', () => {
    const { lns, peer } = withPeer({ maxSessions: 2 });
    peer.local({ type: 'openSession', call: { kind: 'incoming' } });
    peer.local({ type: 'openSession', call: { kind: 'incoming' } });
    expect(lns.sessionCount).toBe(2);
    expectLocalError(() => peer.local({ type: 'openSession', call: { kind: 'incoming' } }), RangeError, 'this tunnel already has maxSessions (2) sessions; close one or raise options.maxSessions');
    expect(lns.sessionCount).toBe(2);
  });

  it('L2TPv2: a pseudowire call, an unknown kind, an outgoing call without Called Number, SLI without ACCM', () => {
    const { lns, peer } = withPeer();
    const v3Call = { kind: 'incoming', remoteEndId: new Uint8Array(1) } as never;
    expectLocalError(() => peer.local({ type: 'openSession', call: v3Call }), TypeError, 'remoteEndId makes this an L2TPv3 pseudowire call, and this tunnel speaks L2TPv2: open the tunnel with version: 3');
    expectLocalError(() => peer.local({ type: 'openSession', call: { kind: 'both' } as never }), TypeError, "call.kind must be 'incoming' or 'outgoing', got both");
    expectLocalError(() => peer.local({ type: 'openSession', call: { kind: 'outgoing' } as never }), TypeError, 'an outgoing call needs calledNumber (RFC 2661 §6.9: OCRQ requires Called Number)');
    expect(lns.sessionCount).toBe(0);
    const id = peerCallUp(lns, peer);
    expectLocalError(() => peer.local({ type: 'sendSli', sessionId: id } as never), TypeError, 'sendSli on an L2TPv2 tunnel needs accm (RFC 2661 §6.14)');
  });
});

describe('per-session calls on a call that is not up, or not there', () => {
  it('sendFrame, sendWen, sendSli before session-up: TypeError naming the call and the state', () => {
    const { peer } = withPeer();
    const id = opened(peer.local({ type: 'openSession', call: { kind: 'incoming' } }));
    const tail = `: session ${id} is wait-reply; wait for its session-up action`;
    expectLocalError(() => peer.local({ type: 'sendFrame', sessionId: id, frame: new Uint8Array(2) }), TypeError, `sendFrame${tail}`);
    expectLocalError(() => peer.local({ type: 'sendWen', sessionId: id, callErrors: { crcErrors: 0, framingErrors: 0, hardwareOverruns: 0, bufferOverruns: 0, timeoutErrors: 0, alignmentErrors: 0 } }), TypeError, `sendWen${tail}`);
    expectLocalError(() => peer.local({ type: 'sendSli', sessionId: id, accm: { send: 0, receive: 0 } }), TypeError, `sendSli${tail}`);
  });

  it('a frame that is not bytes; a session ID never opened', () => {
    const { lns, peer } = withPeer();
    const id = peerCallUp(lns, peer);
    expectLocalError(() => peer.local({ type: 'sendFrame', sessionId: id, frame: [1, 2] as never }), TypeError, 'frame must be a Uint8Array, got object');
    const other = id === 1 ? 2 : 1;
    expectLocalError(() => peer.local({ type: 'closeSession', sessionId: other }), RangeError, `no live session with local Session ID ${other} on this tunnel (it was never opened, or is already down)`);
  });

  it('pseudowire() on an L2TPv2 tunnel: undefined for a live call and for an unknown one', () => {
    const { lns, peer } = withPeer();
    const id = peerCallUp(lns, peer);
    expect(lns.pseudowire(id)).toBeUndefined();
    expect(lns.pseudowire(id === 1 ? 2 : 1)).toBeUndefined();
  });
});

describe('session-down actions carry exactly what is known', () => {
  it('closeSession: the result we sent, and the Q.931 cause only when one was given', () => {
    const { lns, peer } = withPeer();
    const a = peerCallUp(lns, peer);
    expect(of(peer.local({ type: 'closeSession', sessionId: a }), 'session-down')).toStrictEqual([{ type: 'session-down', sessionId: a, by: 'local', result: { result: 3 } }]);
    const b = peerCallUp(lns, peer);
    const cause = { cause: 16, message: 0 };
    const acts = peer.local({ type: 'closeSession', sessionId: b, result: { result: 2, error: 6 }, cause });
    expect(of(acts, 'session-down')).toStrictEqual([{ type: 'session-down', sessionId: b, by: 'local', result: { result: 2, error: 6 }, cause }]);
    expect(controlSent(acts)[0]).toMatchObject({ typeName: 'CDN', q931CauseCode: cause });
  });

  it('closing the tunnel ourselves takes its calls down with no error attached', () => {
    const { lns, peer } = withPeer();
    const id = peerCallUp(lns, peer);
    expect(of(peer.local({ type: 'close' }), 'session-down')).toStrictEqual([{ type: 'session-down', sessionId: id, by: 'local' }]);
    expect(lns.sessionCount).toBe(0);
  });

  it('the call record lists its fields in the RFC’s AVP order (§4.4.5), only those it has', () => {
    const { lns, peer } = withPeer();
    const id = opened(peer.local({ type: 'openSession', call: { kind: 'incoming', txConnectSpeed: 9600 } }));
    const acts = peer.send({ type: M.ICRP, sessionId: id, assignedSessionId: 77 });
    expect(controlSent(acts).map((m) => m.typeName)).toEqual(['ICCN']);
    const call = of(acts, 'session-up')[0]!.call;
    expect(Object.keys(call)).toEqual(['callSerialNumber', 'framingType', 'txConnectSpeed']);
    expect(call).toMatchObject({ framingType: 1, txConnectSpeed: 9600 });
    expect(lns.sessionState(id)).toBe('established');
  });
});

describe('calls being set up are given up after handshakeTimeout, at the deadline nextDeadline() names', () => {
  it('two waiting calls: each goes down at its own deadline, the earlier first', () => {
    const { peer } = withPeer();
    const a = opened(peer.local({ type: 'openSession', call: { kind: 'incoming' } }, 100));
    const b = opened(peer.local({ type: 'openSession', call: { kind: 'incoming' } }, 5_000));
    peer.send({ type: HELLO, sessionId: 0 }, 5_010); // acks both ICRQs
    expect(tickUntil(peer, 100_000)).toEqual([
      { at: 100 + H, sessionId: a, message: `no ICRP within ${H} ms (handshakeTimeout)` },
      { at: 5_000 + H, sessionId: b, message: `no ICRP within ${H} ms (handshakeTimeout)` },
    ]);
  });

  it('a call that comes up and one closed meanwhile do not cancel the deadline of one still waiting', () => {
    const { lns, peer } = withPeer();
    const up = peerCallUp(lns, peer);
    const waiting = opened(peer.local({ type: 'openSession', call: { kind: 'incoming' } }, 100));
    peer.local({ type: 'closeSession', sessionId: up }, 200);
    peer.send({ type: HELLO, sessionId: 0 }, 300);
    expect(tickUntil(peer, 100_000)).toEqual([{ at: 100 + H, sessionId: waiting, message: `no ICRP within ${H} ms (handshakeTimeout)` }]);
  });

  it('outgoing calls: no OCRP, then (after an OCRP) no OCCN', () => {
    const { peer } = withPeer();
    const a = opened(peer.local({ type: 'openSession', call: { kind: 'outgoing', calledNumber: '1' } }, 100));
    const b = opened(peer.local({ type: 'openSession', call: { kind: 'outgoing', calledNumber: '2' } }, 100));
    peer.send({ type: M.OCRP, sessionId: b, assignedSessionId: 66 }, 1_000);
    expect(tickUntil(peer, 100_000)).toEqual([
      { at: 100 + H, sessionId: a, message: `no OCRP within ${H} ms (handshakeTimeout)` },
      { at: 1_000 + H, sessionId: b, message: `no OCCN within ${H} ms (handshakeTimeout)` },
    ]);
  });
});
