/**
 * parseControl / encodeControl unit tests: the RFC's rules with hand-written bytes, regressions
 * from real stacks' bug trackers (DESIGN §3), the real captures re-encoded byte for byte, and
 * local misuse. Inputs are written by hand here (a tiny TLV writer independent of src/) or come
 * from test/vectors; no expected value comes from our encoder.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runs } from '../runs.js';
import {
  AVP_CATALOG,
  L2tpError,
  MESSAGE_CATALOG,
  MessageType,
  encodeControl,
  encodingLength,
  hello,
  hideAvpValue,
  parseControl,
  type ControlMessage,
  type L2tpErrorCode,
} from '../../src/index.js';
import { rawValueArb } from '../support/arbitraries.js';
import { TUNNEL_SECRET, fromHex, loadHex, loadHostileCases, toHex } from '../support/vectors.js';

// ---------------------------------------------------------------------------------------------
// A hand TLV writer (RFC 2661 §3.1, §4.1), independent of the code under test.

const M = 0x8000;
const H = 0x4000;
const enc = new TextEncoder();
/** Catalogue rows × random values (full suite; the mutation run divides it, test/runs.ts). */
const CATALOGUE_RUNS = runs(20_000);

function bytesOf(v: string | Uint8Array): Uint8Array {
  return typeof v === 'string' ? fromHex(v) : v;
}

/** One AVP: flag bits (M, H, reserved), Vendor ID, type, value (hex or bytes). Length is computed. */
function avp(bits: number, vendorId: number, type: number, value: string | Uint8Array = ''): Uint8Array {
  const v = bytesOf(value);
  const len = 6 + v.length;
  const out = new Uint8Array(len);
  const w = bits | len;
  out.set([w >>> 8, w & 0xff, vendorId >>> 8, vendorId & 0xff, type >>> 8, type & 0xff]);
  out.set(v, 6);
  return out;
}

/** Message Type AVP (§4.4.1): M=1, Length 8. */
const mt = (type: number): Uint8Array => avp(M, 0, 0, [type >>> 8, type & 0xff].map((x) => x.toString(16).padStart(2, '0')).join(''));

interface Hdr {
  flags?: number;
  /** Overrides the computed Length. */
  length?: number;
  tunnelId?: number;
  sessionId?: number;
  ns?: number;
  nr?: number;
}

/** A v2 control message (flags 0xc802: T, L, S, version 2) with the given AVPs. */
function ctl(avps: Uint8Array[], h: Hdr = {}): Uint8Array {
  const body = avps.reduce((n, a) => n + a.length, 0);
  const len = 12 + body;
  const b = new Uint8Array(len);
  const flags = h.flags ?? 0xc802;
  const length = h.length ?? len;
  const t = h.tunnelId ?? 1;
  const s = h.sessionId ?? 0;
  const ns = h.ns ?? 0;
  const nr = h.nr ?? 0;
  b.set([flags >>> 8, flags & 0xff, length >>> 8, length & 0xff, t >>> 8, t & 0xff, s >>> 8, s & 0xff, ns >>> 8, ns & 0xff, nr >>> 8, nr & 0xff]);
  let o = 12;
  for (const a of avps) {
    b.set(a, o);
    o += a.length;
  }
  return b;
}

const HELLO = (): Uint8Array[] => [mt(MessageType.HELLO)];

/** Catch the L2tpError `f` throws (fails the test when it throws anything else, or nothing). */
function l2tpError(f: () => unknown): L2tpError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(L2tpError);
    return e as L2tpError;
  }
  throw new Error('expected an L2tpError, but nothing was thrown');
}

function expectError(f: () => unknown, code: L2tpErrorCode, offset?: number): L2tpError {
  const e = l2tpError(f);
  expect(e.code).toBe(code);
  if (offset !== undefined) expect(e.offset).toBe(offset);
  return e;
}

const field = (m: ControlMessage, key: string): unknown => (m as unknown as Record<string, unknown>)[key];

// ---------------------------------------------------------------------------------------------

describe('header rules (RFC 2661 §3.1, RFC 3931 §3.2.1)', () => {
  it('parses a real ZLB (xl2tpd, plain #4): 12 bytes, no AVPs', () => {
    const m = parseControl(fromHex('c802000c1d64000000010002'));
    expect([m.version, m.tunnelId, m.sessionId, m.ns, m.nr, m.length]).toEqual([2, 0x1d64, 0, 1, 2, 12]);
    expect([m.isZlb, m.type, m.typeName, m.avps.length]).toEqual([true, 0, 'ZLB', 0]);
  });

  it.each([
    ['T=0 (a data message)', 0x4802],
    ['L=0', 0x8802],
    ['S=0', 0xc002],
    ['O=1', 0xca02],
    ['P=1', 0xc902],
  ])('%s on a control message → BAD_FLAGS at byte 0', (_name, flags) => {
    expectError(() => parseControl(ctl(HELLO(), { flags })), 'BAD_FLAGS', 0);
  });

  it('v2 reserved header bits are ignored on receipt', () => {
    const m = parseControl(ctl(HELLO(), { flags: 0xc802 | 0x34f0 }));
    expect(m.typeName).toBe('HELLO');
  });

  it('v3 control: L and S are required, the 32-bit Control Connection ID is read', () => {
    const b = ctl(HELLO(), { flags: 0xc803, tunnelId: 0x0102, sessionId: 0x0304 });
    const m = parseControl(b);
    expect([m.version, m.tunnelId, m.sessionId]).toEqual([3, 0x01020304, 0]);
    expectError(() => parseControl(ctl(HELLO(), { flags: 0x8803 })), 'BAD_FLAGS', 0);
  });

  it('BAD_VERSION for 1 (L2F, RFC 2341) and 0, 4..15, at byte 1', () => {
    expect(expectError(() => parseControl(ctl(HELLO(), { flags: 0xc801 })), 'BAD_VERSION', 1).message).toMatch(/L2F/);
    for (const v of [0, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]) {
      expectError(() => parseControl(ctl(HELLO(), { flags: 0xc800 | v })), 'BAD_VERSION', 1);
    }
  });

  it('BAD_LENGTH when Length exceeds the input or is under the 12-byte header, at byte 2', () => {
    expectError(() => parseControl(ctl(HELLO(), { length: 21 })), 'BAD_LENGTH', 2);
    expectError(() => parseControl(ctl(HELLO(), { length: 0xffff })), 'BAD_LENGTH', 2);
    for (const length of [0, 1, 6, 11]) expectError(() => parseControl(ctl(HELLO(), { length })), 'BAD_LENGTH', 2);
  });

  it('TRUNCATED inputs: under 2 bytes, under the 12-byte header, ending inside the first AVP header', () => {
    expectError(() => parseControl(new Uint8Array(0)), 'TRUNCATED');
    expectError(() => parseControl(fromHex('c8')), 'TRUNCATED');
    const full = ctl(HELLO());
    for (let n = 2; n < 12; n++) expectError(() => parseControl(full.subarray(0, n)), 'TRUNCATED');
    // Length 16: 4 bytes after the header, fewer than an AVP header.
    expectError(() => parseControl(ctl([fromHex('80080000')])), 'TRUNCATED', 12);
  });

  it('bytes past Length are ignored (link padding): not parsed, not in `bytes`', () => {
    const b = new Uint8Array(40).fill(0xff);
    b.set(ctl(HELLO()));
    const m = parseControl(b);
    expect([m.length, m.bytes.length, m.avps.length]).toEqual([20, 20, 1]);
    expect(toHex(encodeControl(m))).toBe(toHex(b.subarray(0, 20)));
  });
});

describe('Message Type AVP (RFC 2661 §4.4.1)', () => {
  it('MESSAGE_TYPE_NOT_FIRST when another AVP comes first, even a vendor AVP of type 0', () => {
    expectError(() => parseControl(ctl([avp(M, 0, 7, '6c6163'), mt(6)])), 'MESSAGE_TYPE_NOT_FIRST', 12);
    expectError(() => parseControl(ctl([avp(M, 9, 0, '0006')])), 'MESSAGE_TYPE_NOT_FIRST', 12);
  });

  it('a hidden Message Type AVP is refused (§4.4.1: MUST NOT be hidden)', () => {
    expectError(() => parseControl(ctl([avp(M | H, 0, 0, '0006')])), 'BAD_AVP_VALUE', 12);
  });

  it.each([['', 6], ['00', 7], ['000600', 9], ['00060000', 10]])('Message Type of Length %s ≠ 8 → BAD_AVP_VALUE', (value) => {
    expectError(() => parseControl(ctl([avp(M, 0, 0, value)])), 'BAD_AVP_VALUE', 12);
  });

  it('an unknown message type parses (tearing down is the state machine\'s call, §4.1)', () => {
    const m = parseControl(ctl([mt(99)]));
    expect([m.type, m.typeName, m.messageType]).toEqual([99, 'Unknown(99)', 99]);
  });
});

// ---------------------------------------------------------------------------------------------
// Required AVPs (RFC 2661 §6)

/** Valid hand-written values for every AVP some §6 message requires. */
const REQUIRED_VALUES: Record<number, string> = {
  1: '0001', // Result Code: result 1, no error code (§4.4.2)
  2: '0100', // Protocol Version 1.0 (§4.4.3)
  3: '00000003', // Framing Capabilities: sync + async
  7: '6c6163', // Host Name 'lac'
  9: '0001', // Assigned Tunnel ID 1
  14: '0001', // Assigned Session ID 1
  15: '00000001', // Call Serial Number
  16: '00000001', // Minimum BPS
  17: '00000002', // Maximum BPS
  18: '00000001', // Bearer Type: digital
  19: '00000001', // Framing Type: sync
  21: '313233', // Called Number '123'
  24: '00000064', // (Tx) Connect Speed 100
  34: '0000' + '00000001'.repeat(6), // Call Errors: reserved + six counters (§4.4.6)
  35: '0000' + 'ffffffff'.repeat(2), // ACCM: reserved + send + receive (§4.4.6)
};

describe('required AVPs (RFC 2661 §6) → MISSING_AVP', () => {
  const withRequired = MESSAGE_CATALOG.filter((d) => d.requiredV2.length > 0);

  it('the hand table covers every AVP the catalogue requires', () => {
    for (const d of withRequired) for (const t of d.requiredV2) expect(REQUIRED_VALUES[t], `${d.name} requires AVP ${t}`).toBeDefined();
    expect(withRequired.map((d) => d.name).sort()).toEqual(['CDN', 'ICCN', 'ICRP', 'ICRQ', 'OCCN', 'OCRP', 'OCRQ', 'SCCRP', 'SCCRQ', 'SLI', 'StopCCN', 'WEN'].sort());
  });

  for (const d of withRequired) {
    const full = (skip?: number): Uint8Array =>
      ctl([mt(d.type), ...d.requiredV2.filter((t) => t !== skip).map((t) => avp(M, 0, t, REQUIRED_VALUES[t]))]);

    it(`${d.name}: with every required AVP it parses; without any one, MISSING_AVP names it`, () => {
      expect(parseControl(full()).typeName).toBe(d.name);
      for (const t of d.requiredV2) {
        const name = AVP_CATALOG.find((x) => x.vendorId === 0 && x.type === t)!.name;
        const e = expectError(() => parseControl(full(t)), 'MISSING_AVP', 12);
        expect(e.message).toContain(name);
        // requireAvps: false hands the decision to the caller.
        const m = parseControl(full(t), { requireAvps: false });
        expect(m.typeName).toBe(d.name);
        expect(m.avps.length).toBe(d.requiredV2.length);
      }
    });
  }

  it('L2TPv3 messages are not checked against RFC 2661 §6', () => {
    const b = ctl([mt(MessageType.SCCRQ)], { flags: 0xc803 });
    expect(parseControl(b).typeName).toBe('SCCRQ');
  });

  it('a hidden required AVP counts as present even without the secret', () => {
    const rv = avp(M, 0, 36, '00112233');
    const b = ctl([mt(MessageType.ICRP), rv, avp(M | H, 0, 14, '0102030405060708')]);
    const m = parseControl(b);
    expect(m.assignedSessionId).toBeUndefined();
    expect(m.avps[2]!.hidden).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// Regressions (DESIGN §3 lessons)

describe('regressions from real stacks', () => {
  it('a 2-byte Result Code (no Error Code) is legal: { result } only (§4.4.2)', () => {
    const m = parseControl(ctl([mt(MessageType.StopCCN), avp(M, 0, 9, '0001'), avp(M, 0, 1, '0002')]));
    expect(m.resultCode).toStrictEqual({ result: 2 });
    const four = parseControl(ctl([mt(MessageType.CDN), avp(M, 0, 1, '00020006'), avp(M, 0, 14, '0005')]));
    expect(four.resultCode).toStrictEqual({ result: 2, error: 6 });
    // xl2tpd's StopCCN (plain #12): result 1, error 0, "Server closing".
    const real = parseControl(loadHex('plain').find((f) => f.frame === 12)!.bytes);
    expect(real.resultCode).toStrictEqual({ result: 1, error: 0, message: 'Server closing' });
  });

  it('a Result Code of 3 bytes is a torn Error Code → BAD_AVP_VALUE inside that AVP', () => {
    const b = ctl([mt(MessageType.StopCCN), avp(M, 0, 9, '0001'), avp(M, 0, 1, '000200')]);
    // The AVP starts at 28 (12 header + 8 Message Type + 8 Assigned Tunnel ID), its value at 34.
    const e = expectError(() => parseControl(b), 'BAD_AVP_VALUE');
    expect(e.offset).toBeGreaterThanOrEqual(28);
    expect(e.offset).toBeLessThanOrEqual(34);
  });

  it('a hidden Result Code of 3 bytes → BAD_AVP_VALUE with an offset inside that AVP, not inside the decrypted copy', () => {
    const rv = fromHex('00112233');
    const hidden = hideAvpValue(1, fromHex('000200'), 's', rv);
    // AVPs: Message Type at 12, Assigned Tunnel ID at 20, Random Vector at 28, the hidden Result Code at 38.
    const b = ctl([mt(MessageType.StopCCN), avp(M, 0, 9, '0001'), avp(M, 0, 36, rv), avp(M | H, 0, 1, hidden)]);
    const e = expectError(() => parseControl(b, { secret: 's' }), 'BAD_AVP_VALUE');
    expect(e.offset).toBeGreaterThanOrEqual(38);
    expect(e.offset).toBeLessThanOrEqual(38 + 6 + hidden.length);
  });

  it('AVPs are keyed on (Vendor ID, type): vendor 9 type 7 is not Host Name', () => {
    const m = parseControl(ctl([...HELLO(), avp(0, 9, 7, '0005')]));
    expect(m.hostName).toBeUndefined();
    expect(m.ciscoPseudowireType).toBe(5);
    // And next to the IETF one, each reads its own.
    const both = parseControl(ctl([...HELLO(), avp(0, 9, 7, '0005'), avp(M, 0, 7, '6c6e73')]));
    expect([both.hostName, both.ciscoPseudowireType]).toEqual(['lns', 5]);
    // An unknown vendor with type 7 is just a raw AVP.
    const other = parseControl(ctl([...HELLO(), avp(0, 4242, 7, '')]));
    expect(other.hostName).toBeUndefined();
    expect(other.avps[1]!.toObject()).toEqual({ mandatory: false, hidden: false, vendorId: 4242, type: 7, value: new Uint8Array(0) });
  });

  it('an unknown AVP is skipped by its Length; the AVPs after it still read (M=0 and M=1)', () => {
    const b = ctl([...HELLO(), avp(0, 0, 200, '0102030405060708090a'), avp(M, 0, 7, '616263'), avp(M, 0, 999, 'ff'), avp(M, 0, 9, '1234')]);
    const m = parseControl(b);
    expect([m.hostName, m.assignedTunnelId]).toEqual(['abc', 0x1234]);
    expect(m.avps.map((a) => [a.type, a.mandatory, a.valueLength])).toEqual([
      [0, true, 2],
      [200, false, 10],
      [7, true, 3],
      [999, true, 1],
      [9, true, 2],
    ]);
  });

  it('when an AVP repeats, the typed field is the first occurrence; `avps` keeps both', () => {
    const m = parseControl(ctl([...HELLO(), avp(M, 0, 7, '6f6e65'), avp(M, 0, 7, '74776f')]));
    expect(m.hostName).toBe('one');
    expect(m.avps.filter((a) => a.type === 7).length).toBe(2);
  });

  it.each([0, 1, 2, 3, 4, 5])('AVP Length %i (< 6) → BAD_AVP_LENGTH at that AVP', (len) => {
    const bad = fromHex(`${(M | len).toString(16)}0000000007616263`);
    // Message Type (8 bytes at 12) then the bad AVP at 20.
    expectError(() => parseControl(ctl([...HELLO(), bad])), 'BAD_AVP_LENGTH', 20);
    // Also as the first AVP.
    expectError(() => parseControl(ctl([fromHex(`${(M | len).toString(16)}000000000006`)])), 'BAD_AVP_LENGTH', 12);
  });

  it('an AVP Length running past the message → BAD_AVP_LENGTH at that AVP; a short tail → TRUNCATED', () => {
    const past = ctl([...HELLO(), fromHex('8014000000076c6163')]); // says 20, has 9
    expectError(() => parseControl(past), 'BAD_AVP_LENGTH', 20);
    for (let k = 1; k < 6; k++) {
      const tail = ctl([...HELLO(), new Uint8Array(k)]);
      expectError(() => parseControl(tail), 'TRUNCATED', 20);
    }
  });

  it('reserved AVP bits set → treated as unrecognised (§4.1): no typed field, no value check, kept raw', () => {
    // An empty Host Name would be BAD_AVP_VALUE (§4.4.3: at least 1 octet), but not here.
    const m = parseControl(ctl([...HELLO(), avp(M | 0x0400, 0, 7, ''), avp(0x2000, 0, 9, '0007')]));
    expect([m.hostName, m.assignedTunnelId]).toEqual([undefined, undefined]);
    expect(m.avps.map((a) => a.reserved)).toEqual([undefined, 1, 8]);
    expect(toHex(encodeControl(m))).toBe(toHex(m.bytes));
  });

  it('a catalogue AVP whose value breaks its size rule → BAD_AVP_VALUE at the AVP', () => {
    expectError(() => parseControl(ctl([...HELLO(), avp(M, 0, 9, '000102')])), 'BAD_AVP_VALUE', 20); // Assigned Tunnel ID: 2 bytes
    expectError(() => parseControl(ctl([...HELLO(), avp(M, 0, 7, '')])), 'BAD_AVP_VALUE', 20); // Host Name: ≥ 1 byte
    expectError(() => parseControl(ctl([...HELLO(), avp(M, 0, 13, '00')])), 'BAD_AVP_VALUE', 20); // Challenge Response: 16 bytes
  });
});

// ---------------------------------------------------------------------------------------------
// Hidden AVPs (RFC 2661 §4.3)

describe('hidden AVPs (RFC 2661 §4.3)', () => {
  const hostile = loadHostileCases();
  const hiddenSccrq = hostile.find((c) => /^SCCRQ with hidden Host Name \(correct/.test(c.title))!.sent[0]!;

  it('the hostile capture\'s hidden Host Name unhides with the secret (xl2tpd unhid it too)', () => {
    const m = parseControl(hiddenSccrq, { secret: TUNNEL_SECRET });
    expect(m.hostName).toBe('hidden-host');
  });

  it('without the secret: parses, the typed field is absent, the raw AVP is kept hidden', () => {
    const m = parseControl(hiddenSccrq);
    expect(m.hostName).toBeUndefined();
    const raw = m.avps.find((a) => a.vendorId === 0 && a.type === 7)!;
    expect(raw.hidden).toBe(true);
    expect(toHex(raw.value)).toBe(toHex(hiddenSccrq.subarray(raw.offset + 6, raw.offset + 6 + raw.valueLength)));
    expect(toHex(encodeControl(m))).toBe(toHex(hiddenSccrq));
    expect(m.toJSON().hostName).toBeUndefined();
  });

  it('a decrypted Original Length larger than the AVP\'s room → BAD_HIDDEN_LENGTH (never trusted)', () => {
    const raw = parseControl(hiddenSccrq).avps.find((a) => a.type === 7)!;
    const b = hiddenSccrq.slice();
    b[raw.offset + 6]! ^= 0x80; // the Original Length's high byte decrypts 0x80 larger
    const e = expectError(() => parseControl(b, { secret: TUNNEL_SECRET }), 'BAD_HIDDEN_LENGTH');
    expect(e.offset).toBeGreaterThanOrEqual(raw.offset);
    expect(e.offset).toBeLessThanOrEqual(raw.offset + 6);
    // The wrong secret does the same (the hostile capture has that case too).
    expectError(() => parseControl(hiddenSccrq, { secret: 'not-the-secret' }), 'BAD_HIDDEN_LENGTH');
  });

  it('a hidden value of 0 or 1 bytes (no room for the Original Length) → BAD_HIDDEN_LENGTH', () => {
    const rv = avp(M, 0, 36, '0011');
    for (const v of ['', '00']) expectError(() => parseControl(ctl([...HELLO(), rv, avp(M | H, 0, 9, v)]), { secret: 's' }), 'BAD_HIDDEN_LENGTH');
  });

  it('a hidden AVP with no Random Vector before it, and a secret → HIDDEN_WITHOUT_RANDOM_VECTOR at the AVP', () => {
    const hidden = avp(M | H, 0, 9, '0102030405');
    expectError(() => parseControl(ctl([...HELLO(), hidden]), { secret: 's' }), 'HIDDEN_WITHOUT_RANDOM_VECTOR', 20);
    // A Random Vector *after* it does not count.
    expectError(() => parseControl(ctl([...HELLO(), hidden, avp(M, 0, 36, '00')]), { secret: 's' }), 'HIDDEN_WITHOUT_RANDOM_VECTOR', 20);
    // Without a secret nothing is unhidden, so nothing is missing.
    expect(parseControl(ctl([...HELLO(), hidden])).assignedTunnelId).toBeUndefined();
  });

  it('the most recent Random Vector before a hidden AVP is the one used', () => {
    const rv1 = fromHex('0102030405060708');
    const rv2 = fromHex('a1a2a3a4');
    const hidden = hideAvpValue(9, fromHex('beef'), 's', rv2, fromHex('0000'));
    const m = parseControl(ctl([...HELLO(), avp(M, 0, 36, rv1), avp(M, 0, 36, rv2), avp(M | H, 0, 9, hidden)]), { secret: 's' });
    expect(m.assignedTunnelId).toBe(0xbeef);
    expect(toHex(m.randomVector!)).toBe(toHex(rv1));
  });

  it('an unhidden value is checked like a plain one: a hidden 3-byte Assigned Tunnel ID → BAD_AVP_VALUE', () => {
    const rv = fromHex('00112233');
    const hidden = hideAvpValue(9, fromHex('000102'), 's', rv);
    // Message Type at 12, the 4-byte Random Vector at 20, the hidden AVP at 30.
    expectError(() => parseControl(ctl([...HELLO(), avp(M, 0, 36, rv), avp(M | H, 0, 9, hidden)]), { secret: 's' }), 'BAD_AVP_VALUE', 30);
  });
});

// ---------------------------------------------------------------------------------------------
// Re-encoding the captures

describe('encodeControl of parsed real messages gives the same bytes', () => {
  const names = ['plain', 'auth', 'hidden', 'hello', 'data', 'retransmit', 'hostile'];
  it.each(names)('%s.hex: every control message that parses re-encodes byte for byte', (name) => {
    let parsed = 0;
    let control = 0;
    for (const f of loadHex(name)) {
      if (f.bytes.length === 0 || (f.bytes[0]! & 0x80) === 0) continue;
      control++;
      let m: ControlMessage;
      try {
        m = parseControl(f.bytes, { secret: TUNNEL_SECRET });
      } catch (e) {
        expect(e, `${name} #${f.frame}`).toBeInstanceOf(L2tpError);
        continue;
      }
      parsed++;
      const again = encodeControl(m);
      expect(toHex(again), `${name} #${f.frame}`).toBe(toHex(f.bytes.subarray(0, m.length)));
      expect(encodingLength(m)).toBe(m.length);
      // The plain snapshot re-encodes the same way.
      expect(toHex(encodeControl(m.toObject()))).toBe(toHex(again));
    }
    // The real peers' own traffic all parses; only hostile.hex has (deliberately) broken messages.
    if (name !== 'hostile') expect(parsed).toBe(control);
    expect(parsed).toBeGreaterThan(5);
  });
});

describe('encoding', () => {
  it('encodingLength equals the encoded length (typed and verbatim)', () => {
    const init = { type: MessageType.SCCRQ, hostName: 'lac', assignedTunnelId: 7, protocolVersion: { version: 1, revision: 0 }, framingCapabilities: 3 };
    const b = encodeControl(init);
    // 12 header + 8 Message Type + 8 Protocol Version + 9 Host Name + 10 Framing + 8 Assigned Tunnel ID.
    expect(b.length).toBe(55);
    expect(encodingLength(init)).toBe(55);
    expect(encodingLength({})).toBe(12);
    const raw = { avps: [{ type: 0, mandatory: true, value: fromHex('0006') }, { type: 300, value: new Uint8Array(10) }] };
    expect(encodingLength(raw)).toBe(12 + 8 + 16);
    expect(encodeControl(raw).length).toBe(36);
  });

  it('encodes HELLO as RFC 2661 §6.5 shows it: header + Message Type AVP (M=1, type 6)', () => {
    expect(toHex(encodeControl({ type: MessageType.HELLO, tunnelId: 0x517c, ns: 4, nr: 2 }))).toBe('c8020014517c00000004000280080000000000' + '06');
  });

  it('encodes into a caller\'s buffer at an offset, touching nothing else', () => {
    const target = new Uint8Array(40).fill(0xee);
    const out = encodeControl({ type: MessageType.HELLO, tunnelId: 9 }, target, 7);
    expect(out).toBe(target);
    expect(toHex(target.subarray(7, 27))).toBe('c80200140009000000000000' + '8008000000000006');
    expect([...target.subarray(0, 7), ...target.subarray(27)].every((x) => x === 0xee)).toBe(true);
    expect(() => encodeControl({ type: MessageType.HELLO }, new Uint8Array(19))).toThrow(RangeError);
    expect(() => encodeControl({ type: MessageType.HELLO }, target, 21)).toThrow(RangeError);
    // Verbatim too.
    const m = parseControl(target.subarray(7, 27));
    const t2 = new Uint8Array(25);
    encodeControl(m, t2, 5);
    expect(toHex(t2.subarray(5))).toBe(toHex(target.subarray(7, 27)));
  });

  it('pooled results are distinct views: writing one never changes another', () => {
    const a = hello({ tunnelId: 1 });
    const b = hello({ tunnelId: 2 });
    const copy = toHex(b);
    a.fill(0xff);
    expect(toHex(b)).toBe(copy);
    expect(a.length).toBe(20);
    // Each view is exactly the message, whatever the shared buffer is.
    expect(a.byteLength).toBe(20);
  });

  it('an empty Error Message is the 4-byte Result Code on the wire (§4.4.2: presence shown by Length)', () => {
    const b = encodeControl({ type: MessageType.StopCCN, assignedTunnelId: 1, resultCode: { result: 1, error: 0, message: '' } });
    expect(parseControl(b).resultCode).toStrictEqual({ result: 1, error: 0 });
  });
});

describe('local misuse → TypeError / RangeError saying what to change', () => {
  const cases: [string, () => unknown, ErrorConstructor | RangeErrorConstructor | TypeErrorConstructor, RegExp][] = [
    ['unknown field key', () => encodeControl({ type: 6, fooBar: 1 } as never), TypeError, /unknown field 'fooBar'/],
    ['host name > 1017 bytes', () => encodeControl({ type: 1, hostName: 'x'.repeat(1018) }), RangeError, /1018 bytes/],
    ['host name empty', () => encodeControl({ type: 1, hostName: '' }), RangeError, /0 bytes/],
    ['tunnelId over 16 bits (v2)', () => encodeControl({ type: 6, tunnelId: 0x10000 }), RangeError, /tunnelId/],
    ['tunnelId over 32 bits (v3)', () => encodeControl({ version: 3, type: 6, tunnelId: 2 ** 32 }), RangeError, /tunnelId/],
    ['sessionId negative', () => encodeControl({ type: 6, sessionId: -1 }), RangeError, /sessionId/],
    ['ns not an integer', () => encodeControl({ type: 6, ns: 1.5 }), RangeError, /ns/],
    ['nr over 16 bits', () => encodeControl({ type: 6, nr: 65536 }), RangeError, /nr/],
    ['Assigned Tunnel ID 0 (reserved, §4.4.3)', () => encodeControl({ type: 6, assignedTunnelId: 0 }), RangeError, /0 is reserved/],
    ['Assigned Tunnel ID over 16 bits', () => encodeControl({ type: 6, assignedTunnelId: 70000 }), RangeError, /70000/],
    ['a v3 header with a Session ID', () => encodeControl({ version: 3, type: 6, sessionId: 5 }), RangeError, /Session ID/],
    ['version 4', () => encodeControl({ type: 6, version: 4 as never }), RangeError, /version/],
    ['ZLB with a typed field', () => encodeControl({ hostName: 'x' }), TypeError, /ZLB/],
    ['ZLB with extraAvps', () => encodeControl({ extraAvps: [{ type: 300, value: new Uint8Array(1) }] }), TypeError, /ZLB/],
    ['ZLB with hiding', () => encodeControl({ hiding: { secret: 's', randomVector: new Uint8Array(4) } }), TypeError, /ZLB/],
    ['empty Random Vector', () => encodeControl({ type: 6, hiding: { secret: 's', randomVector: new Uint8Array(0) } }), RangeError, /randomVector/],
    ['message over 65535 bytes', () => encodeControl({ type: 6, extraAvps: Array.from({ length: 70 }, () => ({ type: 300, value: new Uint8Array(1000) })) }), RangeError, /65535/],
    ['raw AVP value over 1017 bytes', () => encodeControl({ type: 6, extraAvps: [{ type: 300, value: new Uint8Array(1018) }] }), RangeError, /1017/],
    ['Result Code message without error', () => encodeControl({ type: 4, resultCode: { result: 1, message: 'x' } }), TypeError, /resultCode\.error/],
    ['not an object', () => encodeControl(null as never), TypeError, /object/],
    ['parseControl of a string', () => parseControl('c802' as never), TypeError, /Uint8Array/],
  ];
  it.each(cases)('%s', (_name, f, type, message) => {
    expect(f).toThrow(type);
    expect(f).toThrow(message);
  });

  // A message with twenty fields needs the error to say which one is wrong.
  it.each([
    ['hostName', () => encodeControl({ type: 1, hostName: 'x'.repeat(1018) })],
    ['assignedTunnelId', () => encodeControl({ type: 6, assignedTunnelId: 70000 })],
    ['assignedSessionId', () => encodeControl({ type: 6, assignedSessionId: 0 })],
    ['callSerialNumber', () => encodeControl({ type: 6, callSerialNumber: -1 })],
  ])('a bad typed field is named in the error: %s', (key, f) => {
    expect(f).toThrow(new RegExp(key));
  });
});

// ---------------------------------------------------------------------------------------------
// The getter contract: parseControl validates eagerly, so typed fields never throw.

describe('typed getters never throw once parseControl accepted the AVP', () => {
  const rows = AVP_CATALOG.filter((d) => d.key !== 'messageType');
  const secret = 'getter-secret';
  const rv = fromHex('00112233445566778899aabbccddeeff');

  it('for every catalogue row and any bytes of an allowed length, plain and hidden', () => {
    let accepted = 0;
    let rejected = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...rows).chain((d) => fc.tuple(fc.constant(d), rawValueArb(d), fc.boolean())),
        ([d, value, hide]) => {
          const hidden = hide && value.length <= 1015;
          const a = hidden ? avp(H, d.vendorId, d.type, hideAvpValue(d.type, value, secret, rv)) : avp(0, d.vendorId, d.type, value);
          const b = ctl([...HELLO(), avp(M, 0, 36, rv), a]);
          let m: ControlMessage;
          try {
            m = parseControl(b, { secret });
          } catch (e) {
            expect(e).toBeInstanceOf(L2tpError);
            expect((e as L2tpError).code).toBe('BAD_AVP_VALUE');
            rejected++;
            return;
          }
          accepted++;
          expect(() => field(m, d.key)).not.toThrow();
          expect(field(m, d.key)).not.toBeUndefined();
          expect(() => m.toJSON()).not.toThrow();
          for (const r of AVP_CATALOG) field(m, r.key);
        },
      ),
      { numRuns: CATALOGUE_RUNS },
    );
    expect(accepted).toBeGreaterThan(CATALOGUE_RUNS / 2);
    expect(rejected).toBeGreaterThan(0); // e.g. a 3-byte Result Code, an odd u16 list, a 5-byte cookie
  });
});

// ---------------------------------------------------------------------------------------------
// The raw view

describe('the raw `avps` list and toJSON', () => {
  it('ICRQ from the data capture (#4): avps in wire order with M bits and value views; toJSON is plain', () => {
    const bytes = loadHex('data').find((f) => f.frame === 4)!.bytes;
    const m = parseControl(bytes);
    expect(m.avps.map((a) => [a.vendorId, a.type, a.mandatory, a.hidden, toHex(a.value)])).toEqual([
      [0, 0, true, false, '000a'],
      [0, 14, true, false, 'd158'],
      [0, 15, true, false, '00000001'],
      [0, 18, true, false, '00000000'],
    ]);
    const j = m.toJSON();
    expect(JSON.parse(JSON.stringify({ ...j, avps: j.avps.length }))).toEqual({
      version: 2,
      tunnelId: 0x517c,
      sessionId: 0,
      ns: 2,
      nr: 1,
      length: 48,
      isZlb: false,
      type: 10,
      typeName: 'ICRQ',
      messageType: 10,
      assignedSessionId: 0xd158,
      callSerialNumber: 1,
      bearerType: 0,
      avps: 4,
    });
  });
});
