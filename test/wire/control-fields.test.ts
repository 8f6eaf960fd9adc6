/**
 * The encoder's field work (control-fields.ts; RFC 2661 §3.1, §4.1, §6): typed fields go out in
 * the order §6 lists them whatever order the caller wrote them in; a failed encode leaves nothing
 * behind for the next one; `undefined` fields are absent; a value's complaint names its field;
 * raw AVPs and the header are checked. Expected bytes are written by hand from the RFC layouts.
 */
import { describe, expect, it } from 'vitest';
import { encodeControl, MessageType } from '../../src/index.js';
import type { AvpDef } from '../../src/wire/avp-def.js';
import { named, valueLength, writeControlHeader } from '../../src/wire/control-fields.js';
import { toHex } from '../support/hex.js';

const h = (s: string) => s.replace(/\s+/g, '');

// §6.1 SCCRQ, tunnel 0: Message Type 1; Protocol Version 1.0 (type 2, M=1); Host Name "lac"
// (7, M=1); Framing Capabilities 3 (3, M=1, 32 bits); Assigned Tunnel ID 5 (9, M=1). 55 bytes.
const SCCRQ = h(`c802 0037 0000 0000 0000 0000
  8008 0000 0000 0001
  8008 0000 0002 0100
  8009 0000 0007 6c6163
  800a 0000 0003 00000003
  8008 0000 0009 0005`);

// §6.4 StopCCN to tunnel 1: Message Type 4; Assigned Tunnel ID 5; Result Code 1 (type 1, M=1, 2 bytes). 36 bytes.
const STOPCCN = h(`c802 0024 0001 0000 0000 0000
  8008 0000 0000 0004
  8008 0000 0009 0005
  8008 0000 0001 0001`);

const stop = { type: MessageType.StopCCN, tunnelId: 1, resultCode: { result: 1 }, assignedTunnelId: 5 };

describe('typed fields in §6 order', () => {
  it('SCCRQ fields given in reverse order come out in the RFC order', () => {
    const msg = { assignedTunnelId: 5, framingCapabilities: 3, hostName: 'lac', protocolVersion: { version: 1, revision: 0 }, type: MessageType.SCCRQ };
    expect(toHex(encodeControl(msg))).toBe(SCCRQ);
    expect(toHex(encodeControl(msg, new Uint8Array(55)))).toBe(SCCRQ);
  });

  it('a field set to undefined is absent (a typed one, one outside the message list, and an unknown key)', () => {
    const msg = { type: MessageType.StopCCN, tunnelId: 1, challenge: undefined, assignedTunnelId: 5, vendorName: undefined, resultCode: { result: 1 }, notAField: undefined };
    expect(toHex(encodeControl(msg as never))).toBe(STOPCCN);
    expect(toHex(encodeControl(msg as never, new Uint8Array(36)))).toBe(STOPCCN);
  });
});

describe('a failed encode leaves nothing behind', () => {
  // Protocol Version is the first typed row of SCCRQ after Random Vector: the encode fails there,
  // before the later rows (Host Name, Framing Capabilities, Vendor Name) are written.
  const failing = { type: MessageType.SCCRQ, protocolVersion: 'one' as never, hostName: 'stale', framingCapabilities: 7, assignedTunnelId: 9, vendorName: 'stale' };
  const fail = () => expect(() => encodeControl(failing)).toThrow(new TypeError('protocolVersion (Protocol Version AVP): protocolVersion must be an object, got string'));

  it('the next messages, shorter or of the same type, carry only their own fields', () => {
    fail();
    expect(toHex(encodeControl(stop))).toBe(STOPCCN);
    fail();
    expect(toHex(encodeControl(stop, new Uint8Array(36)))).toBe(STOPCCN);
    fail();
    const sccrq = { type: MessageType.SCCRQ, protocolVersion: { version: 1, revision: 0 }, hostName: 'lac', framingCapabilities: 3, assignedTunnelId: 5 };
    expect(toHex(encodeControl(sccrq))).toBe(SCCRQ);
    fail();
    expect(toHex(encodeControl(sccrq, new Uint8Array(55)))).toBe(SCCRQ);
  });
});

describe('a value the codec refuses is named with its field', () => {
  it('a RangeError keeps its class and the codec error as cause', () => {
    let e: unknown;
    try {
      encodeControl({ ...stop, assignedTunnelId: 0 });
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(RangeError);
    expect((e as Error).message).toBe('assignedTunnelId (Assigned Tunnel ID AVP): value must be 1 to 65535: 0 is reserved for this ID (RFC 2661 §4.4.3/§4.4.4)');
    expect((e as Error).cause).toBeInstanceOf(RangeError);
    expect(((e as Error).cause as Error).message).toBe('value must be 1 to 65535: 0 is reserved for this ID (RFC 2661 §4.4.3/§4.4.4)');
  });

  it('a TypeError keeps its class and the codec error as cause', () => {
    let e: unknown;
    try {
      encodeControl({ type: MessageType.SCCRQ, hostName: 42 as never });
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(TypeError);
    expect((e as Error).message).toBe('hostName (Host Name AVP): value must be a string, got number');
    expect((e as Error).cause).toBeInstanceOf(TypeError);
    expect(((e as Error).cause as Error).message).toBe('value must be a string, got number');
  });

  it('any other error (a getter of the caller that throws) passes through as it is', () => {
    const boom = new Error('boom');
    const pv = {
      get version(): number {
        throw boom;
      },
      revision: 0,
    };
    let e: unknown;
    try {
      encodeControl({ type: MessageType.SCCRQ, protocolVersion: pv });
    } catch (x) {
      e = x;
    }
    expect(e).toBe(boom);
    expect(() => named({ key: 'k', name: 'K' } as AvpDef, 'a string')).toThrow('a string');
  });
});

describe('raw AVPs (extraAvps) are checked, with the AVP named as vendor:type', () => {
  it.each([
    [undefined, '0'],
    [9, '9'],
  ])('vendorId %s: a value that is not bytes is a TypeError', (vendorId, v) => {
    expect(() => encodeControl({ type: MessageType.HELLO, extraAvps: [{ vendorId, type: 99, value: 'x' as never }] })).toThrow(
      new TypeError(`value of AVP ${v}:99 must be a Uint8Array, got string`),
    );
  });

  it.each([
    [undefined, '0'],
    [9, '9'],
  ])('vendorId %s: a value of 1018 bytes is a RangeError (§4.1: 10-bit Length)', (vendorId, v) => {
    expect(() => encodeControl({ type: MessageType.HELLO, extraAvps: [{ vendorId, type: 99, value: new Uint8Array(1018) }] })).toThrow(
      new RangeError(`AVP ${v}:99 value is 1018 bytes; an AVP holds at most 1017`),
    );
  });
});

describe('valueLength: the encoded size is checked against the row, whatever the codec says', () => {
  // The catalogue's codecs check their own sizes; this guard catches one that does not (a codec
  // bug would otherwise write an AVP of the wrong length).
  const row = (minLength: number, maxLength: number, len: number) =>
    ({ key: 'field', name: 'Field', codec: { minLength, maxLength, encodedLength: () => len } }) as unknown as AvpDef;

  it('in range: the size', () => {
    expect([valueLength(row(1, 16, 1), 0), valueLength(row(1, 16, 16), 0), valueLength(row(0, 2000, 1017), 0)]).toEqual([1, 16, 1017]);
  });

  it.each([
    [1, 16, 0, '1–16'],
    [1, 16, 17, '1–16'],
    [0, 2000, 1018, '0–1017'],
  ])('row %i–%i, codec says %i: RangeError giving the range %s', (min, max, len, range) => {
    expect(() => valueLength(row(min, max, len), 0)).toThrow(new RangeError(`field (Field AVP) must encode to ${range} bytes, got ${len}`));
  });
});

describe('writeControlHeader: the Length field is 16 bits (§3.1)', () => {
  it('65535 is written; 65536 is a RangeError', () => {
    const b = new Uint8Array(12);
    writeControlHeader(b, 0, { tunnelId: 1 }, 65535);
    expect(toHex(b)).toBe('c802ffff0001000000000000');
    expect(() => writeControlHeader(b, 0, { tunnelId: 2 }, 65536)).toThrow(new RangeError('message would be 65536 bytes; the Length field holds at most 65535'));
    expect(toHex(b)).toBe('c802ffff0001000000000000');
  });
});
