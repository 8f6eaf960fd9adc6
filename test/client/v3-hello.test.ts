/**
 * The Hello timer of an L2TPv3 control connection counts from the last message of either kind
 * from the peer: "sending a Hello if a period of time ... has passed without receiving any
 * message (data or control) from the peer" (RFC 3931 §4.4; RFC 2661 §6.5 for v2, issue 13).
 * v3 data names a session, not the control connection, so the client hands it to the session
 * and tells the FSM. Virtual clock (fake timers); the peer is a bare TunnelFsm with its own
 * Pseudowire (test/client/responder.ts), so only our client's code is under test.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openTunnel } from '../../src/client/open.js';
import { Pseudowire } from '../../src/fsm/pseudowire.js';
import { parseControl } from '../../src/wire/control.js';
import { memoryTransportPair } from '../../src/transports/memory.js';
import { Responder } from './responder.js';

const HELLO = 10_000;

function frame(tag: number): Uint8Array {
  const f = new Uint8Array(60);
  f.set([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0, 0, 0, 0, 0x0a, 0x08, 0x06]);
  f[59] = tag;
  return f;
}

afterEach(() => {
  vi.useRealTimers();
});

async function setup() {
  vi.useFakeTimers();
  const clock = () => Date.now();
  const link = memoryTransportPair();
  const far = new Responder(link.b, { version: 3, cookieLength: 4, echo: false, clock, helloInterval: 0 });
  const tunnel = await openTunnel(link.a, { version: 3, hostName: 'lcce.test', cookieLength: 8, helloInterval: HELLO, clock });
  const session = await tunnel.openSession({ kind: 'incoming', remoteEndId: 'eth0', pseudowireType: 5 });
  const info = (await far.next('session-up', true)).pseudowire!;
  const pw = new Pseudowire({ localSessionId: info.localSessionId, remoteSessionId: info.remoteSessionId, localCookie: info.localCookie, remoteCookie: info.remoteCookie });
  const hellos = () => link.log.filter((r) => r.from === 'a' && (r.message[0]! & 0x80) !== 0 && parseControl(r.message, { requireAvps: false }).typeName === 'HELLO').length;
  return { link, far, tunnel, session, pw, hellos };
}

describe('v3: data from the peer restarts the Hello timer (RFC 3931 §4.4)', () => {
  it('a frame every 6 s keeps the 10 s Hello away for a minute; silence then brings it 10 s after the last frame', async () => {
    const { link, tunnel, pw, hellos, session } = await setup();
    const got: Uint8Array[] = [];
    session.onFrame((f) => got.push(f.slice()));
    for (let i = 0; i < 10; i++) {
      await vi.advanceTimersByTimeAsync(6_000);
      await link.b.send(pw.send(frame(i)));
      await vi.advanceTimersByTimeAsync(0);
    }
    expect(got).toHaveLength(10);
    expect(hellos()).toBe(0);
    await vi.advanceTimersByTimeAsync(HELLO - 1);
    expect(hellos()).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(hellos()).toBe(1);
    await tunnel.close();
  });

  it('data with a wrong cookie is no sign of the peer: the Hello comes on time', async () => {
    const { link, tunnel, pw, hellos } = await setup();
    for (let i = 0; i < 3; i++) {
      await vi.advanceTimersByTimeAsync(3_000);
      const forged = pw.send(frame(i));
      forged[8]! ^= 0xff; // first cookie byte
      await link.b.send(forged);
    }
    await vi.advanceTimersByTimeAsync(HELLO - 9_000);
    expect(hellos()).toBe(1);
    await tunnel.close();
  });
});
