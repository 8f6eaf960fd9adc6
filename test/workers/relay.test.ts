/**
 * The TCP↔UDP relay (src/server/relay.ts) over real loopback sockets, against a plain UDP socket
 * standing in for the LNS (what reaches it, from where) — xl2tpd through the relay is exercised by
 * workerd.test.ts. Known answers: bytes from the real xl2tpd capture (test/vectors/plain.hex)
 * and the L2TPv2 header layout of RFC 2661 §3.1.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createRelay, type Relay } from '../../src/server/relay.js';
import { tcpTransport } from '../../src/transports/node-tcp.js';
import type { Transport } from '../../src/client/transport.js';

const hex = (s: string) => Uint8Array.from(s.match(/../g)!.map((b) => parseInt(b, 16)));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** xl2tpd's SCCRQ and SCCRP from plain.hex (#1, #2): control messages, L=1 already. */
const SCCRQ = hex(
  'c802006a000000000000000080080000000000018008000000020100800a0000000300000003800a00000004000000000008000000060690800f000000076c61632d706c61696e00130000000878656c6572616e63652e636f6d800800000009b57480080000000a0004',
);
const SCCRP = hex(
  'c802006ab57400000000000180080000000000028008000000020100800a0000000300000003800a00000004000000000008000000060690800f000000076c6e732d706c61696e00130000000878656c6572616e63652e636f6d800800000009c33d80080000000a0004',
);
/**
 * An L2TPv2 data message without L (RFC 2661 §3.1: flags 0x0002, Tunnel ID 0x1234, Session ID
 * 0x5678, then PPP `ff03 c021 01`), and the same with the Length field the relay must insert
 * (flags 0x4002, Length 0x000d = 13 bytes).
 */
const DATA_NO_L = hex('000212345678ff03c02101');
const DATA_WITH_L = hex('4002000d12345678ff03c02101');

interface FakeLns {
  socket: dgram.Socket;
  port: number;
  received: { message: Uint8Array; port: number }[];
  next(): Promise<{ message: Uint8Array; port: number }>;
}

/** A UDP socket standing in for the LNS: records what arrives and from which port. */
async function fakeLns(): Promise<FakeLns> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((res) => socket.bind(0, '127.0.0.1', res));
  const received: { message: Uint8Array; port: number }[] = [];
  let waiter: (() => void) | undefined;
  socket.on('message', (m, r) => {
    received.push({ message: new Uint8Array(m), port: r.port });
    waiter?.();
  });
  let taken = 0;
  return {
    socket,
    port: socket.address().port,
    received,
    async next() {
      while (received.length <= taken) await new Promise<void>((res) => (waiter = res));
      return received[taken++]!;
    },
  };
}

function nextMessage(t: Transport): Promise<Uint8Array> {
  return new Promise((res) => t.onMessage(res));
}

function closed(t: Transport): Promise<Error | undefined> {
  return new Promise((res) => t.onClose(res));
}

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(extra: Partial<Parameters<typeof createRelay>[0]> = {}): Promise<{ relay: Relay; lns: FakeLns }> {
  const lns = await fakeLns();
  cleanups.push(() => new Promise<void>((res) => lns.socket.close(() => res())));
  const relay = await createRelay({ listen: { host: '127.0.0.1', port: 0 }, target: { host: '127.0.0.1', port: lns.port }, ...extra });
  cleanups.push(() => relay.close());
  return { relay, lns };
}

async function client(relay: Relay): Promise<Transport> {
  const t = await tcpTransport({ host: '127.0.0.1', port: relay.address().port, timeout: 5000 });
  cleanups.push(() => t.close());
  return t;
}

describe('createRelay', () => {
  it('forwards a framed message to the LNS as one datagram, byte for byte, and the reply back', async () => {
    const { relay, lns } = await setup();
    const t = await client(relay);
    const reply = nextMessage(t);
    await t.send(SCCRQ);
    const got = await lns.next();
    expect(toHex(got.message)).toBe(toHex(SCCRQ));
    lns.socket.send(SCCRP, got.port, '127.0.0.1');
    expect(toHex(await reply)).toBe(toHex(SCCRP));
    expect(relay.stats).toMatchObject({ accepted: 1, connections: 1, toTarget: 1, toClient: 1, dropped: 0 });
  });

  it('inserts the Length field (L=1) into a data message the LNS sent without it (RFC 2661 §3.1)', async () => {
    const { relay, lns } = await setup();
    const t = await client(relay);
    const reply = nextMessage(t);
    await t.send(SCCRQ);
    const { port } = await lns.next();
    lns.socket.send(DATA_NO_L, port, '127.0.0.1');
    expect(toHex(await reply)).toBe(toHex(DATA_WITH_L));
  });

  it('carries L2TPv3 data both ways: its length in Reserved bytes 2–3 on TCP (our convention), 0 there on UDP (RFC 3931 §4.1.2.1)', async () => {
    const { relay, lns } = await setup();
    // Hand-built (RFC 3931 §4.1.2.1, §4.6): T=0 Ver=3, Reserved, Session ID 0x0a0b0c0d, 4-byte
    // cookie, default sublayer S=1 Sequence 1, then 4 payload bytes: 20 = 0x14 bytes.
    const body = '0a0b0c0d' + 'c0ffee00' + '40000001' + 'cafebabe';
    const onTcp = hex('00030014' + body);
    const onUdp = hex('00030000' + body);
    const sock = net.connect(relay.address().port, '127.0.0.1');
    cleanups.push(() => void sock.destroy());
    await new Promise<void>((res) => sock.once('connect', res));
    let back = Buffer.alloc(0);
    const arrived = new Promise<void>((res) => sock.on('data', (c: Buffer) => ((back = Buffer.concat([back, c])), back.length >= onTcp.length && res())));
    sock.write(onTcp);
    const got = await lns.next();
    expect(toHex(got.message)).toBe(toHex(onUdp)); // the UDP bytes, Reserved 0
    lns.socket.send(onUdp, got.port, '127.0.0.1');
    await arrived;
    expect(toHex(back)).toBe(toHex(onTcp)); // framed again for the stream
    expect(relay.stats).toMatchObject({ toTarget: 1, toClient: 1, dropped: 0 });
  });

  it('splits a TCP byte stream back into messages: two messages in one write, one message in three writes', async () => {
    const { relay, lns } = await setup();
    const sock = net.connect(relay.address().port, '127.0.0.1');
    cleanups.push(() => void sock.destroy());
    await new Promise<void>((res) => sock.once('connect', res));
    sock.write(Buffer.concat([SCCRQ, SCCRP]));
    const a = await lns.next();
    const b = await lns.next();
    expect([toHex(a.message), toHex(b.message)]).toEqual([toHex(SCCRQ), toHex(SCCRP)]);
    sock.write(SCCRQ.subarray(0, 3));
    await new Promise((r) => setTimeout(r, 20));
    sock.write(SCCRQ.subarray(3, 50));
    await new Promise((r) => setTimeout(r, 20));
    sock.write(SCCRQ.subarray(50));
    expect(toHex((await lns.next()).message)).toBe(toHex(SCCRQ));
    expect(lns.received.map((r) => r.port)).toEqual([a.port, a.port, a.port]);
  });

  it('gives each TCP connection its own UDP socket (the LNS sees one peer port per client)', async () => {
    const { relay, lns } = await setup();
    const one = await client(relay);
    const two = await client(relay);
    await one.send(SCCRQ);
    const a = await lns.next();
    await two.send(SCCRQ);
    const b = await lns.next();
    expect(a.port).not.toBe(b.port);
    // A reply to b's port reaches only the second client.
    const onOne: Uint8Array[] = [];
    one.onMessage((m) => onOne.push(m));
    const atTwo = nextMessage(two);
    lns.socket.send(SCCRP, b.port, '127.0.0.1');
    expect(toHex(await atTwo)).toBe(toHex(SCCRP));
    expect(onOne).toHaveLength(0);
    expect(relay.connections).toBe(2);
  });

  it('closes the UDP side when the TCP client goes away', async () => {
    const { relay, lns } = await setup();
    const t = await client(relay);
    await t.send(SCCRQ);
    await lns.next();
    expect(relay.connections).toBe(1);
    await t.close();
    await expect.poll(() => relay.connections, { timeout: 2000 }).toBe(0);
  });

  it('closes the TCP side at once when nothing listens on the UDP target (ICMP port unreachable)', async () => {
    const { lns } = await setup();
    const deadPort = lns.port;
    await new Promise<void>((res) => lns.socket.close(() => res()));
    cleanups.splice(0, 1); // already closed
    const relay = await createRelay({ listen: { host: '127.0.0.1', port: 0 }, target: { host: '127.0.0.1', port: deadPort } });
    cleanups.push(() => relay.close());
    const errors: Error[] = [];
    relay.onError((e) => errors.push(e));
    const t = await client(relay);
    const gone = closed(t);
    await t.send(SCCRQ);
    await gone;
    // Closed by the ICMP error, not by the idle timer (180 s by default, past the test timeout).
    expect(relay.stats.idleClosed).toBe(0);
    expect(errors[0]).toMatchObject({ name: 'L2tpError', code: 'TRANSPORT' });
    expect(errors[0]!.message).toMatch(/ECONNREFUSED/);
    await expect.poll(() => relay.connections).toBe(0);
  });

  it('refuses connections beyond maxConnections', async () => {
    const { relay, lns } = await setup({ maxConnections: 1 });
    const one = await client(relay);
    await one.send(SCCRQ);
    await lns.next();
    const sock = net.connect(relay.address().port, '127.0.0.1');
    cleanups.push(() => void sock.destroy());
    const ended = await new Promise<string>((res) => {
      sock.once('close', () => res('closed'));
      sock.once('data', () => res('data'));
    });
    expect(ended).toBe('closed');
    expect(relay.connections).toBe(1);
  });

  it('closes an idle pair after idleTimeout', async () => {
    const { relay, lns } = await setup({ idleTimeout: 150 });
    const t = await client(relay);
    const gone = closed(t);
    await t.send(SCCRQ);
    await lns.next();
    await gone;
    expect(relay.stats.idleClosed).toBe(1);
    await expect.poll(() => relay.connections).toBe(0);
  });

  it('close() ends every pair and stops listening', async () => {
    const { relay, lns } = await setup();
    const t = await client(relay);
    const gone = closed(t);
    await t.send(SCCRQ);
    await lns.next();
    await relay.close();
    await gone;
    expect(relay.connections).toBe(0);
    await expect(tcpTransport({ host: '127.0.0.1', port: relay.address().port, timeout: 2000 })).rejects.toMatchObject({ code: 'TRANSPORT' });
  });

  it('rejects bad options with a message saying what to change', async () => {
    await expect(createRelay({ target: { host: '' } })).rejects.toThrow(TypeError);
    await expect(createRelay({ target: { host: '127.0.0.1', port: 70000 } })).rejects.toThrow(/target\.port must be an integer from 1 to 65535/);
    await expect(createRelay({ target: { host: '127.0.0.1' }, maxConnections: 0 })).rejects.toThrow(RangeError);
    await expect(createRelay(null as never)).rejects.toThrow(/options must be an object/);
  });
});
