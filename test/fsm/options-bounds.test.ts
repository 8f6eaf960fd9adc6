/**
 * TunnelFsm options: local misuse is a TypeError/RangeError saying what to change (the
 * documented contract: the class and the exact message), and the values the RFC allows are
 * accepted and reach the wire (RFC 2661 §4.3 hiding and its padding, §4.4.3, §5.4; RFC 3931
 * §5.4.3 Router ID).
 */
import { describe, expect, it } from 'vitest';
import { TunnelFsm, type TunnelAction, type TunnelOptions } from '../../src/fsm/index.js';
import { resolveTunnelOptions } from '../../src/fsm/options.js';
import { parseControl } from '../../src/wire/control.js';
import { avpOffsets } from '../support/arbitraries.js';
import { establishedPair, Pair, seededRandom } from './harness.js';
import { expectLocalError } from '../support/local-errors.js';

const base = (o: Partial<TunnelOptions> = {}): TunnelOptions => ({ hostName: 'lac', random: seededRandom(3), ...o });
const make = (o: unknown): TunnelFsm => new TunnelFsm(o as TunnelOptions);

const HOST = 'options.hostName must be a non-empty string (RFC 2661 §4.4.3 Host Name)';
const TIE = 'options.tieBreaker must be a boolean or 8 bytes (RFC 2661 §4.4.3 Tie Breaker)';
const hello = (v: string) => `options.helloInterval must be a finite number of milliseconds ≥ 0 (0 turns HELLO off), got ${v}`;
const linger = (v: string) => `options.peerStopLinger must be a finite number of milliseconds ≥ 0, got ${v}`;
const PAD = 'options.hideAvps.pad must be an object { min?, max?, random? } or false';
const CAPS = 'options.pseudowireCapabilities must be a non-empty array of pseudowire types (RFC 3931 §5.4.3), e.g. [5] for Ethernet';

// [what, options, error class, message]
const refused: Array<[string, unknown, typeof TypeError | typeof RangeError, string]> = [
  ['null', null, TypeError, 'options must be an object, got null'],
  ['a string', 'lac', TypeError, 'options must be an object, got string'],
  ['version 4', base({ version: 4 as 2 }), RangeError, 'options.version must be 2 (RFC 2661) or 3 (RFC 3931), got 4'],
  ['a numeric hostName', base({ hostName: 42 as unknown as string }), TypeError, HOST],
  ['an empty hostName', base({ hostName: '' }), TypeError, HOST],
  ['random not a function', base({ random: 5 as unknown as TunnelOptions['random'] }), TypeError, 'options.random must be a function (n) => Uint8Array, e.g. n => crypto.getRandomValues(new Uint8Array(n))'],
  ['a numeric secret', base({ secret: 42 as unknown as string }), TypeError, 'options.secret must be a string or a Uint8Array'],
  ['hideAvps without secret', base({ hideAvps: true }), TypeError, 'options.hideAvps needs options.secret: hidden AVPs are keyed by the tunnel secret (RFC 2661 §4.3)'],
  ['a v2 localTunnelId over 16 bits', base({ localTunnelId: 0x10000 }), RangeError, 'options.localTunnelId must be an integer from 1 to 65535, got 65536'],
  ['firmwareRevision over 16 bits', base({ firmwareRevision: 0x10000 }), RangeError, 'options.firmwareRevision must be an integer from 0 to 65535, got 65536'],
  ['negative framingCapabilities', base({ framingCapabilities: -1 }), RangeError, 'options.framingCapabilities must be an integer from 0 to 4294967295, got -1'],
  ['fractional bearerCapabilities', base({ bearerCapabilities: 1.5 }), RangeError, 'options.bearerCapabilities must be an integer from 0 to 4294967295, got 1.5'],
  ['a 7-byte tieBreaker', base({ tieBreaker: new Uint8Array(7) }), RangeError, TIE],
  ['a string tieBreaker', base({ tieBreaker: 'yes' as unknown as boolean }), RangeError, TIE],
  ['helloInterval -1', base({ helloInterval: -1 }), RangeError, hello('-1')],
  ['helloInterval Infinity', base({ helloInterval: Infinity }), RangeError, hello('Infinity')],
  ['helloInterval as a string', base({ helloInterval: '5' as unknown as number }), RangeError, hello('5')],
  ['maxSessions 65535', base({ maxSessions: 0xffff }), RangeError, 'options.maxSessions must be an integer from 0 to 65534, got 65535'],
  ['handshakeTimeout 0', base({ handshakeTimeout: 0 }), RangeError, 'options.handshakeTimeout must be a finite number of milliseconds > 0, got 0'],
  ['peerStopLinger -1', base({ peerStopLinger: -1 }), RangeError, linger('-1')],
  ['peerStopLinger Infinity', base({ peerStopLinger: Infinity }), RangeError, linger('Infinity')],
  ['peerStopLinger NaN', base({ peerStopLinger: NaN }), RangeError, linger('NaN')],
  ['peerStopLinger as a string', base({ peerStopLinger: '5' as unknown as number }), RangeError, linger('5')],
  ['hideAvps.pad a number', base({ secret: 's', hideAvps: { pad: 5 as unknown as false } }), TypeError, PAD],
  ['hideAvps.pad null', base({ secret: 's', hideAvps: { pad: null as unknown as false } }), TypeError, PAD],
  ['v3 routerId 0', base({ version: 3, routerId: 0 }), RangeError, 'options.routerId must be an integer from 1 to 4294967295, got 0'],
  ['v3 empty pseudowireCapabilities', base({ version: 3, pseudowireCapabilities: [] }), TypeError, CAPS],
  ['v3 pseudowireCapabilities a string', base({ version: 3, pseudowireCapabilities: '5' as unknown as number[] }), TypeError, CAPS],
  ['v3 pseudowire type 0', base({ version: 3, pseudowireCapabilities: [5, 0] }), RangeError, 'options.pseudowireCapabilities[1] must be an integer from 1 to 65535, got 0'],
  ['v3 digestType 2', base({ version: 3, digestType: 2 as 0 }), RangeError, 'options.digestType must be 0 (HMAC-MD5) or 1 (HMAC-SHA-1), RFC 3931 §5.4.1; got 2'],
  ['v3 cookieLength 3', base({ version: 3, cookieLength: 3 as 0 }), RangeError, 'options.cookieLength must be 0, 4 or 8 (RFC 3931 §5.4.4 Assigned Cookie), got 3'],
  ['v3 l2SpecificSublayer x', base({ version: 3, l2SpecificSublayer: 'x' as 'none' }), TypeError, "options.l2SpecificSublayer must be 'none' or 'default' (RFC 3931 §4.6), got x"],
];

describe('TunnelFsm options: misuse is refused with the documented error', () => {
  it.each(refused)('%s', (_what, o, cls, message) => {
    expectLocalError(() => make(o), cls, message);
  });

  it('accepts the values at the edges of what is allowed', () => {
    // Each of these is on the accepted side of a check above; a wrong bound throws here.
    expect(make(base({ secret: new Uint8Array([1, 2, 3]) })).state).toBe('idle');
    for (const peerStopLinger of [0, 5000]) expect(make(base({ peerStopLinger })).state).toBe('idle');
    expect(make(base({ helloInterval: 0 })).state).toBe('idle');
    expect(make(base({ tieBreaker: new Uint8Array(8) })).state).toBe('idle');
    expect(make(base({ tieBreaker: true })).state).toBe('idle');
    expect(make(base({ maxSessions: 0xfffe })).state).toBe('idle');
    // v3 Control Connection IDs are 32-bit (RFC 3931 §5.4.3): 70000 is fine there.
    expect(make(base({ version: 3, localTunnelId: 70_000 })).localTunnelId).toBe(70_000);
    expect(make(base({ version: 3, localTunnelId: 70_000 })).version).toBe(3);
  });

  it('a resolved options object is returned as is, so tunnels share it', () => {
    const r = resolveTunnelOptions(base({ version: 3 }));
    expect(resolveTunnelOptions(r)).toBe(r);
  });

  it('v2 resolves the v3-only options to their neutral values', () => {
    expect(resolveTunnelOptions(base())).toMatchObject({ routerId: 0, pseudowireCapabilities: [], digestType: 0, cookieLength: 0, l2SpecificSublayer: 'none' });
  });
});

const sent = (acts: TunnelAction[]): Uint8Array[] => acts.flatMap((a) => (a.type === 'send' ? [a.bytes] : []));

/** The SCCRQ an FSM with these options sends on `open`. */
function sccrqOf(o: TunnelOptions): Uint8Array {
  const [b] = sent(make(o).handle({ type: 'open' }, 0));
  return b!;
}

/** Per AVP of a control message: [type, H bit, AVP Length − 6 (the hidden part when H is set)]. */
function avps(b: Uint8Array): Array<[number, boolean, number]> {
  return avpOffsets(b).map((o) => [(b[o + 4]! << 8) | b[o + 5]!, (b[o]! & 0x40) !== 0, (((b[o]! << 8) | b[o + 1]!) & 0x3ff) - 6]);
}
const hiddenParts = (b: Uint8Array): number[] => avps(b).filter(([, h]) => h).map(([, , n]) => n);

/** Random bytes all 9: IDs non-zero, and a padding draw whose first byte picks the lowest total. */
/** Random bytes all 9: IDs non-zero, and a padding draw whose first byte picks the lowest total. */
const nines = (n: number): Uint8Array => new Uint8Array(n).fill(9);

/**
 * The ICRQ a LAC with these hiding options sends on an established tunnel: its Assigned Session
 * ID, Call Serial Number, Bearer Type and Calling Number may all be hidden (§4.4.4, §4.4.5);
 * SCCRQ/SCCRP go unhidden on purpose (xl2tpd cannot unhide them).
 */
function icrqOf(hideAvps: TunnelOptions['hideAvps'], random = nines): Uint8Array {
  const { lac } = establishedPair({ secret: 'hidden' }, { secret: 'hidden', hideAvps, random });
  const [b] = sent(lac.handle({ type: 'openSession', call: { kind: 'incoming', callingNumber: '12', bearerType: 1 } }, 0));
  expect(parseControl(b!, { secret: 'hidden' })).toMatchObject({ typeName: 'ICRQ', callingNumber: '12', bearerType: 1 });
  return b!;
}

describe('hideAvps (RFC 2661 §4.3) reaches the wire, padded as configured', () => {
  it('off by default and for null: nothing hidden, no Random Vector', () => {
    for (const hideAvps of [undefined, false, null as unknown as boolean]) {
      const b = icrqOf(hideAvps);
      expect(hiddenParts(b)).toEqual([]);
      expect(avps(b).some(([t]) => t === 36)).toBe(false);
    }
  });

  it('true and {} hide the hideable AVPs, each hidden part padded with `random` (to 8 here)', () => {
    for (const hideAvps of [true, {}]) {
      const b = icrqOf(hideAvps);
      const hidden = avps(b).filter(([, h]) => h).map(([t]) => t);
      expect(hidden.sort((x, y) => x - y)).toEqual([14, 15, 18, 22]);
      // The pad draw from `random` starts with 9: total = 8 + 9 % (16 − 8 + 1) = 8 for every short value.
      expect(hiddenParts(b)).toEqual([8, 8, 8, 8]);
      expect(avps(b).some(([t]) => t === 36)).toBe(true); // the Random Vector they are hidden with
    }
  });

  it('pad: false sends hidden values unpadded (2-byte length + value)', () => {
    const b = icrqOf({ pad: false });
    const byType = new Map(avps(b).filter(([, h]) => h).map(([t, , n]) => [t, n]));
    expect(Object.fromEntries(byType)).toEqual({ 14: 4, 15: 6, 18: 6, 22: 4 });
  });

  it('pad { min, max } is honoured, with its own random when given', () => {
    const calls: number[] = [];
    const own = (n: number): Uint8Array => (calls.push(n), new Uint8Array(n));
    const b = icrqOf({ pad: { min: 20, max: 20, random: own } });
    expect(hiddenParts(b)).toEqual([20, 20, 20, 20]);
    // One draw per hidden ICRQ AVP, of 1 + max − (2 + value length) bytes (the SCCCN's came first).
    expect(calls.slice(-4)).toEqual([17, 15, 15, 17]);
  });
});

describe('other options reach the wire', () => {
  it('dataWithLength writes the Length field (L bit) on data messages (RFC 2661 §3.1)', () => {
    for (const [dataWithLength, l] of [[true, 0x40], [false, 0], [undefined, 0]] as const) {
      const p = new Pair({ dataWithLength }, {});
      p.do('a', { type: 'open' });
      p.run(5_000);
      p.do('a', { type: 'openSession', call: { kind: 'incoming' } });
      p.run(p.now + 2_000);
      const [up] = p.actions('a', 'session-up');
      const [d] = sent(p.do('a', { type: 'sendFrame', sessionId: up!.sessionId, frame: new Uint8Array([0xff, 0x03]) }));
      expect(d![0]! & 0x80).toBe(0); // a data message
      expect(d![0]! & 0x40).toBe(l);
    }
  });

  it('v3 Router ID (RFC 3931 §5.4.3): drawn from `random` once, never 0', () => {
    const routerOf = (random: (n: number) => Uint8Array): number | undefined => parseControl(sccrqOf(base({ version: 3, random })), { requireAvps: false }).routerId;
    expect(routerOf((n) => new Uint8Array(n).fill(0x0a))).toBe(0x0a0a0a0a);
    // Four zero bytes would be Router ID 0, which the RFC reserves: 1 instead.
    let first = true;
    const zeroFirst = (n: number): Uint8Array => (first ? ((first = false), new Uint8Array(n)) : nines(n));
    expect(routerOf(zeroFirst)).toBe(1);
  });
});
