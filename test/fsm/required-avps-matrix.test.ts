/**
 * Every AVP that RFC 2661 §6 or RFC 3931 §6 requires, in every message a conversation between two
 * state machines carries, taken out of that message in flight: removed, or hidden (H=1, M=0) from a
 * receiver with no secret, which cannot read it and so must treat it as absent (RFC 2661 §4.1:
 * an AVP it cannot act on, with M=0, is ignored). The receiver, strict or `lenient`, never fails
 * inside (no "internal error", nothing thrown), reports the AVP by name, and strict answers the
 * protocol error (§7.1) unless there is nobody to address.
 *
 * Found by a property run (test/fsm/v3-fuzz.test.ts): a v3 SCCRP whose Host Name had H=1, M=0
 * made an initiator with no secret fail inside instead of refusing it.
 */
import { describe, expect, it } from 'vitest';
import type { TunnelAction, TunnelOptions } from '../../src/fsm/index.js';
import { avpDef } from '../../src/wire/avp-catalog.js';
import { parseControl, type ControlMessage } from '../../src/wire/control.js';
import type { L2tpError } from '../../src/wire/errors.js';
import { MESSAGE_RULES } from '../../src/wire/message-rules.js';
import { Pair, type Side, type Wire } from './harness.js';

type Version = 2 | 3;
type Mode = 'removed' | 'hidden';

/** A control message's AVPs start after its 12-byte header (RFC 2661 §3.1 with L, S set; RFC 3931 §3.2.1). */
const AVPS_AT = 12;

/** `bytes` with the first IETF AVP of `type` removed (Length fixed up) or marked hidden and not mandatory. */
function withoutAvp(bytes: Uint8Array, type: number, mode: Mode): Uint8Array | undefined {
  const length = (bytes[2]! << 8) | bytes[3]!;
  for (let o = AVPS_AT; o + 6 <= length; ) {
    const len = ((bytes[o]! << 8) | bytes[o + 1]!) & 0x3ff;
    const vendor = (bytes[o + 2]! << 8) | bytes[o + 3]!;
    const t = (bytes[o + 4]! << 8) | bytes[o + 5]!;
    if (vendor === 0 && t === type) {
      if (mode === 'hidden') {
        const b = bytes.slice();
        b[o] = (b[o]! & 0x7f) | 0x40; // H=1, M=0
        return b;
      }
      const b = new Uint8Array(length - len);
      b.set(bytes.subarray(0, o));
      b.set(bytes.subarray(o + len, length), o);
      b[2] = b.length >> 8;
      b[3] = b.length & 255;
      return b;
    }
    o += len;
  }
  return undefined;
}

/** Two FSMs through every message both versions define: set-up, incoming and outgoing calls, WEN, SLI, HELLO, CDN, StopCCN. */
function converse(version: Version, lenient: boolean, intercept: (p: Pair, w: Wire) => boolean): Pair {
  const o: Partial<TunnelOptions> = { version, lenient, helloInterval: 5_000, bearerCapabilities: 3 };
  const p = new Pair(o, o);
  p.drop = (w) => intercept(p, w);
  const call = version === 3 ? { remoteEndId: 'eth0' } : {};
  p.do('a', { type: 'open' });
  p.run(1_000);
  // A message taken out of the set-up may leave no control connection to call over.
  const open = (side: Side) => p.fsm(side).state === 'established';
  if (open('a')) p.do('a', { type: 'openSession', call: { kind: 'incoming', ...call } });
  p.run(2_000);
  if (open('b')) p.do('b', { type: 'openSession', call: { kind: 'outgoing', calledNumber: '555', ...call } });
  p.run(3_000);
  const up = (side: Side) => p.actions(side, 'session-up').map((a) => a.sessionId);
  for (const id of up('a')) {
    try {
      p.do('a', { type: 'sendWen', sessionId: id, callErrors: { crcErrors: 1, framingErrors: 0, hardwareOverruns: 0, bufferOverruns: 0, timeoutErrors: 0, alignmentErrors: 0 } });
    } catch {
      // Not every session may send a WEN (a v3 pseudowire other than PPP): the others still run.
    }
  }
  for (const id of up('b')) {
    try {
      p.do('b', version === 2 ? { type: 'sendSli', sessionId: id, accm: { send: 0, receive: 0 } } : { type: 'sendSli', sessionId: id, circuitStatus: 1 });
    } catch {
      // As above.
    }
  }
  p.run(12_000); // idle past helloInterval: each side sends a HELLO
  for (const id of up('a')) if (p.a.sessionState(id) !== undefined) p.do('a', { type: 'closeSession', sessionId: id });
  p.run(14_000);
  if (open('a')) p.do('a', { type: 'close' });
  p.run(200_000);
  return p;
}

const errorsOf = (acts: readonly TunnelAction[]): string[] =>
  acts.flatMap((a) => (a.type === 'error' ? [a.error.message] : (a.type === 'stopped' || a.type === 'session-down') && a.error !== undefined ? [a.error.message] : []));

const other = (s: Side): Side => (s === 'a' ? 'b' : 'a');

for (const version of [2, 3] as const) {
  // Which message types the conversation carries, and from which side first.
  const plain = converse(version, false, () => false);
  const kinds = new Map<string, Side>();
  for (const w of plain.wire) if (w.typeName !== 'DATA' && w.typeName !== 'ZLB' && w.typeName !== 'BAD' && !kinds.has(w.typeName)) kinds.set(w.typeName, w.from);

  describe(`L2TPv${version}: each required AVP taken out of each message in flight`, () => {
    it('the conversation carries every message type that has required AVPs', () => {
      const want = MESSAGE_RULES.filter((r) => (version === 2 ? r.v2 : r.v3)?.required.length).map((r) => r.name);
      expect([...kinds.keys()].filter((k) => want.includes(k)).sort()).toEqual([...want].sort());
      expect(plain.log.filter((l) => l.action.type === 'error')).toEqual([]);
    });

    const cases: [string, number, Mode, boolean][] = [];
    for (const r of MESSAGE_RULES) {
      const rule = version === 2 ? r.v2 : r.v3;
      if (rule === undefined || !kinds.has(r.name)) continue;
      for (const t of rule.required) for (const mode of ['removed', 'hidden'] as const) for (const lenient of [false, true]) cases.push([r.name, t, mode, lenient]);
    }

    it.each(cases)('%s without AVP %i (%s, lenient %s): reported by name, nothing fails inside', (name, type, mode, lenient) => {
      const from = kinds.get(name)!;
      let mark: number | undefined;
      const p = converse(version, lenient, (pair, w) => {
        if (mark !== undefined || w.from !== from || w.typeName !== name) return false;
        const bytes = withoutAvp(w.bytes, type, mode);
        if (bytes === undefined) throw new Error(`${name} as sent carries no AVP ${type}`);
        mark = pair.log.length;
        pair.do(other(from), { type: 'received', bytes });
        return true;
      });
      expect(mark).toBeDefined();
      const all = p.log.map((l) => l.action);
      expect(errorsOf(all).filter((m) => /internal error/.test(m))).toEqual([]);
      // What the receiver did from then on (a message that overtook the one before it waits in the Sequencer).
      const after = errorsOf(p.log.slice(mark).filter((l) => l.side === other(from)).map((l) => l.action));
      const avpName = avpDef(0, type)!.name;
      expect(after.some((m) => m.includes(avpName)), `an error naming ${avpName} in ${JSON.stringify(after)}`).toBe(true);
      // Nothing left to time: both sides end closed.
      expect([p.a.state, p.b.state]).toEqual(['closed', 'closed']);
    });
  });
}

describe('L2TPv3: what is refused, cleared or reported (RFC 3931 §6, §5.4.4)', () => {
  /** Take AVP `type` out of the first `name` from `from`; the receiver's actions from then on, and what it sent. */
  function without(name: string, from: Side, type: number, lenient: boolean): { acts: TunnelAction[]; sent: ControlMessage[]; p: Pair } {
    let mark: number | undefined;
    const p = converse(3, lenient, (pair, w) => {
      if (mark !== undefined || w.from !== from || w.typeName !== name) return false;
      mark = pair.log.length;
      pair.do(other(from), { type: 'received', bytes: withoutAvp(w.bytes, type, 'removed')! });
      return true;
    });
    const acts = p.log.slice(mark).filter((l) => l.side === other(from)).map((l) => l.action);
    const sent = acts.flatMap((a) => (a.type === 'send' && (a.bytes[0]! & 0x80) !== 0 && a.bytes.length > 12 ? [parseControl(a.bytes, { requireAvps: false })] : []));
    return { acts, sent, p };
  }

  it('lenient: an SCCRP without Assigned Control Connection ID is still refused (StopCCN 2/6): nothing to address the peer by', () => {
    const { acts, sent } = without('SCCRP', 'b', 61, true);
    const message = 'SCCRP without Assigned Control Connection ID (not waived by lenient: nothing to address the peer by)';
    expect(sent[0]).toMatchObject({ typeName: 'StopCCN', resultCode: { result: 2, error: 6, message } });
    expect(acts.filter((a) => a.type === 'established')).toEqual([]);
    expect(acts.filter((a) => a.type === 'stopped')).toMatchObject([{ by: 'local', error: { code: 'MISSING_AVP', message } }]);
  });

  it('lenient: an SCCRQ without Host Name is still refused (StopCCN 2/6)', () => {
    const { acts, sent } = without('SCCRQ', 'a', 7, true);
    const message = "SCCRQ without Host Name (not waived by lenient: the peer's name is part of every tunnel's record)";
    expect(sent[0]).toMatchObject({ typeName: 'StopCCN', resultCode: { result: 2, error: 6, message } });
    expect(acts.filter((a) => a.type === 'error').map((a) => (a as { error: Error }).error.message)).toEqual([
      'SCCRQ without the Host Name AVP that RFC 3931 §6.1 requires (accepted: lenient)',
    ]);
    expect(acts.filter((a) => a.type === 'stopped')).toMatchObject([{ by: 'local', error: { code: 'MISSING_AVP', message } }]);
  });

  it('a WEN without Remote Session ID: its call, found by the peer’s Local Session ID, is cleared with CDN 2/6', () => {
    const { acts, sent } = without('WEN', 'a', 64, false);
    const message = 'WEN without the Remote Session ID AVP that RFC 3931 §6.13 requires';
    expect(sent.filter((m) => m.typeName === 'CDN').map((m) => m.resultCode)).toEqual([{ result: 2, error: 6, message }]);
    // The first call to go down (the conversation later closes the other one too).
    expect(acts.find((a) => a.type === 'session-down')).toMatchObject({ by: 'local', error: { code: 'PROTOCOL', message } });
  });

  it('an ICRP without Remote Session ID: no call of ours can be found (the peer’s ID is what the ICRP tells), so it is reported', () => {
    const { acts } = without('ICRP', 'b', 64, false);
    expect(acts.filter((a) => a.type === 'error').map((a) => [(a as { error: L2tpError }).error.code, (a as { error: Error }).error.message])).toEqual([
      ['PROTOCOL', 'ICRP without the Remote Session ID AVP that RFC 3931 §6.7 requires: no session of ours to clear, ignored'],
    ]);
  });
});
