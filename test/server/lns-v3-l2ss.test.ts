/**
 * `createLns({ l2SpecificSublayer, dataSequencing })` for L2TPv3 sessions (RFC 3931 §4.6, §5.4.4):
 * the LNS says in its ICRP which sublayer it requires on the data it receives, and whether every
 * frame must be numbered; our client then writes it. Checked end to end over loopback UDP: a
 * frame reaches the LNS whole only if the client wrote the 4-byte sublayer the LNS strips.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openTunnel } from '../../src/index.js';
import { createLns, udpTransport, type Lns, type LnsOptions, type LnsSession } from '../../src/node.js';

let lns: Lns | undefined;
afterEach(async () => {
  await lns?.close();
  lns = undefined;
});

function arp(tag: number): Uint8Array {
  const f = new Uint8Array(60);
  f.set([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0, 0, 0, 0, 0x0a, 0x08, 0x06]);
  f[59] = tag;
  return f;
}

async function session(o: Partial<LnsOptions>) {
  lns = await createLns({ hostName: 'lns.test', port: 0, versions: [3], closeTimeout: 300, sequencer: { closeLinger: 150 }, ...o });
  const l = lns;
  const farP = new Promise<LnsSession>((resolve) => l.on('session-up', (s) => resolve(s)));
  const tunnel = await openTunnel(await udpTransport({ host: '127.0.0.1', port: l.address().port }), { version: 3, hostName: 'lcce.test' });
  const s = await tunnel.openSession({ kind: 'incoming', remoteEndId: 'eth0', pseudowireType: 5 });
  return { tunnel, s, far: await farP };
}

describe('createLns: the L2-Specific Sublayer and sequencing of v3 sessions', () => {
  for (const [name, o, l2ss, seq] of [
    ['default: none', {}, 0, 0],
    ["l2SpecificSublayer 'default'", { l2SpecificSublayer: 'default' }, 1, 0],
    ["dataSequencing 'required' (implies the default sublayer)", { dataSequencing: 'required' }, 1, 2],
    ["both, spelled out", { l2SpecificSublayer: 'default', dataSequencing: 'required' }, 1, 2],
  ] as const) {
    it(`${name}: the client writes what the LNS asked for, and frames get through whole`, async () => {
      const { tunnel, s, far } = await session(o as Partial<LnsOptions>);
      // What the LNS said in its ICRP (§5.4.4: each AVP says what its sender needs on the data it receives).
      expect(s.pseudowire!.remoteL2SpecificSublayer).toBe(l2ss);
      expect(s.pseudowire!.remoteDataSequencing).toBe(seq);
      expect(s.pseudowire!.localL2SpecificSublayer).toBe(0); // the client asked for none itself
      const atLns = far.frames();
      for (let i = 1; i <= 3; i++) await s.send(arp(i));
      for (let i = 1; i <= 3; i++) expect((await atLns.next()).value).toEqual(arp(i));
      expect(far.pseudowireStats).toMatchObject({ received: 3, delivered: 3, droppedCookie: 0 });
      await tunnel.close();
    });
  }

  it('misuse is refused at createLns, naming the option', async () => {
    await expect(createLns({ hostName: 'x', port: 0, versions: [3], l2SpecificSublayer: 'atm' as never })).rejects.toThrow(/l2SpecificSublayer must be 'none' or 'default'/);
    await expect(createLns({ hostName: 'x', port: 0, versions: [3], l2SpecificSublayer: 'none', dataSequencing: 'required' })).rejects.toThrow(/needs the default L2-Specific Sublayer/);
  });
});
