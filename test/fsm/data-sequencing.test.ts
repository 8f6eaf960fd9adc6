/**
 * Data channel sequencing (RFC 2661 §5.4), through the TunnelFsm. Data messages from the peer are
 * built by hand from the §3.1 header layout (T=0, S=0x08 in the first octet, Ver 2), so the
 * known answers come from the RFC text, not from our encoder.
 */
import { describe, expect, it } from 'vitest';
import { TunnelFsm, type TunnelAction } from '../../src/fsm/index.js';
import { parseControl } from '../../src/wire/control.js';
import { Pair } from './harness.js';

/** An L2TPv2 data message by hand (RFC 2661 §3.1): flags, Tunnel ID, Session ID, [Ns, Nr], payload. */
function data(tunnelId: number, sessionId: number, payload: number[], seq?: { ns: number; nr?: number }): Uint8Array {
  const head = seq === undefined ? [0x00, 0x02] : [0x08, 0x02];
  const ids = [tunnelId >> 8, tunnelId & 0xff, sessionId >> 8, sessionId & 0xff];
  const s = seq === undefined ? [] : [seq.ns >> 8, seq.ns & 0xff, (seq.nr ?? 0) >> 8, (seq.nr ?? 0) & 0xff];
  return new Uint8Array([...head, ...ids, ...s, ...payload]);
}

/** S bit and Ns of a data message we sent, read by hand from §3.1 offsets (no L, no O). */
function seqOf(bytes: Uint8Array): { s: boolean; ns?: number; nr?: number } {
  if ((bytes[0]! & 0x08) === 0) return { s: false };
  expect(bytes[0]! & 0x40).toBe(0);
  return { s: true, ns: (bytes[6]! << 8) | bytes[7]!, nr: (bytes[8]! << 8) | bytes[9]! };
}

/** A LAC (a, the initiator) with one incoming call up to the LNS (b). */
function call(lac = {}, lns = {}, link = {}) {
  const pair = new Pair(lac, lns, { link });
  pair.do('a', { type: 'open' });
  pair.run(5_000);
  pair.do('a', { type: 'openSession', call: { kind: 'incoming' } });
  pair.run(pair.now + 5_000);
  const upA = pair.actions('a', 'session-up')[0]!;
  const upB = pair.actions('b', 'session-up')[0]!;
  expect(upA).toBeDefined();
  expect(upB).toBeDefined();
  return { pair, lacId: upA.sessionId, lnsId: upB.sessionId };
}

function sendOn(f: TunnelFsm, sessionId: number, byte: number, now: number): Uint8Array {
  const [send] = f.handle({ type: 'sendFrame', sessionId, frame: new Uint8Array([0xff, 0x03, 0xc0, 0x21, byte]) }, now);
  return (send as { bytes: Uint8Array }).bytes;
}

function frames(acts: TunnelAction[]): number[] {
  return acts.flatMap((a) => (a.type === 'frame' ? [a.payload[a.payload.length - 1]!] : []));
}

describe('data sequencing: the LAC follows the LNS (RFC 2661 §5.4)', () => {
  it('starts sending Ns when LNS data carry them, stops when they do not, and picks up where it left off', () => {
    const { pair, lacId } = call();
    const lac = pair.a;
    const t = lac.localTunnelId;
    // No sequencing asked: our data carry no Ns/Nr.
    expect(seqOf(sendOn(lac, lacId, 1, pair.now))).toEqual({ s: false });
    // "If the LAC receives a data message with sequence numbers present, it MUST begin sending".
    expect(frames(lac.handle({ type: 'received', bytes: data(t, lacId, [0xaa], { ns: 0 }) }, pair.now))).toEqual([0xaa]);
    expect(seqOf(sendOn(lac, lacId, 2, pair.now))).toEqual({ s: true, ns: 0, nr: 0 });
    expect(seqOf(sendOn(lac, lacId, 3, pair.now))).toEqual({ s: true, ns: 1, nr: 0 });
    // "...without sequence numbers present, it MUST stop sending sequence numbers".
    expect(frames(lac.handle({ type: 'received', bytes: data(t, lacId, [0xbb]) }, pair.now))).toEqual([0xbb]);
    expect(seqOf(sendOn(lac, lacId, 4, pair.now))).toEqual({ s: false });
    // Re-enabled: "the sequence number state picks up where it left off before".
    expect(frames(lac.handle({ type: 'received', bytes: data(t, lacId, [0xcc], { ns: 1 }) }, pair.now))).toEqual([0xcc]);
    expect(seqOf(sendOn(lac, lacId, 5, pair.now))).toEqual({ s: true, ns: 2, nr: 0 });
    expect(lac.dataStats(lacId)).toMatchObject({ sending: true, required: false, sent: 5, sentSequenced: 3, received: 3, receivedSequenced: 2, dropped: 0 });
  });

  it("an LNS with dataSequencing 'on' gets sequence numbers from our LAC, both ways", () => {
    const { pair, lacId, lnsId } = call({}, { dataSequencing: 'on' });
    const lns = pair.b;
    const lac = pair.a;
    const first = sendOn(lns, lnsId, 1, pair.now);
    expect(seqOf(first)).toEqual({ s: true, ns: 0, nr: 0 });
    // Before any LNS data arrived, the LAC (default 'off') sends none.
    expect(seqOf(sendOn(lac, lacId, 9, pair.now))).toEqual({ s: false });
    expect(frames(lac.handle({ type: 'received', bytes: first }, pair.now))).toEqual([1]);
    expect(seqOf(sendOn(lac, lacId, 10, pair.now))).toEqual({ s: true, ns: 0, nr: 0 });
    // The LNS does not follow the LAC: an LNS with sequencing 'off' keeps sending without Ns.
    const plain = call();
    expect(plain.pair.b.handle({ type: 'received', bytes: data(plain.pair.b.localTunnelId, plain.lnsId, [7], { ns: 0 }) }, plain.pair.now).some((a) => a.type === 'frame')).toBe(true);
    expect(seqOf(sendOn(plain.pair.b, plain.lnsId, 1, plain.pair.now))).toEqual({ s: false });
  });
});

describe('data sequencing: Sequencing Required (RFC 2661 §5.4, AVP 39 in ICCN/OCCN)', () => {
  it("a LAC with 'required' puts AVP 39 (M=1, length 6, no value) in its ICCN; both sides then always sequence", () => {
    const { pair, lacId, lnsId } = call({ dataSequencing: 'required' });
    const iccnBytes = pair.sent('a', 'ICCN')[0]!.bytes;
    // §4.4.6 Sequencing Required: Attribute 39, M bit set, Length 6 (no value); never hidden.
    const avp = [0x80, 0x06, 0x00, 0x00, 0x00, 39];
    const at = iccnBytes.findIndex((_, i) => avp.every((b, j) => iccnBytes[i + j] === b));
    expect(at).toBeGreaterThan(12);
    expect(parseControl(iccnBytes).sequencingRequired).toBe(true);
    // The LNS (default 'off') now MUST send sequence numbers at all times.
    expect(pair.b.dataStats(lnsId)).toMatchObject({ required: true, sending: true });
    expect(seqOf(sendOn(pair.b, lnsId, 1, pair.now))).toEqual({ s: true, ns: 0, nr: 0 });
    // The LAC sequences from its first data message and keeps doing so when LNS data come without Ns.
    expect(seqOf(sendOn(pair.a, lacId, 1, pair.now))).toEqual({ s: true, ns: 0, nr: 0 });
    pair.a.handle({ type: 'received', bytes: data(pair.a.localTunnelId, lacId, [0xbb]) }, pair.now);
    expect(seqOf(sendOn(pair.a, lacId, 2, pair.now))).toEqual({ s: true, ns: 1, nr: 0 });
  });

  it('without the option the ICCN carries no AVP 39 and nothing is required', () => {
    const { pair, lnsId } = call();
    expect(parseControl(pair.sent('a', 'ICCN')[0]!.bytes).sequencingRequired).toBeUndefined();
    expect(pair.b.dataStats(lnsId)).toMatchObject({ required: false, sending: false });
  });

  it("an LNS with 'required' sequences but has nothing required: AVP 39 is the LAC's to send, and none was sent or received", () => {
    const { pair, lnsId } = call({}, { dataSequencing: 'required' });
    expect(parseControl(pair.sent('a', 'ICCN')[0]!.bytes).sequencingRequired).toBeUndefined();
    expect(pair.b.dataStats(lnsId)).toMatchObject({ required: false, sending: true });
  });

  it("an OCRQ answered by a LAC with 'required': the OCCN carries AVP 39 and the LNS sequences", () => {
    const pair = new Pair({}, { bearerCapabilities: 2, dataSequencing: 'required' });
    pair.do('a', { type: 'open' });
    pair.run(5_000);
    pair.do('a', { type: 'openSession', call: { kind: 'outgoing', calledNumber: '1' } });
    pair.run(pair.now + 5_000);
    expect(parseControl(pair.sent('b', 'OCCN')[0]!.bytes).sequencingRequired).toBe(true);
    const id = pair.actions('a', 'session-up')[0]!.sessionId;
    expect(seqOf(sendOn(pair.a, id, 1, pair.now))).toEqual({ s: true, ns: 0, nr: 0 });
  });
});

describe('data sequencing: old data (RFC 2661 §5.4) and the reserved Nr (§3.1)', () => {
  it('duplicates and data behind the next expected Ns are dropped and counted; a jump ahead counts lost Ns', () => {
    const { pair, lacId } = call();
    const lac = pair.a;
    const t = lac.localTunnelId;
    const got: number[] = [];
    for (const ns of [0, 1, 1, 3, 2, 4]) got.push(...frames(lac.handle({ type: 'received', bytes: data(t, lacId, [ns], { ns }) }, pair.now)));
    expect(got).toEqual([0, 1, 3, 4]);
    expect(lac.dataStats(lacId)).toMatchObject({ received: 4, dropped: 2, lost: 1 });
  });

  it('Ns wraps modulo 2^16: 65535 then 0 is in order, 65535 again is old', () => {
    const { pair, lacId } = call();
    const lac = pair.a;
    const t = lac.localTunnelId;
    const got: number[] = [];
    for (const [ns, byte] of [[65534, 1], [65535, 2], [0, 3], [65535, 4], [1, 5]] as const) {
      got.push(...frames(lac.handle({ type: 'received', bytes: data(t, lacId, [byte], { ns }) }, pair.now)));
    }
    expect(got).toEqual([1, 2, 3, 5]);
    expect(lac.dataStats(lacId)).toMatchObject({ received: 4, dropped: 1, lost: 0 });
  });

  it('half the space ahead is the past: 32768 past the next expected Ns is old, 32767 past it is new (modulo 2^16, as §5.8)', () => {
    const { pair, lacId } = call();
    const lac = pair.a;
    const t = lac.localTunnelId;
    const got: number[] = [];
    // After Ns 0 the next expected is 1: Ns 32769 is 32768 away (old), Ns 32768 is 32767 ahead (new, 32767 lost).
    for (const [ns, byte] of [[0, 1], [32769, 2], [32768, 3]] as const) {
      got.push(...frames(lac.handle({ type: 'received', bytes: data(t, lacId, [byte], { ns }) }, pair.now)));
    }
    expect(got).toEqual([1, 3]);
    expect(lac.dataStats(lacId)).toMatchObject({ received: 2, dropped: 1, lost: 32767 });
  });

  it('Nr of a data message is ignored on receipt: any value, same delivery', () => {
    const { pair, lacId } = call();
    const t = pair.a.localTunnelId;
    expect(frames(pair.a.handle({ type: 'received', bytes: data(t, lacId, [1], { ns: 0, nr: 0xbeef }) }, pair.now))).toEqual([1]);
    expect(frames(pair.a.handle({ type: 'received', bytes: data(t, lacId, [2], { ns: 1, nr: 3 }) }, pair.now))).toEqual([2]);
    expect(pair.a.dataStats(lacId)).toMatchObject({ received: 2, dropped: 0 });
  });

  it('through a seeded link that duplicates and reorders: with sequencing nothing arrives out of order; without, it does', () => {
    const link = { duplicate: 0.15, reorder: 0.3, reorderDelay: 40, delay: 5 };
    const run = (mode: 'off' | 'on') => {
      const { pair, lacId, lnsId } = call({}, { dataSequencing: mode }, link);
      // The LNS sends 300 frames 1 ms apart; the LAC's deliveries are logged by the Pair.
      const before = pair.actions('a', 'frame').length;
      for (let i = 0; i < 300; i++) {
        pair.do('b', { type: 'sendFrame', sessionId: lnsId, frame: new Uint8Array([0xff, 0x03, i >> 8, i & 0xff]) });
        pair.run(pair.now + 1);
      }
      pair.run(pair.now + 1_000);
      const got = pair.actions('a', 'frame').slice(before).map((f) => (f.payload[2]! << 8) | f.payload[3]!);
      return { got, stats: pair.a.dataStats(lacId)! };
    };
    const off = run('off');
    const inversions = (xs: number[]) => xs.filter((x, i) => i > 0 && x <= xs[i - 1]!).length;
    // The link really reorders and duplicates: without sequencing the LAC delivers them as they come.
    expect(inversions(off.got)).toBeGreaterThan(10);
    expect(off.got.length).toBeGreaterThan(300);
    const on = run('on');
    expect(inversions(on.got)).toBe(0);
    expect(on.stats.dropped).toBeGreaterThan(10);
    expect(on.stats.received).toBe(on.got.length);
    // Same seed, same link decisions: every datagram the link handed over (all delivered when
    // sequencing is off) was either delivered or dropped as old.
    expect(on.stats.received + on.stats.dropped).toBe(off.got.length);
    expect(new Set(on.got).size).toBe(on.got.length);
  });
});

describe('data sequencing: options', () => {
  it("dataSequencing other than 'off' | 'on' | 'required' is a TypeError naming the option", () => {
    expect(() => new TunnelFsm({ hostName: 'x', random: (n) => new Uint8Array(n), dataSequencing: true as never })).toThrow(/options\.dataSequencing must be 'off', 'on' or 'required'/);
    expect(() => new TunnelFsm({ hostName: 'x', random: (n) => new Uint8Array(n), dataSequencing: 'on' })).not.toThrow();
  });

  it('dataStats is undefined for a session that does not exist', () => {
    const { pair } = call();
    expect(pair.a.dataStats(12345)).toBeUndefined();
  });
});
