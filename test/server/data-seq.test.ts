/**
 * Data channel sequencing (RFC 2661 §5.4) between our LAC (openTunnel) and our LNS (createLns)
 * over loopback UDP, both ways: the LNS turns it on and the LAC follows; the LAC requires it in
 * its ICCN and the LNS complies. The S bit of what the LAC receives is read from the raw
 * datagrams (RFC 2661 §3.1: 0x08 in the first octet, T=0 for data).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openTunnel } from '../../src/client/open.js';
import type { Transport } from '../../src/client/transport.js';
import { createLns, udpTransport, type Lns } from '../../src/node.js';

let lns: Lns | undefined;
afterEach(async () => {
  await lns?.close();
  lns = undefined;
});

/** A UDP transport to the LNS that records whether each received data message had S=1. */
async function recording(l: Lns): Promise<{ transport: Transport; dataS: boolean[] }> {
  const a = l.address();
  const transport = await udpTransport({ host: a.address, port: a.port });
  const dataS: boolean[] = [];
  const on = transport.onMessage.bind(transport);
  transport.onMessage = (handler) =>
    on((m) => {
      if ((m[0]! & 0x80) === 0) dataS.push((m[0]! & 0x08) !== 0);
      handler(m);
    });
  return { transport, dataS };
}

async function echoThree(session: Awaited<ReturnType<Awaited<ReturnType<typeof openTunnel>>['openSession']>>): Promise<void> {
  const frames = session.frames();
  for (let i = 0; i < 3; i++) {
    await session.send(Uint8Array.of(0xc0, 0x21, i));
    expect([...(await frames.next()).value]).toEqual([0xc0, 0x21, i]);
  }
}

describe('data sequencing, our LAC ↔ our LNS (RFC 2661 §5.4)', () => {
  it("createLns({ dataSequencing: 'on' }): its data carry Ns, and the LAC begins sending Ns after the first", async () => {
    lns = await createLns({ hostName: 'lns.test', port: 0, echo: true, dataSequencing: 'on' });
    const { transport, dataS } = await recording(lns);
    const tunnel = await openTunnel(transport, { timeout: 5000 });
    const session = await tunnel.openSession({ kind: 'incoming' }, { timeout: 5000 });
    await echoThree(session);
    expect(dataS).toEqual([true, true, true]);
    // Frame 1 went before any LNS data (LAC default: follow the LNS); frames 2 and 3 carried Ns.
    expect(session.dataStats).toMatchObject({ sending: true, required: false, sent: 3, sentSequenced: 2, received: 3, receivedSequenced: 3, dropped: 0 });
    await tunnel.close();
  });

  it('by default neither side sends Ns', async () => {
    lns = await createLns({ hostName: 'lns.test', port: 0, echo: true });
    const { transport, dataS } = await recording(lns);
    const tunnel = await openTunnel(transport, { timeout: 5000 });
    const session = await tunnel.openSession({ kind: 'incoming' }, { timeout: 5000 });
    await echoThree(session);
    expect(dataS).toEqual([false, false, false]);
    expect(session.dataStats).toMatchObject({ sending: false, sentSequenced: 0 });
    await tunnel.close();
  });

  it("openTunnel({ dataSequencing: 'required' }): Sequencing Required in the ICCN, and the LNS sequences every data message", async () => {
    lns = await createLns({ hostName: 'lns.test', port: 0, echo: true });
    const { transport, dataS } = await recording(lns);
    const tunnel = await openTunnel(transport, { timeout: 5000, dataSequencing: 'required' });
    const session = await tunnel.openSession({ kind: 'incoming' }, { timeout: 5000 });
    await echoThree(session);
    expect(dataS).toEqual([true, true, true]);
    expect(session.dataStats).toMatchObject({ sending: true, required: true, sent: 3, sentSequenced: 3, received: 3 });
    await tunnel.close();
  });

  it('createLns refuses a dataSequencing it does not know', async () => {
    await expect(createLns({ hostName: 'lns.test', port: 0, dataSequencing: 'yes' as never })).rejects.toThrow(TypeError);
  });
});
