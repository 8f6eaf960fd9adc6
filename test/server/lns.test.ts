/**
 * The embedded LNS against our own initiator over real loopback sockets (UDP and TCP): tunnel,
 * session, PPP frames echoed, HELLO, teardown either way, authentication and hidden AVPs.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createLns, type Lns, type LnsOptions, type LnsSession } from '../../src/node.js';
import { tcpTransport, udpTransport } from '../../src/node.js';
import type { Transport } from '../../src/client/transport.js';
import { L2tpError } from '../../src/wire/errors.js';
import { baseline, leakedSince } from '../transports/handles.js';
import { RawLac } from './raw-lac.js';

const SECRET = 'l2tp-wire-test-secret';
let lns: Lns | undefined;
afterEach(async () => {
  await lns?.close();
  lns = undefined;
});

async function start(o: Partial<LnsOptions> = {}): Promise<Lns> {
  // A short StopCCN linger (RFC 2661 §5.7 keeps a closed tunnel acking for a full retransmission cycle, 31 s by default).
  lns = await createLns({ hostName: 'lns.test', port: 0, closeTimeout: 300, sequencer: { closeLinger: 150 }, ...o });
  return lns;
}

async function connect(l: Lns, kind: 'udp' | 'tcp'): Promise<Transport> {
  const a = l.address();
  return kind === 'udp' ? udpTransport({ host: a.address, port: a.port }) : tcpTransport({ host: a.address, port: a.tcp!.port });
}

const LCP = Uint8Array.of(0xff, 0x03, 0xc0, 0x21, 0x01, 0x01, 0x00, 0x04);

describe('createLns: our initiator against it', () => {
  const cases = [
    { kind: 'udp', secret: false, hide: false },
    { kind: 'udp', secret: true, hide: false },
    { kind: 'udp', secret: true, hide: true },
    { kind: 'tcp', secret: false, hide: false },
    { kind: 'tcp', secret: true, hide: true },
  ] as const;
  for (const c of cases) {
    it(`${c.kind}, secret ${c.secret}, hidden AVPs ${c.hide}: tunnel, session, echoed frame, hello, teardown`, async () => {
      const before = await baseline();
      const secret = c.secret ? { secret: SECRET, hideAvps: c.hide } : {};
      const l = await start({ ...secret, tcp: c.kind === 'tcp', echo: true });
      const events: string[] = [];
      l.on('tunnel-up', (t) => events.push(`tunnel-up ${t.id}`));
      l.on('session-up', (s) => events.push(`session-up ${s.id}`));
      l.on('session-down', (s, why) => events.push(`session-down ${s.id} ${why.by}`));
      l.on('tunnel-down', (t, why) => events.push(`tunnel-down ${t.id} ${why.by}`));

      const lac = new RawLac(await connect(l, c.kind), { hostName: 'lac.test', ...secret });
      const up = await lac.open();
      expect(up.peer.hostName).toBe('lns.test');
      expect(up.peer.vendorName).toBe('l2tp-wire');
      // With a secret both sides challenge and check (RFC 2661 §5.1.1).
      expect(up.peer.authenticated).toBe(c.secret);
      expect(up.peer.challenged).toBe(c.secret);
      const [tunnel] = l.tunnels();
      expect(tunnel!.id).toBe(up.peer.assignedTunnelId);
      expect(tunnel!.transport).toBe(c.kind);

      const sid = await lac.call();
      lac.send(sid, LCP);
      await expect.poll(() => lac.frames.get(sid)?.length ?? 0).toBe(1);
      expect([...lac.frames.get(sid)![0]!]).toEqual([...LCP]);
      expect(l.stats).toMatchObject({ tunnels: 1, established: 1, sessions: 1, framesIn: 1, framesOut: 1, halfOpen: 0 });

      // HELLO from us is acked (Sequencer: nothing left to retransmit afterwards).
      lac.do({ type: 'hello' });
      await expect.poll(() => lac.fsm.nextDeadline() === undefined || lac.fsm.nextDeadline()! > 50_000).toBe(true);
      // And the LNS sends one on request; our FSM acks it.
      tunnel!.hello();

      lac.hangUp(sid);
      await expect.poll(() => l.stats.sessions).toBe(0);
      await lac.close();
      await expect.poll(() => l.stats.established).toBe(0);
      await expect.poll(() => l.stats.tunnels).toBe(0);
      // Over TCP the connection, tunnel-less now, is timed (idleTimeout) until the LAC closes it.
      await expect.poll(() => l.stats.timers).toBe(0);
      expect(events).toEqual([`tunnel-up ${tunnel!.id}`, `session-up ${events[1]!.split(' ')[1]}`, `session-down ${events[1]!.split(' ')[1]} peer`, `tunnel-down ${tunnel!.id} peer`]);
      expect(l.stats).toMatchObject({ tunnelsOpened: 1, sessionsOpened: 1, established: 0, halfOpen: 0, timers: 0, unknownTunnel: 0, malformed: 0, protocolErrors: 0 });
      await l.close();
      lns = undefined;
      expect(await leakedSince(before)).toEqual({});
    });
  }

  it('a wrong secret is refused with StopCCN result 4 and leaves nothing behind', async () => {
    const l = await start({ secret: SECRET });
    const lac = new RawLac(await connect(l, 'udp'), { secret: 'not-the-secret' });
    await expect(lac.open()).rejects.toThrow(/stopped/);
    const stopped = await lac.waitFor('stopped');
    // Our initiator checks the LNS's Challenge Response first and refuses it (§5.1.1, result 4).
    expect(stopped.result?.result).toBe(4);
    await lac.close();
    await expect.poll(() => l.stats.tunnels).toBe(0);
    expect(l.stats.tunnelsOpened).toBe(0);
  });

  it('sessions() and frames() hand out sessions and their frames when there is no onFrame/echo', async () => {
    const l = await start();
    const it = l.sessions();
    const lac = new RawLac(await connect(l, 'udp'));
    await lac.open();
    const sid = await lac.call();
    const { value: s } = (await it.next()) as IteratorResult<LnsSession>;
    expect(s.peerId).toBe(sid);
    expect(s.kind).toBe('incoming');
    lac.send(sid, Uint8Array.of(1, 2, 3));
    lac.send(sid, Uint8Array.of(4, 5));
    const frames = s.frames();
    expect([...(await frames.next()).value]).toEqual([1, 2, 3]);
    expect([...(await frames.next()).value]).toEqual([4, 5]);
    await s.send(Uint8Array.of(9, 9));
    await expect.poll(() => lac.frames.get(sid)?.length ?? 0).toBe(1);
    s.close();
    expect(s.closed).toBe(true);
    expect((await frames.next()).done).toBe(true);
    await expect(s.send(Uint8Array.of(1))).rejects.toBeInstanceOf(L2tpError);
    await lac.waitFor('session-down', (a) => a.sessionId === sid && a.by === 'peer');
    await lac.close();
    await l.close();
    lns = undefined;
    expect((await it.next()).done).toBe(true);
  });

  it('onFrame sees every frame with its session', async () => {
    const seen: [number, number[]][] = [];
    const l = await start({ onFrame: (s, f) => seen.push([s.peerId, [...f]]) });
    const lac = new RawLac(await connect(l, 'udp'));
    await lac.open();
    const sid = await lac.call();
    for (let i = 0; i < 5; i++) lac.send(sid, Uint8Array.of(i));
    await expect.poll(() => seen.length).toBe(5);
    expect(seen).toEqual([0, 1, 2, 3, 4].map((i) => [sid, [i]]));
    await lac.close();
  });

  it('close() sends StopCCN result 6 to every tunnel, waits for the acks, and releases everything', async () => {
    const before = await baseline();
    // closeTimeout past the test timeout: only the acks can end close() in time.
    const l = await start({ tcp: true, closeTimeout: 600_000 });
    const lacs = [new RawLac(await connect(l, 'udp')), new RawLac(await connect(l, 'tcp')), new RawLac(await connect(l, 'udp'))];
    await Promise.all(lacs.map((x) => x.open()));
    await Promise.all(lacs.map((x) => x.call()));
    const downs: string[] = [];
    l.on('tunnel-down', (t, why) => downs.push(`${t.id}:${why.by}`));
    await l.close();
    lns = undefined;
    for (const x of lacs) {
      const s = await x.waitFor('stopped');
      expect(s.by).toBe('peer');
      expect(s.result?.result).toBe(6);
      await x.waitFor('session-down');
    }
    expect(downs).toHaveLength(3);
    expect(l.stats).toMatchObject({ tunnels: 0, sessions: 0, timers: 0 });
    await Promise.all(lacs.map((x) => x.close()));
    expect(await leakedSince(before)).toEqual({});
  });

  it('after the peer’s StopCCN the tunnel lingers to re-ack it (§5.7); close() does not wait for it', async () => {
    // A linger past the test timeout: close() must not wait for it.
    const l = await start({ sequencer: { closeLinger: 600_000 } });
    const lac = new RawLac(await connect(l, 'udp'));
    await lac.open();
    await lac.close();
    await expect.poll(() => l.stats.established).toBe(0);
    expect(l.stats).toMatchObject({ tunnels: 1, lingering: 1, halfOpen: 0, timers: 1 });
    expect(l.tunnels()[0]!.state).toBe('closing');
    await l.close();
    lns = undefined;
    expect(l.stats).toMatchObject({ tunnels: 0, lingering: 0, timers: 0 });
  });

  it('close() gives up on a silent peer after closeTimeout', async () => {
    const l = await start({ closeTimeout: 150 });
    const lac = new RawLac(await connect(l, 'udp'));
    await lac.open();
    // The LAC goes silent: nothing will ack the StopCCN.
    lac.dispose();
    let heard = 0;
    lac.transport.onMessage(() => void heard++);
    const t0 = performance.now();
    await l.close();
    lns = undefined;
    // Not early (timers never fire before their time, however busy the machine)…
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
    // …and not after the retransmission cycle either (counted, not timed): the StopCCN went out
    // once; its first retransmission would be due 1 s later (RFC 2661 §5.8).
    expect(heard).toBe(1);
    await lac.transport.close();
  });

  it('a TCP connection that drops takes its tunnels down at once (the peer is unreachable)', async () => {
    const l = await start({ tcp: true });
    const downs: string[] = [];
    l.on('tunnel-down', (_t, why) => downs.push(`${why.by} ${why.error?.code}`));
    l.on('session-down', (_s, why) => downs.push(`session ${why.by} ${why.error?.code}`));
    const lac = new RawLac(await connect(l, 'tcp'));
    await lac.open();
    await lac.call();
    await expect.poll(() => l.stats.sessions).toBe(1);
    lac.dispose();
    await lac.transport.close();
    await expect.poll(() => l.stats.tunnels).toBe(0);
    expect(downs).toEqual(['session local TRANSPORT', 'local TRANSPORT']);
    expect(l.stats).toMatchObject({ sessions: 0, established: 0, timers: 0 });
  });

  it('serves IPv6 (::1) too', async () => {
    const l = await start({ host: '::1', echo: true });
    expect(l.address()).toMatchObject({ address: '::1', family: 'IPv6' });
    const lac = new RawLac(await udpTransport({ host: '::1', port: l.address().port }));
    await lac.open();
    const sid = await lac.call();
    lac.send(sid, LCP);
    await expect.poll(() => lac.frames.get(sid)?.length ?? 0).toBe(1);
    await lac.close();
  });

  it('validates its options (local errors)', async () => {
    await expect(createLns({ hostName: '' })).rejects.toThrow(TypeError);
    await expect(createLns({ hostName: 'x', port: 70000 })).rejects.toThrow(RangeError);
    await expect(createLns({ hostName: 'x', port: 0, limits: { maxHalfOpen: 0 } })).rejects.toThrow(RangeError);
    await expect(createLns({ hostName: 'x', port: 0, hideAvps: true })).rejects.toThrow(/secret/);
    await expect(createLns({ hostName: 'x', host: 'localhost', port: 0 })).rejects.toThrow(TypeError);
  });
});
