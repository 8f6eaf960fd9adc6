/**
 * The small rules of src/fsm/checks.ts, each against RFC 2661 text:
 * - IDs we assign are never 0 (§3.1/§4.4.3: Tunnel ID 0 is "for the first SCCRQ", Session ID 0
 *   for tunnel-scoped messages). The random source is given explicitly, including one that yields 0.
 * - Message types: §3.2 lists 1–4, 6 (control connection), 7–12, 14–16 (calls, errors, PPP);
 *   0, 5 and 13 are reserved. An unknown type with M=1 clears the tunnel (§4.4.1).
 * - Unrecognised M=1 AVPs (§4.1, error 8) and hidden M=1 AVPs without a secret (§4.3) tear down,
 *   with a message naming the AVP (vendor id and type).
 * - Required AVPs (§6) count only when they are IETF AVPs (Vendor ID 0, §4.1).
 * - Tie Breakers compare as unsigned numbers, "the lower value wins" (§4.4.3).
 * Received messages are written here byte by byte from the §3.1 header and §4.1 AVP layouts.
 */
import { describe, expect, it } from 'vitest';
import { compareTieBreakers, knownMessageType, mandatoryProblem, missingAvp, randomId16, sessionMessageType } from '../../src/fsm/checks.js';
import { TunnelFsm, type TunnelAction } from '../../src/fsm/index.js';
import { avpDef } from '../../src/wire/avp-catalog.js';
import { parseControl, type ControlMessage } from '../../src/wire/control.js';
import { MESSAGE_CATALOG } from '../../src/wire/message-catalog.js';
import { establishedPair } from './harness.js';

/** A random source that replays `words` (16-bit values), then zeros. */
function replay(...words: number[]): (n: number) => Uint8Array {
  let i = 0;
  return (n) => {
    const b = new Uint8Array(n);
    if (n === 2 && i < words.length) {
      const w = words[i++]!;
      b[0] = w >>> 8;
      b[1] = w & 0xff;
    }
    return b;
  };
}

const u16 = (v: number): number[] => [v >>> 8, v & 0xff];

/** One AVP as RFC 2661 §4.1 lays it out: M, H, 4 reserved bits, 10-bit Length, Vendor ID, Attribute Type, value. */
function avp(type: number, value: number[], o: { m?: boolean; h?: boolean; vendor?: number } = {}): number[] {
  const len = 6 + value.length;
  return [((o.m ?? true) ? 0x80 : 0) | (o.h ? 0x40 : 0) | (len >>> 8), len & 0xff, ...u16(o.vendor ?? 0), ...u16(type), ...value];
}

/** A control message (§3.1: T=1 L=1 S=1, Ver 2), Message Type AVP first (§4.4.1). */
function control(h: { tunnelId: number; sessionId?: number; ns: number; nr: number }, type: number, avps: number[][] = [], typeM = true): Uint8Array {
  const body = [...avp(0, u16(type), { m: typeM }), ...avps.flat()];
  return new Uint8Array([0xc8, 0x02, ...u16(12 + body.length), ...u16(h.tunnelId), ...u16(h.sessionId ?? 0), ...u16(h.ns), ...u16(h.nr), ...body]);
}

const parse = (b: Uint8Array): ControlMessage => parseControl(b, { requireAvps: false });
const sent = (acts: TunnelAction[]): ControlMessage[] => acts.flatMap((a) => (a.type === 'send' && (a.bytes[0]! & 0x80) !== 0 ? [parse(a.bytes)] : []));
const stopOf = (acts: TunnelAction[]) => sent(acts).find((m) => m.typeName === 'StopCCN');

// After the handshake of establishedPair the LAC has sent Ns 0 (SCCRQ) and 1 (SCCCN), the LNS Ns 0 (SCCRP).
const fromLac = (lns: TunnelFsm) => ({ tunnelId: lns.localTunnelId, ns: 2, nr: 1 });
/** What an established LNS does with one crafted message from the LAC. */
function lnsReceives(type: number, avps: number[][] = [], typeM = true): { lns: TunnelFsm; acts: TunnelAction[] } {
  const { lns } = establishedPair();
  return { lns, acts: lns.handle({ type: 'received', bytes: control(fromLac(lns), type, avps, typeM) }, 10) };
}

const RANDOM_VECTOR = avp(36, [1, 2, 3, 4]);
const RESULT_CODE_1 = avp(1, u16(1));
const ASSIGNED_TUNNEL_ID_9 = avp(9, u16(9));

describe('randomId16: never 0, never taken', () => {
  it('skips a drawn 0 and takes the next draw', () => {
    expect(randomId16(replay(0, 0x1234), () => false)).toBe(0x1234);
  });

  it('a source that only ever yields 0 still gives a non-zero ID (1, by the upward scan)', () => {
    expect(randomId16(replay(), () => false)).toBe(1);
  });

  it('skips taken IDs, and scans upward (wrapping past 65535, skipping 0) when draws keep hitting them', () => {
    expect(randomId16(replay(7, 8), (id) => id === 7)).toBe(8);
    const taken = (id: number) => id !== 2;
    expect(randomId16(replay(0xffff), taken)).toBe(2);
  });

  it('makes 16 random draws, then scans upward from the last one', () => {
    let draws = 0;
    const source = replay(...Array.from({ length: 16 }, (_, i) => 100 + i), 0x1234);
    const counted = (n: number) => (draws++, source(n));
    // Draws 100…115 are taken; the scan from 115 finds 116 free. A 17th draw would give 0x1234.
    expect(randomId16(counted, (id) => id >= 100 && id <= 115)).toBe(116);
    expect(draws).toBe(16);
  });

  it('when every ID is taken: asks about each of 1–65535 exactly once, then a RangeError saying no ID is free', () => {
    const asked = new Map<number, number>();
    const taken = (id: number) => (asked.set(id, (asked.get(id) ?? 0) + 1), true);
    expect(() => randomId16(replay(), taken)).toThrow(RangeError);
    expect(() => randomId16(replay(), () => true)).toThrow(/no free 16-bit ID/);
    expect(asked.size).toBe(65535);
    expect(asked.has(0)).toBe(false);
    expect([...asked.values()].every((n) => n === 1)).toBe(true);
  });

  it('a TunnelFsm whose random source yields zeros gets Tunnel ID 1, not 0', () => {
    expect(new TunnelFsm({ hostName: 'lac', random: replay() }).localTunnelId).toBe(1);
  });
});

describe('message types (RFC 2661 §3.2, §4.4.1)', () => {
  const CONTROL = [1, 2, 3, 4, 6];
  const CALL = [7, 8, 9, 10, 11, 12, 14, 15, 16];

  it('known: 1–4, 6–12, 14–16; reserved 0, 5, 13 and later RFCs’ types are not', () => {
    for (let t = 0; t <= 40; t++) expect(knownMessageType(t), `type ${t}`).toBe(CONTROL.includes(t) || CALL.includes(t));
    expect(knownMessageType(0xffff)).toBe(false);
  });

  it('session-scoped: 7–12, 14–16 (§6.6–§6.14), not control-connection ones or reserved types', () => {
    for (let t = 0; t <= 40; t++) expect(sessionMessageType(t), `type ${t}`).toBe(CALL.includes(t));
  });

  for (const t of [0, 5, 13, 17, 99]) {
    it(`type ${t} with M=1 clears the tunnel: StopCCN 2 naming the type; with M=0 it is only acked`, () => {
      const { lns, acts } = lnsReceives(t);
      const stop = stopOf(acts)!;
      expect(stop.resultCode?.result).toBe(2);
      expect(stop.resultCode?.message).toMatch(new RegExp(`\\btype ${t}\\b`));
      expect(lns.state).toBe('closing');
      const quiet = lnsReceives(t, [], false);
      expect(stopOf(quiet.acts)).toBeUndefined();
      expect(quiet.lns.state).toBe('established');
    });
  }
});

describe('mandatory AVPs we cannot act on (RFC 2661 §4.1, §4.3)', () => {
  it('an IETF AVP we do not know (type 99, M=1): StopCCN 2/8 naming AVP 99', () => {
    const { acts } = lnsReceives(6, [avp(99, [1, 2])]);
    const r = stopOf(acts)!.resultCode!;
    expect(r).toMatchObject({ result: 2, error: 8 });
    expect(r.message).toMatch(/\bAVP 99\b/); // no vendor prefix for Vendor ID 0
  });

  it('a vendor AVP (vendor 9, type 99, M=1): StopCCN 2/8 naming vendor and type as 9:99', () => {
    const { acts } = lnsReceives(6, [avp(99, [1, 2], { vendor: 9 })]);
    const r = stopOf(acts)!.resultCode!;
    expect(r).toMatchObject({ result: 2, error: 8 });
    expect(r.message).toMatch(/\b9:99\b/);
  });

  it('a hidden M=1 AVP (Vendor Name, 8) and no tunnel secret to unhide it: StopCCN 2/6 naming AVP 8', () => {
    const { acts } = lnsReceives(6, [RANDOM_VECTOR, avp(8, [0x41, 0x42, 0x43, 0x44], { h: true })]);
    const r = stopOf(acts)!.resultCode!;
    expect(r).toMatchObject({ result: 2, error: 6 });
    expect(r.message).toMatch(/\bhidden\b.*\b8\b/);
  });

  it('the same hidden AVP is no problem with a secret, nor with M=0 without one', () => {
    const hidden = (m: boolean) => parse(control({ tunnelId: 1, ns: 0, nr: 0 }, 6, [RANDOM_VECTOR, avp(8, [0x41, 0x42], { h: true, m })]));
    expect(mandatoryProblem(hidden(true), false)?.error).toBe(6);
    expect(mandatoryProblem(hidden(true), true)).toBeUndefined();
    expect(mandatoryProblem(hidden(false), false)).toBeUndefined();
  });
});

describe('required AVPs (RFC 2661 §6) are IETF ones', () => {
  it('a vendor AVP with a required AVP’s type number does not stand in for it: StopCCN without Result Code', () => {
    // Vendor 4242, type 1 (M=0, a vendor the catalogue does not know): not the IETF Result Code (Vendor ID 0, type 1).
    const { acts } = lnsReceives(4, [ASSIGNED_TUNNEL_ID_9, avp(1, u16(1), { m: false, vendor: 4242 })]);
    const r = stopOf(acts)!.resultCode!;
    expect(r).toMatchObject({ result: 2, error: 6 });
    expect(r.message).toMatch(/\bResult Code\b/);
    // With the IETF one it is the peer's StopCCN, acked; we send none.
    expect(stopOf(lnsReceives(4, [ASSIGNED_TUNNEL_ID_9, RESULT_CODE_1]).acts)).toBeUndefined();
  });

  it('an AVP we cannot read does not stand in for a required one (§4.1: unrecognised, and with M=0 ignored)', () => {
    // StopCCN (4) with Assigned Tunnel ID, and a Result Code that is: clear; hidden (§4.3); with a reserved bit set (§4.1).
    const stop = (resultCode: number[]) => parse(control({ tunnelId: 1, ns: 0, nr: 0 }, 4, [RANDOM_VECTOR, ASSIGNED_TUNNEL_ID_9, resultCode]));
    const clear = avp(1, u16(1), { m: false });
    const hidden = avp(1, [9, 9, 9, 9, 9, 9, 9, 9], { m: false, h: true });
    const reserved = [...clear];
    reserved[0]! |= 0x04;
    expect(missingAvp(stop(clear), false)).toBeUndefined();
    // Hidden: readable only with the secret that unhides it.
    expect(missingAvp(stop(hidden), false)).toEqual({ error: 6, message: 'StopCCN without the Result Code AVP that RFC 2661 §6.4 requires' });
    expect(missingAvp(stop(hidden), true)).toBeUndefined();
    expect(missingAvp(stop(reserved), true)).toEqual({ error: 6, message: 'StopCCN without the Result Code AVP that RFC 2661 §6.4 requires' });
  });

  it('a message type §6 does not describe requires nothing', () => {
    expect(missingAvp(parse(control({ tunnelId: 1, ns: 0, nr: 0 }, 99)), false)).toBeUndefined();
  });

  it('every AVP §6 requires has a catalogue name to put in the Result Code message', () => {
    for (const d of MESSAGE_CATALOG) for (const t of d.requiredV2) expect(avpDef(0, t)?.name, `${d.name} requires ${t}`).toMatch(/\w/);
  });
});

describe('Tie Breakers (RFC 2661 §4.4.3): unsigned, the lower value wins', () => {
  const tb = (...bytes: number[]) => new Uint8Array(bytes);

  it('values that differ only in the last octet', () => {
    expect(compareTieBreakers(tb(0, 0, 0, 0, 0, 0, 0, 1), tb(0, 0, 0, 0, 0, 0, 0, 2))).toBeLessThan(0);
    expect(compareTieBreakers(tb(0, 0, 0, 0, 0, 0, 0, 2), tb(0, 0, 0, 0, 0, 0, 0, 1))).toBeGreaterThan(0);
    expect(compareTieBreakers(tb(5, 0, 0, 0, 0, 0, 0, 7), tb(5, 0, 0, 0, 0, 0, 0, 7))).toBe(0);
  });

  it('unsigned: 0x80… is above 0x7f…', () => {
    expect(compareTieBreakers(tb(0x80, 0, 0, 0, 0, 0, 0, 0), tb(0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff))).toBeGreaterThan(0);
  });

  it('a shorter value that is a prefix of the other is the lower (a number without its low octets)', () => {
    expect(compareTieBreakers(tb(1, 2), tb(1, 2, 3))).toBeLessThan(0);
    expect(compareTieBreakers(tb(1, 2, 3), tb(1, 2))).toBeGreaterThan(0);
  });
});
