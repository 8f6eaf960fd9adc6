/**
 * The LNS against strangers (issue 12): fair half-open admission under an SCCRQ flood from 16
 * loopback addresses, TCP connections that say three bytes and stop, per-source and total caps,
 * the bound on buffered partial frames, idle connections — each limit counted in `stats` and
 * reported as a JSON-serialisable event — and range checks of every numeric option.
 * Bounded in count and time, loopback only; the full-size figures are test/scripts/lns-flood.ts
 * and test/scripts/lns-tcp-lockout.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { probe } from '../../src/index.js';
import { createLns, tcpTransport, udpTransport, type Lns, type LnsOptions } from '../../src/node.js';
import { HalfOpenSet, admit } from '../../src/server/lns-admission.js';
import { zlb } from '../../src/wire/builders.js';
import { parseControl } from '../../src/wire/control.js';
import type { TunnelEntry } from '../../src/server/lns-handles.js';
import { closeSocket, floodSocket, heldConnection, sccrqWithTunnelId } from './hostile.js';

let lns: Lns | undefined;
afterEach(async () => {
  await lns?.close();
  lns = undefined;
});

async function start(o: Partial<LnsOptions> = {}): Promise<Lns> {
  lns = await createLns({ hostName: 'lns.limits', port: 0, closeTimeout: 0, ...o });
  return lns;
}

/** Every event of the LNS's limits, as it would be logged. */
function record(l: Lns): string[] {
  const log: string[] = [];
  l.on('tunnel-refused', (e) => log.push(JSON.stringify({ event: 'tunnel-refused', ...e })));
  l.on('half-open-evicted', (e) => log.push(JSON.stringify({ event: 'half-open-evicted', ...e })));
  l.on('connection-closed', (e) => log.push(JSON.stringify({ event: 'connection-closed', ...e })));
  return log;
}

const events = (log: string[], event: string) => log.map((l) => JSON.parse(l) as Record<string, unknown>).filter((e) => e.event === event);

describe('half-open admission (pure)', () => {
  const tunnel = (source: string) => ({ source }) as TunnelEntry;
  const limits = { maxTunnels: 10, maxHalfOpen: 3, maxHalfOpenPerSource: 2 };

  it('admits under the caps, evicts the oldest of the source holding the most when full, refuses over the per-source quota', () => {
    const set = new HalfOpenSet();
    const b1 = tunnel('b');
    const a1 = tunnel('a');
    expect(admit(set, 0, 'b', limits)).toEqual({ admit: true, evict: undefined });
    set.add(b1);
    set.add(a1);
    set.add(tunnel('a'));
    expect(admit(set, 3, 'a', limits)).toEqual({ admit: false, reason: 'source-quota' });
    // Full (3 half-open): a newcomer from c evicts a1 — a holds the most — not b1, the oldest.
    expect(admit(set, 3, 'c', limits)).toEqual({ admit: true, evict: a1 });
    set.delete(a1);
    expect([set.size, set.count('a'), set.count('b'), set.count('c')]).toEqual([2, 1, 1, 0]);
    // A tie: the source that got there first (b), its oldest.
    expect(admit(set, 2, 'c', { ...limits, maxHalfOpen: 2 })).toEqual({ admit: true, evict: b1 });
  });

  it('the victim is always a tunnel of a source holding the most, across random adds and deletes', () => {
    const set = new HalfOpenSet();
    const held: TunnelEntry[] = [];
    let seed = 12;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
    for (let i = 0; i < 5000; i++) {
      if (held.length > 0 && rnd(3) === 0) set.delete(held.splice(rnd(held.length), 1)[0]!);
      else {
        const t = tunnel(`s${rnd(7)}`);
        held.push(t);
        set.add(t);
      }
      const counts = new Map<string, number>();
      for (const t of held) counts.set(t.source, (counts.get(t.source) ?? 0) + 1);
      const most = Math.max(0, ...counts.values());
      const v = set.victim();
      expect(set.size).toBe(held.length);
      if (held.length === 0) expect(v).toBeUndefined();
      else {
        expect(counts.get(v!.source)).toBe(most);
        // …and that source's oldest.
        expect(held.find((t) => t.source === v!.source)).toBe(v);
      }
    }
  });

  it('a table full of established tunnels refuses (never pushes them out); a full one with half-open ones evicts', () => {
    const set = new HalfOpenSet();
    expect(admit(set, 10, 'a', limits)).toEqual({ admit: false, reason: 'max-tunnels' });
    const b = tunnel('b');
    set.add(b);
    expect(admit(set, 10, 'a', limits)).toEqual({ admit: true, evict: b });
  });
});

describe('createLns under an SCCRQ flood', () => {
  it('from 16 addresses (127.0.0.2–17): the flood evicts its own half-open tunnels, ≥ 9 of 10 probes from 127.0.0.1 succeed', async () => {
    const l = await start();
    const log = record(l);
    const { port } = l.address();
    const socks = await Promise.all(Array.from({ length: 16 }, (_, i) => floodSocket(`127.0.0.${i + 2}`)));
    // About 3,200 SCCRQs a second (32 every 10 ms), at most 12,000 in all.
    const MAX = 12_000;
    let sent = 0;
    const pump = setInterval(() => {
      for (let k = 0; k < 32 && sent < MAX; k++, sent++) socks[sent % 16]!.send(sccrqWithTunnelId((sent % 65_535) + 1), port, '127.0.0.1');
    }, 10);
    try {
      // The half-open table is full before the first probe.
      await expect.poll(() => l.stats.halfOpen, { timeout: 10_000 }).toBe(256);
      let ok = 0;
      for (let i = 0; i < 10 && sent < MAX; i++) {
        try {
          const r = await probe(await udpTransport({ host: '127.0.0.1', port, localAddress: '127.0.0.1' }), { hostName: `legit-${i}`, timeout: 5000 });
          if (r.success) ok++;
        } catch {
          // a TIMEOUT: counted as a failure
        }
      }
      const s = l.stats;
      console.log(`[lns-limits] flood: ${sent} SCCRQs from 16 addresses while probing; legitimate probes ${ok}/10; halfOpenEvicted ${s.halfOpenEvicted}, sccrqOverSourceQuota ${s.sccrqOverSourceQuota}`);
      expect(ok).toBeGreaterThanOrEqual(9);
      expect(s.tunnelsOpened).toBe(ok);
      expect(s.halfOpen).toBeLessThanOrEqual(256);
      expect(s.halfOpenEvicted).toBeGreaterThan(0);
      const evicted = events(log, 'half-open-evicted');
      expect(evicted.length).toBe(s.halfOpenEvicted);
      // Fair: the flood's tunnels are the ones evicted, never a probe's.
      expect(new Set(evicted.map((e) => (e.remote as { address: string }).address)).has('127.0.0.1')).toBe(false);
      expect(evicted[0]).toMatchObject({ reason: 'oldest', transport: 'udp' });
    } finally {
      clearInterval(pump);
      await Promise.all(socks.map(closeSocket));
    }
  }, 90_000);

  it('issue 12 lockout: 256 SCCRQs whose SCCRPs are acked with a ZLB and never completed no longer lock the LNS out', async () => {
    const l = await start();
    const { port } = l.address();
    // Eight addresses, 32 tunnels each (the per-source quota): the half-open table (256) is full.
    const socks = await Promise.all(Array.from({ length: 8 }, (_, i) => floodSocket(`127.0.0.${i + 2}`)));
    for (const s of socks) {
      s.removeAllListeners('message');
      // Ack each SCCRP with a ZLB (RFC 2661 §5.8), never send the SCCCN.
      s.on('message', (m, from) => s.send(zlb({ tunnelId: parseControl(new Uint8Array(m), { requireAvps: false }).assignedTunnelId!, ns: 1, nr: 1 }), from.port, from.address));
    }
    for (let i = 0; i < 256; i++) socks[i % 8]!.send(sccrqWithTunnelId(i + 1), port, '127.0.0.1');
    await expect.poll(() => l.stats.halfOpen).toBe(256);
    await expect.poll(() => l.stats.messagesIn >= 512).toBe(true); // 256 SCCRQs, 256 ZLBs (and acks of any retransmitted SCCRP)
    // A legitimate LAC still gets in: the oldest tunnel of an address holding the most makes room.
    for (let i = 0; i < 3; i++) {
      const r = await probe(await udpTransport({ host: '127.0.0.1', port, localAddress: '127.0.0.1' }), { hostName: `legit-${i}`, timeout: 5000 });
      expect(r.success).toBe(true);
    }
    // One eviction made room for the first; once up it left the half-open table, a slot free for the next.
    expect(l.stats).toMatchObject({ tunnelsOpened: 3, halfOpenEvicted: 1, halfOpen: 255 });
    await Promise.all(socks.map(closeSocket));
  });

  it('one address over its quota is refused (tunnel-refused, source-quota) while others are admitted', async () => {
    const l = await start({ limits: { maxHalfOpenPerSource: 4 } });
    const log = record(l);
    const { port } = l.address();
    const a = await floodSocket('127.0.0.2');
    const b = await floodSocket('127.0.0.3');
    for (let i = 1; i <= 10; i++) a.send(sccrqWithTunnelId(i), port, '127.0.0.1');
    for (let i = 1; i <= 3; i++) b.send(sccrqWithTunnelId(i), port, '127.0.0.1');
    await expect.poll(() => l.stats.messagesIn).toBe(13);
    expect(l.stats).toMatchObject({ halfOpen: 7, sccrqOverSourceQuota: 6, halfOpenEvicted: 0 });
    const refused = events(log, 'tunnel-refused');
    expect(refused).toHaveLength(6);
    expect(refused[0]).toMatchObject({ reason: 'source-quota', transport: 'udp', remote: { address: '127.0.0.2', port: a.address().port } });
    await Promise.all([closeSocket(a), closeSocket(b)]);
  });

  it('an unanswered SCCRP expires: counted and reported as half-open-evicted, reason expired', async () => {
    const l = await start({ sequencer: { initialTimeout: 20, maxRetransmissions: 1, closeLinger: 20 } });
    const log = record(l);
    const a = await floodSocket('127.0.0.2');
    a.send(sccrqWithTunnelId(7), l.address().port, '127.0.0.1');
    await expect.poll(() => l.stats.halfOpenExpired).toBe(1);
    await expect.poll(() => l.stats.tunnels).toBe(0);
    expect(events(log, 'half-open-evicted')).toMatchObject([{ reason: 'expired', transport: 'udp', remote: { address: '127.0.0.2' } }]);
    await closeSocket(a);
  });
});

describe('createLns over TCP, held by strangers', () => {
  it('connections that send c8 02 00 and stop are closed by the handshake timeout; a legitimate TCP probe meanwhile succeeds', async () => {
    const l = await start({ tcp: true, limits: { tcpHandshakeTimeout: 1500 } });
    const log = record(l);
    const port = l.address().tcp!.port;
    const held = Array.from({ length: 40 }, (_, i) => heldConnection(port, `127.0.0.${2 + (i % 8)}`));
    await Promise.all(held.map((h) => h.connected));
    await expect.poll(() => l.stats.connections).toBe(40);
    const r = await probe(await tcpTransport({ host: '127.0.0.1', port }), { hostName: 'legit', timeout: 5000 });
    expect(r.success).toBe(true);
    expect(l.stats.tcpHandshakeTimeouts).toBe(0); // the probe ran while all 40 were held
    await Promise.all(held.map((h) => h.closed));
    expect(l.stats).toMatchObject({ tcpHandshakeTimeouts: 40, tunnelsOpened: 1 });
    const closed = events(log, 'connection-closed');
    expect(closed).toHaveLength(40);
    expect(closed.every((e) => e.reason === 'handshake-timeout')).toBe(true);
  });

  it('per-source cap: a seventh connection from one address is closed at once; other addresses still get in', async () => {
    const l = await start({ tcp: true, limits: { maxConnectionsPerSource: 6 } });
    const log = record(l);
    const port = l.address().tcp!.port;
    const held = Array.from({ length: 7 }, () => heldConnection(port, '127.0.0.2'));
    await held[6]!.closed;
    expect(l.stats.tcpOverSourceCap).toBe(1);
    expect(events(log, 'connection-closed')).toMatchObject([{ reason: 'source-cap', remote: { address: '127.0.0.2' } }]);
    const r = await probe(await tcpTransport({ host: '127.0.0.1', port }), { hostName: 'legit', timeout: 5000 });
    expect(r.success).toBe(true);
    for (const h of held) h.socket.destroy();
  });

  it('total cap: when full, the oldest connection without a complete message makes room for a legitimate one', async () => {
    const l = await start({ tcp: true, limits: { maxConnections: 8, maxConnectionsPerSource: 8 } });
    const log = record(l);
    const port = l.address().tcp!.port;
    const held: ReturnType<typeof heldConnection>[] = [];
    for (let i = 0; i < 8; i++) {
      held.push(heldConnection(port, '127.0.0.2'));
      await held[i]!.connected;
      await expect.poll(() => l.stats.connections).toBe(i + 1);
    }
    const oldestPort = held[0]!.socket.localPort;
    const r = await probe(await tcpTransport({ host: '127.0.0.1', port }), { hostName: 'legit', timeout: 5000 });
    expect(r.success).toBe(true);
    await held[0]!.closed; // the oldest went
    expect(l.stats).toMatchObject({ tcpEvicted: 1, tcpOverTotalCap: 0 });
    expect(events(log, 'connection-closed')).toMatchObject([{ reason: 'evicted', remote: { address: '127.0.0.2', port: oldestPort } }]);
    for (const h of held) h.socket.destroy();
  });

  it('buffered partial frames are bounded across connections: the connection that goes over is closed', async () => {
    // Each `c8 02 ff ff` announces a 65,535-byte message: the framer reserves that much.
    const l = await start({ tcp: true, limits: { maxBufferedBytes: 2 * 65_535 } });
    const log = record(l);
    const port = l.address().tcp!.port;
    const big = Uint8Array.of(0xc8, 0x02, 0xff, 0xff);
    const a = heldConnection(port, '127.0.0.2', big);
    await a.connected;
    const b = heldConnection(port, '127.0.0.3', big);
    await b.connected;
    await expect.poll(() => l.stats.connections).toBe(2);
    const c = heldConnection(port, '127.0.0.4', big);
    await c.closed;
    expect(l.stats.tcpBufferLimit).toBe(1);
    expect(events(log, 'connection-closed')).toMatchObject([{ reason: 'buffer-limit', remote: { address: '127.0.0.4' } }]);
    a.socket.destroy();
    b.socket.destroy();
  });

  it('a connection that carries no tunnel is closed after tcpIdleTimeout without a message', async () => {
    const l = await start({ tcp: true, limits: { tcpIdleTimeout: 300 } });
    const log = record(l);
    const port = l.address().tcp!.port;
    // A complete message (a ZLB to Tunnel ID 0: malformed for us) passes the handshake, opens no tunnel.
    const zlb = Uint8Array.of(0xc8, 0x02, 0x00, 0x0c, 0, 0, 0, 0, 0, 0, 0, 0);
    const h = heldConnection(port, '127.0.0.2', zlb);
    await h.closed;
    expect(l.stats).toMatchObject({ tcpIdleTimeouts: 1, malformed: 1, tcpHandshakeTimeouts: 0 });
    expect(events(log, 'connection-closed')).toMatchObject([{ reason: 'idle-timeout', remote: { address: '127.0.0.2' } }]);
    await expect.poll(() => l.stats.timers).toBe(0);
  });
});

describe('createLns: every numeric option is range-checked', () => {
  const bad: [string, Partial<LnsOptions>][] = [
    ['port', { port: 70_000 }],
    ['tcp.port', { tcp: { port: -1 } }],
    ['limits.maxTunnels', { limits: { maxTunnels: 0 } }],
    ['limits.maxHalfOpen', { limits: { maxHalfOpen: 1.5 } }],
    ['limits.maxHalfOpenPerSource', { limits: { maxHalfOpenPerSource: 0 } }],
    ['limits.maxSessionsPerTunnel', { limits: { maxSessionsPerTunnel: NaN } }],
    ['limits.maxConnections', { limits: { maxConnections: 0 } }],
    ['limits.maxConnectionsPerSource', { limits: { maxConnectionsPerSource: -3 } }],
    ['limits.tcpHandshakeTimeout', { limits: { tcpHandshakeTimeout: 0 } }],
    ['limits.tcpIdleTimeout', { limits: { tcpIdleTimeout: -1 } }],
    ['limits.maxBufferedBytes', { limits: { maxBufferedBytes: 1000 } }],
    ['recvBufferSize', { recvBufferSize: 10 }],
    ['closeTimeout', { closeTimeout: Infinity }],
    ['helloInterval', { helloInterval: -5 }],
    ['firmwareRevision', { firmwareRevision: 0x10000 }],
  ];
  for (const [name, o] of bad) {
    it(`${name}: RangeError naming it`, async () => {
      await expect(createLns({ hostName: 'x', port: 0, ...o })).rejects.toThrow(RangeError);
      await expect(createLns({ hostName: 'x', port: 0, ...o })).rejects.toThrow(name);
    });
  }
  it('limits of the wrong type: TypeError', async () => {
    await expect(createLns({ hostName: 'x', port: 0, limits: 5 as never })).rejects.toThrow(TypeError);
  });
});
