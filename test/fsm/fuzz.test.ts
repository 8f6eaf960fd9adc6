/**
 * Remote input never throws out of handle(): random bytes, and real messages with random
 * damage, fed to FSMs in every state (fast-check, ≥ 1000 runs each).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TunnelFsm, type TunnelAction } from '../../src/fsm/index.js';
import { loadHex } from '../support/vectors.js';
import { Pair, seededRandom } from './harness.js';
import { runs } from '../runs.js';

const RUNS = runs(1000);
const SECRET = 'l2tp-wire-test-secret';

/** FSMs in each interesting state, made fresh per run. */
function subjects(): TunnelFsm[] {
  const idle = new TunnelFsm({ hostName: 'x', random: seededRandom(1), secret: SECRET });
  const waiting = new TunnelFsm({ hostName: 'x', random: seededRandom(2), tieBreaker: true });
  waiting.handle({ type: 'open' }, 0);
  const pair = new Pair({ secret: SECRET, hideAvps: true }, { secret: SECRET });
  pair.do('a', { type: 'open' });
  pair.run(2_000);
  pair.do('a', { type: 'openSession', call: { kind: 'incoming' } });
  pair.run(4_000);
  return [idle, waiting, pair.a, pair.b];
}

function noInternalErrors(acts: TunnelAction[]): void {
  for (const a of acts) {
    if (a.type === 'error') expect(a.error.message).not.toMatch(/internal error/);
  }
}

/** Real messages from the captures, with the header Tunnel ID aimed at the subject. */
const REAL = ['plain', 'auth', 'hidden', 'data', 'hello'].flatMap((n) => loadHex(n).map((f) => f.bytes));

describe('handle() never throws on received bytes', () => {
  it('random garbage', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ minLength: 0, maxLength: 80 }), { minLength: 1, maxLength: 6 }), (msgs) => {
        for (const f of subjects()) {
          let t = 5_000;
          for (const m of msgs) noInternalErrors(f.handle({ type: 'received', bytes: m }, (t += 10)));
          f.handle({ type: 'tick' }, t + 100_000);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('garbage behind a valid-looking control header addressed to the tunnel', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 120 }), fc.nat(0xffff), fc.nat(0xffff), fc.boolean(), (body, ns, nr, toZero) => {
        for (const f of subjects()) {
          const b = new Uint8Array(12 + body.length);
          b.set([0xc8, 0x02, b.length >> 8, b.length & 255]);
          const tid = toZero ? 0 : f.localTunnelId;
          b.set([tid >> 8, tid & 255, 0, 0, ns >> 8, ns & 255, nr >> 8, nr & 255], 4);
          b.set(body, 12);
          noInternalErrors(f.handle({ type: 'received', bytes: b }, 5_000));
          noInternalErrors(f.handle({ type: 'tick' }, 60_000));
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('real xl2tpd messages with random bytes changed, retargeted at the tunnel', () => {
    fc.assert(
      fc.property(
        fc.nat(REAL.length - 1),
        fc.array(fc.tuple(fc.nat(200), fc.uint8Array({ minLength: 1, maxLength: 1 })), { maxLength: 4 }),
        fc.boolean(),
        (i, edits, truncate) => {
          for (const f of subjects()) {
            const b = REAL[i]!.slice();
            if (b.length >= 6 && (b[4]! | b[5]!) !== 0) {
              b[4] = f.localTunnelId >> 8;
              b[5] = f.localTunnelId & 255;
            }
            for (const [at, [v]] of edits) if (at < b.length) b[at] = v!;
            const bytes = truncate ? b.subarray(0, Math.max(0, b.length - 3)) : b;
            noInternalErrors(f.handle({ type: 'received', bytes }, 5_000));
          }
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('a flood of ICRQs from a hostile peer stays within maxSessions', () => {
    const pair = new Pair({}, { maxSessions: 16 });
    pair.do('a', { type: 'open' });
    pair.run(2_000);
    for (let i = 0; i < 500; i++) pair.do('a', { type: 'openSession', call: { kind: 'incoming' } });
    pair.run(pair.now + 60_000);
    expect(pair.b.sessionCount).toBe(16);
  });
});
