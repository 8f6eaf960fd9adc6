/**
 * What the encoder hides and how it pads (RFC 2661 §4.3, §4.4; issue 13 items 1 and 2).
 */
import { describe, expect, it } from 'vitest';
import { AvpType, encodeControl, hideAvpValue, MessageType, parseControl, type HidingOptions } from '../../src/index.js';

const SECRET = 'hiding-secret';
const rv = (seed: number) => Uint8Array.from({ length: 16 }, (_, i) => (seed * 31 + i * 7) & 0xff);

describe('AVPs the RFC says MUST NOT be hidden (§4.4) are never hidden', () => {
  // Each row: the AVP, and the §4.4 sentence ("This AVP MUST NOT be hidden") it comes from.
  const MUST_NOT: [number, string][] = [
    [AvpType.MessageType, 'Message Type'], // §4.4.1
    [AvpType.RandomVector, 'Random Vector'], // §4.4.1
    [AvpType.ResultCode, 'Result Code'], // §4.4.2
    [AvpType.ProtocolVersion, 'Protocol Version'], // §4.4.3
    [AvpType.TieBreaker, 'Tie Breaker'], // §4.4.3
    [AvpType.HostName, 'Host Name'], // §4.4.3
    [AvpType.ReceiveWindowSize, 'Receive Window Size'], // §4.4.3
    [AvpType.SequencingRequired, 'Sequencing Required'], // §4.4.4
  ];
  it.each(MUST_NOT)('asking to hide AVP %i is a RangeError naming %s', (type, name) => {
    const msg = { type: MessageType.HELLO, hiding: { secret: SECRET, randomVector: rv(1), avps: [type] } };
    expect(() => encodeControl(msg)).toThrow(RangeError);
    expect(() => encodeControl(msg)).toThrow(new RegExp(`${name.replace(/[()]/g, '.')} \\(AVP ${type}\\), which MUST NOT be hidden`));
  });

  it('the issue 13 cases: an SCCRQ asking to hide Protocol Version/Host Name/RWS/Tie Breaker, a StopCCN its Result Code', () => {
    const hiding = { secret: SECRET, randomVector: rv(2), avps: [AvpType.ProtocolVersion, AvpType.HostName, AvpType.ReceiveWindowSize, AvpType.TieBreaker] };
    const sccrq = { type: MessageType.SCCRQ, protocolVersion: { version: 1, revision: 0 }, hostName: 'lac', framingCapabilities: 3, assignedTunnelId: 5, receiveWindowSize: 4, tieBreaker: new Uint8Array(8), hiding };
    expect(() => encodeControl(sccrq)).toThrow(/Protocol Version \(AVP 2\)/);
    const stop = { type: MessageType.StopCCN, tunnelId: 9, assignedTunnelId: 5, resultCode: { result: 1 }, hiding: { secret: SECRET, randomVector: rv(3), avps: [AvpType.ResultCode] } };
    expect(() => encodeControl(stop)).toThrow(/Result Code \(AVP 1\)/);
  });

  it('by default (no list) only the hideable ones are hidden: an SCCRQ keeps its MUST-NOT AVPs clear', () => {
    const bytes = encodeControl({
      type: MessageType.SCCRQ,
      protocolVersion: { version: 1, revision: 0 },
      hostName: 'lac',
      framingCapabilities: 3,
      bearerCapabilities: 1,
      assignedTunnelId: 5,
      receiveWindowSize: 4,
      tieBreaker: new Uint8Array(8),
      vendorName: 'v',
      hiding: { secret: SECRET, randomVector: rv(4) },
    });
    const m = parseControl(bytes, { secret: SECRET });
    const hidden = m.avps.filter((a) => a.hidden).map((a) => a.type).sort((a, b) => a - b);
    // §4.4.3: Framing and Bearer Capabilities, Vendor Name and Assigned Tunnel ID MAY be hidden.
    expect(hidden).toEqual([AvpType.FramingCapabilities, AvpType.BearerCapabilities, AvpType.VendorName, AvpType.AssignedTunnelId].sort((a, b) => a - b));
    expect(m.hostName).toBe('lac');
    expect(m.assignedTunnelId).toBe(5);
    // The typed getters of the hidden ones read the unhidden copies (32-bit, string, 16-bit).
    expect([m.framingCapabilities, m.bearerCapabilities, m.vendorName]).toEqual([3, 1, 'v']);
    // Without the secret a hidden AVP has no typed value; the clear ones still read.
    const n = parseControl(bytes);
    expect([n.framingCapabilities, n.bearerCapabilities, n.vendorName, n.assignedTunnelId, n.hostName]).toEqual([undefined, undefined, undefined, undefined, 'lac']);
  });

  it('a hidden vendor AVP (Cisco Interface MTU, found through the vendor map) reads through its getter with the secret; a later clear one without it', () => {
    const vector = rv(10);
    const hidden = hideAvpValue(14, Uint8Array.of(0x05, 0xdc), SECRET, vector); // 1500, hashed with the type alone (§4.3)
    const parts = [
      Uint8Array.of(0x80, 8, 0, 0, 0, 0, 0, 6), // Message Type: HELLO
      Uint8Array.of(0x80, 22, 0, 0, 0, 36, ...vector), // Random Vector
      Uint8Array.of(0x40, 6 + hidden.length, 0, 9, 0, 14, ...hidden), // Cisco (9) Interface MTU, H=1
      Uint8Array.of(0x00, 8, 0, 9, 0, 14, 0x05, 0x78), // the same, clear: 1400
    ];
    const len = 12 + parts.reduce((n, p) => n + p.length, 0);
    const b = new Uint8Array(len);
    b.set([0xc8, 0x02, 0, len, 0, 1, 0, 0, 0, 0, 0, 0]);
    let o = 12;
    for (const p of parts) {
      b.set(p, o);
      o += p.length;
    }
    expect(parseControl(b, { secret: SECRET }).ciscoInterfaceMtu).toBe(1500); // the first usable occurrence
    expect(parseControl(b).ciscoInterfaceMtu).toBe(1400); // the hidden one is not usable without the secret
  });

  it('structured values hidden (Call Errors in a WEN, ACCM in an SLI, §4.4.6) read back through their getters', () => {
    const callErrors = { crcErrors: 1, framingErrors: 2, hardwareOverruns: 3, bufferOverruns: 4, timeoutErrors: 5, alignmentErrors: 6 };
    const wen = encodeControl({ type: MessageType.WEN, tunnelId: 3, sessionId: 4, callErrors, hiding: { secret: SECRET, randomVector: rv(7) } });
    const accm = { send: 0xffffffff, receive: 0x000a0000 };
    const sli = encodeControl({ type: MessageType.SLI, tunnelId: 3, sessionId: 4, accm, hiding: { secret: SECRET, randomVector: rv(8) } });
    const w = parseControl(wen, { secret: SECRET });
    const s = parseControl(sli, { secret: SECRET });
    expect(w.avps.some((a) => a.hidden && a.type === AvpType.CallErrors)).toBe(true);
    expect(s.avps.some((a) => a.hidden && a.type === AvpType.Accm)).toBe(true);
    expect(w.callErrors).toEqual(callErrors);
    expect(s.accm).toEqual(accm);
    expect(parseControl(wen).callErrors).toBeUndefined();
  });
});

/** The hidden part (AVP Length − 6) of the first hidden AVP of `type`. */
function hiddenPart(bytes: Uint8Array, type: number): number {
  const a = parseControl(bytes).avps.find((x) => x.hidden && x.type === type)!;
  return a.valueLength;
}

function icrq(hiding: HidingOptions, callingNumber?: string): Uint8Array {
  return encodeControl({ type: MessageType.ICRQ, tunnelId: 3, assignedSessionId: 0x1234, callSerialNumber: 7, callingNumber, hiding }).slice();
}

describe('padding of short hidden values (§4.3 allows any; l2tpns needs 8–16 bytes)', () => {
  it('by default a 2-byte Assigned Session ID is hidden in 8–16 bytes, totals vary with the Random Vector, and unhides back', () => {
    const totals = new Set<number>();
    for (let i = 0; i < 200; i++) {
      const bytes = icrq({ secret: SECRET, randomVector: rv(i) });
      const n = hiddenPart(bytes, AvpType.AssignedSessionId);
      expect(n).toBeGreaterThanOrEqual(8);
      expect(n).toBeLessThanOrEqual(16);
      totals.add(n);
      const m = parseControl(bytes, { secret: SECRET });
      expect(m.assignedSessionId).toBe(0x1234);
      expect(m.callSerialNumber).toBe(7);
    }
    // Every total from 8 to 16 turns up (9 values; 200 draws).
    expect([...totals].sort((a, b) => a - b)).toEqual([8, 9, 10, 11, 12, 13, 14, 15, 16]);
  });

  it('a value already 16 bytes or more hidden is not padded (l2tpns mis-decodes long ones anyway)', () => {
    const bytes = icrq({ secret: SECRET, randomVector: rv(9) }, 'x'.repeat(30));
    expect(hiddenPart(bytes, AvpType.CallingNumber)).toBe(32);
    expect(parseControl(bytes, { secret: SECRET }).callingNumber).toBe('x'.repeat(30));
  });

  it('pad: false gives the bare subformat (2 + value); explicit padding is used as given', () => {
    expect(hiddenPart(icrq({ secret: SECRET, randomVector: rv(5), pad: false }), AvpType.AssignedSessionId)).toBe(4);
    expect(hiddenPart(icrq({ secret: SECRET, randomVector: rv(5), padding: new Uint8Array(3) }), AvpType.AssignedSessionId)).toBe(7);
  });

  it('pad.random is the source of the bytes; pad.min/max bound the total', () => {
    let asked = 0;
    const random = (n: number) => {
      asked += n;
      return new Uint8Array(n).fill(0xff);
    };
    const bytes = icrq({ secret: SECRET, randomVector: rv(6), pad: { min: 10, max: 12, random } });
    expect(asked).toBeGreaterThan(0);
    const n = hiddenPart(bytes, AvpType.AssignedSessionId);
    expect(n).toBeGreaterThanOrEqual(10);
    expect(n).toBeLessThanOrEqual(12);
    expect(parseControl(bytes, { secret: SECRET }).assignedSessionId).toBe(0x1234);
  });

  it.each([
    [{ min: 1 }, /hiding.pad.min/],
    [{ min: 8, max: 7 }, /hiding.pad.max/],
    [{ min: 8.5 }, /hiding.pad.min/],
    [{ max: 2000 }, /hiding.pad.max/],
  ])('pad %o is a RangeError', (pad, re) => {
    expect(() => icrq({ secret: SECRET, randomVector: rv(7), pad })).toThrow(RangeError);
    expect(() => icrq({ secret: SECRET, randomVector: rv(7), pad })).toThrow(re);
  });
});
