/**
 * parseControl at its boundaries: each malformed control message is refused with the exact code,
 * the offset of the field at fault and the exact reason; the messages next to them are accepted.
 * Every byte string is written by hand from the layouts of RFC 2661 §3.1 (control header: flags
 * word T L x x S x O P x x x x Ver, Length, Tunnel ID, Session ID, Ns, Nr), §4.1 (AVP header:
 * M H rsvd Length(10), Vendor ID, Attribute Type), §4.4.1 (Message Type first, 8 bytes, not
 * hidden), §6 (required AVPs) and RFC 3931 §3.2.1 (L2TPv3 control header, 32-bit Control
 * Connection ID), never by our encoder.
 */
import { describe, expect, it } from 'vitest';
import { parseControl } from '../../src/wire/control-parse.js';
import { expectL2tpError } from '../support/errors.js';
import { hex } from '../support/hex.js';

describe('the control header, refused field by field (RFC 2661 §3.1, RFC 3931 §3.2.1)', () => {
  it.each([
    ['no bytes', '', 'TRUNCATED', 0, 'message shorter than the 2-byte flags word'],
    ['1 byte', 'c8', 'TRUNCATED', 1, 'message shorter than the 2-byte flags word'],
    // 2 bytes hold the whole flags word: the next complaint is the header's size, not the word's.
    ['a lone v2 flags word', 'c802', 'TRUNCATED', 2, 'control header is 12 bytes, got 2'],
    ['11 bytes', 'c802 000c 0001 0000 0000 00', 'TRUNCATED', 11, 'control header is 12 bytes, got 11'],
    ['version 1, 2 bytes', '0001', 'BAD_VERSION', 1, 'version 1 is L2F (RFC 2341), not L2TP'],
    ['version 1, full header', 'c801 000c 0001 0000 0000 0000', 'BAD_VERSION', 1, 'version 1 is L2F (RFC 2341), not L2TP'],
    ['version 0', 'c800 000c 0001 0000 0000 0000', 'BAD_VERSION', 1, 'unknown L2TP version 0'],
    ['version 4', 'c804 000c 0001 0000 0000 0000', 'BAD_VERSION', 1, 'unknown L2TP version 4'],
    ['T=0 (a data message)', '4802 000c 0001 0000 0000 0000', 'BAD_FLAGS', 0, 'T bit is 0: a data message, not a control message'],
    ['v2 without L', '8802 000c 0001 0000 0000 0000', 'BAD_FLAGS', 0, 'control message without the L and S bits set (RFC 2661 §3.1)'],
    ['v2 without S', 'c002 000c 0001 0000 0000 0000', 'BAD_FLAGS', 0, 'control message without the L and S bits set (RFC 2661 §3.1)'],
    ['v3 without S', 'c003 000c 00000001 0000 0000', 'BAD_FLAGS', 0, 'control message without the L and S bits set (RFC 2661 §3.1)'],
    ['v2 with O', 'ca02 000c 0001 0000 0000 0000', 'BAD_FLAGS', 0, 'control message with the O or P bit set (RFC 2661 §3.1)'],
    ['v2 with P', 'c902 000c 0001 0000 0000 0000', 'BAD_FLAGS', 0, 'control message with the O or P bit set (RFC 2661 §3.1)'],
    ['Length 13 in 12 bytes', 'c802 000d 0001 0000 0000 0000', 'BAD_LENGTH', 2, 'Length 13 exceeds the 12 bytes received'],
    ['Length 11', 'c802 000b 0001 0000 0000 0000', 'BAD_LENGTH', 2, 'Length 11 is shorter than the 12-byte header'],
  ])('%s', (_name, bytes, code, offset, reason) => {
    expectL2tpError(() => parseControl(hex(bytes)), { code, offset, reason });
  });

  it('v3: the bits where v2 has O and P are reserved, "ignored on incoming messages" (RFC 3931 §3.2.1)', () => {
    // T L S, both x bits at 0x0300 set, Ver 3; a ZLB to Control Connection ID 0x12345678.
    const m = parseControl(hex('cb03 000c 12345678 0003 0004'));
    expect({ version: m.version, tunnelId: m.tunnelId, ns: m.ns, nr: m.nr, isZlb: m.isZlb }).toEqual({
      version: 3,
      tunnelId: 0x12345678,
      ns: 3,
      nr: 4,
      isZlb: true,
    });
  });
});

describe('the Message Type AVP, first and 8 bytes (RFC 2661 §4.1, §4.4.1)', () => {
  it.each([
    ['5 bytes after the header', 'c802 0011 0001 0000 0000 0000 8008 0000 00', 'TRUNCATED', 12, 'message ends inside the first AVP header'],
    ['Length 5', 'c802 0014 0001 0000 0000 0000 8005 0000 0000 0006', 'BAD_AVP_LENGTH', 12, 'AVP Length 5 is under the 6-byte minimum'],
    // Length 18: the 8-byte AVP ends 2 bytes after the message, though the input has them.
    ['Length 8 in a message of 18', 'c802 0012 0001 0000 0000 0000 8008 0000 0000 0006', 'BAD_AVP_LENGTH', 12, 'AVP Length 8 runs past the end of the message'],
    ['Length 8, 6 bytes given', 'c802 0012 0001 0000 0000 0000 8008 0000 0000', 'BAD_AVP_LENGTH', 12, 'AVP Length 8 runs past the end of the message'],
    ['Host Name first', 'c802 0014 0001 0000 0000 0000 8008 0000 0007 6869', 'MESSAGE_TYPE_NOT_FIRST', 12, 'the first AVP is not Message Type (RFC 2661 §4.4.1)'],
    ['vendor 9, type 0 first', 'c802 0014 0001 0000 0000 0000 8008 0009 0000 0006', 'MESSAGE_TYPE_NOT_FIRST', 12, 'the first AVP is not Message Type (RFC 2661 §4.4.1)'],
    ['hidden', 'c802 0014 0001 0000 0000 0000 c008 0000 0000 0006', 'BAD_AVP_VALUE', 12, 'the Message Type AVP is hidden; RFC 2661 §4.4.1 forbids it'],
    ['Length 9', 'c802 0015 0001 0000 0000 0000 8009 0000 0000 0006 00', 'BAD_AVP_VALUE', 12, 'Message Type AVP Length is 9, must be 8'],
  ])('%s', (_name, bytes, code, offset, reason) => {
    expectL2tpError(() => parseControl(hex(bytes)), { code, offset, reason });
  });

  it('a HELLO of exactly 20 bytes is accepted', () => {
    const m = parseControl(hex('c802 0014 0001 0000 0000 0000 8008 0000 0000 0006'));
    expect({ typeName: m.typeName, length: m.length, avps: m.avps.length }).toEqual({ typeName: 'HELLO', length: 20, avps: 1 });
  });
});

describe('a later AVP header that does not fit (RFC 2661 §4.1: Length ≥ 6, inside the message)', () => {
  // A HELLO (Message Type value 0006 at bytes 18–19), then the AVP at byte 20.
  const hello = 'c802 %LEN 0001 0000 0000 0000 8008 0000 0000 0006';
  const msg = (len: number, rest: string): Uint8Array => hex(hello.replace('%LEN', len.toString(16).padStart(4, '0')) + rest);

  it.each([
    ['3 bytes after the Message Type', 23, '800a 00', 'TRUNCATED', 20, '3 bytes left after the last AVP, fewer than an AVP header'],
    ['1 byte after the Message Type', 21, '80', 'TRUNCATED', 20, '1 bytes left after the last AVP, fewer than an AVP header'],
    ['Length 5', 26, '0005 0000 0008', 'BAD_AVP_LENGTH', 20, 'AVP Length 5 is under the 6-byte minimum'],
    // The M and H bits and the reserved bits are not part of the 10-bit Length.
    ['Length 0 with M set', 26, '8000 0000 0008', 'BAD_AVP_LENGTH', 20, 'AVP Length 0 is under the 6-byte minimum'],
    ['Length 10, 6 bytes left', 26, '000a 0000 0008', 'BAD_AVP_LENGTH', 20, 'AVP Length 10 runs 4 bytes past the end of the message'],
    // The message ends at its Length, not at the end of the input.
    ['Length 10, 6 bytes left before Length, 4 more after it', 26, '000a 0000 0008 61626364', 'BAD_AVP_LENGTH', 20, 'AVP Length 10 runs 4 bytes past the end of the message'],
    ['Length 1023 with H set', 26, '43ff 0000 0008', 'BAD_AVP_LENGTH', 20, 'AVP Length 1023 runs 1017 bytes past the end of the message'],
  ])('%s', (_name, len, rest, code, offset, reason) => {
    expectL2tpError(() => parseControl(msg(len, rest)), { code, offset, reason });
  });

  it('the AVP of exactly 6 bytes that ends the message is accepted', () => {
    const m = parseControl(msg(26, '0006 0000 0008'));
    expect(m.avps.map((a) => [a.type, a.valueLength])).toEqual([
      [0, 2],
      [8, 0],
    ]);
  });
});

describe('required AVPs (RFC 2661 §6): an AVP of type 64 or more never stands in for one below 64', () => {
  it.each([
    // WEN (§6.13) requires Call Errors (34); here an AVP of type 66 (34 + 32) instead.
    ['WEN with type 66, no Call Errors', 'c802 001c 0001 0002 0000 0000 8008 0000 0000 000f 0008 0000 0042 abcd', 'WEN without the Call Errors AVP that RFC 2661 §6 requires'],
    // SLI (§6.14) requires ACCM (35); here type 67 (35 + 32).
    ['SLI with type 67, no ACCM', 'c802 001c 0001 0002 0000 0000 8008 0000 0000 0010 0008 0000 0043 abcd', 'SLI without the ACCM AVP that RFC 2661 §6 requires'],
    // And type 98 (34 + 64).
    ['WEN with type 98, no Call Errors', 'c802 001c 0001 0002 0000 0000 8008 0000 0000 000f 0008 0000 0062 abcd', 'WEN without the Call Errors AVP that RFC 2661 §6 requires'],
  ])('%s', (_name, bytes, reason) => {
    expectL2tpError(() => parseControl(hex(bytes)), { code: 'MISSING_AVP', offset: 12, reason });
  });

  it('the same WEN with its Call Errors (26 bytes: reserved, six 32-bit counters) is accepted', () => {
    const m = parseControl(
      hex(
        'c802 003c 0001 0002 0000 0000 8008 0000 0000 000f 0008 0000 0042 abcd' +
          '8020 0000 0022 0000 00000001 00000002 00000003 00000004 00000005 00000006',
      ),
    );
    expect(m.typeName).toBe('WEN');
    expect(m.callErrors).toEqual({ crcErrors: 1, framingErrors: 2, hardwareOverruns: 3, bufferOverruns: 4, timeoutErrors: 5, alignmentErrors: 6 });
  });
});

describe('a value the AVP definition does not allow (RFC 2661 §4.4): the reason names the AVP and the sizes allowed', () => {
  it.each([
    // Protocol Version (§4.4.3) is exactly 2 bytes.
    ['Protocol Version of 3 bytes', 'c802 001d 0001 0000 0000 0000 8008 0000 0000 0006 8009 0000 0002 010000', 20, 'Protocol Version AVP value is 3 bytes; 2 allowed'],
    ['Protocol Version of 1 byte', 'c802 001b 0001 0000 0000 0000 8008 0000 0000 0006 8007 0000 0002 01', 20, 'Protocol Version AVP value is 1 bytes; 2 allowed'],
    // Host Name (§4.4.3) is at least one byte: "arbitrary number of octets", not empty.
    ['Host Name of 0 bytes', 'c802 001a 0001 0000 0000 0000 8008 0000 0000 0006 8006 0000 0007', 20, 'Host Name AVP value is 0 bytes; 1–1017 allowed'],
    // Cisco Assigned Connection ID (vendor 9, type 1): 4 bytes; checked outside the IETF table.
    ['Cisco Assigned Connection ID of 2 bytes', 'c802 001c 0001 0000 0000 0000 8008 0000 0000 0006 0008 0009 0001 abcd', 20, 'Assigned Connection ID AVP value is 2 bytes; 4 allowed'],
  ])('%s', (_name, bytes, offset, reason) => {
    expectL2tpError(() => parseControl(hex(bytes)), { code: 'BAD_AVP_VALUE', offset, reason });
  });

  it('a content rule broken: the reason is given at the AVP, once, without the offset inside the value', () => {
    // StopCCN (§6.4) with Assigned Tunnel ID 2 and a 3-byte Result Code (§4.4.2: 2, 4 or more).
    expectL2tpError(
      () => parseControl(hex('c802 0025 0001 0000 0000 0000 8008 0000 0000 0004 8008 0000 0009 0002 8009 0000 0001 000100')),
      { code: 'BAD_AVP_VALUE', offset: 28, reason: 'Result Code AVP: Result Code AVP value is 3 bytes: the Error Code needs 2 (RFC 2661 §4.4.2)' },
    );
    // The vendor path: Cisco Pseudowire Capabilities List (vendor 9, type 2), a list of 16-bit values, 3 bytes.
    expectL2tpError(() => parseControl(hex('c802 001d 0001 0000 0000 0000 8008 0000 0000 0006 0009 0009 0002 000500')), {
      code: 'BAD_AVP_VALUE',
      offset: 20,
      reason: 'Pseudowire Capabilities List AVP: a list of 16-bit values cannot be 3 bytes (odd)',
    });
  });

  it('the same AVPs of an allowed size are accepted', () => {
    const m = parseControl(hex('c802 0026 0001 0000 0000 0000 8008 0000 0000 0004 8008 0000 0009 0002 800a 0000 0001 0001 0000'));
    expect({ tunnel: m.assignedTunnelId, result: m.resultCode }).toEqual({ tunnel: 2, result: { result: 1, error: 0 } });
  });
});

describe('hidden AVPs (RFC 2661 §4.3)', () => {
  // A HELLO with a hidden Host Name (H=1, 6 hidden bytes) and no Random Vector before it.
  const noVector = hex('c802 0020 0001 0000 0000 0000 8008 0000 0000 0006 c00c 0000 0007 0102 0304 0506');

  it('with a secret, a hidden AVP with no Random Vector before it is refused at the AVP', () => {
    expectL2tpError(() => parseControl(noVector, { secret: 'x' }), {
      code: 'HIDDEN_WITHOUT_RANDOM_VECTOR',
      offset: 20,
      reason: 'hidden AVP 7 with no Random Vector AVP before it (RFC 2661 §4.3)',
    });
  });

  it('without a secret it is kept, hidden, with no typed value', () => {
    const m = parseControl(noVector);
    expect(m.hostName).toBeUndefined();
    expect(m.avps.map((a) => [a.type, a.hidden])).toEqual([
      [0, false],
      [7, true],
    ]);
  });
});
