import { describe, expect, it } from 'vitest';
import { encodePppFrame, parsePppFrame, pppHeaderLength } from '../../src/ppp/frame.js';
import { encodeControlPacket, encodeOptions, parseControlPacket, parseOptions } from '../../src/ppp/packet.js';
import { PppError } from '../../src/ppp/errors.js';

const h = (s: string): Uint8Array => Uint8Array.from(s.replace(/\s+/g, '').match(/../g) ?? [], (x) => parseInt(x, 16));
const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

function pppError(f: () => unknown): { code: string; offset: number } {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(PppError);
    return { code: (e as PppError).code, offset: (e as PppError).offset };
  }
  throw new Error('did not throw');
}

// The LCP Configure-Request xl2tpd's pppd sends (MRU 1500, magic 0x11223344), as in test/interop/fake-pppd.py.
const LCP_CR = h('ff03 c021 01 01 000e 0104 05dc 0506 11223344');

describe('PPP frames over L2TP (RFC 1661 §2, §6.5, §6.6)', () => {
  it('parses address/control + a two-byte protocol; the information is a view', () => {
    const f = parsePppFrame(LCP_CR);
    expect(f).toMatchObject({ protocol: 0xc021, addressControl: true, protocolCompressed: false });
    expect(f.information.buffer).toBe(LCP_CR.buffer);
    expect(f.information.byteOffset).toBe(4);
  });
  it('accepts every compressed form whatever was negotiated', () => {
    expect(parsePppFrame(h('c021 09010008 00000000'))).toMatchObject({ protocol: 0xc021, addressControl: false });
    expect(parsePppFrame(h('21 4500'))).toMatchObject({ protocol: 0x21, protocolCompressed: true, addressControl: false });
    expect(parsePppFrame(h('ff03 21 4500'))).toMatchObject({ protocol: 0x21, protocolCompressed: true, addressControl: true });
  });
  it('errors carry code and offset', () => {
    expect(pppError(() => parsePppFrame(h('ff03')))).toEqual({ code: 'TRUNCATED', offset: 2 });
    expect(pppError(() => parsePppFrame(h('ff03 c0')))).toEqual({ code: 'TRUNCATED', offset: 2 });
    // 0xc020: even low byte is not a valid protocol (the ISO 3309 extension rule).
    expect(pppError(() => parsePppFrame(h('ff03 c020 00')))).toEqual({ code: 'BAD_PROTOCOL', offset: 3 });
  });
  it('encodes the same bytes as the capture, and the compressed forms on request', () => {
    expect(hex(encodePppFrame(0xc021, LCP_CR.subarray(4)))).toBe(hex(LCP_CR));
    expect(hex(encodePppFrame(0x21, h('4500'), { addressControl: false, compressProtocol: true }))).toBe('214500');
    // LCP is never protocol-compressed (its number is above 0xff anyway).
    expect(hex(encodePppFrame(0xc021, h('00'), { compressProtocol: true }))).toBe('ff03c02100');
    expect(pppHeaderLength(0x21, { compressProtocol: true })).toBe(3);
  });
  it('writes into a caller buffer without allocating a frame', () => {
    const buf = new Uint8Array(16);
    const f = encodePppFrame(0x8021, h('0101000a'), {}, buf, 3);
    expect(f.buffer).toBe(buf.buffer);
    expect(hex(f)).toBe('ff0380210101000a');
    expect(() => encodePppFrame(0x8021, new Uint8Array(10), {}, buf, 10)).toThrow(RangeError);
  });
  it('refuses protocol numbers that break the odd/even rule (local misuse)', () => {
    expect(() => encodePppFrame(0xc020, h(''))).toThrow(RangeError);
    expect(() => encodePppFrame(0x0121, h(''))).toThrow(RangeError);
  });
});

describe('control packets and options (RFC 1661 §5, §6)', () => {
  it('parses the capture\'s Configure-Request', () => {
    const p = parseControlPacket(LCP_CR.subarray(4));
    expect(p).toMatchObject({ code: 1, identifier: 1 });
    expect(parseOptions(p.data).map((o) => [o.type, hex(o.data)])).toEqual([
      [1, '05dc'],
      [5, '11223344'],
    ]);
    expect(hex(encodeControlPacket({ code: 1, identifier: 1, data: encodeOptions(parseOptions(p.data)) }))).toBe(hex(LCP_CR.subarray(4)));
  });
  it('ignores padding past Length (§5)', () => {
    expect(parseControlPacket(h('0601 0004 0000 0000')).data).toHaveLength(0);
  });
  it('errors carry code and offset', () => {
    expect(pppError(() => parseControlPacket(h('0101 00')))).toEqual({ code: 'TRUNCATED', offset: 3 });
    expect(pppError(() => parseControlPacket(h('0101 0003')))).toEqual({ code: 'BAD_LENGTH', offset: 2 });
    expect(pppError(() => parseControlPacket(h('0101 0010 0000')))).toEqual({ code: 'BAD_LENGTH', offset: 2 });
    expect(pppError(() => parseOptions(h('0104 05dc 05')))).toEqual({ code: 'BAD_OPTION_LENGTH', offset: 4 });
    expect(pppError(() => parseOptions(h('0101')))).toEqual({ code: 'BAD_OPTION_LENGTH', offset: 1 });
    expect(pppError(() => parseOptions(h('0106 05dc')))).toEqual({ code: 'BAD_OPTION_LENGTH', offset: 1 });
  });
  it('errors survive JSON.stringify', () => {
    const e = (() => {
      try {
        parseOptions(h('0101'));
      } catch (x) {
        return x;
      }
    })();
    expect(JSON.parse(JSON.stringify(e))).toMatchObject({ name: 'PppError', code: 'BAD_OPTION_LENGTH', offset: 1 });
  });
});
