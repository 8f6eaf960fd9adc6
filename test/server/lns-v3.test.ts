/**
 * `createLns({ versions: [2, 3] })` against our own initiator, `openTunnel(transport, { version: 3 })`,
 * over real loopback UDP: one port serves both versions, told apart by the header's version
 * nibble (RFC 3931 §3.2.1, §4.1.2.1; RFC 2661 §3.1). The v3 control connection (with and without
 * control message authentication) and a v3 session (a pseudowire) come up end to end.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openTunnel } from '../../src/index.js';
import { createLns, udpTransport, type Lns, type LnsOptions } from '../../src/node.js';

const SECRET = 'v3 lns secret';
let lns: Lns | undefined;
afterEach(async () => {
  await lns?.close();
  lns = undefined;
});

async function start(o: Partial<LnsOptions> = {}): Promise<Lns> {
  lns = await createLns({ hostName: 'lns.test', port: 0, closeTimeout: 300, sequencer: { closeLinger: 150 }, ...o });
  return lns;
}

const dial = (l: Lns) => udpTransport({ host: l.address().address, port: l.address().port });

describe('createLns({ versions: [2, 3] }) and openTunnel({ version: 3 })', () => {
  for (const secret of [undefined, SECRET]) {
    it(`v3 and v2 tunnels on one UDP port, a v3 pseudowire up end to end (authentication ${secret ? 'on' : 'off'})`, async () => {
      const l = await start({ versions: [2, 3], secret, cookieLength: 8 });
      const lnsSession = new Promise<number>((resolve) => l.on('session-up', (s) => resolve(s.id)));
      const v3 = await openTunnel(await dial(l), { version: 3, hostName: 'lcce.test', secret, cookieLength: 4 });
      const v2 = await openTunnel(await dial(l), { hostName: 'lac.test', secret });
      expect(v3.peer.version).toBe(3);
      expect(v3.peer.hostName).toBe('lns.test');
      expect(v3.peer.authenticated).toBe(secret !== undefined);
      expect(v3.peer.pseudowireCapabilities).toEqual([5, 4, 7]);
      expect(v2.peer.version).toBe(2);
      const ids = l.tunnels().map((t) => t.id);
      expect(ids).toHaveLength(2);
      // v3 Control Connection IDs are drawn above 0xffff: no v2 header can name a v3 tunnel.
      expect(ids.filter((id) => id > 0xffff)).toEqual([v3.peerTunnelId]);
      const s = await v3.openSession({ kind: 'incoming', remoteEndId: 'eth0', pseudowireType: 5 });
      // 32-bit Session IDs both ways (RFC 3931 §5.4.4), and the LNS's is the peer ID we learnt.
      expect(s.localId).toBeGreaterThan(0);
      expect(await lnsSession).toBe(s.peerId);
      // What the data plane needs, as plain fields: the LNS assigned an 8-byte cookie, we a 4-byte one.
      expect(s.pseudowire).toMatchObject({ localSessionId: s.localId, remoteSessionId: s.peerId, pseudowireType: 5 });
      expect(s.pseudowire!.localCookie.length).toBe(4);
      expect(s.pseudowire!.remoteCookie.length).toBe(8);
      await v3.close();
      await v2.close();
    });
  }

  it('by default (versions [2]) a v3 SCCRQ is dropped and counted, and the v3 initiator times out', async () => {
    const l = await start();
    await expect(openTunnel(await dial(l), { version: 3, timeout: 300 })).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(l.stats.malformed).toBeGreaterThan(0);
    expect(l.stats.tunnels).toBe(0);
  });

  it('versions is checked: a TypeError names the option', async () => {
    await expect(createLns({ hostName: 'x', port: 0, versions: [4 as 2] })).rejects.toThrow(/versions/);
  });
});
