/**
 * What an L2TPv2 session says (RFC 2661 §6.6–§6.14): the call options checked before an ICRQ or
 * OCRQ goes out (RangeError/TypeError texts are the documented contract), the OCCN we answer a
 * peer's OCRQ with (§6.9 Framing Type and Maximum BPS offered → §6.11 Framing Type and Connect
 * Speed), the OCRP's Physical Channel ID (§6.10), and data sequencing on a call we asked the
 * peer to place (§5.4: the LNS decides). The peer's messages are crafted by hand.
 */
import { describe, expect, it } from 'vitest';
import type { TunnelFsm } from '../../src/fsm/index.js';
import { encodeData } from '../../src/wire/data.js';
import { MessageType as M } from '../../src/wire/message-catalog.js';
import { actionsOf, controlSent, lnsWithPeer, opened } from './crafted-peer.js';
import { expectLocalError } from '../support/local-errors.js';


const of = actionsOf;
const range = (what: string, v: number) => `${what} must be an integer from 0 to 4294967295, got ${v}`;

describe('call options are checked before the request goes out', () => {
  it('incoming: framingType, txConnectSpeed and rxConnectSpeed must be 32-bit unsigned integers', () => {
    const { lns, peer } = lnsWithPeer();
    const open = (call: object) => () => peer.local({ type: 'openSession', call: { kind: 'incoming', ...call } });
    expectLocalError(open({ framingType: -1 }), RangeError, range('call.framingType', -1));
    expectLocalError(open({ txConnectSpeed: -2 }), RangeError, range('call.txConnectSpeed', -2));
    expectLocalError(open({ rxConnectSpeed: -3 }), RangeError, range('call.rxConnectSpeed', -3));
    expect(lns.sessionCount).toBe(0);
  });

  it('outgoing: bearerType and framingType likewise; a Remote End ID belongs to L2TPv3', () => {
    const { lns, peer } = lnsWithPeer();
    const open = (call: object) => () => peer.local({ type: 'openSession', call: { kind: 'outgoing', calledNumber: '1', ...call } });
    expectLocalError(open({ bearerType: -1 }), RangeError, range('call.bearerType', -1));
    expectLocalError(open({ framingType: -4 }), RangeError, range('call.framingType', -4));
    expectLocalError(open({ remoteEndId: 'eth0' }), TypeError, 'remoteEndId makes this an L2TPv3 pseudowire call, and this tunnel speaks L2TPv2: open the tunnel with version: 3');
    expect(lns.sessionCount).toBe(0);
  });
});

describe('our outgoing call (we are its LNS)', () => {
  it('the OCRP’s Physical Channel ID goes into the call record; without one the record has no such field', () => {
    const { peer } = lnsWithPeer();
    const a = opened(peer.local({ type: 'openSession', call: { kind: 'outgoing', calledNumber: '1' } }));
    peer.send({ type: M.OCRP, sessionId: a, assignedSessionId: 70, physicalChannelId: 7 });
    const upA = of(peer.send({ type: M.OCCN, sessionId: a, txConnectSpeed: 33_600, framingType: 2 }), 'session-up')[0]!;
    expect(upA.call).toMatchObject({ calledNumber: '1', physicalChannelId: 7, txConnectSpeed: 33_600, framingType: 2 });
    const b = opened(peer.local({ type: 'openSession', call: { kind: 'outgoing', calledNumber: '2' } }));
    peer.send({ type: M.OCRP, sessionId: b, assignedSessionId: 71 });
    const upB = of(peer.send({ type: M.OCCN, sessionId: b, txConnectSpeed: 33_600, framingType: 2 }), 'session-up')[0]!;
    expect('physicalChannelId' in upB.call).toBe(false);
    expect(upB.call).toMatchObject({ calledNumber: '2', txConnectSpeed: 33_600 });
  });

  it('sequenced data from the LAC does not make us number ours (§5.4: the LNS decides)', () => {
    const { lns, peer } = lnsWithPeer();
    const id = opened(peer.local({ type: 'openSession', call: { kind: 'outgoing', calledNumber: '1' } }));
    peer.send({ type: M.OCRP, sessionId: id, assignedSessionId: 70 });
    peer.send({ type: M.OCCN, sessionId: id, txConnectSpeed: 1, framingType: 1 });
    const data = encodeData({ tunnelId: lns.localTunnelId, sessionId: id, payload: new Uint8Array([0xff, 3]), ns: 0, nr: 0 });
    expect(of(lns.handle({ type: 'received', bytes: data }, 20), 'frame')).toHaveLength(1);
    const [send] = peer.local({ type: 'sendFrame', sessionId: id, frame: new Uint8Array([0xff, 3]) });
    // RFC 2661 §3.1: the S bit (0x08 of the first octet) clear, so no Ns/Nr fields.
    expect((send as { bytes: Uint8Array }).bytes[0]! & 0x08).toBe(0);
    expect(lns.dataStats(id)?.sending).toBe(false);
  });
});

describe('the peer’s OCRQ: our OCCN at once (we place the call)', () => {
  for (const [framingType, maximumBps, framing, speed] of [
    [1, 64_000, 1, 64_000],
    [2, 0, 2, 10_000_000],
    [3, 28_800, 1, 28_800],
  ] as const) {
    it(`Framing Type ${framingType}, Maximum BPS ${maximumBps} → OCCN Framing Type ${framing}, Connect Speed ${speed}`, () => {
      const { peer } = lnsWithPeer({ bearerCapabilities: 2 });
      const acts = peer.send({ type: M.OCRQ, sessionId: 0, assignedSessionId: 55, callSerialNumber: 1, minimumBps: 0, maximumBps, bearerType: 2, framingType, calledNumber: '5' });
      const occn = controlSent(acts).find((m) => m.typeName === 'OCCN')!;
      expect([occn.framingType, occn.txConnectSpeed]).toEqual([framing, speed]);
      expect(of(acts, 'session-up')[0]!.call).toMatchObject({ framingType: framing, txConnectSpeed: speed });
    });
  }
});

describe('SLI (§6.14)', () => {
  it('lenient: an SLI without ACCM is reported as such, not as an sli action', () => {
    const { lns, peer } = lnsWithPeer({ lenient: true });
    peer.send({ type: M.ICRQ, sessionId: 0, assignedSessionId: 55, callSerialNumber: 1 });
    const id = lns.sessionIds()[0]!;
    peer.send({ type: M.ICCN, sessionId: id, txConnectSpeed: 1, framingType: 1 });
    const acts = peer.send({ type: M.SLI, sessionId: id });
    expect(of(acts, 'sli')).toEqual([]);
    expect(of(acts, 'error').map((a) => a.error.code)).toEqual(['MISSING_AVP']);
    expect(lns.sessionState(id)).toBe('established');
  });
});
