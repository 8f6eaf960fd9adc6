/**
 * No state without a deadline (issue 12): every tunnel state but `idle` (nothing started),
 * `established` and `closed`, and every session state but `established`, has a deadline, and
 * reaching it moves the FSM on. A half-open tunnel is freed one retransmission cycle (31 s with
 * the RFC 2661 §5.8 timers) after the message that made it half-open, however the peer acked it.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TunnelFsm, type TunnelAction, type TunnelEvent, type TunnelOptions } from '../../src/fsm/index.js';
import { cdn, hello, iccn, icrp, icrq, occn, ocrp, ocrq, sccrp, sccrq, scccn, stopccn, zlb } from '../../src/wire/builders.js';
import { parseControl } from '../../src/wire/control.js';
import { establishedPair, seededRandom } from './harness.js';

const CYCLE = 31_000; // 1 + 2 + 4 + 8 + 8 + 8 s (RFC 2661 §5.8 defaults)

function lns(o: Partial<TunnelOptions> = {}): TunnelFsm {
  return new TunnelFsm({ hostName: 'lns', random: seededRandom(5), ...o });
}

const types = (acts: TunnelAction[]) => acts.map((a) => a.type);
const sent = (acts: TunnelAction[]) => acts.flatMap((a) => (a.type === 'send' ? [parseControl(a.bytes, { requireAvps: false })] : []));

describe('a half-open tunnel is freed one retransmission cycle after its SCCRP (issue 12 reproduction)', () => {
  it('SCCRQ, then a ZLB acking the SCCRP, never an SCCCN: freed at 31 s, not kept forever', () => {
    const f = lns();
    const out = f.handle({ type: 'received', bytes: sccrq({ hostName: 'lac', assignedTunnelId: 7 }) }, 1000);
    const reply = sent(out)[0]!;
    expect(reply.typeName).toBe('SCCRP');
    f.handle({ type: 'received', bytes: zlb({ tunnelId: reply.assignedTunnelId, ns: 1, nr: 1 }) }, 1010);
    // Before: wait-ctl-conn with no deadline and no timer, forever.
    expect(f.state).toBe('wait-ctl-conn');
    expect(f.nextDeadline()).toBe(1000 + CYCLE);
    expect(f.handle({ type: 'tick' }, 1000 + CYCLE - 1)).toEqual([]);
    expect(f.state).toBe('wait-ctl-conn');
    const gone = f.handle({ type: 'tick' }, 3_600_000);
    expect(f.state).toBe('closed');
    expect(types(gone)).toEqual(['stopped', 'closed']);
    expect(gone[0]).toMatchObject({ type: 'stopped', by: 'local', error: { code: 'TIMEOUT' } });
    // Freed silently: a half-open peer (perhaps a spoofed source) gets no StopCCN.
    expect(sent(gone)).toEqual([]);
    expect(f.nextDeadline()).toBeUndefined();
  });

  it('a LAC whose SCCCN needed its 5th try (at 15 s) still gets in; one at 31 s does not', () => {
    const f = lns();
    const reply = sent(f.handle({ type: 'received', bytes: sccrq({ hostName: 'lac', assignedTunnelId: 7 }) }, 0))[0]!;
    f.handle({ type: 'received', bytes: zlb({ tunnelId: reply.assignedTunnelId, ns: 1, nr: 1 }) }, 5);
    for (const t of [1000, 3000, 7000]) f.handle({ type: 'tick' }, t);
    const up = f.handle({ type: 'received', bytes: scccn({ tunnelId: reply.assignedTunnelId, ns: 1, nr: 1 }) }, 15_000);
    expect(types(up)).toContain('established');
    expect(f.state).toBe('established');

    const late = lns();
    const r2 = sent(late.handle({ type: 'received', bytes: sccrq({ hostName: 'lac', assignedTunnelId: 8 }) }, 0))[0]!;
    late.handle({ type: 'received', bytes: zlb({ tunnelId: r2.assignedTunnelId, ns: 1, nr: 1 }) }, 5);
    late.handle({ type: 'tick' }, CYCLE);
    expect(late.state).toBe('closed');
    expect(late.handle({ type: 'received', bytes: scccn({ tunnelId: r2.assignedTunnelId, ns: 1, nr: 1 }) }, CYCLE + 1)).toEqual([]);
  });

  it('handshakeTimeout changes it', () => {
    const f = lns({ handshakeTimeout: 5000 });
    const reply = sent(f.handle({ type: 'received', bytes: sccrq({ hostName: 'lac', assignedTunnelId: 7 }) }, 0))[0]!;
    f.handle({ type: 'received', bytes: zlb({ tunnelId: reply.assignedTunnelId, ns: 1, nr: 1 }) }, 5);
    expect(f.nextDeadline()).toBe(5000);
    f.handle({ type: 'tick' }, 5000);
    expect(f.state).toBe('closed');
    expect(() => lns({ handshakeTimeout: 0 })).toThrow(RangeError);
    expect(() => lns({ handshakeTimeout: Number.NaN })).toThrow(/handshakeTimeout/);
  });

  it('the initiator in wait-ctl-reply: SCCRQ acked by a ZLB, no SCCRP → freed at 31 s', () => {
    const f = new TunnelFsm({ hostName: 'lac', random: seededRandom(3) });
    f.handle({ type: 'open' }, 0);
    f.handle({ type: 'received', bytes: zlb({ tunnelId: f.localTunnelId, ns: 0, nr: 1 }) }, 10);
    expect(f.state).toBe('wait-ctl-reply');
    expect(f.nextDeadline()).toBe(CYCLE);
    const gone = f.handle({ type: 'tick' }, CYCLE);
    expect(f.state).toBe('closed');
    expect(gone[0]).toMatchObject({ type: 'stopped', error: { code: 'TIMEOUT', message: expect.stringMatching(/no SCCRP/) } });
  });
});

function established(): { lac: TunnelFsm; lns: TunnelFsm } {
  return establishedPair({}, {});
}

/** A ZLB to `to` acknowledging the message `m` it sent (the ack arrives, the answer does not). */
function ackOf(to: TunnelFsm, m: ReturnType<typeof parseControl>): Uint8Array {
  return zlb({ tunnelId: to.localTunnelId, ns: 0, nr: (m.ns + 1) & 0xffff });
}

/** Tick `f` at each of its deadlines up to `until`; returns the actions of the last tick. */
function runTo(f: TunnelFsm, until: number): TunnelAction[] {
  let acts: TunnelAction[] = [];
  for (let d = f.nextDeadline(); d !== undefined && d <= until; d = f.nextDeadline()) acts = f.handle({ type: 'tick' }, d);
  return acts;
}

describe('calls being set up have deadlines too', () => {
  it('LAC: ICRQ acked but never answered with ICRP → CDN result 2 at 31 s, session-down TIMEOUT; the tunnel stays', () => {
    const { lac } = established();
    const icrqMsg = sent(lac.handle({ type: 'openSession', call: { kind: 'incoming' } }, 100))[0]!;
    expect(icrqMsg.typeName).toBe('ICRQ');
    lac.handle({ type: 'received', bytes: ackOf(lac, icrqMsg) }, 110);
    const id = lac.sessionIds()[0]!;
    expect(lac.sessionState(id)).toBe('wait-reply');
    runTo(lac, 100 + CYCLE - 1);
    expect(lac.sessionState(id)).toBe('wait-reply');
    const acts = lac.handle({ type: 'tick' }, 100 + CYCLE);
    expect(lac.sessionState(id)).toBeUndefined();
    expect(acts.find((a) => a.type === 'session-down')).toMatchObject({ by: 'local', result: { result: 2 }, error: { code: 'TIMEOUT', message: expect.stringMatching(/no ICRP/) } });
    expect(sent(acts).map((m) => m.typeName)).toEqual(['CDN']);
    expect(lac.state).toBe('established');
  });

  it('LNS: ICRQ answered, ICRP acked, never an ICCN → CDN at 31 s after the ICRP', () => {
    const { lac, lns: l } = established();
    const icrqBytes = lac.handle({ type: 'openSession', call: { kind: 'incoming' } }, 100).find((a) => a.type === 'send')!;
    const icrpMsg = sent(l.handle({ type: 'received', bytes: (icrqBytes as { bytes: Uint8Array }).bytes }, 200))[0]!;
    expect(icrpMsg.typeName).toBe('ICRP');
    l.handle({ type: 'received', bytes: ackOf(l, icrpMsg) }, 210);
    const id = l.sessionIds()[0]!;
    expect(l.sessionState(id)).toBe('wait-connect');
    runTo(l, 200 + CYCLE - 1);
    expect(l.sessionState(id)).toBe('wait-connect');
    const down = l.handle({ type: 'tick' }, 200 + CYCLE);
    expect(down.find((a) => a.type === 'session-down')).toMatchObject({ error: { code: 'TIMEOUT', message: expect.stringMatching(/no ICCN/) } });
    expect(l.state).toBe('established');
  });

  it('OCRQ → OCRP (acked), then no OCCN: the OCRP restarts the clock, then CDN', () => {
    // The LAC advertises Bearer Capabilities, or no OCRQ may be sent to it (§6.9).
    const { lac, lns: l } = establishedPair({}, { bearerCapabilities: 2 });
    const ocrqBytes = (l.handle({ type: 'openSession', call: { kind: 'outgoing', calledNumber: '1' } }, 1000).find((a) => a.type === 'send') as { bytes: Uint8Array }).bytes;
    const ocrqMsg = parseControl(ocrqBytes, { requireAvps: false });
    l.handle({ type: 'received', bytes: ackOf(l, ocrqMsg) }, 1010);
    const id = l.sessionIds()[0]!;
    runTo(l, 20_000);
    expect(l.sessionState(id)).toBe('wait-reply');
    // The OCRQ reaches the LAC late; its OCRP arrives at 20 s (its OCCN is lost): wait-connect, due 31 s from then.
    const answer = lac.handle({ type: 'received', bytes: ocrqBytes }, 20_000);
    const ocrpBytes = answer.find((a) => a.type === 'send' && parseControl(a.bytes, { requireAvps: false }).typeName === 'OCRP') as { bytes: Uint8Array };
    l.handle({ type: 'received', bytes: ocrpBytes.bytes }, 20_000);
    expect(l.sessionState(id)).toBe('wait-connect');
    runTo(l, 20_000 + CYCLE - 1);
    expect(l.sessionState(id)).toBe('wait-connect');
    expect(types(l.handle({ type: 'tick' }, 20_000 + CYCLE))).toContain('session-down');
    expect(l.sessionState(id)).toBeUndefined();
  });
});

// ------------------------------------------------------------------------------------------
// The property: random events into both roles.

type Step =
  | { k: 'deliver'; dir: 0 | 1; dup: boolean }
  | { k: 'drop'; dir: 0 | 1 }
  | { k: 'tick'; dt: number }
  | { k: 'inject'; to: 0 | 1; type: number; ns: number; nr: number; sid: number }
  | { k: 'replay'; to: 0 | 1; back: number }
  | { k: 'ack'; to: 0 | 1 }
  | { k: 'local'; side: 0 | 1; op: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ k: fc.constant('deliver' as const), dir: fc.constantFrom<0 | 1>(0, 1), dup: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('drop' as const), dir: fc.constantFrom<0 | 1>(0, 1) }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('tick' as const), dt: fc.oneof(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 0, max: 40_000 })) }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('inject' as const), to: fc.constantFrom<0 | 1>(0, 1), type: fc.integer({ min: 0, max: 12 }), ns: fc.integer({ min: 0, max: 5 }), nr: fc.integer({ min: 0, max: 5 }), sid: fc.integer({ min: 0, max: 2 }) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('replay' as const), to: fc.constantFrom<0 | 1>(0, 1), back: fc.integer({ min: 0, max: 8 }) }) },
  // A ZLB acking everything the side sent, and nothing else: how a half-open state is pinned.
  { weight: 2, arbitrary: fc.record({ k: fc.constant('ack' as const), to: fc.constantFrom<0 | 1>(0, 1) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('local' as const), side: fc.constantFrom<0 | 1>(0, 1), op: fc.integer({ min: 0, max: 3 }) }) },
);

/** A message of a random type addressed to `f` (what a confused or hostile peer may send). */
function injected(f: TunnelFsm, s: Extract<Step, { k: 'inject' }>): Uint8Array {
  const ids = f.sessionIds();
  const sessionId = s.sid === 0 ? 0 : s.sid === 1 ? (ids[0] ?? 0) : 4242;
  const h = { tunnelId: f.localTunnelId, sessionId, ns: s.ns, nr: s.nr };
  switch (s.type) {
    case 0: return zlb(h);
    case 1: return sccrq({ ...h, tunnelId: 0, hostName: 'x', assignedTunnelId: 99 });
    case 2: return sccrp({ ...h, hostName: 'x', assignedTunnelId: 99 });
    case 3: return scccn(h);
    case 4: return stopccn({ ...h, assignedTunnelId: 99, resultCode: { result: 1 } });
    case 5: return hello(h);
    case 6: return icrq({ ...h, assignedSessionId: 77, callSerialNumber: 1 });
    case 7: return icrp({ ...h, assignedSessionId: 77 });
    case 8: return iccn({ ...h, txConnectSpeed: 1, framingType: 1 });
    case 9: return cdn({ ...h, assignedSessionId: 77, resultCode: { result: 1 } });
    case 10: return ocrq({ ...h, assignedSessionId: 78, callSerialNumber: 2, minimumBps: 0, maximumBps: 1, bearerType: 0, framingType: 1, calledNumber: '1' });
    case 11: return ocrp({ ...h, assignedSessionId: 78 });
    default: return occn({ ...h, txConnectSpeed: 1, framingType: 1 });
  }
}

/** The claim after every step: the FSM is at rest, or something is scheduled. */
function unscheduled(f: TunnelFsm): string | undefined {
  if (f.state === 'closed' || (f.state === 'idle' && f.role === undefined)) return undefined;
  const waitingCall = f.sessionIds().some((id) => f.sessionState(id) !== 'established');
  if (f.state === 'established' && !waitingCall) return undefined;
  return f.nextDeadline() === undefined ? `${f.role} in ${f.state}${waitingCall ? ' with a call being set up' : ''} has no deadline` : undefined;
}

/**
 * Left alone (nothing more arrives), the FSM moves on at each deadline — the deadline never
 * stays put — and ends closed: HELLO goes unanswered in established, half-open states expire,
 * closing lingers out. Returns what went wrong, if anything.
 */
function isolate(f: TunnelFsm, now: number): string | undefined {
  for (let i = 0; i < 200; i++) {
    const d = f.nextDeadline();
    if (d === undefined) break;
    if (d > now + 400_000) return `deadline ${d - now} ms away in ${f.state}`;
    f.handle({ type: 'tick' }, Math.max(d, now));
    const next = f.nextDeadline();
    if (next !== undefined && next <= d) return `in ${f.state} the deadline ${d} did not move after a tick at it`;
    now = Math.max(d, now);
  }
  if (f.state === 'closed' || (f.state === 'idle' && f.role === undefined)) return undefined;
  // With HELLO off an established tunnel may rest, but no call may stay half set up.
  const waitingCall = f.sessionIds().find((id) => f.sessionState(id) !== 'established');
  if (f.state === 'established' && waitingCall === undefined) return undefined;
  return `left alone it stays ${f.state}${waitingCall !== undefined ? ` with call ${waitingCall} in ${f.sessionState(waitingCall)}` : ''}`;
}

describe('property: after any sequence of events, at rest or scheduled, and left alone it ends', () => {
  it('random deliveries, losses, duplicates, out-of-state messages, ticks and local calls into both roles', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.boolean(), fc.boolean(), fc.boolean(), fc.array(stepArb, { minLength: 1, maxLength: 40 }), (seed, secret, helloOff, upFirst, steps) => {
        // HELLO off too: then nothing but the calls' own deadlines can move a half-open call on.
        const sec = { ...(secret ? { secret: 's3cret' } : {}), ...(helloOff ? { helloInterval: 0 } : {}) };
        const fsms = [new TunnelFsm({ hostName: 'lac', random: seededRandom(seed), ...sec }), new TunnelFsm({ hostName: 'lns', random: seededRandom(seed + 1), ...sec })] as const;
        const queues: Uint8Array[][] = [[], []]; // 0: lac → lns, 1: lns → lac
        const seen: Uint8Array[][] = [[], []]; // what each side has received
        let now = 0;
        const nextNs = [0, 0]; // per side: Ns after the last control message it sent
        const feed = (side: 0 | 1, ev: TunnelEvent): void => {
          let acts: TunnelAction[];
          try {
            acts = fsms[side].handle(ev, now);
          } catch (e) {
            if (ev.type !== 'received' && (e instanceof TypeError || e instanceof RangeError)) return; // local misuse: refused, nothing changed
            throw e;
          }
          for (const a of acts) {
            if (a.type !== 'send') continue;
            queues[side]!.push(a.bytes);
            if ((a.bytes[0]! & 0x80) !== 0 && a.bytes.length > 12) nextNs[side] = (((a.bytes[8]! << 8) | a.bytes[9]!) + 1) & 0xffff;
          }
        };
        feed(0, { type: 'open' });
        if (upFirst) {
          // Half the runs start from an established tunnel, so calls get set up (and pinned) too.
          for (let i = 0; i < 3; i++) {
            const dir = (i % 2) as 0 | 1;
            for (let b; (b = queues[dir]!.shift()) !== undefined; ) feed((1 - dir) as 0 | 1, { type: 'received', bytes: b });
          }
          if (fsms[0].state !== 'established' || fsms[1].state !== 'established') throw new Error('handshake did not complete');
        }
        for (const s of steps) {
          switch (s.k) {
            case 'deliver': {
              const b = queues[s.dir]!.shift();
              if (b === undefined) break;
              const to = (1 - s.dir) as 0 | 1;
              seen[to]!.push(b);
              feed(to, { type: 'received', bytes: b });
              if (s.dup) feed(to, { type: 'received', bytes: b });
              break;
            }
            case 'drop':
              queues[s.dir]!.shift();
              break;
            case 'tick':
              now += s.dt;
              for (const side of [0, 1] as const) {
                const d = fsms[side].nextDeadline();
                if (d !== undefined && d <= now) feed(side, { type: 'tick' });
              }
              break;
            case 'inject':
              feed(s.to, { type: 'received', bytes: injected(fsms[s.to], s) });
              break;
            case 'replay': {
              const old = seen[s.to]!;
              const b = old[old.length - 1 - Math.min(s.back, old.length - 1)];
              if (b !== undefined) feed(s.to, { type: 'received', bytes: b });
              break;
            }
            case 'ack':
              feed(s.to, { type: 'received', bytes: zlb({ tunnelId: fsms[s.to].localTunnelId, ns: 0, nr: nextNs[s.to]! }) });
              break;
            case 'local': {
              const f = fsms[s.side];
              const ids = f.sessionIds();
              if (s.op === 0) feed(s.side, { type: 'openSession', call: { kind: 'incoming' } });
              else if (s.op === 1) feed(s.side, { type: 'openSession', call: { kind: 'outgoing', calledNumber: '5' } });
              else if (s.op === 2 && ids.length) feed(s.side, { type: 'closeSession', sessionId: ids[0]! });
              else feed(s.side, { type: 'close' });
              break;
            }
          }
          for (const f of fsms) {
            const why = unscheduled(f);
            if (why !== undefined) throw new Error(`after ${JSON.stringify(s)}: ${why}`);
          }
        }
        for (const f of fsms) {
          const why = isolate(f, now);
          if (why !== undefined) throw new Error(why);
        }
      }),
      { seed: 12, numRuns: 300 },
    );
  });
});
