/**
 * The async PPP driver over a real (in-memory) L2TP tunnel and session: our client logs in to our
 * PPP server, which sits behind an independent L2TP responder (test/client/responder.ts).
 */
import { describe, expect, it } from 'vitest';
import { openTunnel } from '../../src/client/open.js';
import { connectPpp, servePpp, type PppPort } from '../../src/client/ppp.js';
import { login } from '../../src/client/login.js';
import { memoryTransportPair } from '../../src/transports/memory.js';
import { L2tpError } from '../../src/wire/errors.js';
import { AddressPool } from '../../src/ppp/address-pool.js';
import type { AuthMethod } from '../../src/ppp/auth-method.js';
import { Responder } from '../client/responder.js';

/**
 * The responder's side of the first session, as a PppPort. The responder is watched from the
 * start, and frames that arrive before servePpp subscribes wait (a test-only buffer), so the
 * order the test starts the two sides in loses nothing.
 */
async function serverPort(lns: Responder): Promise<PppPort> {
  const listeners = new Set<(f: Uint8Array) => void>();
  const early: Uint8Array[] = [];
  let closed!: () => void;
  const original = lns.do.bind(lns);
  lns.do = (event) => {
    const acts = original(event);
    for (const a of acts) {
      if (a.type === 'frame') {
        if (listeners.size === 0) early.push(a.payload.slice());
        for (const l of listeners) l(a.payload.slice());
      }
      if (a.type === 'session-down') closed();
    }
    return acts;
  };
  const up = await lns.next('session-up', true);
  return {
    send: (frame) => {
      lns.do({ type: 'sendFrame', sessionId: up.sessionId, frame });
      return Promise.resolve();
    },
    onFrame: (l) => {
      listeners.add(l);
      for (const f of early.splice(0)) l(f);
      return () => listeners.delete(l);
    },
    closed: new Promise<void>((r) => (closed = r)),
  };
}

async function setup() {
  const link = memoryTransportPair();
  const lns = new Responder(link.b, { echo: false });
  const portP = serverPort(lns);
  const tunnel = await openTunnel(link.a);
  const session = await tunnel.openSession();
  const port = await portP;
  return { lns, tunnel, session, port };
}

const USERS: Record<string, string> = { alice: 'wonderland' };

describe('connectPpp / servePpp over an L2TP session', () => {
  it.each<AuthMethod>(['pap', 'chap-md5', 'mschapv2'])('%s: login, echo, close', async (method) => {
    const { lns, tunnel, session, port } = await setup();
    const pool = new AddressPool('10.5.0.10', 4);
    // The client starts first; the server answers its Configure-Request at once (no restart-timer wait).
    const login = connectPpp(session, { username: 'alice', password: 'wonderland' });
    // A short restart timer: after the client's Terminate-Request the server waits one period (zrc, RFC 1661 §4.1 RTR in Opened).
    const server = servePpp(port, { authProtocols: [method], authenticate: (_m, u, p) => p.verify(USERS[u] ?? '\0'), peerAddress: () => pool.allocate(), dns: ['10.5.0.53'], negotiation: { restartInterval: 50 } });
    const client = await login;
    expect(client.ok, JSON.stringify(client)).toBe(true);
    expect(JSON.parse(JSON.stringify(client))).toMatchObject({ ok: true, connection: { info: { user: 'alice' } } });
    if (!client.ok) return;
    expect(client.info).toMatchObject({ authProtocol: method, ipAddress: '10.5.0.10', peerIpAddress: '10.0.0.1', dns: ['10.5.0.53'] });
    expect(client.phases.map((p) => p.phase)).toEqual(['establish', 'authenticate', 'network']);
    const s = await server;
    expect(s.ok && s.info.user).toBe('alice');
    expect(await client.connection.echo()).toBeGreaterThanOrEqual(0);
    const reason = client.connection.close('user logout');
    expect(await reason).toBe('user logout');
    expect(s.ok && (await s.connection.closed)).toBe('peer-terminated');
    await tunnel.close();
    await lns.stop();
  });

  it('a wrong password is a result with the reason, not an exception', async () => {
    const { lns, tunnel, session, port } = await setup();
    const login = connectPpp(session, { username: 'alice', password: 'looking-glass' });
    void servePpp(port, { authProtocols: ['mschapv2'], authenticate: (_m, u, p) => p.verify(USERS[u] ?? '\0'), peerAddress: '10.5.0.10' });
    const r = await login;
    expect(r.ok).toBe(false);
    expect(r.auth).toMatchObject({ ok: false, method: 'mschapv2' });
    expect(!r.ok && r.reason).toMatch(/^auth-failed/);
    await tunnel.close();
    await lns.stop();
  });

  it('no PPP peer: the login times out as a result; an abort rejects with ABORTED', async () => {
    const { lns, tunnel, session } = await setup();
    // A virtual clock: each timer fires on the next turn and moves the clock to its due time.
    let now = 0;
    const clock = () => now;
    const timers = {
      setTimeout: (f: () => void, ms: number) => {
        const at = now + ms;
        return setTimeout(() => ((now = Math.max(now, at)), f()), 0);
      },
      clearTimeout: (h: unknown) => clearTimeout(h as never),
    };
    const r = await connectPpp(session, { username: 'a', password: 'b', timeout: 200, clock, timers });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(/^timeout/);
    const ac = new AbortController();
    const p = connectPpp(session, { username: 'a', password: 'b', signal: ac.signal, clock, timers });
    ac.abort();
    await expect(p).rejects.toMatchObject({ code: 'ABORTED' });
    await expect(p).rejects.toBeInstanceOf(L2tpError);
    await tunnel.close();
    await lns.stop();
  });

  it('misuse is a TypeError/RangeError', () => {
    expect(() => connectPpp({} as PppPort, { username: 'a', password: 'b' })).toThrow(TypeError);
  });
});

describe('login(): tunnel + session + PPP + teardown in one call', () => {
  it('reports every stage with timings and what was negotiated', async () => {
    const link = memoryTransportPair();
    const lns = new Responder(link.b, { echo: false });
    const served = serverPort(lns).then((port) =>
      servePpp(port, { authProtocols: ['chap-md5'], authenticate: (_m, u, p) => p.verify(USERS[u] ?? '\0'), peerAddress: '10.6.0.7', dns: ['10.6.0.53'], negotiation: { restartInterval: 50 } }),
    );
    const r = await login(link.a, { username: 'alice', password: 'wonderland' });
    expect(r).toMatchObject({ ok: true, stage: 'done', auth: { ok: true, method: 'chap-md5' }, info: { ipAddress: '10.6.0.7', dns: ['10.6.0.53'] } });
    for (const k of ['tunnel', 'session', 'lcp', 'auth', 'network', 'echo', 'total'] as const) expect(r.timings[k], k).toBeGreaterThanOrEqual(0);
    // The server saw the client's Terminate-Request ("login check done").
    const s = await served;
    expect(s.ok && (await s.connection.closed)).toBe('peer-terminated');
    expect(JSON.parse(JSON.stringify(r)).info.ipAddress).toBe('10.6.0.7');
    await lns.stop();
  });
  it('a wrong password stops at the ppp stage with the reason', async () => {
    const link = memoryTransportPair();
    const lns = new Responder(link.b, { echo: false });
    void serverPort(lns).then((port) => servePpp(port, { authProtocols: ['pap'], authenticate: () => ({ ok: false, message: 'Login incorrect' }), peerAddress: '10.6.0.7' }));
    const r = await login(link.a, { username: 'alice', password: 'x' });
    expect(r).toMatchObject({ ok: false, stage: 'ppp', auth: { ok: false, method: 'pap', message: 'Login incorrect' }, info: null });
    expect(r.reason).toBe('auth-failed: Login incorrect');
    await lns.stop();
  });
  it('no L2TP peer: stops at the tunnel stage', async () => {
    const link = memoryTransportPair();
    let now = 0;
    const timers = {
      setTimeout: (f: () => void, ms: number) => {
        const at = now + ms;
        return setTimeout(() => ((now = Math.max(now, at)), f()), 0);
      },
      clearTimeout: (h: unknown) => clearTimeout(h as never),
    };
    const r = await login(link.a, { username: 'a', password: 'b', clock: () => now, timers });
    expect(r.ok).toBe(false);
    expect(r.stage).toBe('tunnel');
    expect(r.reason).toMatch(/^TIMEOUT/);
  });
});
