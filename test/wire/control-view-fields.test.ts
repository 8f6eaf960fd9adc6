/**
 * What a parsed control message shows: the v3 Control Connection ID (RFC 3931 §3.2.1), the first
 * usable occurrence of a repeated AVP, clear or hidden (RFC 2661 §4.3), and a plain object with
 * no key for a field the message has no usable value of. Byte strings are written by hand from
 * the RFC layouts, or copied from a hidden SCCRQ hidden by Python's hashlib (test/vectors/hostile.txt,
 * the one hidden.test.ts checks), never made by our encoder.
 */
import { describe, expect, it } from 'vitest';
import { parseControl } from '../../src/wire/control-parse.js';
import { hex } from '../support/hex.js';

// A HELLO (RFC 2661 §6.5) to Tunnel ID 0x1234, and the same in L2TPv3 to Control Connection ID
// 0x12345678 (RFC 3931 §3.2.1: the 32-bit ID takes the place of Tunnel ID and Session ID).
const V2_HELLO = hex('c802 0014 1234 0000 0000 0000 8008 0000 0000 0006');
const V3_HELLO = hex('c803 0014 12345678 0000 0000 8008 0000 0000 0006');

describe('controlConnectionId (RFC 3931 §3.2.1)', () => {
  it('v3: the header\'s 32-bit Control Connection ID, as a field and in toObject()', () => {
    const m = parseControl(V3_HELLO);
    expect(m.controlConnectionId).toBe(0x12345678);
    expect(m.tunnelId).toBe(0x12345678);
    expect(m.toObject().controlConnectionId).toBe(0x12345678);
    expect(m.toJSON().controlConnectionId).toBe(0x12345678);
  });

  it('v2: undefined, and absent from toObject()', () => {
    const m = parseControl(V2_HELLO);
    expect(m.controlConnectionId).toBeUndefined();
    expect(m.tunnelId).toBe(0x1234);
    expect(Object.keys(m.toObject())).not.toContain('controlConnectionId');
  });
});

describe('the avps list', () => {
  it('is built once: every read gives the same list', () => {
    const m = parseControl(V2_HELLO);
    const first = m.avps;
    expect(first.map((a) => a.type)).toEqual([0]);
    expect(m.avps).toBe(first);
  });
});

// Copied from hidden.test.ts ("hidden with the tunnel secret"): an SCCRQ whose Host Name (type 7)
// is hidden with this secret and the Random Vector e9 f1 … 5e; it unhides to "hidden-host".
const SECRET = 'l2tp-wire-test-secret';
const HEAD = '8008 0000 0000 0001 8016 0000 0024 e9f1d08e5eaa2f069ddd2839c1561a5e 8008 0000 0002 0100 800a 0000 0003 00000003';
const HIDDEN_HOST = 'c013 0000 0007 50b81f47cea798e56bfd2630e7';
const TAIL = '8008 0000 0009 1399 8008 0000 000a 0004';
/** A clear Host Name "lns" (9 bytes). */
const CLEAR_HOST = '8009 0000 0007 6c6e73';
const header = (length: number): string => `c802 ${length.toString(16).padStart(4, '0')} 0000 0000 0000 0000`;

describe('a repeated AVP: the first usable occurrence is the typed field (RFC 2661 §4.3 hidden AVPs included)', () => {
  it('the SCCRQ as sent: hostName is the unhidden "hidden-host"', () => {
    const m = parseControl(hex(`${header(95)} ${HEAD} ${HIDDEN_HOST} ${TAIL}`), { secret: SECRET });
    expect(m.hostName).toBe('hidden-host');
    expect(m.assignedTunnelId).toBe(0x1399);
  });

  it('a clear Host Name before the hidden one wins', () => {
    const m = parseControl(hex(`${header(104)} ${HEAD} ${CLEAR_HOST} ${HIDDEN_HOST} ${TAIL}`), { secret: SECRET });
    expect(m.hostName).toBe('lns');
    expect(m.toObject().hostName).toBe('lns');
  });

  it('the hidden Host Name before a clear one wins', () => {
    const m = parseControl(hex(`${header(104)} ${HEAD} ${HIDDEN_HOST} ${CLEAR_HOST} ${TAIL}`), { secret: SECRET });
    expect(m.hostName).toBe('hidden-host');
  });
});

describe('toObject() has no key for a field without a usable value', () => {
  it('the SCCRQ parsed without the secret: no hostName key (the hidden AVP stays in avps)', () => {
    const m = parseControl(hex(`${header(95)} ${HEAD} ${HIDDEN_HOST} ${TAIL}`));
    expect(m.hostName).toBeUndefined();
    const o = m.toObject();
    expect(Object.keys(o)).not.toContain('hostName');
    expect(o).toMatchObject({ typeName: 'SCCRQ', protocolVersion: { version: 1, revision: 0 }, framingCapabilities: 3, assignedTunnelId: 0x1399, receiveWindowSize: 4 });
    expect(o.avps.filter((a) => a.hidden).map((a) => a.type)).toEqual([7]);
  });

  it('a v2 Host Name with a reserved bit set is unrecognised (RFC 2661 §4.1): no hostName key', () => {
    // HELLO + Host Name "a" whose header word has reserved bit 0x0400 set.
    const m = parseControl(hex('c802 001b 0001 0000 0000 0000 8008 0000 0000 0006 0407 0000 0007 61'));
    expect(m.hostName).toBeUndefined();
    expect(Object.keys(m.toObject())).not.toContain('hostName');
  });
});
