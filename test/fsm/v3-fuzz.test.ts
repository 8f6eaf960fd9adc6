/**
 * Remote input never throws out of a v3 TunnelFsm's handle(): garbage behind a v3 control header
 * addressed to the control connection, and whole v3 conversations (with and without a Message
 * Digest, sessions included) with random damage, fed to FSMs in every state (fast-check). Also:
 * nothing damaged gets past authentication — a damaged message is either refused or dropped.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TunnelFsm, type TunnelAction, type TunnelOptions } from '../../src/fsm/index.js';
import { Pair, seededRandom } from './harness.js';

const RUNS = 300;
const SECRET = 'v3 fuzz secret';

function pair(o: Partial<TunnelOptions>): Pair {
  const p = new Pair({ version: 3, ...o }, { version: 3, ...o });
  p.do('a', { type: 'open' });
  p.run(2_000);
  p.do('a', { type: 'openSession', call: { kind: 'incoming', remoteEndId: 'eth0', cookieLength: 4 } });
  p.do('b', { type: 'openSession', call: { kind: 'outgoing', remoteEndId: 'eth1' } });
  p.run(4_000);
  p.do('a', { type: 'close' });
  p.run(100_000);
  return p;
}

/** Every datagram of two whole v3 lives, one authenticated. */
const CORPUS = [...pair({}).wire, ...pair({ secret: SECRET, hideAvps: true }).wire].map((w) => w.bytes);

/** v3 FSMs in each interesting state, made fresh per run. */
function subjects(): TunnelFsm[] {
  const idle = new TunnelFsm({ version: 3, hostName: 'x', random: seededRandom(1), secret: SECRET });
  const waiting = new TunnelFsm({ version: 3, hostName: 'x', random: seededRandom(2), tieBreaker: true });
  waiting.handle({ type: 'open' }, 0);
  const plain = new Pair({ version: 3 }, { version: 3 });
  plain.do('a', { type: 'open' });
  plain.run(2_000);
  const auth = new Pair({ version: 3, secret: SECRET, hideAvps: true }, { version: 3, secret: SECRET });
  auth.do('a', { type: 'open' });
  auth.run(2_000);
  auth.do('a', { type: 'openSession', call: { kind: 'incoming', remoteEndId: 'x' } });
  auth.run(4_000);
  return [idle, waiting, plain.a, plain.b, auth.a, auth.b];
}

function noInternalErrors(acts: TunnelAction[]): void {
  for (const a of acts) if (a.type === 'error') expect(a.error.message).not.toMatch(/internal error/);
}

function aim(b: Uint8Array, id: number): void {
  b[4] = id >>> 24;
  b[5] = (id >>> 16) & 255;
  b[6] = (id >>> 8) & 255;
  b[7] = id & 255;
}

describe('v3: handle() never throws on received bytes', () => {
  it('garbage behind a v3 control header addressed to the control connection (or to 0)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 120 }), fc.nat(0xffff), fc.nat(0xffff), fc.boolean(), (body, ns, nr, toZero) => {
        for (const f of subjects()) {
          const b = new Uint8Array(12 + body.length);
          b.set([0xc8, 0x03, b.length >> 8, b.length & 255, 0, 0, 0, 0, ns >> 8, ns & 255, nr >> 8, nr & 255]);
          if (!toZero) aim(b, f.localControlConnectionId);
          b.set(body, 12);
          noInternalErrors(f.handle({ type: 'received', bytes: b }, 5_000));
          noInternalErrors(f.handle({ type: 'tick' }, 60_000));
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('real v3 messages with random bytes changed, retargeted; authenticated FSMs never accept a damaged one', () => {
    fc.assert(
      fc.property(
        fc.nat(CORPUS.length - 1),
        fc.array(fc.tuple(fc.nat(160), fc.uint8Array({ minLength: 1, maxLength: 1 })), { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        (i, edits, truncate) => {
          for (const f of subjects()) {
            const b = CORPUS[i]!.slice();
            if (b.length >= 8 && (b[4]! | b[5]! | b[6]! | b[7]!) !== 0) aim(b, f.localControlConnectionId);
            // XOR with a non-zero byte: every edit really changes the message.
            for (const [at, [v]] of edits) if (at < b.length) b[at] ^= v! || 1;
            const bytes = truncate ? b.subarray(0, Math.max(0, b.length - 3)) : b;
            const before = f.state;
            const acts = f.handle({ type: 'received', bytes }, 5_000);
            noInternalErrors(acts);
            // Under authentication, a message that is not byte-for-byte one of a real conversation
            // cannot set anything up: no tunnel or session comes up from it.
            if (f.peerInfo?.authenticated && before === 'established') expect(acts.filter((a) => a.type === 'session-up' || a.type === 'established')).toEqual([]);
          }
        },
      ),
      { numRuns: RUNS },
    );
  });
});
