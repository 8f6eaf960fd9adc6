/**
 * The lookup tables under the parser and the state machines, at their edges: message rules by
 * version (RFC 2661 §6 / RFC 3931 §6), which AVPs a version recognises (RFC 2661 §4.1, §4.4;
 * RFC 3931 §5.1, §5.4), vendor AVPs keyed on (Vendor ID, type), and types no table knows.
 */
import { describe, expect, it } from 'vitest';
import { MessageType, avpDef, messageName, parseControl } from '../../src/index.js';
import { AvpRule, avpRule, decodeValue, limitsOf } from '../../src/wire/avp-rules.js';
import { avpRecognised, isSessionMessage, messageRule } from '../../src/wire/message-rules.js';
import * as codecs from '../../src/wire/value-codecs.js';
import { fromHex } from '../support/vectors.js';

describe('messageRule: each version reads its own column', () => {
  it('RFC 3931 §6.1 SCCRQ requires Host Name (7), Router ID (60), Assigned Control Connection ID (61), Pseudowire Capabilities List (62)', () => {
    expect(messageRule(3, MessageType.SCCRQ)).toEqual({ required: [7, 60, 61, 62], rfc: 'RFC 3931 §6.1' });
  });

  it('RFC 2661 §6.1 SCCRQ requires Protocol Version (2), Host Name (7), Framing Capabilities (3), Assigned Tunnel ID (9)', () => {
    const r = messageRule(2, MessageType.SCCRQ)!;
    expect(r.rfc).toBe('RFC 2661 §6.1');
    expect([...r.required].sort((a, b) => a - b)).toEqual([2, 3, 7, 9]);
  });

  it('ACK (20) is RFC 3931 §6.15 only: L2TPv2 acknowledges with a ZLB', () => {
    expect(messageRule(3, MessageType.ACK)?.rfc).toBe('RFC 3931 §6.15');
    expect(messageRule(2, MessageType.ACK)).toBeUndefined();
  });

  it('reserved and unassigned message types have no rule in either version (and do not throw)', () => {
    // RFC 2661 §3.2: 0, 5 and 13 are reserved; 21+ is past every type this library knows.
    for (const t of [0, 5, 13, 21, 255, 0xffff]) {
      expect(messageRule(2, t)).toBeUndefined();
      expect(messageRule(3, t)).toBeUndefined();
    }
  });
});

describe('isSessionMessage (RFC 2661 §6.6–§6.14)', () => {
  it('session messages are, tunnel messages are not', () => {
    expect([MessageType.OCRQ, MessageType.ICRQ, MessageType.CDN, MessageType.WEN, MessageType.SLI].map(isSessionMessage)).toEqual([true, true, true, true, true]);
    expect([MessageType.SCCRQ, MessageType.StopCCN, MessageType.HELLO, MessageType.ACK].map(isSessionMessage)).toEqual([false, false, false, false]);
  });

  it('a type with no row is not a session message (and does not throw)', () => {
    expect([0, 5, 13, 17, 21, 0xffff].map(isSessionMessage)).toEqual([false, false, false, false, false, false]);
  });
});

it('messageName of a type no RFC assigns here is undefined, not a throw', () => {
  expect(messageName(MessageType.WEN)).toBe('WEN');
  expect(messageName(0xffff)).toBeUndefined();
  expect(messageName(1000)).toBeUndefined();
});

describe('avpRecognised', () => {
  const ietf = (type: number, reserved?: number) => ({ vendorId: 0, type, reserved });

  it('RFC 2661 AVPs 0–39 are known to both versions, except 20 (unassigned between Framing Type 19 and Called Number 21)', () => {
    for (const v of [2, 3] as const) {
      expect(avpRecognised(v, ietf(0))).toBe(true); // Message Type
      expect(avpRecognised(v, ietf(19))).toBe(true); // Framing Type
      expect(avpRecognised(v, ietf(20))).toBe(false);
      expect(avpRecognised(v, ietf(21))).toBe(true); // Called Number
      expect(avpRecognised(v, ietf(39))).toBe(true); // Sequencing Required (RFC 2661 §4.4.4)
      expect(avpRecognised(v, ietf(40))).toBe(false); // a later RFC's
    }
  });

  it('RFC 3931 §5.4 AVPs 58 (Extended Vendor ID) … 75 (Rx Connect Speed) are v3 only', () => {
    for (const t of [58, 61, 75]) {
      expect(avpRecognised(3, ietf(t))).toBe(true);
      expect(avpRecognised(2, ietf(t))).toBe(false);
    }
    expect(avpRecognised(3, ietf(57))).toBe(false);
    expect(avpRecognised(3, ietf(76))).toBe(false);
  });

  it('a vendor AVP is never recognised, even with an IETF-looking type', () => {
    expect(avpRecognised(2, { vendorId: 9, type: 7 })).toBe(false);
    expect(avpRecognised(3, { vendorId: 9, type: 61 })).toBe(false);
  });

  it('reserved bits: unrecognised in v2 (RFC 2661 §4.1), ignored in v3 (RFC 3931 §5.1)', () => {
    expect(avpRecognised(2, ietf(7, 1))).toBe(false);
    expect(avpRecognised(3, ietf(7, 1))).toBe(true);
    expect(avpRecognised(2, ietf(7))).toBe(true);
  });
});

describe('AVP rules keyed on (Vendor ID, type)', () => {
  it('Cisco (9) type 7 is Pseudowire Type, not IETF Host Name (7); an unknown vendor has no rule', () => {
    expect(avpRule(9, 7)?.def.name).toBe('Pseudowire Type');
    expect(avpRule(9, 7)?.vendorId).toBe(9);
    expect(avpRule(0, 7)?.def.name).toBe('Host Name');
    expect(avpRule(4242, 7)).toBeUndefined();
  });

  it('toObject() of a HELLO carrying Cisco 9:7 = 5 names ciscoPseudowireType, not hostName', () => {
    // RFC 2661 §3.1 header (T L S, v2, Length 28, Tunnel 1), Message Type HELLO (6) M=1, then
    // a vendor AVP (§4.1): M=0 Length 8, Vendor ID 9, Attribute Type 7, value 0x0005.
    const o = parseControl(fromHex('c802001c 0001 0000 0000 0000  8008 0000 0000 0006  0008 0009 0007 0005')).toObject() as Record<string, unknown>;
    expect(o.ciscoPseudowireType).toBe(5);
    expect(o.hostName).toBeUndefined();
  });
});

describe('decodeValue and limitsOf on rules the catalogue does not (yet) have', () => {
  const hostName = avpDef(0, 7)!;

  it('a one-byte integer value is that byte', () => {
    const r = new AvpRule({ ...hostName, codec: codecs.u8 });
    expect(decodeValue(r, Uint8Array.of(0x12, 0x34), 0, 1)).toBe(0x12);
  });

  it('a codec whose lengths do not fit the 10-bit AVP Length is refused, naming the rule', () => {
    const r = new AvpRule({ ...hostName, codec: codecs.bytes(0, 2000) });
    expect(() => limitsOf(r)).toThrow('AVP rule hostName: lengths 0–2000 do not pack in 10 bits');
  });
});
