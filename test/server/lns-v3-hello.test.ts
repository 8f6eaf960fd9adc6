/**
 * The LNS's Hello timer on an L2TPv3 control connection counts from the last message of either
 * kind from the peer (RFC 3931 §4.4: a Hello after a period "without receiving any message
 * (data or control) from the peer"). v3 data is routed by Session ID, outside the FSM, so the
 * LNS tells the tunnel's FSM it heard the peer. Virtual clock (fake setTimeout, Date and
 * performance) over real loopback UDP: no wall-clock bound.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openTunnel } from '../../src/index.js';
import { createLns, udpTransport, type Lns, type LnsSession } from '../../src/node.js';
import { parseControl } from '../../src/wire/control.js';

const HELLO = 10_000;
let lns: Lns | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await lns?.close();
  lns = undefined;
});

function arp(tag: number): Uint8Array {
  const f = new Uint8Array(60);
  f.set([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0, 0, 0, 0, 0x0a, 0x08, 0x06]);
  f[59] = tag;
  return f;
}

describe('LNS, v3: pseudowire data restarts the Hello timer (RFC 3931 §4.4)', () => {
  it('a frame every 6 s keeps the 10 s Hello away; after the last one it comes 10 s later', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'] });
    lns = await createLns({ hostName: 'lns.test', port: 0, versions: [3], cookieLength: 4, helloInterval: HELLO });
    const l = lns;
    const farP = new Promise<LnsSession>((resolve) => l.on('session-up', (s) => resolve(s)));
    const tunnel = await openTunnel(await udpTransport({ host: '127.0.0.1', port: l.address().port }), { version: 3, hostName: 'lcce.test', cookieLength: 4, helloInterval: 0, clock: () => performance.now() });
    const session = await tunnel.openSession({ kind: 'incoming', remoteEndId: 'eth0', pseudowireType: 5 });
    const far = await farP;
    let hellos = 0;
    tunnel.tap = (m) => {
      if ((m[0]! & 0x80) !== 0 && parseControl(m, { requireAvps: false }).typeName === 'HELLO') hellos++;
    };
    const atLns = far.frames();
    for (let i = 0; i < 6; i++) {
      await vi.advanceTimersByTimeAsync(6_000);
      await session.send(arp(i));
      expect((await atLns.next()).value).toEqual(arp(i)); // the LNS took it (real I/O)
    }
    expect(hellos).toBe(0);
    await vi.advanceTimersByTimeAsync(HELLO - 1);
    expect(hellos).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    await vi.waitUntil(() => hellos === 1, { interval: 1 }).catch(() => undefined);
    expect(hellos).toBe(1);
    tunnel.tap = undefined;
    await tunnel.close();
  });
});
