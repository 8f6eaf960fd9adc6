/// <reference types="node" />
/**
 * Our client logs in to our LNS over real UDP sockets on loopback: createLns + servePppOnLns on
 * one side, login(udpTransport) on the other, for every method, right and wrong passwords.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createLns } from '../../src/server/lns.js';
import { servePppOnLns } from '../../src/server/lns-ppp.js';
import { udpTransport } from '../../src/transports/node-udp.js';
import { login } from '../../src/client/login.js';
import { AddressPool } from '../../src/ppp/address-pool.js';
import type { AuthMethod } from '../../src/ppp/auth-method.js';
import type { Lns } from '../../src/server/lns-types.js';
import type { PppOutcome } from '../../src/client/ppp.js';

const USERS: Record<string, string> = { alice: 'wonderland', bob: 'builder' };
let lns: Lns | undefined;
afterEach(async () => {
  await lns?.close();
  lns = undefined;
});

async function start(methods: AuthMethod[], pool = new AddressPool('10.77.0.2', 8)) {
  lns = await createLns({ hostName: 'lns.test', host: '127.0.0.1', port: 0 });
  const logins: PppOutcome[] = [];
  servePppOnLns(lns, {
    authProtocols: methods,
    authenticate: (_m, user, proof) => proof.verify(USERS[user] ?? '\0'),
    addressPool: pool,
    dns: ['10.77.0.53', '10.77.0.54'],
    localAddress: '10.77.0.1',
    onLogin: (_s, o) => logins.push(o),
  });
  const { port } = lns.address();
  const connect = () => udpTransport({ host: '127.0.0.1', port });
  return { connect, logins, pool };
}

describe('login() against createLns + servePppOnLns over loopback UDP', () => {
  it.each<AuthMethod>(['pap', 'chap-md5', 'mschapv2'])('%s: the right password logs in; the address goes back to the pool', async (method) => {
    const { connect, logins, pool } = await start([method]);
    const r = await login(await connect(), { username: 'bob', password: 'builder' });
    expect(r, JSON.stringify(r)).toMatchObject({
      ok: true,
      stage: 'done',
      auth: { ok: true, method, user: 'bob' },
      info: { ipAddress: '10.77.0.2', peerIpAddress: '10.77.0.1', dns: ['10.77.0.53', '10.77.0.54'] },
    });
    expect(r.info!.ipv6InterfaceId).not.toBeNull();
    expect(typeof r.timings.echo).toBe('number');
    expect(logins[0]).toMatchObject({ ok: true, info: { user: 'bob' } });
    // The LNS hangs up once the client's LCP Terminate-Request went through, then frees the address.
    await expect.poll(() => pool.allocated).toBe(0);
  });
  it.each<AuthMethod>(['pap', 'chap-md5', 'mschapv2'])('%s: a wrong password is refused, with the method named', async (method) => {
    const { connect } = await start([method]);
    const r = await login(await connect(), { username: 'alice', password: 'queen-of-hearts' });
    expect(r).toMatchObject({ ok: false, stage: 'ppp', auth: { ok: false, method } });
    expect(r.reason).toMatch(/^auth-failed/);
  });
  it('two clients at once both log in, with addresses from the pool', async () => {
    const { connect } = await start(['chap-md5']);
    const [a, b] = await Promise.all([
      login(await connect(), { username: 'alice', password: 'wonderland', echo: false }),
      login(await connect(), { username: 'bob', password: 'builder', echo: false }),
    ]);
    expect(a.ok && b.ok).toBe(true);
    // Distinct while both are up; a fast first login may free .2 before the second takes it.
    for (const r of [a, b]) expect(['10.77.0.2', '10.77.0.3']).toContain(r.info!.ipAddress);
  });
});

describe('createLns({ ppp }) and session.ppp()', () => {
  it('a session of openTunnel logs in with session.ppp() to an LNS given the ppp option', async () => {
    const { openTunnel } = await import('../../src/client/open.js');
    lns = await createLns({
      hostName: 'lns.test',
      host: '127.0.0.1',
      port: 0,
      ppp: { authProtocols: ['chap-md5'], authenticate: (_m, user, proof) => proof.verify(USERS[user] ?? '\0'), addressPool: new AddressPool('10.78.0.2', 4), dns: ['10.78.0.53'] },
    });
    const tunnel = await openTunnel(await udpTransport({ host: '127.0.0.1', port: lns.address().port }), { hostName: 'lac.test' });
    try {
      const session = await tunnel.openSession();
      const right = await session.ppp({ username: 'alice', password: 'wonderland' });
      expect(right).toMatchObject({ ok: true, auth: { ok: true, method: 'chap-md5', user: 'alice' }, info: { ipAddress: '10.78.0.2', dns: ['10.78.0.53'] } });
      if (right.ok) await right.connection.close();
      const wrong = await (await tunnel.openSession()).ppp({ username: 'alice', password: 'red-queen' });
      expect(wrong).toMatchObject({ ok: false, auth: { ok: false, method: 'chap-md5' } });
    } finally {
      await tunnel.close();
    }
  });
  it('refuses a ppp option with neither addressPool nor peerAddress before binding anything', async () => {
    await expect(createLns({ hostName: 'x', port: 0, ppp: { authenticate: () => true } as never })).rejects.toThrow(/addressPool or peerAddress/);
  });
});
