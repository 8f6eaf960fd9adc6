/**
 * RFC 2661 §3.1, §4.1, §4.3, §4.4, §6 and RFC 3931 §3.2.1, §4.1.2.1 rules that nothing else
 * tested by name: one `it` per polarity, so docs/compliance.md can point at each.
 * Known answers are the RFCs' bit layouts and xl2tpd's real bytes (vectors/plain.hex), never
 * our own encoder's output.
 */
import { describe, expect, it } from 'vitest';
import { AvpType } from '../../src/wire/avp-catalog.js';
import { decodeAvps } from '../../src/wire/avp.js';
import { cdn, hello, iccn, icrp, icrq, occn, ocrp, ocrq, sccrp, sccrq, scccn, sli, stopccn, wen } from '../../src/wire/builders.js';
import { encodeControl, parseControl } from '../../src/wire/control.js';
import { encodeHeader, parseHeader } from '../../src/wire/header.js';
import { messageDef, MessageType } from '../../src/wire/message-catalog.js';
import { hex, toHex } from '../support/hex.js';
import { loadHex } from '../support/vectors.js';
import { code } from '../support/errors.js';

const SECRET = 'l2tp-wire-test-secret';

/** xl2tpd 1.3.18's SCCRQ (vectors/plain.hex #1, flags 0xc802): Host Name "lac-plain", Assigned Tunnel ID 0xb574. */
const XL2TPD_SCCRQ = loadHex('plain')[0]!.bytes;


/** Every L2TPv2 message our builders write, with the RFC 2661 §6 required AVPs filled in. */
function everyMessage(hiding?: Parameters<typeof sccrq>[0]['hiding']): Uint8Array[] {
  const o = { tunnelId: 7, sessionId: 9, hiding };
  const rc = { result: 1, error: 0, message: 'café ☕' };
  return [
    sccrq({ ...o, sessionId: 0, hostName: 'lac', assignedTunnelId: 1, bearerCapabilities: 3, vendorName: 'v', firmwareRevision: 1 }),
    sccrp({ ...o, sessionId: 0, hostName: 'lns', assignedTunnelId: 2, challenge: new Uint8Array(16) }),
    scccn({ ...o, sessionId: 0, challengeResponse: new Uint8Array(16) }),
    stopccn({ ...o, sessionId: 0, assignedTunnelId: 1, resultCode: rc }),
    hello({ ...o, sessionId: 0 }),
    icrq({ ...o, assignedSessionId: 3, callSerialNumber: 4, callingNumber: '5551234', calledNumber: '100' }),
    icrp({ ...o, assignedSessionId: 5 }),
    iccn({ ...o, txConnectSpeed: 64_000, framingType: 1 }),
    ocrq({ ...o, assignedSessionId: 3, callSerialNumber: 4, minimumBps: 0, maximumBps: 1, bearerType: 1, framingType: 1, calledNumber: '100' }),
    ocrp({ ...o, assignedSessionId: 5 }),
    occn({ ...o, txConnectSpeed: 64_000, framingType: 1 }),
    cdn({ ...o, assignedSessionId: 5, resultCode: rc }),
    wen({ ...o, callErrors: { crcErrors: 1, framingErrors: 2, hardwareOverruns: 3, bufferOverruns: 4, timeoutErrors: 5, alignmentErrors: 6 } }),
    sli({ ...o, accm: { send: 0xffffffff, receive: 0 } }),
  ];
}

describe('RFC 2661 §3.1 control header flags', () => {
  it('every control message we write has T=1, L=1, S=1, O=0, P=0, Ver=2 and the reserved bits 0', () => {
    for (const b of everyMessage()) {
      const flags = (b[0]! << 8) | b[1]!;
      // |T|L|x|x|S|x|O|P|x|x|x|x|Ver| (§3.1): T L S set, everything else but Ver clear.
      expect(flags.toString(16)).toBe('c802');
      expect((b[2]! << 8) | b[3]!).toBe(b.length); // Length present and exact
    }
  });

  it('parseControl refuses a v2 control message with L=0 or S=0 (BAD_FLAGS)', () => {
    expect(code(() => parseControl(XL2TPD_SCCRQ))).toBeUndefined();
    for (const clear of [0x40, 0x08]) {
      const b = XL2TPD_SCCRQ.slice();
      b[0]! &= ~clear;
      expect(code(() => parseControl(b))).toBe('BAD_FLAGS');
    }
  });

  it('parseControl refuses a v2 control message with O=1 or P=1 (BAD_FLAGS)', () => {
    for (const set of [0x02, 0x01]) {
      const b = XL2TPD_SCCRQ.slice();
      b[0]! |= set;
      expect(code(() => parseControl(b))).toBe('BAD_FLAGS');
    }
  });

  it('parseControl ignores the reserved header bits of a received control message', () => {
    const b = XL2TPD_SCCRQ.slice();
    // x bits of §3.1: 0x3000 and 0x0400 in the first byte, 0x00f0 in the second.
    b[0]! |= 0x34;
    b[1]! |= 0xf0;
    const m = parseControl(b);
    expect([m.typeName, m.hostName, m.assignedTunnelId]).toEqual(['SCCRQ', 'lac-plain', 0xb574]);
  });

  it('parseControl refuses versions other than 2 and 3, L2F (1) included (BAD_VERSION)', () => {
    for (const v of [0, 1, 4, 15]) {
      const b = XL2TPD_SCCRQ.slice();
      b[1] = (b[1]! & 0xf0) | v;
      expect(code(() => parseControl(b))).toBe('BAD_VERSION');
    }
  });
});

describe('RFC 2661 §4.1 AVP header on send', () => {
  it('every builder writes AVP reserved bits as 0 and Length = 6 + value length', () => {
    for (const b of everyMessage({ secret: SECRET, randomVector: new Uint8Array(16).fill(7) })) {
      for (const a of decodeAvps(b, 12, b.length)) {
        // |M|H|rsvd|Length| (§4.1): read the raw flags word, not the decoder's view of it.
        const w = (b[a.offset]! << 8) | b[a.offset + 1]!;
        expect(w & 0x3c00).toBe(0);
        expect(w & 0x03ff).toBe(6 + a.valueLength);
      }
    }
  });
});

describe('RFC 2661 §4.3 hidden AVPs', () => {
  const rv = { mandatory: true, type: AvpType.RandomVector, value: new Uint8Array(16).fill(1) };
  const mt = { mandatory: true, type: AvpType.MessageType, value: new Uint8Array([0, MessageType.HELLO]) };
  const hiddenAvp = { mandatory: false, hidden: true, type: AvpType.VendorName, value: new Uint8Array(18).fill(2) };

  it('a hidden AVP with a Random Vector before it parses', () => {
    const b = encodeControl({ tunnelId: 1, avps: [mt, rv, hiddenAvp] });
    // Hidden by hand: 16 bytes of 2s are no valid subformat, so read it without unhiding.
    const m = parseControl(b);
    expect(m.avps.map((a) => [a.type, a.hidden])).toEqual([[0, false], [36, false], [8, true]]);
  });

  it('parseControl refuses a hidden AVP with no Random Vector before it (HIDDEN_WITHOUT_RANDOM_VECTOR)', () => {
    const opts = { secret: SECRET };
    expect(code(() => parseControl(encodeControl({ tunnelId: 1, avps: [mt, hiddenAvp] }), opts))).toBe('HIDDEN_WITHOUT_RANDOM_VECTOR');
    // A Random Vector after the hidden AVP does not count: it must precede it.
    expect(code(() => parseControl(encodeControl({ tunnelId: 1, avps: [mt, hiddenAvp, rv] }), opts))).toBe('HIDDEN_WITHOUT_RANDOM_VECTOR');
  });

  it('with hiding on, each builder puts the Random Vector before the first hidden AVP', () => {
    let hiddenSeen = 0;
    for (const b of everyMessage({ secret: SECRET, randomVector: new Uint8Array(16).fill(7) })) {
      const avps = [...decodeAvps(b, 12, b.length)];
      const firstHidden = avps.findIndex((a) => a.hidden);
      if (firstHidden < 0) continue;
      hiddenSeen++;
      const vector = avps.findIndex((a) => a.vendorId === 0 && a.type === AvpType.RandomVector);
      expect(vector).toBeGreaterThanOrEqual(0);
      expect(vector).toBeLessThan(firstHidden);
    }
    expect(hiddenSeen).toBeGreaterThan(5);
  });
});

describe('RFC 2661 §4.4.1 Message Type AVP', () => {
  it('every builder writes Message Type first, with M=1 and H=0, even with hiding on', () => {
    for (const b of everyMessage({ secret: SECRET, randomVector: new Uint8Array(16).fill(7) })) {
      const first = decodeAvps(b, 12, b.length)[0]!;
      expect([first.vendorId, first.type, first.mandatory, first.hidden, first.valueLength]).toEqual([0, 0, true, false, 2]);
    }
  });

  it('parseControl refuses a message whose first AVP is not Message Type (MESSAGE_TYPE_NOT_FIRST)', () => {
    // xl2tpd's SCCRQ with its first two AVPs swapped: Protocol Version, then Message Type.
    const b = XL2TPD_SCCRQ.slice();
    b.set(XL2TPD_SCCRQ.subarray(20, 28), 12);
    b.set(XL2TPD_SCCRQ.subarray(12, 20), 20);
    expect(code(() => parseControl(b))).toBe('MESSAGE_TYPE_NOT_FIRST');
  });

  it('parseControl refuses a hidden Message Type AVP', () => {
    const b = XL2TPD_SCCRQ.slice();
    b[12]! |= 0x40; // H bit of the first AVP
    expect(code(() => parseControl(b))).toBe('BAD_AVP_VALUE');
  });
});

describe('RFC 2661 §4.4 M and H bits on send', () => {
  it('with hiding on, builders hide no AVP the RFC says MUST NOT be hidden', () => {
    // §4.4.1–§4.4.6: "This AVP MUST NOT be hidden" for these (M/H table in test/wire/avp-catalog.test.ts).
    const neverHidden: number[] = [AvpType.MessageType, AvpType.ResultCode, AvpType.ProtocolVersion, AvpType.TieBreaker, AvpType.HostName, AvpType.ReceiveWindowSize, AvpType.RandomVector];
    const hiding = { secret: SECRET, randomVector: new Uint8Array(16) };
    const b = sccrq({ hostName: 'lac', assignedTunnelId: 1, tieBreaker: new Uint8Array(8), hiding });
    const avps = decodeAvps(b, 12, b.length);
    for (const m of [...everyMessage(hiding), b]) {
      for (const a of decodeAvps(m, 12, m.length)) if (a.vendorId === 0 && neverHidden.includes(a.type)) expect(a.hidden, `type ${a.type}`).toBe(false);
    }
    // The hideable ones were hidden: the option was honoured where the RFC allows it.
    expect(avps.find((a) => a.type === AvpType.FramingCapabilities)!.hidden).toBe(true);
  });
});

describe('RFC 2661 §4.4.2 Result Code text', () => {
  it('the Error Message of a Result Code is written as UTF-8', () => {
    const m = parseControl(stopccn({ tunnelId: 1, assignedTunnelId: 2, resultCode: { result: 1, error: 0, message: 'café ☕' } }));
    const rc = m.avps.find((a) => a.type === AvpType.ResultCode)!;
    // 'café ☕' in UTF-8 (RFC 3629): 63 61 66 c3a9 20 e29895.
    expect(toHex(rc.value.subarray(4))).toBe('636166c3a920e29895');
  });
});

describe('RFC 2661 §6 required AVPs', () => {
  const cases = everyMessage();

  it('each builder output carries every AVP §6 requires of its message type', () => {
    expect(cases).toHaveLength(14);
    for (const b of cases) {
      const m = parseControl(b);
      const present = new Set(m.avps.filter((a) => a.vendorId === 0).map((a) => a.type));
      for (const t of messageDef(m.type)!.requiredV2) expect(present.has(t), `${m.typeName} AVP ${t}`).toBe(true);
    }
  });

  it('parseControl refuses each message with any one required AVP removed (MISSING_AVP)', () => {
    let removed = 0;
    for (const b of cases) {
      const m = parseControl(b);
      for (const t of messageDef(m.type)!.requiredV2) {
        const avps = m.avps.filter((a) => !(a.vendorId === 0 && a.type === t));
        expect(code(() => parseControl(encodeControl({ tunnelId: m.tunnelId, sessionId: m.sessionId, avps }))), `${m.typeName} without ${t}`).toBe('MISSING_AVP');
        removed++;
      }
    }
    // §6.1–§6.14 list 29 required AVPs besides Message Type (SCCCN and HELLO need none).
    expect(removed).toBe(29);
  });
});

describe('RFC 3931 §3.2.1 L2TPv3 control header', () => {
  it('encodeHeader writes a v3 control header with T=L=S=1, Ver=3 and the reserved bits 0', () => {
    const b = encodeHeader({ version: 3, isControl: true, length: 12, controlConnectionId: 0xdeadbeef, ns: 1, nr: 2 });
    expect(toHex(b)).toBe('c803000cdeadbeef00010002');
  });

  it('parseHeader ignores the reserved bits of a received v3 control header', () => {
    // c803 with every x bit of Figure 3.2.1 set: 0x3000 | 0x0700 | 0x00f0.
    const h = parseHeader(hex('fff3 000c 00000005 0001 0002'));
    expect(h).toMatchObject({ version: 3, isControl: true, length: 12, controlConnectionId: 5, ns: 1, nr: 2 });
  });
});

describe('RFC 3931 §4.1.2.1 L2TPv3 session header over UDP', () => {
  it('encodeHeader writes T=0, Ver=3 and a zero Reserved field', () => {
    const b = encodeHeader({ version: 3, isControl: false, sessionId: 0x01020304, cookie: hex('a1a2a3a4') });
    expect(toHex(b)).toBe('0003000001020304a1a2a3a4');
  });

  it('parseHeader ignores the reserved bits and Reserved field of a received v3 data header', () => {
    const h = parseHeader(hex('7ff3 ffff 01020304 a1a2a3a4'), { cookieLength: 4 });
    expect(h).toMatchObject({ version: 3, isControl: false, sessionId: 0x01020304, headerLength: 12 });
  });
});
