/**
 * The encoder's in-place fast path (src/wire/scalar-writers.ts) at the edge of the shared slab:
 * a 16-bit, 32-bit or string AVP that would cross the 1024th byte (bytes.ts POOL_MAX) must make the
 * one-pass encode give up, so the message gets a buffer of its own; and giving up must never write
 * into a message handed out earlier (bytes.ts: a view is "never handed out twice"). Also the
 * non-zero 32-bit IDs of RFC 3931 §5.4.3/§5.4.4. Expected bytes are written by hand from the RFC
 * 2661 §4.1 AVP layout (M bit, Length, Vendor ID, Attribute Type, value).
 */
import { describe, expect, it } from 'vitest';
import { encodeControl, MessageType, type AvpInit, type ControlMessageInit } from '../../src/index.js';
import { toHex } from '../support/hex.js';

const x = (n: number) => 'x'.repeat(n);
const hexOf = (s: string) => toHex(new TextEncoder().encode(s));
/** §3.1 control header, T=1 L=1 S=1 Ver=2, Tunnel ID 0, Session ID 0, Ns 0, Nr 0; then §4.4.1 Message Type SCCRQ (1). */
const sccrqHead = (length: number) => `c802${length.toString(16).padStart(4, '0')}0000000000000000` + '800800000000' + '0001';

/** Its own buffer (not a slab view): the whole `ArrayBuffer` is the message. */
function ownBuffer(b: Uint8Array): [number, number] {
  return [b.byteOffset, b.buffer.byteLength];
}

describe('a fast-path AVP crossing the 1024th byte: the message is not a slab view', () => {
  // Host Name (§4.4.3, type 7, M=1) of 995 bytes: 12 (header) + 8 (Message Type) + 1001 = 1021, so
  // the next AVP starts 3 bytes before the limit.
  const host995 = '83e9' + '0000' + '0007' + hexOf(x(995));
  // Challenge (§4.4.3, type 11, M=1) of 990 bytes (not a fast-path kind): 20 + 996 = 1016.
  const challenge990 = '83e4' + '0000' + '000b' + 'cd'.repeat(990);
  const cases: [string, ControlMessageInit, string][] = [
    // Assigned Tunnel ID (§4.4.3, type 9, M=1, 16 bits).
    ['a 16-bit AVP (Assigned Tunnel ID)', { type: MessageType.SCCRQ, hostName: x(995), assignedTunnelId: 0x1234 }, host995 + '8008' + '0000' + '0009' + '1234'],
    // Framing Capabilities (§4.4.3, type 3, M=1, 32 bits): sync + async.
    ['a 32-bit AVP (Framing Capabilities)', { type: MessageType.SCCRQ, hostName: x(995), framingCapabilities: 3 }, host995 + '800a' + '0000' + '0003' + '00000003'],
    // Vendor Name (§4.4.3, type 8, M=0) of 11 bytes: 1016 + 17 > 1024.
    ['a string AVP (Vendor Name)', { type: MessageType.SCCRQ, challenge: new Uint8Array(990).fill(0xcd), vendorName: 'hello world' }, challenge990 + '0011' + '0000' + '0008' + hexOf('hello world')],
  ];

  it.each(cases)('%s, the last one written', (_, msg, avps) => {
    const size = 20 + avps.length / 2;
    expect(size).toBeGreaterThan(1024);
    // Wherever the slab stands: fill it a little between tries so that both room and no room after it are seen.
    for (let i = 0; i < 10; i++) {
      const b = encodeControl(msg);
      expect(b.length).toBe(size);
      expect(ownBuffer(b)).toEqual([0, size]);
      expect(toHex(b)).toBe(sccrqHead(size) + avps);
      encodeControl({ type: MessageType.HELLO, extraAvps: [{ type: 99, value: new Uint8Array(700) }] });
    }
  });
});

describe('an encode that gives up never writes into an earlier message', () => {
  // A 1024-byte HELLO (20 bytes + an unknown AVP of 6 + 998) that sits at the start of a fresh slab.
  const filler = { type: MessageType.HELLO, tunnelId: 1, extraAvps: [{ type: 99, value: new Uint8Array(998).fill(0xab) }] };
  function firstInSlab(): { view: Uint8Array; copy: string } {
    let guard = 0;
    for (;;) {
      const view = encodeControl(filler);
      if (view.byteOffset === 0) return { view, copy: toHex(view) };
      expect(guard++).toBeLessThan(16);
    }
  }
  const extra: AvpInit = { type: 99, value: new Uint8Array(40).fill(0x5a) };
  // The next message starts at 1024; its 16- or 32-bit AVP crosses 2048, then more AVPs follow.
  const cases: [string, ControlMessageInit][] = [
    ['a 16-bit AVP crosses the limit', { type: MessageType.SCCRQ, hostName: x(995), assignedTunnelId: 1, receiveWindowSize: 4, challenge: new Uint8Array(16).fill(0xcd), extraAvps: [extra] }],
    ['a 32-bit AVP crosses the limit', { type: MessageType.SCCRQ, hostName: x(995), framingCapabilities: 3, assignedTunnelId: 1, challenge: new Uint8Array(16).fill(0xcd), extraAvps: [extra] }],
    // Small messages (no limit crossed): every kind of field, then an extra AVP.
    ['a small message of scalar and other fields', { type: MessageType.SCCRQ, protocolVersion: { version: 1, revision: 0 }, hostName: 'lac', assignedTunnelId: 1, challenge: new Uint8Array(16).fill(0xcd), extraAvps: [extra] }],
  ];

  it.each(cases)('%s', (_, msg) => {
    const first = firstInSlab();
    const b = encodeControl(msg);
    expect(toHex(first.view)).toBe(first.copy);
    // The extra AVP (type 99, M=0, Length 46) is the message's last 46 bytes.
    expect(toHex(b.subarray(b.length - 46))).toBe('002e00000063' + '5a'.repeat(40));
  });
});

describe('32-bit IDs that RFC 3931 says are non-zero are refused as 0, in place or not', () => {
  // §5.4.3 Assigned Control Connection ID and §5.4.4 Local Session ID: 0 is reserved.
  it.each(['assignedControlConnectionId', 'localSessionId'])('%s: 0', (field) => {
    const msg = { type: MessageType.SCCRQ, version: 3, hostName: 'h', [field]: 0 } as ControlMessageInit;
    expect(() => encodeControl(msg)).toThrow(RangeError);
    expect(() => encodeControl(msg, new Uint8Array(200))).toThrow(RangeError);
    const ok = { ...msg, [field]: 0x01020304 } as ControlMessageInit;
    expect(toHex(encodeControl(ok))).toContain(field === 'localSessionId' ? '800a0000003f01020304' : '800a0000003d01020304');
  });
});
