import { describe, expect, it } from 'vitest';
import { PppClient, PppServer, type PppClientOptions, type PppServerOptions } from '../../src/ppp/link.js';
import { AddressPool } from '../../src/ppp/address-pool.js';
import type { AuthMethod } from '../../src/ppp/auth-method.js';
import { find, Pair, seededRandom } from './harness.js';

const USERS: Record<string, string> = { alice: 'wonderland', bob: 'builder' };

function pair(client: Partial<PppClientOptions> = {}, server: Partial<PppServerOptions> = {}, link = { delay: 10 }, seed = 7): Pair {
  const c = new PppClient({ random: seededRandom(seed), username: 'alice', password: 'wonderland', ...client });
  const s = new PppServer({
    random: seededRandom(seed + 100),
    authenticate: (_m, user, proof) => proof.verify(USERS[user] ?? '\u0000no such user'),
    localAddress: '10.0.0.1',
    peerAddress: '10.0.0.2',
    dns: ['10.0.0.53', '10.0.0.54'],
    ...server,
  });
  return new Pair(c, s, link, seed);
}

describe('PPP client ↔ server, every authentication method', () => {
  it.each<AuthMethod>(['pap', 'chap-md5', 'mschapv2'])('%s: right password → up with address and DNS', (method) => {
    const p = pair({}, { authProtocols: [method] }).open();
    p.run(() => p.bothUp());
    const cUp = find(p.client, 'up');
    expect(cUp, JSON.stringify(p.client.actions.filter((a) => a.type !== 'send'))).toBeDefined();
    expect(cUp!.info).toMatchObject({
      authProtocol: method,
      user: 'alice',
      ipAddress: '10.0.0.2',
      peerIpAddress: '10.0.0.1',
      dns: ['10.0.0.53', '10.0.0.54'],
    });
    expect(cUp!.info.ipv6InterfaceId).toMatch(/^[0-9a-f]+(:[0-9a-f]+){3}$/);
    expect(cUp!.info.peerIpv6InterfaceId).toBe(find(p.server, 'up')!.info.ipv6InterfaceId);
    expect(find(p.server, 'up')!.info).toMatchObject({ authProtocol: method, user: 'alice', ipAddress: '10.0.0.1', peerIpAddress: '10.0.0.2' });
    expect(find(p.client, 'authenticated')!.result.ok).toBe(true);
    expect(p.client.link.phase).toBe('network');
  });

  it.each<AuthMethod>(['pap', 'chap-md5', 'mschapv2'])('%s: wrong password → auth failure reported on both sides, link down', (method) => {
    const p = pair({ password: 'rabbit-hole' }, { authProtocols: [method] }).open();
    p.run(() => p.bothDown());
    const r = find(p.client, 'authenticated')!.result;
    expect(r).toMatchObject({ ok: false, method, user: 'alice' });
    expect(find(p.server, 'authenticated')!.result).toMatchObject({ ok: false, method });
    expect(find(p.client, 'up')).toBeUndefined();
    expect(find(p.client, 'down')!.reason).toMatch(/^auth-failed/);
    expect(find(p.server, 'down')!.reason).toMatch(/^auth-failed/);
    expect(p.client.link.phase).toBe('dead');
  });

  it('the server message reaches the client (callback returning an object)', () => {
    const p = pair({ password: 'x' }, { authProtocols: ['chap-md5'], authenticate: () => ({ ok: false, message: 'account locked' }) }).open();
    p.run(() => p.bothDown());
    expect(find(p.client, 'authenticated')!.result.message).toBe('account locked');
  });

  it('MS-CHAPv2: a server that lies about knowing the password is caught by the S= check', () => {
    // The callback says yes without verifying: no password to compute S= with, so the server refuses.
    const p = pair({}, { authProtocols: ['mschapv2'], authenticate: () => true }).open();
    p.run(() => p.bothDown());
    expect(find(p.client, 'authenticated')!.result.ok).toBe(false);
  });

  it('the client picks from what it allows: server prefers MS-CHAPv2, client only PAP → nak → PAP', () => {
    const p = pair({ authProtocols: ['pap'] }, { authProtocols: ['mschapv2', 'pap'] }).open();
    p.run(() => p.bothUp());
    expect(find(p.client, 'up')!.info.authProtocol).toBe('pap');
  });

  it('no common method: the server closes with a clear reason', () => {
    const p = pair({ authProtocols: ['pap'] }, { authProtocols: ['chap-md5'] }).open();
    p.run(() => p.bothDown());
    expect(find(p.server, 'down')!.reason).toMatch(/^auth-refused/);
    expect(find(p.client, 'up')).toBeUndefined();
  });

  it('no authentication required: straight to the network phase', () => {
    const p = pair({}, { authProtocols: [] }).open();
    p.run(() => p.bothUp());
    expect(find(p.client, 'up')!.info).toMatchObject({ authProtocol: null, ipAddress: '10.0.0.2' });
    expect(find(p.client, 'authenticated')).toBeUndefined();
  });
});

describe('PPP over a lossy link (seeded: 20% loss, 10% duplicates, 10% reordering, 5–45 ms delay)', () => {
  const lossy = { delay: 5, jitter: 40, loss: 0.2, duplicate: 0.1, reorder: 0.1, reorderDelay: 100 };
  const cases = ([1, 2, 3, 4, 5, 6] as const).flatMap((seed) => (['pap', 'chap-md5', 'mschapv2'] as const).map((m) => [seed, m] as const));
  it.each(cases)('seed %i, %s: the login completes with the right address', (seed, method) => {
    const p = pair({}, { authProtocols: [method] }, lossy, seed).open();
    p.run(() => p.bothUp());
    expect(find(p.client, 'up')?.info).toMatchObject({ authProtocol: method, ipAddress: '10.0.0.2', dns: ['10.0.0.53', '10.0.0.54'] });
    expect(find(p.server, 'up')?.info.user).toBe('alice');
  });
  it.each([1, 2, 3])('seed %i, mschapv2, wrong password: a clean failure on both sides', (seed) => {
    const p = pair({ password: 'nope' }, { authProtocols: ['mschapv2'] }, lossy, seed).open();
    p.run(() => p.bothDown());
    expect(p.client.actions.some((a) => a.type === 'authenticated' && a.result.ok)).toBe(false);
    expect(find(p.server, 'authenticated')?.result.ok).toBe(false);
    expect(find(p.client, 'up')).toBeUndefined();
  });
});

describe('IPCP and IPV6CP', () => {
  it('addresses come from a pool per user; DNS only when the server has some (RFC 1877 reject)', () => {
    const pool = new AddressPool('192.168.7.10', 2);
    const p = pair({}, { peerAddress: () => pool.allocate(), dns: undefined, authProtocols: ['chap-md5'] }).open();
    p.run(() => p.bothUp());
    expect(find(p.client, 'up')!.info).toMatchObject({ ipAddress: '192.168.7.10', dns: [] });
    expect(pool.allocated).toBe(1);
  });
  it('ipv6: false on the server: IPV6CP is Protocol-Rejected, the link comes up on IPv4 alone', () => {
    const p = pair({}, { ipv6: false }).open();
    p.run(() => p.bothUp());
    expect(find(p.client, 'up')!.info).toMatchObject({ ipAddress: '10.0.0.2', ipv6InterfaceId: null });
  });
  it('network packets flow once the NCP is open', () => {
    const p = pair().open();
    p.run(() => p.bothUp());
    const ip = Uint8Array.of(0x45, 0, 0, 20, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 2, 10, 0, 0, 1);
    p.toServer.send(p.client.link.encapsulate(0x21, ip), p.now);
    p.run(() => p.server.actions.some((a) => a.type === 'packet'));
    const got = find(p.server, 'packet')!;
    expect(got.protocol).toBe(0x21);
    expect(Array.from(got.information)).toEqual(Array.from(ip));
  });
});

describe('LCP echo and terminate', () => {
  it('an Echo-Request is answered; the rtt is the virtual round trip', () => {
    const p = pair().open();
    p.run(() => p.bothUp());
    p.feed(p.client, { type: 'echo' });
    p.run(() => p.client.actions.some((a) => a.type === 'echo-reply'));
    expect(find(p.client, 'echo-reply')!.rtt).toBe(20);
  });
  it('keepalive: a server that goes silent is declared dead after echoFailures', () => {
    const p = pair({ echoInterval: 1000, echoFailures: 3 }).open();
    p.run(() => p.bothUp());
    // Cut the server off: it stops receiving.
    const server = p.server.link;
    (p.server as { link: unknown }).link = { handle: () => [], nextDeadline: () => undefined };
    p.run(() => p.client.actions.some((a) => a.type === 'down'));
    expect(find(p.client, 'down')!.reason).toMatch(/^echo timeout/);
    void server;
  });
  it('close: Terminate-Request/Ack, both sides down with their reasons', () => {
    const p = pair().open();
    p.run(() => p.bothUp());
    p.feed(p.client, { type: 'close', reason: 'user logout' });
    p.run(() => p.bothDown());
    expect(find(p.client, 'down')!.reason).toBe('user logout');
    expect(find(p.server, 'down')!.reason).toBe('peer-terminated');
  });
  it('a silent peer: LCP gives up after Max-Configure requests (TO-)', () => {
    const c = new PppClient({ random: seededRandom(3), username: 'a', password: 'b', negotiation: { restartInterval: 100, maxConfigure: 4 } });
    const sent: number[] = [];
    let now = 0;
    const downs: string[] = [];
    const run = (acts: ReturnType<typeof c.handle>) => {
      for (const a of acts) {
        if (a.type === 'send') sent.push(now);
        if (a.type === 'down') downs.push(a.reason);
      }
    };
    run(c.handle({ type: 'open' }, now));
    for (let i = 0; i < 20 && c.nextDeadline() !== undefined; i++) {
      now = c.nextDeadline()!;
      run(c.handle({ type: 'tick' }, now));
    }
    expect(sent).toEqual([0, 100, 200, 300]);
    expect(downs).toEqual(['timeout']);
  });
});
