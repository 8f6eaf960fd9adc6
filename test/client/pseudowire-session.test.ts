/**
 * `session.send(frame)` / `session.frames()` on an L2TPv3 session of our client over the memory
 * transport, against a v3 responder (a bare `TunnelFsm`, test/client/responder.ts) whose data
 * plane is a `Pseudowire` built here straight from its `session-up` fields, not through the
 * client's code. The client's datagrams are checked against RFC 3931 §4.1.2.1's layout written
 * out by hand; a wrong cookie and a foreign Session ID are dropped and counted, never thrown.
 */
import { describe, expect, it, vi } from 'vitest';
import { openTunnel } from '../../src/client/open.js';
import { isV3DataMessage, v3DataSessionId } from '../../src/client/pseudowire-session.js';
import { Pseudowire } from '../../src/fsm/pseudowire.js';
import { memoryTransportPair } from '../../src/transports/memory.js';
import { Responder } from './responder.js';

/** A broadcast ARP request from 02:00:00:00:00:0a, padded to 60 bytes (no FCS, RFC 4719 §3.1). */
function arp(tag: number): Uint8Array {
  const f = new Uint8Array(60);
  f.set([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0, 0, 0, 0, 0x0a, 0x08, 0x06]);
  f[59] = tag;
  return f;
}

const be32 = (n: number) => [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];

async function setup(clientCookie: 0 | 4 | 8, responderCookie: 0 | 4 | 8) {
  const link = memoryTransportPair();
  const far = new Responder(link.b, { version: 3, cookieLength: responderCookie, echo: false });
  const tunnel = await openTunnel(link.a, { version: 3, hostName: 'lcce.test', cookieLength: clientCookie });
  const session = await tunnel.openSession({ kind: 'incoming', remoteEndId: 'eth0', pseudowireType: 5 });
  const up = await far.next('session-up', true);
  const info = up.pseudowire!;
  // The responder's data plane, from its own control plane's fields.
  const pw = new Pseudowire({ localSessionId: info.localSessionId, remoteSessionId: info.remoteSessionId, localCookie: info.localCookie, remoteCookie: info.remoteCookie });
  const received: Uint8Array[] = [];
  link.b.onMessage((m) => {
    if ((m[0]! & 0x80) === 0) {
      const r = pw.receive(m);
      if (r.ok) received.push(r.frame.slice());
    } else far.do({ type: 'received', bytes: m });
  });
  return { link, far, tunnel, session, pw, received };
}

describe('v3 session data over the memory transport', () => {
  for (const [mine, theirs] of [[0, 4], [4, 8], [8, 0]] as const) {
    it(`frames both ways, the datagram laid out as §4.1.2.1 says (client cookie ${mine}, responder cookie ${theirs})`, async () => {
      const { link, tunnel, session, pw, received } = await setup(mine, theirs);
      await session.send(arp(1));
      const sent = link.log.filter((r) => r.from === 'a' && (r.message[0]! & 0x80) === 0).map((r) => r.message);
      expect(sent).toHaveLength(1);
      // T=0, Ver=3, Reserved 0; the peer's Session ID; the peer's cookie; then the frame.
      const cookie = session.pseudowire!.remoteCookie;
      expect(cookie.length).toBe(theirs);
      expect([...sent[0]!]).toEqual([0x00, 0x03, 0x00, 0x00, ...be32(session.peerId), ...cookie, ...arp(1)]);
      expect(received).toEqual([arp(1)]);

      const frames = session.frames();
      await link.b.send(pw.send(arp(2)));
      await link.b.send(pw.send(arp(3)));
      expect((await frames.next()).value).toEqual(arp(2));
      expect((await frames.next()).value).toEqual(arp(3));
      expect(session.pseudowireStats).toMatchObject({ sent: 1, received: 2, delivered: 2 });
      expect(tunnel.state).toBe('established');
      await tunnel.close();
    });
  }

  it('wrong cookie, foreign Session ID, runt: dropped and counted in pseudowireStats (JSON-safe), nothing thrown or delivered', async () => {
    const { link, tunnel, session } = await setup(8, 4);
    const got: Uint8Array[] = [];
    session.onFrame((f) => got.push(f.slice()));
    const mine = session.pseudowire!.localCookie;
    const head = [0x00, 0x03, 0x00, 0x00, ...be32(session.localId)];
    await link.b.send(new Uint8Array([...head, ...mine.map((b) => b ^ 1), ...arp(1)]));
    await link.b.send(new Uint8Array([0x00, 0x03, 0x00, 0x00, ...be32((session.localId ^ 0x40000000) >>> 0), ...mine, ...arp(2)]));
    await link.b.send(new Uint8Array([...head, ...mine, 1, 2, 3]));
    await link.b.send(new Uint8Array([...head, ...mine, ...arp(4)]));
    await vi.waitFor(() => expect(got).toHaveLength(1));
    expect(got[0]).toEqual(arp(4));
    // The foreign Session ID names no session of the tunnel: not this session's business.
    expect(JSON.parse(JSON.stringify(session.pseudowireStats))).toMatchObject({ received: 3, delivered: 1, droppedCookie: 1, droppedRunt: 1 });
    expect(tunnel.state).toBe('established');
    await tunnel.close();
  });

  it('telling data from control (§4.1.2.1, §3.2.1): the T bit and the version nibble', () => {
    expect(isV3DataMessage(new Uint8Array([0x00, 0x03, 0, 0, 0, 0, 0, 7]))).toBe(true);
    expect(v3DataSessionId(new Uint8Array([0x00, 0x03, 0, 0, 0xde, 0xad, 0xbe, 0xef]))).toBe(0xdeadbeef);
    expect(isV3DataMessage(new Uint8Array([0xc8, 0x03, 0, 12, 0, 0, 0, 7, 0, 0, 0, 0]))).toBe(false); // control
    expect(isV3DataMessage(new Uint8Array([0x00, 0x02, 0, 1, 0, 2, 0, 0]))).toBe(false); // v2 data
    expect(isV3DataMessage(new Uint8Array([0x00, 0x03, 0, 0, 0, 0, 0]))).toBe(false); // too short
  });
});
