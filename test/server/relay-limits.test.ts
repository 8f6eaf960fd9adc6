/**
 * The relay against strangers: the same TCP limits as the LNS (handshake timeout, per-source and
 * total caps with eviction, buffered-bytes bound), each counted and reported; `followReplyPort`
 * moves to another LNS port only for an SCCRP addressed to the forwarded SCCRQ's Assigned Tunnel
 * ID; every numeric option range-checked. Known answers: xl2tpd's SCCRQ/SCCRP (plain.hex #1, #2;
 * Assigned Tunnel ID 0xb574, which the SCCRP's header carries, RFC 2661 §3.1).
 */
import dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import type { Transport } from '../../src/client/transport.js';
import { createRelay, type Relay, type RelayOptions } from '../../src/server/relay.js';
import type { ConnectionClosed } from '../../src/server/lns-types.js';
import { tcpTransport } from '../../src/transports/node-tcp.js';
import { loadHex, toHex } from '../support/vectors.js';
import { heldConnection } from './hostile.js';

const [SCCRQ, SCCRP] = loadHex('plain').map((v) => v.bytes) as [Uint8Array, Uint8Array];
/** A HELLO (RFC 2661 §6.5) to the LAC's tunnel 0xb574: a control message that is not an SCCRP. */
const HELLO = Uint8Array.of(0xc8, 0x02, 0x00, 0x14, 0xb5, 0x74, 0, 0, 0, 1, 0, 1, 0x80, 0x08, 0, 0, 0, 0, 0, 6);
/** xl2tpd's SCCRP addressed to another tunnel (header Tunnel ID 0x1234). */
const SCCRP_ELSEWHERE = (() => {
  const b = SCCRP.slice();
  b[4] = 0x12;
  b[5] = 0x34;
  return b;
})();

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function udp(): Promise<dgram.Socket> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  cleanups.push(() => new Promise<void>((r) => s.close(() => r())));
  return s;
}

async function relayTo(port: number, extra: Partial<RelayOptions> = {}): Promise<{ relay: Relay; closed: ConnectionClosed[] }> {
  const relay = await createRelay({ listen: { host: '127.0.0.1', port: 0 }, target: { host: '127.0.0.1', port }, ...extra });
  cleanups.push(() => relay.close());
  const closed: ConnectionClosed[] = [];
  relay.onConnectionClosed((c) => closed.push(JSON.parse(JSON.stringify(c)) as ConnectionClosed));
  return { relay, closed };
}

async function client(relay: Relay): Promise<{ t: Transport; got: Uint8Array[] }> {
  const t = await tcpTransport({ host: '127.0.0.1', port: relay.address().port, timeout: 5000 });
  cleanups.push(() => t.close());
  const got: Uint8Array[] = [];
  t.onMessage((m) => got.push(m.slice()));
  return { t, got };
}

describe('createRelay with followReplyPort', () => {
  it('only an SCCRP to the forwarded SCCRQ’s Assigned Tunnel ID fixes another LNS port; strays before it are dropped', async () => {
    const lns = await udp();
    const other = await udp(); // another port of the LNS's address
    const { relay } = await relayTo(lns.address().port, { target: { host: '127.0.0.1', port: lns.address().port, followReplyPort: true } });
    const { t, got } = await client(relay);
    const from = new Promise<number>((r) => lns.once('message', (_m, ri) => r(ri.port)));
    await t.send(SCCRQ);
    const pairPort = await from;
    // Strays from another port: a HELLO, and an SCCRP for some other tunnel. Neither may take over.
    other.send(HELLO, pairPort, '127.0.0.1');
    other.send(SCCRP_ELSEWHERE, pairPort, '127.0.0.1');
    await expect.poll(() => relay.stats.replyPortRefused).toBe(2);
    expect(got).toEqual([]);
    // The real SCCRP (header Tunnel ID 0xb574, the SCCRQ's Assigned Tunnel ID) fixes that port.
    other.send(SCCRP, pairPort, '127.0.0.1');
    await expect.poll(() => got.length).toBe(1);
    expect(toHex(got[0]!)).toBe(toHex(SCCRP));
    // From now on that port is the LNS: its HELLO is relayed, the original port's is not.
    lns.send(HELLO, pairPort, '127.0.0.1');
    other.send(HELLO, pairPort, '127.0.0.1');
    await expect.poll(() => got.length).toBe(2);
    expect(toHex(got[1]!)).toBe(toHex(HELLO));
    expect(relay.stats.replyPortRefused).toBe(2);
  });
});

describe('createRelay bounded like the LNS', () => {
  it('connections that send c8 02 00 and stop are closed by the handshake timeout; counted and reported', async () => {
    const lns = await udp();
    const { relay, closed } = await relayTo(lns.address().port, { handshakeTimeout: 300 });
    const held = Array.from({ length: 10 }, (_, i) => heldConnection(relay.address().port, `127.0.0.${2 + (i % 5)}`));
    await Promise.all(held.map((h) => h.closed));
    expect(relay.stats.tcpHandshakeTimeouts).toBe(10);
    await expect.poll(() => relay.connections).toBe(0); // each pair's UDP socket went with it
    expect(closed).toHaveLength(10);
    expect(closed.every((c) => c.reason === 'handshake-timeout' && c.remote.address.startsWith('127.0.0.'))).toBe(true);
  });

  it('per-source cap, and a full relay makes room by closing its oldest connection without a message', async () => {
    const lns = await udp();
    const { relay, closed } = await relayTo(lns.address().port, { maxConnections: 4, maxConnectionsPerSource: 3 });
    const port = relay.address().port;
    const a = [heldConnection(port, '127.0.0.2'), heldConnection(port, '127.0.0.2'), heldConnection(port, '127.0.0.2'), heldConnection(port, '127.0.0.2')];
    await a[3]!.closed; // the fourth from one address
    expect(closed).toMatchObject([{ reason: 'source-cap', remote: { address: '127.0.0.2' } }]);
    const b = heldConnection(port, '127.0.0.3');
    await b.connected;
    await expect.poll(() => relay.connections).toBe(4);
    // Full: a legitimate client gets in, the oldest silent connection goes.
    const { t } = await client(relay);
    const got = new Promise<Uint8Array>((r) => lns.once('message', (m) => r(new Uint8Array(m))));
    await t.send(SCCRQ);
    expect(toHex(await got)).toBe(toHex(SCCRQ));
    await a[0]!.closed;
    expect(relay.stats).toMatchObject({ tcpOverSourceCap: 1, tcpEvicted: 1, tcpOverTotalCap: 0 });
    for (const h of [...a, b]) h.socket.destroy();
  });

  it('bounds buffered partial frames across connections', async () => {
    const lns = await udp();
    const { relay, closed } = await relayTo(lns.address().port, { maxBufferedBytes: 65_535 });
    const big = Uint8Array.of(0xc8, 0x02, 0xff, 0xff);
    const a = heldConnection(relay.address().port, '127.0.0.2', big);
    await a.connected;
    await expect.poll(() => relay.connections).toBe(1);
    const b = heldConnection(relay.address().port, '127.0.0.3', big);
    await b.closed;
    expect(closed).toMatchObject([{ reason: 'buffer-limit', remote: { address: '127.0.0.3' } }]);
    a.socket.destroy();
  });

  const bad: [string, Partial<RelayOptions>][] = [
    ['maxConnections', { maxConnections: 0 }],
    ['maxConnectionsPerSource', { maxConnectionsPerSource: 1.5 }],
    ['handshakeTimeout', { handshakeTimeout: 0 }],
    ['maxBufferedBytes', { maxBufferedBytes: 100 }],
    ['idleTimeout', { idleTimeout: -1 }],
    ['maxPending', { maxPending: NaN }],
    ['listen.port', { listen: { port: 65_536 } }],
  ];
  for (const [name, o] of bad) {
    it(`${name} out of range: RangeError naming it`, async () => {
      const p = createRelay({ target: { host: '127.0.0.1', port: 9 }, ...o });
      await expect(p).rejects.toThrow(RangeError);
      await expect(p).rejects.toThrow(name);
    });
  }
  it('target.port out of range: RangeError naming it', async () => {
    await expect(createRelay({ target: { host: '127.0.0.1', port: 0 } })).rejects.toThrow('target.port');
  });
});
