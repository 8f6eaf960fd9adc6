/**
 * L2TPv3 Ethernet pseudowires end to end (RFC 3931 §4.1.2.1, §4.5, §4.6; RFC 4719): our client
 * (`openTunnel({ version: 3 })`, `session.send()` / `session.frames()`) against our LNS
 * (`createLns({ versions: [2, 3] })`, its sessions' `send()` / `frames()`) over loopback UDP,
 * frames both ways with cookies of 0, 4 and 8 bytes each way. Data and control share the port:
 * the T bit tells them apart. Then the same over our TCP framing (not in any RFC), where a v3
 * data message carries its length in its Reserved bytes (src/transports/stream-framer.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openTunnel } from '../../src/index.js';
import { createLns, tcpTransport, udpTransport, type Lns, type LnsSession } from '../../src/node.js';
import { createSocket } from 'node:dgram';

let lns: Lns | undefined;
afterEach(async () => {
  await lns?.close();
  lns = undefined;
});

/** A broadcast ARP request from 02:00:00:00:00:0a, padded to 60 bytes (no FCS, RFC 4719 §3.1). */
function arp(tag: number): Uint8Array {
  const f = new Uint8Array(60);
  f.set([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0, 0, 0, 0, 0x0a, 0x08, 0x06]);
  f[59] = tag;
  return f;
}

const CASES: Array<{ client: 0 | 4 | 8; lns: 0 | 4 | 8; sublayer: 'none' | 'default' }> = [
  { client: 0, lns: 8, sublayer: 'none' },
  { client: 4, lns: 4, sublayer: 'default' },
  { client: 8, lns: 0, sublayer: 'default' },
];

describe('v3 Ethernet pseudowire: our client ↔ our LNS over loopback UDP', () => {
  for (const c of CASES) {
    it(`frames both ways; client cookie ${c.client} bytes, LNS cookie ${c.lns} bytes, client requires sublayer: ${c.sublayer}`, async () => {
      lns = await createLns({ hostName: 'lns.test', port: 0, versions: [2, 3], cookieLength: c.lns, closeTimeout: 300, sequencer: { closeLinger: 150 } });
      const l = lns;
      const lnsSession = new Promise<LnsSession>((resolve) => l.on('session-up', (s) => resolve(s)));
      const tunnel = await openTunnel(await udpTransport({ host: '127.0.0.1', port: l.address().port }), { version: 3, hostName: 'lcce.test', cookieLength: c.client, l2SpecificSublayer: c.sublayer });
      const session = await tunnel.openSession({ kind: 'incoming', remoteEndId: 'eth0', pseudowireType: 5 });
      const far = await lnsSession;
      expect(session.pseudowire!.localCookie.length).toBe(c.client);
      expect(session.pseudowire!.remoteCookie.length).toBe(c.lns);
      // The LNS writes the 4-byte default sublayer (§4.6) on what it sends us when we ask for it.
      expect(session.pseudowire!.localL2SpecificSublayer).toBe(c.sublayer === 'default' ? 1 : 0);

      // Client → LNS: three frames, in order.
      const atLns = far.frames();
      for (let i = 1; i <= 3; i++) await session.send(arp(i));
      for (let i = 1; i <= 3; i++) expect((await atLns.next()).value).toEqual(arp(i));

      // LNS → client.
      const atClient = session.frames();
      for (let i = 4; i <= 6; i++) await far.send(arp(i));
      for (let i = 4; i <= 6; i++) expect((await atClient.next()).value).toEqual(arp(i));

      // Both sides counted what they sent and delivered; nothing dropped. JSON-safe.
      const mine = JSON.parse(JSON.stringify(session.pseudowireStats));
      expect(mine).toMatchObject({ sent: 3, received: 3, delivered: 3, droppedCookie: 0, droppedSession: 0 });
      expect(far.pseudowireStats).toMatchObject({ sent: 3, received: 3, delivered: 3, droppedCookie: 0 });
      expect(l.stats.framesIn).toBe(3);
      expect(l.stats.framesOut).toBe(3);
      // The control connection was not disturbed by the data sharing its port.
      expect(tunnel.state).toBe('established');
      await tunnel.close();
    });
  }

  it('a data message with a wrong cookie or an unknown Session ID is dropped and counted at the LNS, never delivered', async () => {
    lns = await createLns({ hostName: 'lns.test', port: 0, versions: [3], cookieLength: 8, closeTimeout: 300, sequencer: { closeLinger: 150 } });
    const l = lns;
    const lnsSession = new Promise<LnsSession>((resolve) => l.on('session-up', (s) => resolve(s)));
    const tunnel = await openTunnel(await udpTransport({ host: '127.0.0.1', port: l.address().port }), { version: 3, hostName: 'lcce.test' });
    const session = await tunnel.openSession({ kind: 'incoming', remoteEndId: 'eth0' });
    const far = await lnsSession;
    const atLns = far.frames();
    const sock = createSocket('udp4');
    const id = session.peerId;
    // RFC 3931 §4.1.2.1: T=0, Ver=3, Reserved, Session ID, then the 8-byte cookie.
    const head = [0x00, 0x03, 0x00, 0x00, id >>> 24, (id >>> 16) & 0xff, (id >>> 8) & 0xff, id & 0xff];
    const wrongCookie = new Uint8Array([...head, ...session.pseudowire!.remoteCookie.map((b) => b ^ 0x55), ...arp(7)]);
    const other = (id ^ 0x80000000) >>> 0;
    const otherId = new Uint8Array([0x00, 0x03, 0x00, 0x00, other >>> 24, (other >>> 16) & 0xff, (other >>> 8) & 0xff, other & 0xff, ...session.pseudowire!.remoteCookie, ...arp(8)]);
    const right = new Uint8Array([...head, ...session.pseudowire!.remoteCookie, ...arp(9)]);
    for (const d of [wrongCookie, otherId, right]) await new Promise<void>((r, j) => sock.send(d, l.address().port, '127.0.0.1', (e) => (e ? j(e) : r())));
    // The hand-built message with the right cookie is delivered; the two before it were not.
    expect((await atLns.next()).value).toEqual(arp(9));
    expect(far.pseudowireStats).toMatchObject({ received: 2, delivered: 1, droppedCookie: 1 });
    expect(l.stats.unknownTunnel).toBe(1);
    sock.close();
    await tunnel.close();
  });
});

describe('v3 Ethernet pseudowire over our TCP framing (not in any RFC; what the Workers transport speaks)', () => {
  // On a stream a v3 data message carries its length in its Reserved bytes 2–3 (stream-framer.ts).
  const TCP_CASES: Array<{ client: 0 | 4 | 8; lns: 0 | 4 | 8 }> = [
    { client: 0, lns: 4 },
    { client: 4, lns: 8 },
    { client: 8, lns: 0 },
  ];
  for (const c of TCP_CASES) {
    it(`frames both ways over TCP with the default L2-Specific Sublayer; client cookie ${c.client} bytes, LNS cookie ${c.lns} bytes`, async () => {
      lns = await createLns({ hostName: 'lns.test', port: 0, tcp: true, versions: [2, 3], cookieLength: c.lns, closeTimeout: 300, sequencer: { closeLinger: 150 } });
      const l = lns;
      const up = new Promise<LnsSession>((resolve) => l.on('session-up', (s) => resolve(s)));
      const tunnel = await openTunnel(await tcpTransport({ host: '127.0.0.1', port: l.address().tcp!.port }), { version: 3, hostName: 'lcce.test', cookieLength: c.client, l2SpecificSublayer: 'default' });
      const session = await tunnel.openSession({ kind: 'incoming', remoteEndId: 'eth0', pseudowireType: 5 });
      const far = await up;
      expect(far.id).toBe(session.peerId);
      expect(session.pseudowire!.localCookie.length).toBe(c.client);
      expect(session.pseudowire!.remoteCookie.length).toBe(c.lns);
      expect(session.pseudowire!.localL2SpecificSublayer).toBe(1);

      const atLns = far.frames();
      const atClient = session.frames();
      // Both directions at once, so messages of both kinds share the stream in each direction.
      await Promise.all([1, 2, 3].flatMap((i) => [session.send(arp(i)), far.send(arp(10 + i))]));
      for (let i = 1; i <= 3; i++) expect((await atLns.next()).value).toEqual(arp(i));
      for (let i = 1; i <= 3; i++) expect((await atClient.next()).value).toEqual(arp(10 + i));

      // Sequenced by the default sublayer (§4.6), none lost or dropped; the cookies matched.
      expect(session.pseudowireStats).toMatchObject({ sent: 3, received: 3, delivered: 3, droppedCookie: 0, droppedSession: 0, lost: 0 });
      expect(far.pseudowireStats).toMatchObject({ sent: 3, received: 3, delivered: 3, droppedCookie: 0, lost: 0 });
      expect([l.stats.framesIn, l.stats.framesOut, l.stats.unknownTunnel, l.stats.malformed]).toEqual([3, 3, 0, 0]);
      // The control connection shares the stream with the data and is undisturbed.
      await tunnel.hello();
      expect(tunnel.state).toBe('established');
      await tunnel.close();
    });
  }
});
