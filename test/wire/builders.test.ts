/**
 * The 15 L2TPv2 builders (RFC 2661 §6, ZLB §5.8): byte-exact known answers from xl2tpd's own
 * messages (test/vectors), the RFC's defaults and AVP order, required fields, hiding.
 */
import { describe, expect, it } from 'vitest';
import {
  cdn,
  hello,
  iccn,
  icrp,
  icrq,
  parseControl,
  sccrp,
  sccrq,
  scccn,
  stopccn,
  zlb,
  type ControlMessage,
} from '../../src/index.js';
import { BUILDERS, requiredDefs } from '../support/arbitraries.js';
import { TUNNEL_SECRET, loadHex, toHex } from '../support/vectors.js';

const frame = (name: string, n: number): Uint8Array => loadHex(name).find((f) => f.frame === n)!.bytes;

describe('byte-exact against xl2tpd 1.3.18 (same fields, same bytes)', () => {
  it.each([
    ['zlb', 'data', 5, () => zlb({ tunnelId: 0x1d64, ns: 1, nr: 2 })],
    ['scccn', 'data', 3, () => scccn({ tunnelId: 0x517c, ns: 1, nr: 1 })],
    ['hello', 'hello', 12, () => hello({ tunnelId: 0xd492, ns: 4, nr: 3 })],
    ['icrq', 'data', 4, () => icrq({ tunnelId: 0x517c, ns: 2, nr: 1, assignedSessionId: 0xd158, callSerialNumber: 1, bearerType: 0 })],
    ['icrp', 'data', 6, () => icrp({ tunnelId: 0x1d64, sessionId: 0xd158, ns: 1, nr: 3, assignedSessionId: 0x80a9 })],
    ['iccn', 'data', 8, () => iccn({ tunnelId: 0x517c, sessionId: 0x80a9, ns: 3, nr: 2, txConnectSpeed: 0, framingType: 1, rxConnectSpeed: 0 })],
    ['cdn', 'plain', 10, () => cdn({ tunnelId: 0xc33d, sessionId: 0x016a, ns: 4, nr: 2, resultCode: { result: 1, error: 0 }, assignedSessionId: 0xa6cd })],
    [
      'stopccn',
      'data',
      12,
      () => stopccn({ tunnelId: 0x517c, ns: 4, nr: 2, assignedTunnelId: 0x1d64, resultCode: { result: 1, error: 0, message: 'Server closing' } }),
    ],
  ])('%s = %s.hex #%i', (_name, capture, n, build) => {
    expect(toHex(build())).toBe(toHex(frame(capture, n)));
  });

  it('sccrq: the same AVPs (type, M bit, value) as xl2tpd\'s SCCRQ, with the RFC defaults filling the rest', () => {
    const theirs = parseControl(frame('data', 1));
    const ours = parseControl(
      sccrq({ hostName: 'lac-data', assignedTunnelId: theirs.assignedTunnelId!, bearerCapabilities: 0, firmwareRevision: 1680, vendorName: 'xelerance.com' }),
    );
    // xl2tpd sends them in type order; RFC 2661 §6.1 lists another order, so compare as sets.
    const set = (m: ControlMessage): string[] => m.avps.map((a) => `${a.type}${a.mandatory ? 'M' : ''}=${toHex(a.value)}`).sort();
    expect(set(ours)).toEqual(set(theirs));
    expect(ours.length).toBe(theirs.length);
  });
});

describe('defaults and order', () => {
  it('SCCRQ/SCCRP default to protocol version 1.0, framing sync + async, receive window 4', () => {
    for (const build of [sccrq, sccrp]) {
      const m = parseControl(build({ hostName: 'h', assignedTunnelId: 1 }));
      expect([m.protocolVersion, m.framingCapabilities, m.receiveWindowSize]).toEqual([{ version: 1, revision: 0 }, 3, 4]);
      const o = parseControl(build({ hostName: 'h', assignedTunnelId: 1, receiveWindowSize: 16, framingCapabilities: 1, protocolVersion: { version: 1, revision: 1 } }));
      expect([o.protocolVersion, o.framingCapabilities, o.receiveWindowSize]).toEqual([{ version: 1, revision: 1 }, 1, 16]);
    }
  });

  it('other builders add nothing the caller did not ask for', () => {
    expect(parseControl(hello()).avps.length).toBe(1);
    expect(parseControl(scccn()).avps.length).toBe(1);
    expect(parseControl(icrp({ assignedSessionId: 1 })).avps.length).toBe(2);
  });

  it('SCCRQ AVPs in the order RFC 2661 §6.1 lists them (required, then optional)', () => {
    const m = parseControl(
      sccrq({
        vendorName: 'v',
        firmwareRevision: 1,
        tieBreaker: new Uint8Array(8),
        challenge: new Uint8Array([1]),
        receiveWindowSize: 8,
        bearerCapabilities: 3,
        assignedTunnelId: 5,
        framingCapabilities: 3,
        hostName: 'lac',
        protocolVersion: { version: 1, revision: 0 },
      }),
    );
    // §6.1: Message Type, Protocol Version, Host Name, Framing Capabilities, Assigned Tunnel ID;
    // then Bearer Capabilities, Receive Window Size, Challenge, Tie Breaker, Firmware Revision, Vendor Name.
    expect(m.avps.map((a) => a.type)).toEqual([0, 2, 7, 3, 9, 4, 10, 11, 5, 6, 8]);
  });

  it('M bits follow RFC 2661 §4.4: Tie Breaker, Firmware Revision and Vendor Name M=0, the rest M=1', () => {
    const m = parseControl(sccrq({ hostName: 'lac', assignedTunnelId: 5, tieBreaker: new Uint8Array(8), firmwareRevision: 1, vendorName: 'v', bearerCapabilities: 0 }));
    expect(Object.fromEntries(m.avps.map((a) => [a.type, a.mandatory]))).toEqual({
      0: true,
      2: true,
      3: true,
      4: true,
      5: false,
      6: false,
      7: true,
      8: false,
      9: true,
      10: true,
    });
  });
});

describe('required fields (RFC 2661 §6) → TypeError naming the field', () => {
  for (const b of BUILDERS) {
    // SCCRQ/SCCRP: Protocol Version and Framing Capabilities are required on the wire but defaulted.
    const defaulted = b.type === 1 || b.type === 2 ? ['protocolVersion', 'framingCapabilities'] : [];
    const required = requiredDefs(b.type)
      .map((d) => d.key)
      .filter((k) => !defaulted.includes(k));
    if (required.length === 0) continue;
    it(`${b.name} requires ${required.join(', ')}`, () => {
      const full = Object.fromEntries(required.map((k) => [k, placeholder(k)]));
      expect(() => (b.build as (o: unknown) => Uint8Array)(full)).not.toThrow();
      for (const k of required) {
        const { [k]: _dropped, ...rest } = full;
        const f = (): unknown => (b.build as (o: unknown) => Uint8Array)(rest);
        expect(f).toThrow(TypeError);
        expect(f).toThrow(new RegExp(`'${k}'`));
      }
      expect(() => (b.build as (o: unknown) => Uint8Array)(undefined)).toThrow(TypeError);
    });
  }

  it('builders take neither `type` nor `avps` (that is encodeControl\'s job)', () => {
    expect(() => hello({ type: 1 } as never)).toThrow(TypeError);
    expect(() => hello({ avps: [] } as never)).toThrow(TypeError);
  });

  it('a null options object is a TypeError, not a crash', () => {
    expect(() => hello(null as never)).toThrow(TypeError);
    expect(() => zlb(null as never)).toThrow(TypeError);
  });
});

/** A valid value for a required field (by key). */
function placeholder(key: string): unknown {
  switch (key) {
    case 'hostName':
    case 'calledNumber':
      return 'x';
    case 'resultCode':
      return { result: 1 };
    case 'callErrors':
      return { crcErrors: 0, framingErrors: 0, hardwareOverruns: 0, bufferOverruns: 0, timeoutErrors: 0, alignmentErrors: 0 };
    case 'accm':
      return { send: 0, receive: 0 };
    case 'protocolVersion':
      return { version: 1, revision: 0 };
    default:
      return 1;
  }
}

describe('hiding through a builder (RFC 2661 §4.3)', () => {
  it('hideable fields go hidden after a Random Vector; the secret unhides them', () => {
    const rv = new Uint8Array(16).fill(7);
    const b = icrq({ tunnelId: 1, assignedSessionId: 0x1234, callSerialNumber: 99, calledNumber: '555', hiding: { secret: TUNNEL_SECRET, randomVector: rv } });
    const plain = parseControl(b);
    expect(plain.avps.map((a) => [a.type, a.hidden])).toEqual([
      [0, false],
      [36, false],
      [14, true],
      [15, true],
      [21, true],
    ]);
    expect(plain.assignedSessionId).toBeUndefined();
    const m = parseControl(b, { secret: TUNNEL_SECRET });
    expect([m.assignedSessionId, m.callSerialNumber, m.calledNumber, toHex(m.randomVector!)]).toEqual([0x1234, 99, '555', toHex(rv)]);
  });
});
