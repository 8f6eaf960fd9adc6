/**
 * The test LAC makes each deviation in turn (hand-built bytes, RFC 2661 layouts) against a clean
 * tunnel set-up, and the observer must name exactly that rule with the RFC's severity. The clean
 * exchange itself, and legal retransmissions, must produce no deviation at all.
 */
import { describe, expect, it } from 'vitest';
import { ConformanceObserver, CONFORMANCE_RULES as RULES, type Deviation } from '../../src/conformance/index.js';
import {
  ascii, avp, ctl, data, H, icrp, icrqAvps, iccnAvps, LAC_SESSION, LAC_TUNNEL, LNS_SESSION, LNS_TUNNEL, M, mt, sccrp,
  sccrqAvps, stopccnAvps, u16h, u32h, zlb,
} from './lac-bytes.js';

type Step = readonly ['rx' | 'tx', number, Uint8Array] | readonly ['tick', number];
const rx = (at: number, b: Uint8Array): Step => ['rx', at, b];
const tx = (at: number, b: Uint8Array): Step => ['tx', at, b];
const tick = (at: number): Step => ['tick', at];

/** SCCRQ, SCCRP, SCCCN, ZLB: the peer's next Ns is 2, ours 1. */
function establish(o: { sccrq?: Uint8Array; scccn?: Uint8Array } = {}): Step[] {
  return [
    rx(0, o.sccrq ?? ctl(0, 0, 0, 0, sccrqAvps())),
    tx(5, sccrp()),
    rx(10, o.scccn ?? ctl(LNS_TUNNEL, 0, 1, 1, [mt(3)])),
    tx(15, zlb(LAC_TUNNEL, 1, 2)),
  ];
}

/** ICRQ (peer Ns 2), ICRP (our Ns 1), ICCN (peer Ns 3), ZLB: the call is up. */
function call(): Step[] {
  return [
    rx(20, ctl(LNS_TUNNEL, 0, 2, 1, icrqAvps())),
    tx(25, icrp(1, 3)),
    rx(30, ctl(LNS_TUNNEL, LNS_SESSION, 3, 2, iccnAvps())),
    tx(35, zlb(LAC_TUNNEL, 2, 4)),
  ];
}

/** An ICRQ at peer Ns 2 with these AVPs. */
const icrqWith = (avps: string[], o?: Parameters<typeof ctl>[5]): Step[] => [...establish(), rx(20, ctl(LNS_TUNNEL, 0, 2, 1, avps, o))];
const hello = (ns: number, nr: number, sessionId = 0): Uint8Array => ctl(LNS_TUNNEL, sessionId, ns, nr, [mt(6)]);

function run(steps: readonly Step[]): ConformanceObserver {
  const obs = new ConformanceObserver();
  for (const s of steps) {
    if (s[0] === 'rx') obs.received(s[2], s[1]);
    else if (s[0] === 'tx') obs.sent(s[2], s[1]);
    else obs.tick(s[1]);
  }
  return obs;
}

interface Case {
  readonly name: string;
  readonly steps: readonly Step[];
  readonly rule: string;
  readonly severity: 'MUST' | 'SHOULD';
  /** How many deviations of that rule (default 1). */
  readonly count?: number;
  /** Other rules the same bytes legitimately break too. */
  readonly also?: readonly string[];
  /** A word the detail must contain. */
  readonly detail?: RegExp;
}

const CASES: readonly Case[] = [
  // RFC 2661 §6.6 lists no Minimum/Maximum BPS for ICRQ; §6.9 OCRQ does (the prober's ICRQ).
  { name: 'Minimum and Maximum BPS (M=1) in an ICRQ', rule: 'avp.not-allowed', severity: 'MUST', count: 2, detail: /OCRQ/,
    steps: icrqWith([...icrqAvps(), avp(16, u32h(9600)), avp(17, u32h(10_000_000))]) },
  { name: 'Vendor Name (M=0) in an ICRQ', rule: 'avp.not-allowed-optional', severity: 'SHOULD',
    steps: icrqWith([...icrqAvps(), avp(8, ascii('acme'), 0)]) },
  // §4.4.4: Call Serial Number "M bit MUST be 1".
  { name: 'Call Serial Number with M=0', rule: 'avp.m-bit', severity: 'MUST',
    steps: icrqWith([mt(10), avp(14, u16h(LAC_SESSION)), avp(15, u32h(1), 0)]) },
  // §4.4.1: the Message Type AVP's M bit MUST be 1.
  { name: 'Message Type with M=0', rule: 'avp.m-bit', severity: 'MUST',
    steps: icrqWith([mt(10, 0), avp(14, u16h(LAC_SESSION)), avp(15, u32h(1))]) },
  { name: 'ICRQ without Call Serial Number', rule: 'avp.missing-required', severity: 'MUST', detail: /Call Serial Number/,
    steps: icrqWith([mt(10), avp(14, u16h(LAC_SESSION))]) },
  { name: 'SCCRQ without Host Name', rule: 'avp.missing-required', severity: 'MUST',
    steps: [rx(0, ctl(0, 0, 0, 0, [mt(1), avp(2, '0100'), avp(3, u32h(3)), avp(9, u16h(LAC_TUNNEL))]))] },
  { name: 'unknown IETF AVP 200 with M=1', rule: 'avp.unknown-mandatory', severity: 'MUST',
    steps: icrqWith([...icrqAvps(), avp(200, '01')]) },
  { name: 'unknown vendor AVP with M=1', rule: 'avp.unknown-mandatory', severity: 'MUST', detail: /vendor 4242/,
    steps: icrqWith([...icrqAvps(), avp(1, '01', M, 4242)]) },
  // §4.4.4: Sequencing Required MUST NOT be hidden; §4.3: a Random Vector goes before it.
  { name: 'hidden Sequencing Required', rule: 'avp.hidden-forbidden', severity: 'MUST',
    steps: [...establish(), ...call().slice(0, 2), rx(30, ctl(LNS_TUNNEL, LNS_SESSION, 3, 2, [...iccnAvps(), avp(36, '00'.repeat(16)), avp(39, 'a1b2', M | H)]))] },
  { name: 'hidden Call Serial Number with no Random Vector before it', rule: 'avp.random-vector-first', severity: 'MUST',
    steps: icrqWith([mt(10), avp(14, u16h(LAC_SESSION)), avp(15, '0123456789ab', M | H), avp(36, '00'.repeat(16))]) },
  // §4.4.3: the response is a 16-octet MD5 digest.
  { name: 'Challenge Response of 15 bytes in SCCCN', rule: 'avp.challenge-response-length', severity: 'MUST',
    steps: establish({ scccn: ctl(LNS_TUNNEL, 0, 1, 1, [mt(3), avp(13, '11'.repeat(15))]) }) },
  { name: 'Assigned Tunnel ID 0 in SCCRQ', rule: 'avp.zero-id', severity: 'MUST', detail: /Assigned Tunnel ID 0/,
    steps: [rx(0, ctl(0, 0, 0, 0, sccrqAvps(0)))] },
  { name: 'Assigned Session ID 0 in ICRQ', rule: 'avp.zero-id', severity: 'MUST', detail: /Assigned Session ID 0/,
    steps: icrqWith([mt(10), avp(14, u16h(0)), avp(15, u32h(1))]) },
  { name: 'Call Serial Number of 2 bytes', rule: 'avp.value-length', severity: 'MUST',
    steps: icrqWith([mt(10), avp(14, u16h(LAC_SESSION)), avp(15, '0001')]) },
  { name: 'an AVP reserved bit set', rule: 'avp.reserved-bits', severity: 'MUST',
    steps: icrqWith([mt(10), avp(14, u16h(LAC_SESSION)), avp(15, u32h(1), M | 0x0400)]) },
  { name: 'an AVP Length of 4', rule: 'avp.length', severity: 'MUST',
    steps: icrqWith([...icrqAvps(), avp(15, '', M, 0, 4)]) },
  { name: 'Assigned Session ID before Message Type', rule: 'msg.type-first', severity: 'MUST',
    steps: icrqWith([avp(14, u16h(LAC_SESSION)), mt(10), avp(15, u32h(1))]) },
  // RFC 2661 reserves message types 5 and 13.
  { name: 'reserved message type 5 with M=1', rule: 'msg.unknown-type', severity: 'MUST',
    steps: [...establish(), rx(20, ctl(LNS_TUNNEL, 0, 2, 1, [mt(5)]))] },
  { name: 'a reserved header bit set (0x0010)', rule: 'header.reserved-bits', severity: 'MUST',
    steps: icrqWith(icrqAvps(), { flags: 0xc812 }) },
  { name: 'a control message without the L bit', rule: 'header.control-flags', severity: 'MUST', detail: /L=0/,
    steps: icrqWith(icrqAvps(), { flags: 0x8802 }) },
  { name: 'a control message with P=1', rule: 'header.control-flags', severity: 'MUST', detail: /P=1/,
    steps: icrqWith(icrqAvps(), { flags: 0xc902 }) },
  { name: 'Length field 2 short of the datagram', rule: 'header.length', severity: 'MUST',
    steps: icrqWith(icrqAvps(), { length: 12 + 8 + 8 + 10, trailer: '0000' }) },
  { name: 'version 1 (L2F) in a v2 tunnel', rule: 'header.version', severity: 'MUST',
    steps: [...establish(), rx(20, hello(2, 1)).map((x, i) => (i === 2 ? withFlags(x as Uint8Array, 0xc801) : x)) as unknown as Step] },
  { name: 'Tunnel ID other than the one we assigned', rule: 'header.tunnel-id', severity: 'MUST',
    steps: [...establish(), rx(20, ctl(0x9999, 0, 2, 1, icrqAvps()))] },
  { name: 'ICCN for a session we never assigned', rule: 'header.session-id', severity: 'MUST',
    steps: [...establish(), ...call().slice(0, 2), rx(30, ctl(LNS_TUNNEL, 0x5555, 3, 2, iccnAvps()))] },
  { name: 'a data message for a session we never assigned', rule: 'header.session-id', severity: 'MUST', detail: /data message/,
    steps: [...establish(), ...call(), rx(40, data(LNS_TUNNEL, 0x5555, 'ff03c021010100040000'))] },
  { name: 'Hello with a Session ID', rule: 'header.session-id-tunnel', severity: 'SHOULD',
    steps: [...establish(), rx(20, hello(2, 1, 7))] },
  // The prober's ICRQ: we sent SCCRP (Ns 0) only, so Nr may be at most 1.
  { name: 'Nr acknowledging a message never sent', rule: 'seq.nr-unsent', severity: 'MUST',
    steps: icrqWith(icrqAvps()).map((s, i) => (i === 4 ? rx(20, ctl(LNS_TUNNEL, 0, 2, 5, icrqAvps())) : s)) },
  // Our Receive Window Size is 4 and we acked up to Ns 2: Ns 2..5 may be in flight, not 6.
  { name: 'five Hellos in flight against a window of 4', rule: 'seq.ns-window', severity: 'MUST',
    steps: [...establish(), ...[2, 3, 4, 5, 6].map((ns) => rx(20 + ns, hello(ns, 1)))] },
  { name: 'Ns 2 skipped and never sent', rule: 'seq.ns-skipped', severity: 'MUST',
    steps: [...establish(), rx(20, hello(3, 1)), tx(21, zlb(LAC_TUNNEL, 1, 2)), tick(20 + 31_000)] },
  { name: 'Ns 2 reused for a different message', rule: 'seq.retransmission-same', severity: 'MUST',
    steps: [...establish(), rx(20, ctl(LNS_TUNNEL, 0, 2, 1, icrqAvps())), rx(1100, hello(2, 1))] },
  { name: 'first retransmission after 200 ms', rule: 'timing.retransmit-early', severity: 'SHOULD',
    steps: [...establish(), rx(20, hello(2, 1)), rx(220, hello(2, 1))] },
  { name: 'retransmissions 1 s apart, no backoff', rule: 'timing.backoff', severity: 'MUST',
    steps: [...establish(), ...[0, 1000, 2000, 3000].map((t) => rx(20 + t, hello(2, 1)))] },
  { name: 'backoff capped at 4 s', rule: 'timing.cap', severity: 'MUST', detail: /4000 ms/,
    steps: [...establish(), ...[0, 1000, 3000, 7000, 11000, 15000].map((t) => rx(20 + t, hello(2, 1)))] },
  // We sent ICRP (Ns 1); the peer keeps talking with Nr 1 and never acks it.
  { name: 'our ICRP never acknowledged', rule: 'ack.missing', severity: 'MUST', detail: /ICRP Ns 1/,
    steps: [...establish(), ...call().slice(0, 2), rx(30, ctl(LNS_TUNNEL, LNS_SESSION, 3, 1, iccnAvps())), tick(25 + 31_000)] },
  { name: 'Hello after its own StopCCN', rule: 'stop.after-stopccn', severity: 'MUST',
    steps: [...establish(), rx(20, ctl(LNS_TUNNEL, 0, 2, 1, stopccnAvps(LAC_TUNNEL))), tx(21, zlb(LAC_TUNNEL, 1, 3)), rx(40, hello(3, 1))] },
  { name: 'ICRQ after acknowledging our StopCCN', rule: 'stop.after-stopccn', severity: 'MUST', detail: /our StopCCN/,
    steps: [...establish(), tx(20, ctl(LAC_TUNNEL, 0, 1, 2, stopccnAvps(LNS_TUNNEL))), rx(25, zlb(LNS_TUNNEL, 2, 2)), rx(30, ctl(LNS_TUNNEL, 0, 2, 2, icrqAvps()))] },
];

function withFlags(b: Uint8Array, flags: number): Uint8Array {
  const c = b.slice();
  c[0] = flags >>> 8;
  c[1] = flags & 0xff;
  return c;
}

const brokenRules = (ds: readonly Deviation[]): string[] => [...new Set(ds.map((d) => d.rule))].sort();

describe('the test LAC makes each deviation in turn', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const obs = run(c.steps);
    const mine = obs.deviations.filter((d) => d.rule === c.rule);
    expect(mine.length, JSON.stringify(obs.deviations, null, 1)).toBe(c.count ?? 1);
    for (const d of mine) {
      expect(d.severity).toBe(c.severity);
      expect(d.section).toMatch(/^RFC 2661 §/);
      if (c.detail) expect(d.detail).toMatch(c.detail);
      expect(JSON.parse(JSON.stringify(d))).toEqual(d); // JSON-serialisable as is
    }
    expect(brokenRules(obs.deviations)).toEqual([...new Set([c.rule, ...(c.also ?? [])])].sort());
    const card = obs.report(c.steps.at(-1)![1]);
    expect(card.rules.find((r) => r.rule === c.rule)!.status).toBe('broken');
    expect(card.verdict).toBe(c.severity === 'MUST' ? 'fail' : 'warn');
  });

  it('covers every rule of the table', () => {
    expect(new Set(CASES.map((c) => c.rule))).toEqual(new Set(RULES.map((r) => r.id)));
  });
});

/**
 * The steps with a quiet spell after the first `after` of them: a tick a retransmission cycle
 * later (everything is acked, every remembered peer message ages out, so the observer packs its
 * state away, issue 16), then the rest of the steps 100 s later.
 */
function rested(steps: readonly Step[], after: number): Step[] {
  const quiet = steps[after - 1]![1] + 50_000;
  const later = steps.slice(after).map((s): Step => (s[0] === 'tick' ? tick(s[1] + 100_000) : [s[0], s[1] + 100_000, s[2]]));
  return [...steps.slice(0, after), tick(quiet), ...later];
}

const CALL = call();
const afterCall = (steps: readonly Step[]): boolean => steps.length > 8 && CALL.every((s, i) => steps[4 + i]![1] === s[1] && steps[4 + i]![0] === s[0]);

describe('the same deviations after the connection rested (its state packed away and woken)', () => {
  // Every case that sets up the tunnel first; those that bring a call up too, rested after it as well.
  const cases = CASES.filter((c) => c.steps.length > 4 && c.steps[3]![1] === 15).flatMap((c) => [
    [`${c.name}, rested after set-up`, c, rested(c.steps, 4)] as const,
    ...(afterCall(c.steps) ? [[`${c.name}, rested after the call`, c, rested(c.steps, 8)] as const] : []),
  ]);

  it('rests at all: nothing waits a cycle after a clean set-up and call', () => {
    const obs = run(rested([...establish(), ...call(), rx(40, hello(4, 2))], 8).slice(0, 9));
    expect(obs.nextDeadline()).toBeUndefined();
    expect(cases.length).toBeGreaterThan(25);
  });

  it.each(cases.map(([name, c, steps]) => [name, c, steps] as const))('%s', (_, c, steps) => {
    const obs = run(steps);
    const mine = obs.deviations.filter((d) => d.rule === c.rule);
    expect(mine.length, JSON.stringify(obs.deviations, null, 1)).toBe(c.count ?? 1);
    if (c.detail) for (const d of mine) expect(d.detail).toMatch(c.detail);
    expect(brokenRules(obs.deviations)).toEqual([...new Set([c.rule, ...(c.also ?? [])])].sort());
  });

  it('a clean set-up, call and Hello exchange with quiet spells between stays clean', () => {
    const steps = rested(rested([...establish(), ...call(), rx(40, hello(4, 2)), tx(41, zlb(LAC_TUNNEL, 2, 5))], 8), 4);
    const obs = run(steps);
    expect(obs.deviations).toEqual([]);
    expect(obs.report().counts.kept).toBeGreaterThan(10);
  });

  it('a retransmission that differs from its original is caught within the cycle, whether the state rested before or not', () => {
    const icrq = ctl(LNS_TUNNEL, 0, 2, 1, icrqAvps());
    const obs = run(rested([...establish(), rx(20, icrq), rx(1100, hello(2, 1))], 4));
    expect(brokenRules(obs.deviations)).toEqual(['seq.retransmission-same']);
  });
});

describe('clean exchanges produce no deviation', () => {
  it('set-up, a call, Hello, StopCCN and its ack', () => {
    const obs = run([
      ...establish(), ...call(),
      rx(40, data(LNS_TUNNEL, LNS_SESSION, 'ff03c021010100040000')),
      rx(60_000, hello(4, 2)), tx(60_001, zlb(LAC_TUNNEL, 2, 5)),
      rx(70_000, ctl(LNS_TUNNEL, 0, 5, 2, stopccnAvps(LAC_TUNNEL))), tx(70_001, zlb(LAC_TUNNEL, 2, 6)),
    ]);
    expect(obs.deviations).toEqual([]);
    const card = obs.report(200_000);
    expect(card.verdict).toBe('pass');
    expect(card.counts.kept).toBeGreaterThan(15);
    expect(card.peerHostName).toBe('test-lac');
  });

  it('a lost ack answered by RFC retransmissions (1, 2, 4, 8, 8 s) and a re-ack', () => {
    const times = [0, 1000, 3000, 7000, 15_000, 23_000];
    const obs = run([...establish(), ...times.map((t) => rx(20 + t, hello(2, 1))), tx(23_100, zlb(LAC_TUNNEL, 1, 3))]);
    expect(obs.deviations).toEqual([]);
    const card = obs.report(60_000);
    for (const id of ['timing.retransmit-early', 'timing.backoff', 'timing.cap', 'seq.retransmission-same']) {
      expect(card.rules.find((r) => r.rule === id)!.status).toBe('kept');
    }
  });

  it('a StopCCN retransmitted after its ack was lost is not "a message after StopCCN"', () => {
    const stop = ctl(LNS_TUNNEL, 0, 2, 1, stopccnAvps(LAC_TUNNEL));
    const obs = run([...establish(), rx(20, stop), rx(1020, stop), tx(1021, zlb(LAC_TUNNEL, 1, 3))]);
    expect(obs.deviations).toEqual([]);
  });

  it('out-of-order arrival within the window, hole filled', () => {
    const obs = run([...establish(), rx(20, hello(3, 1)), rx(21, hello(2, 1)), tx(22, zlb(LAC_TUNNEL, 1, 4)), tick(100_000)]);
    expect(obs.deviations).toEqual([]);
    expect(obs.report().rules.find((r) => r.rule === 'seq.ns-skipped')!.status).toBe('kept');
  });
});

describe('L2TPv3 (RFC 3931 §3.2.1 header, §4.2 ACK)', () => {
  /** A v3 control message: flags, Length, 32-bit Control Connection ID, Ns, Nr. */
  const v3 = (ccid: number, ns: number, nr: number, avps: string[], flags = 0xc803): Uint8Array => {
    const body = avps.join('');
    return hexBytes(u16h(flags) + u16h(12 + body.length / 2) + u32h(ccid) + u16h(ns) + u16h(nr) + body);
  };

  it('an explicit ACK (type 20) takes no Ns: the Hello after it with the same Ns is not a "changed retransmission"', () => {
    const obs = run([
      tx(0, v3(0xaaaa0001, 0, 0, [mt(6)])),
      rx(5, v3(0xbbbb0001, 0, 1, [mt(20)])),
      rx(10, v3(0xbbbb0001, 0, 1, [mt(6)])),
      tx(15, v3(0xaaaa0001, 1, 1, [mt(20)])),
    ]);
    expect(obs.deviations).toEqual([]);
    expect(obs.report().rules.find((r) => r.rule === 'seq.nr-unsent')!.status).toBe('kept');
  });

  it('a reserved bit of the v3 control header (0x0010) is reported', () => {
    const obs = run([rx(0, v3(0xbbbb0001, 0, 0, [mt(6)], 0xc813))]);
    expect(brokenRules(obs.deviations)).toEqual(['header.reserved-bits']);
  });
});

function hexBytes(s: string): Uint8Array {
  return Uint8Array.from(s.match(/../g)!.map((x) => parseInt(x, 16)));
}
