/**
 * How the LNS tells tunnels apart and stays bounded against hostile input: SCCRQs from one NAT
 * (same address and port, Tunnel ID 0) told apart by the LAC's Assigned Tunnel ID, a
 * retransmitted SCCRQ mapped to the tunnel it opened, NAT rebinding, SCCRQ floods over the
 * half-open cap, unknown Tunnel IDs, random garbage.
 *
 * The SCCRQ used here is a real one sent by xl2tpd 1.3.18 (vectors/plain.hex #1; tshark decodes
 * its Assigned Tunnel ID as 46452, 0xb574).
 */
import dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { createLns, udpTransport, type Lns, type LnsOptions } from '../../src/node.js';
import { Prng } from '../../src/testing/prng.js';
import { baseline, leakedSince } from '../transports/handles.js';
import { loadHex, toHex } from '../support/vectors.js';
import { RawLac } from './raw-lac.js';

const XL2TPD_SCCRQ = loadHex('plain')[0]!.bytes;
/** Where the Assigned Tunnel ID AVP (M=1, length 8, vendor 0, type 9) starts in it. */
const ATID_AVP = toHex(XL2TPD_SCCRQ).indexOf('800800000009') / 2;

/** xl2tpd's SCCRQ with another Assigned Tunnel ID (RFC 2661 §4.4.3, AVP 9: value at +6). */
function sccrqWithTunnelId(id: number): Uint8Array {
  const b = XL2TPD_SCCRQ.slice();
  b[ATID_AVP + 6] = id >> 8;
  b[ATID_AVP + 7] = id & 0xff;
  return b;
}

interface Reply {
  bytes: Uint8Array;
  /** Header Tunnel ID: the LAC's. */
  tunnelId: number;
  /** Message Type AVP value, or -1 for a ZLB. */
  type: number;
}

/** A raw UDP socket: one source port for several "LACs" behind a NAT. */
async function rawSocket(): Promise<{ socket: dgram.Socket; replies: Reply[]; send: (b: Uint8Array) => void; close: () => Promise<void> }> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
  const replies: Reply[] = [];
  socket.on('message', (m) => {
    const b = new Uint8Array(m);
    replies.push({ bytes: b, tunnelId: (b[4]! << 8) | b[5]!, type: b.length > 12 ? (b[18]! << 8) | b[19]! : -1 });
  });
  return {
    socket,
    replies,
    send: (b) => socket.send(b, lns!.address().port, '127.0.0.1'),
    close: () => new Promise<void>((r) => socket.close(() => r())),
  };
}

/** Assigned Tunnel ID carried in an SCCRP (AVP 9), read by walking the AVPs (RFC 2661 §4.1). */
function assignedTunnelId(b: Uint8Array): number | undefined {
  for (let o = 12; o + 6 <= b.length; ) {
    const len = ((b[o]! << 8) | b[o + 1]!) & 0x03ff;
    const type = (b[o + 4]! << 8) | b[o + 5]!;
    if (type === 9 && len === 8) return (b[o + 6]! << 8) | b[o + 7]!;
    if (len < 6) return undefined;
    o += len;
  }
  return undefined;
}

/**
 * Send datagrams in batches small enough for the loopback socket buffer, waiting for the LNS to
 * count each batch in: a burst of thousands would be dropped by the kernel, not by the LNS.
 */
async function paced(send: (b: Uint8Array) => void, messages: Iterable<Uint8Array>, batch = 50): Promise<number> {
  let sent = 0;
  const base = lns!.stats.messagesIn;
  for (const m of messages) {
    send(m);
    if (++sent % batch === 0) await expect.poll(() => lns!.stats.messagesIn - base, { timeout: 5000 }).toBeGreaterThanOrEqual(sent);
  }
  await expect.poll(() => lns!.stats.messagesIn - base, { timeout: 5000 }).toBeGreaterThanOrEqual(sent);
  return sent;
}

let lns: Lns | undefined;
afterEach(async () => {
  await lns?.close();
  lns = undefined;
});
async function start(o: Partial<LnsOptions> = {}): Promise<Lns> {
  lns = await createLns({ hostName: 'lns.test', port: 0, closeTimeout: 100, sequencer: { closeLinger: 100 }, ...o });
  return lns;
}

describe('createLns demultiplexing', () => {
  it('the capture holds what tshark says: an SCCRQ to Tunnel ID 0 with Assigned Tunnel ID 46452', () => {
    expect(ATID_AVP).toBeGreaterThan(12);
    expect(assignedTunnelId(XL2TPD_SCCRQ)).toBe(46452);
    expect((XL2TPD_SCCRQ[4]! << 8) | XL2TPD_SCCRQ[5]!).toBe(0);
  });

  it('two LACs behind one NAT (same source port, Tunnel ID 0) get two tunnels; a retransmitted SCCRQ does not open a third', async () => {
    const l = await start();
    const nat = await rawSocket();
    nat.send(XL2TPD_SCCRQ);
    nat.send(sccrqWithTunnelId(0x1234));
    await expect.poll(() => nat.replies.filter((r) => r.type === 2).length).toBe(2);
    const sccrps = nat.replies.filter((r) => r.type === 2);
    // Each SCCRP goes to the LAC that asked, by its Assigned Tunnel ID (header Tunnel ID, §3.1).
    expect(sccrps.map((r) => r.tunnelId).sort()).toEqual([0x1234, 46452].sort());
    const ours = sccrps.map((r) => assignedTunnelId(r.bytes));
    expect(new Set(ours).size).toBe(2);
    expect(l.stats).toMatchObject({ tunnels: 2, halfOpen: 2 });
    expect(l.tunnels().map((t) => t.id).sort()).toEqual([...ours].sort());

    // The first LAC did not hear the SCCRP and sends its SCCRQ again: same tunnel.
    nat.send(XL2TPD_SCCRQ);
    await expect.poll(() => l.stats.messagesIn).toBe(3);
    await new Promise((r) => setTimeout(r, 50));
    expect(l.stats).toMatchObject({ tunnels: 2, halfOpen: 2 });
    // Whatever went back (a re-ack), no SCCRP with a new Tunnel ID did.
    const ids = new Set(nat.replies.filter((r) => r.type === 2).map((r) => assignedTunnelId(r.bytes)));
    expect(ids).toEqual(new Set(ours));
    await nat.close();
  });

  it('a LAC whose NAT mapping changes keeps its tunnel: replies follow the new port', async () => {
    const l = await start({ echo: true });
    const a = l.address();
    const first = await udpTransport({ host: a.address, port: a.port });
    const lac = new RawLac(first);
    await lac.open();
    const sid = await lac.call();
    const second = await udpTransport({ host: a.address, port: a.port });
    expect(second.local!.port).not.toBe(first.local!.port);
    lac.rebind(second);
    lac.send(sid, Uint8Array.of(0xc0, 0x21, 7));
    await expect.poll(() => lac.frames.get(sid)?.length ?? 0).toBe(1);
    const [t] = l.tunnels();
    expect(t!.remote.port).toBe(second.local!.port);
    expect(l.stats).toMatchObject({ tunnels: 1, sessions: 1, rebinds: 1, unknownTunnel: 0 });
    await lac.close();
    await first.close();
    await expect.poll(() => l.stats.tunnels).toBe(0);
  });

  it('messages for an unknown Tunnel ID are dropped silently and counted', async () => {
    const l = await start();
    const raw = await rawSocket();
    // A ZLB (RFC 2661 §5.8: a 12-byte control header) and a data message to tunnel 999.
    raw.send(Uint8Array.of(0xc8, 0x02, 0x00, 0x0c, 0x03, 0xe7, 0, 0, 0, 0, 0, 0));
    raw.send(Uint8Array.of(0x00, 0x02, 0x03, 0xe7, 0x00, 0x01, 0xff, 0x03));
    await expect.poll(() => l.stats.unknownTunnel).toBe(2);
    await new Promise((r) => setTimeout(r, 30));
    expect(raw.replies).toEqual([]);
    expect(l.stats.tunnels).toBe(0);
    await raw.close();
  });
});

describe('createLns under hostile input', () => {
  const quick = { initialTimeout: 20, maxRetransmissions: 2, closeLinger: 50 };

  it('an SCCRQ flood over the half-open cap stays bounded (oldest evicted), and the half-open tunnels expire', async () => {
    const before = await baseline();
    // SCCRPs retried once after 500 ms: a half-open tunnel lives about 1.5 s, longer than the flood.
    const l = await start({ limits: { maxHalfOpen: 16, maxHalfOpenPerSource: 1000 }, sequencer: { initialTimeout: 500, maxRetransmissions: 1, closeLinger: 50 } });
    const evicted: number[] = [];
    l.on('half-open-evicted', (e) => evicted.push(e.tunnelId));
    const raw = await rawSocket();
    await paced(raw.send, Array.from({ length: 300 }, (_, i) => sccrqWithTunnelId(i + 1)));
    expect(l.stats).toMatchObject({ tunnels: 16, halfOpen: 16, halfOpenEvicted: 284, sccrqOverSourceQuota: 0, timers: 1 });
    expect(evicted).toHaveLength(284);
    expect(l.stats.deadlines).toBeLessThanOrEqual(2 * 16 + 64);
    // Unanswered SCCRPs run out of retransmissions (RFC 2661 §5.8) and the tunnels go away.
    await expect.poll(() => l.stats.tunnels, { timeout: 3000 }).toBe(0);
    expect(l.stats).toMatchObject({ halfOpen: 0, timers: 0, tunnelsOpened: 0, halfOpenExpired: 16 });
    // Room again: a real LAC gets through.
    const lac = new RawLac(await udpTransport({ host: '127.0.0.1', port: l.address().port }));
    await lac.open();
    await lac.close();
    await raw.close();
    await l.close();
    lns = undefined;
    expect(await leakedSince(before)).toEqual({});
  });

  it('caps the total number of tunnels: a full table of half-open tunnels evicts the oldest', async () => {
    const l = await start({ limits: { maxTunnels: 3, maxHalfOpen: 10 } });
    const raw = await rawSocket();
    for (let i = 1; i <= 5; i++) raw.send(sccrqWithTunnelId(i));
    await expect.poll(() => l.stats.messagesIn).toBe(5);
    expect(l.stats).toMatchObject({ tunnels: 3, halfOpen: 3, halfOpenEvicted: 2, sccrqOverTunnels: 0 });
    await raw.close();
  });

  it('random garbage never crashes it; a real LAC still gets a tunnel afterwards', async () => {
    const l = await start({ sequencer: quick, echo: true });
    const victim = new RawLac(await udpTransport({ host: '127.0.0.1', port: l.address().port }));
    const up = await victim.open();
    const tid = up.peer.assignedTunnelId;
    const raw = await rawSocket();
    const prng = new Prng(2661);
    const byte = () => Math.floor(prng.next() * 256);
    const N = 3000;
    const garbage: Uint8Array[] = [];
    for (let i = 0; i < N; i++) {
      const len = Math.floor(prng.next() * 120);
      const b = new Uint8Array(len);
      for (let j = 0; j < len; j++) b[j] = byte();
      const kind = i % 4;
      if (kind >= 1 && len >= 12) {
        // Look like L2TPv2 control to get past the first checks: T, L, S set, version 2.
        b[0] = 0xc8;
        b[1] = 0x02;
        b[2] = len >> 8;
        b[3] = len & 0xff;
        // Aim at the live tunnel, at tunnel 0 (the SCCRQ path), or anywhere.
        const to = kind === 1 ? tid : kind === 2 ? 0 : (b[4]! << 8) | b[5]!;
        b[4] = to >> 8;
        b[5] = to & 0xff;
      }
      if (kind === 2 && len >= 20) {
        // Tunnel 0 with a Message Type AVP saying SCCRQ (§4.4.1): the parse path of a new tunnel.
        b.set([0x80, 0x08, 0, 0, 0, 0, 0, 1], 12);
      }
      garbage.push(b);
    }
    await paced(raw.send, garbage);
    const s = l.stats;
    expect(s.malformed + s.unknownTunnel + s.protocolErrors).toBeGreaterThan(0);
    // Still serving.
    const lac = new RawLac(await udpTransport({ host: '127.0.0.1', port: l.address().port }), { sequencer: { closeLinger: 50 } });
    await lac.open();
    const sid = await lac.call();
    lac.send(sid, Uint8Array.of(1, 2));
    await expect.poll(() => lac.frames.get(sid)?.length ?? 0).toBe(1);
    await lac.close();
    victim.dispose();
    await victim.transport.close();
    await raw.close();
    // Whatever the garbage opened or broke expires on its own.
    await expect.poll(() => l.stats.tunnels, { timeout: 5000 }).toBe(0);
  });
});
