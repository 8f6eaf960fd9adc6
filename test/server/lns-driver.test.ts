/**
 * The embedded LNS against the async driver (`openTunnel`) over loopback UDP and TCP: tunnel,
 * session, echoed frames, HELLO, hang-up, teardown from either side.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openTunnel } from '../../src/client/open.js';
import type { Transport } from '../../src/client/transport.js';
import { createLns, tcpTransport, udpTransport, type Lns } from '../../src/node.js';
import { baseline, leakedSince } from '../transports/handles.js';

const SECRET = 'l2tp-wire-test-secret';
let lns: Lns | undefined;
afterEach(async () => {
  await lns?.close();
  lns = undefined;
});

function connect(l: Lns, kind: 'udp' | 'tcp'): Promise<Transport> {
  const a = l.address();
  return kind === 'udp' ? udpTransport({ host: a.address, port: a.port }) : tcpTransport({ host: a.address, port: a.tcp!.port });
}

describe('createLns with the driver as LAC', () => {
  for (const kind of ['udp', 'tcp'] as const) {
    for (const auth of [undefined, { secret: SECRET }, { secret: SECRET, hideAvps: true }]) {
      it(`${kind}, ${auth === undefined ? 'no secret' : auth.hideAvps ? 'secret + hidden AVPs' : 'secret'}: up, echo, hello, down, nothing left open`, async () => {
        const before = await baseline();
        lns = await createLns({ hostName: 'lns.test', port: 0, tcp: kind === 'tcp', echo: true, sequencer: { closeLinger: 150 }, ...auth });
        const tunnel = await openTunnel(await connect(lns, kind), { hostName: 'lac.test', timeout: 5000, ...auth });
        expect(tunnel.peer.hostName).toBe('lns.test');
        expect(tunnel.peer.authenticated).toBe(auth !== undefined);
        const session = await tunnel.openSession({ kind: 'incoming' }, { timeout: 5000 });
        const frames = session.frames();
        for (let i = 0; i < 3; i++) await session.send(Uint8Array.of(0xc0, 0x21, i));
        for (let i = 0; i < 3; i++) expect([...(await frames.next()).value]).toEqual([0xc0, 0x21, i]);
        await tunnel.hello();
        await session.close();
        await expect.poll(() => lns!.stats.sessions).toBe(0);
        await tunnel.close();
        await expect.poll(() => lns!.stats.established).toBe(0);
        // Down for the user at once; the state lingers for closeLinger to re-ack a StopCCN (§5.7).
        await expect.poll(() => lns!.stats.tunnels).toBe(0);
        expect(lns.stats).toMatchObject({ tunnelsOpened: 1, sessionsOpened: 1, framesIn: 3, framesOut: 3, protocolErrors: 0 });
        await lns.close();
        lns = undefined;
        expect(await leakedSince(before)).toEqual({});
      });
    }
  }

  it('lns.close() stops the driver’s tunnel with StopCCN result 6', async () => {
    lns = await createLns({ hostName: 'lns.test', port: 0 });
    const tunnel = await openTunnel(await connect(lns, 'udp'), { timeout: 5000 });
    const stopped = new Promise((r) => tunnel.on('stopped', r));
    await lns.close();
    lns = undefined;
    expect(await stopped).toMatchObject({ by: 'peer', result: { result: 6 } });
    // The client lingers to re-ack a retransmitted StopCCN (§5.7); closing its socket ends that.
    expect(tunnel.state).toBe('lingering');
    await tunnel.transport.close();
    await tunnel.closed;
  });

  it('the LNS hangs up a call: the driver’s session goes down by the peer', async () => {
    lns = await createLns({ hostName: 'lns.test', port: 0 });
    const up = new Promise<import('../../src/node.js').LnsSession>((r) => lns!.on('session-up', r));
    const tunnel = await openTunnel(await connect(lns, 'udp'), { timeout: 5000 });
    const session = await tunnel.openSession({ kind: 'incoming' }, { timeout: 5000 });
    (await up).close({ result: 3 });
    const down = await session.closed;
    expect(down).toMatchObject({ by: 'peer' });
    await tunnel.close();
  });
});
