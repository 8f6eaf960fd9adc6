/**
 * Whatever a peer sends, handle() never throws: malformed frames are counted and dropped, odd
 * but well-formed ones go through the automaton. Random frames are aimed at the protocols we run
 * (LCP, PAP, CHAP, IPCP, IPV6CP, IP) in every phase of a real login.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PppClient, PppServer, type PppLink } from '../../src/ppp/link.js';
import { Pair, seededRandom } from './harness.js';

const PROTOCOLS = [0xc021, 0xc023, 0xc223, 0x8021, 0x8057, 0x0021, 0x0057, 0x8281];

/** A frame for one of our protocols: mostly a control packet with a plausible header, sometimes raw bytes. */
const frame = fc.tuple(fc.constantFrom(...PROTOCOLS), fc.integer({ min: 0, max: 14 }), fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 40 }), fc.boolean(), fc.boolean()).map(
  ([proto, code, id, body, goodLength, ac]) => {
    const len = goodLength ? 4 + body.length : (body.length * 7) & 0xffff;
    const packet = Uint8Array.of(code, id, len >> 8, len & 0xff, ...body);
    const head = ac ? [0xff, 0x03] : [];
    return Uint8Array.of(...head, proto >> 8, proto & 0xff, ...packet);
  },
);

function links(): { client: PppLink; server: PppLink }[] {
  // One fresh pair per phase: stop the login after n steps, then fuzz both ends there.
  return [0, 2, 4, 6, 8, 12, 40].map((steps) => {
    const c = new PppClient({ random: seededRandom(5), username: 'alice', password: 'pw', echoInterval: 1000 });
    const s = new PppServer({ random: seededRandom(6), authProtocols: ['mschapv2', 'pap'], authenticate: (_m, _u, p) => p.verify('pw'), peerAddress: '10.0.0.2', dns: ['10.0.0.53'] });
    const p = new Pair(c, s).open();
    let n = 0;
    p.run(() => n++ >= steps);
    return { client: c, server: s };
  });
}

describe('PPP links never throw on what a peer sends (property)', () => {
  it('the starting points cover every phase of a login (the property is not run on idle links only)', () => {
    const phases = new Set(links().flatMap(({ client, server }) => [client.phase, server.phase]));
    expect([...phases].sort()).toEqual(['authenticate', 'establish', 'network']);
  });
  it('random frames in every phase, both roles', () => {
    let handled = 0;
    fc.assert(
      fc.property(fc.array(frame, { minLength: 1, maxLength: 30 }), (frames) => {
        for (const { client, server } of links()) {
          let now = 0;
          for (const f of frames) {
            for (const l of [client, server]) {
              l.handle({ type: 'received', frame: f }, now);
              l.handle({ type: 'tick' }, (now += 400));
              handled++;
            }
          }
        }
      }),
      { numRuns: 60 },
    );
    expect(handled).toBeGreaterThan(1000);
  });
});
