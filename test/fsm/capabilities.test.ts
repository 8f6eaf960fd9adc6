/**
 * Bearer and Framing Capabilities (RFC 2661 §4.4.3, §4.4.4, §6.9): what we request of the peer is
 * checked against what it advertised (a local RangeError, nothing sent), we send Bearer
 * Capabilities exactly when we place outgoing calls, and an OCRQ outside what we advertised is
 * refused with a CDN, Result Code 5 (§4.4.2: "lack of appropriate facilities being available -
 * permanent condition").
 */
import { describe, expect, it } from 'vitest';
import type { TunnelOptions } from '../../src/fsm/index.js';
import { ocrq } from '../../src/wire/builders.js';
import { parseControl } from '../../src/wire/control.js';
import { Pair } from './harness.js';

function established(a: Partial<TunnelOptions> = {}, b: Partial<TunnelOptions> = {}): Pair {
  const pair = new Pair(a, b);
  pair.do('a', { type: 'open' });
  pair.run(5_000);
  expect(pair.a.state).toBe('established');
  return pair;
}

/** Whether a control message holds the AVP with this Attribute Type (vendor 0), read from the §4.1 layout. */
function hasAvp(bytes: Uint8Array, type: number): boolean {
  for (let o = 12; o + 6 <= bytes.length; ) {
    const len = ((bytes[o]! & 0x03) << 8) | bytes[o + 1]!;
    if (bytes[o + 2] === 0 && bytes[o + 3] === 0 && ((bytes[o + 4]! << 8) | bytes[o + 5]!) === type) return true;
    if (len < 6) return false;
    o += len;
  }
  return false;
}

describe('capabilities: what we ask of the peer (RFC 2661 §4.4.3, §4.4.4, §6.9)', () => {
  it('no OCRQ to a peer that sent no Bearer Capabilities: RangeError, nothing sent', () => {
    const pair = established();
    expect(pair.a.peerInfo?.bearerCapabilities).toBeUndefined();
    const before = pair.wire.length;
    expect(() => pair.do('a', { type: 'openSession', call: { kind: 'outgoing', calledNumber: '1' } })).toThrow(/Bearer Capabilities.*§6\.9/);
    expect(pair.wire.length).toBe(before);
    expect(pair.a.sessionCount).toBe(0);
  });

  it('no Bearer or Framing Type bit the peer did not advertise; by default the framing it offers', () => {
    // The peer can dial analog (2) only, and frames async (2) only.
    const pair = established({}, { bearerCapabilities: 2, framingCapabilities: 2 });
    expect(() => pair.do('a', { type: 'openSession', call: { kind: 'outgoing', calledNumber: '1', bearerType: 1 } })).toThrow(/bearerType 0x1.*Bearer Capabilities \(0x2\)/);
    expect(() => pair.do('a', { type: 'openSession', call: { kind: 'outgoing', calledNumber: '1', framingType: 1 } })).toThrow(/framingType 0x1.*Framing Capabilities \(0x2\)/);
    expect(pair.a.sessionCount).toBe(0);
    pair.do('a', { type: 'openSession', call: { kind: 'outgoing', calledNumber: '1', bearerType: 2 } });
    const m = parseControl(pair.sent('a', 'OCRQ')[0]!.bytes);
    expect([m.bearerType, m.framingType]).toEqual([2, 2]);
    pair.run(pair.now + 2_000);
    expect(pair.actions('a', 'session-up')).toHaveLength(1);
  });

  it('an ICRQ is not sent for a framing the peer did not advertise; by default the ICCN names one it did', () => {
    const pair = established({}, { framingCapabilities: 2 });
    expect(() => pair.do('a', { type: 'openSession', call: { kind: 'incoming', framingType: 1 } })).toThrow(RangeError);
    expect(() => pair.do('a', { type: 'openSession', call: { kind: 'incoming', framingType: 1 } })).toThrow(/framingType 0x1.*Framing Capabilities \(0x2\)/);
    expect(pair.sent('a', 'ICRQ')).toEqual([]);
    pair.do('a', { type: 'openSession', call: { kind: 'incoming' } });
    pair.run(pair.now + 2_000);
    expect(parseControl(pair.sent('a', 'ICCN')[0]!.bytes).framingType).toBe(2);
    // A peer offering sync (1) gets sync, as before.
    const sync = established();
    sync.do('a', { type: 'openSession', call: { kind: 'incoming' } });
    sync.run(sync.now + 2_000);
    expect(parseControl(sync.sent('a', 'ICCN')[0]!.bytes).framingType).toBe(1);
  });

  it('a peer that advertised no framing at all (Framing Capabilities 0) can be asked for no call', () => {
    const pair = established({}, { framingCapabilities: 0, bearerCapabilities: 3 });
    expect(pair.a.peerInfo?.framingCapabilities).toBe(0);
    expect(() => pair.do('a', { type: 'openSession', call: { kind: 'incoming' } })).toThrow(/Framing Capabilities \(0\)/);
    expect(() => pair.do('a', { type: 'openSession', call: { kind: 'outgoing', calledNumber: '1', bearerType: 1 } })).toThrow(/Framing Capabilities \(0\)/);
    expect(pair.a.sessionCount).toBe(0);
    expect(pair.sent('a', 'ICRQ')).toEqual([]);
    expect(pair.sent('a', 'OCRQ')).toEqual([]);
  });
});

describe('capabilities: Bearer Capabilities and the OCRQs we answer (RFC 2661 §4.4.3, §6.9)', () => {
  it('a side that places outgoing calls sends Bearer Capabilities (AVP 4) in its SCCRQ/SCCRP; one that does not, none', () => {
    const pair = established({ bearerCapabilities: 3 }, {});
    expect(hasAvp(pair.sent('a', 'SCCRQ')[0]!.bytes, 4)).toBe(true);
    expect(hasAvp(pair.sent('b', 'SCCRP')[0]!.bytes, 4)).toBe(false);
    expect(hasAvp(pair.sent('b', 'SCCRP')[0]!.bytes, 3)).toBe(true);
  });

  /** Feed b (the responder, after SCCRQ/SCCCN: next Ns 2, its own 1) an OCRQ; the CDN or OCRP it answers with. */
  function answer(b: Partial<TunnelOptions>, req: { bearerType: number; framingType: number }) {
    const pair = established({}, b);
    const bytes = ocrq({ tunnelId: pair.b.localTunnelId, ns: 2, nr: 1, assignedSessionId: 77, callSerialNumber: 1, minimumBps: 0, maximumBps: 64_000, calledNumber: '1', ...req });
    const acts = pair.b.handle({ type: 'received', bytes }, pair.now);
    return acts.flatMap((a) => (a.type === 'send' && a.bytes.length > 12 ? [parseControl(a.bytes)] : []));
  }

  it('an OCRQ to a side that sent no Bearer Capabilities is refused: CDN Result Code 5', () => {
    const [cdn, ...rest] = answer({}, { bearerType: 0, framingType: 1 });
    expect(cdn!.typeName).toBe('CDN');
    expect(cdn!.sessionId).toBe(77);
    expect(cdn!.resultCode?.result).toBe(5);
    expect(cdn!.resultCode?.message).toMatch(/Bearer Capabilities/);
    expect(rest).toEqual([]);
  });

  it('an OCRQ for a bearer or framing outside what we advertised is refused: CDN Result Code 5', () => {
    expect(answer({ bearerCapabilities: 2 }, { bearerType: 1, framingType: 1 }).map((m) => [m.typeName, m.resultCode?.result])).toEqual([['CDN', 5]]);
    expect(answer({ bearerCapabilities: 2, framingCapabilities: 2 }, { bearerType: 2, framingType: 1 }).map((m) => [m.typeName, m.resultCode?.result])).toEqual([['CDN', 5]]);
    // §4.4.4: the LNS sets only bits we advertised; an extra bit is outside as well.
    expect(answer({ bearerCapabilities: 2, framingCapabilities: 2 }, { bearerType: 2, framingType: 3 }).map((m) => [m.typeName, m.resultCode?.result])).toEqual([['CDN', 5]]);
    // The Error Message says which field and which bits (§4.4.2: a human-readable reason).
    expect(answer({ bearerCapabilities: 2 }, { bearerType: 1, framingType: 1 })[0]!.resultCode?.message).toMatch(/Bearer Type 0x1\b.*\b0x2\b/);
    expect(answer({ bearerCapabilities: 2, framingCapabilities: 2 }, { bearerType: 2, framingType: 1 })[0]!.resultCode?.message).toMatch(/Framing Type 0x1\b.*\b0x2\b/);
    // No framing at all (Framing Type 0) is no framing we can serve either.
    expect(answer({ bearerCapabilities: 2 }, { bearerType: 2, framingType: 0 }).map((m) => [m.typeName, m.resultCode?.result])).toEqual([['CDN', 5]]);
    // Within what we advertised: OCRP, then OCCN with the framing asked for.
    const ok = answer({ bearerCapabilities: 2 }, { bearerType: 2, framingType: 2 });
    expect(ok.map((m) => m.typeName)).toEqual(['OCRP', 'OCCN']);
    expect(ok[1]!.framingType).toBe(2);
  });
});
