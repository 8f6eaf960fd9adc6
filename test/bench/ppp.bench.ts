/**
 * PPP codec and login costs, against the built bundle (like wire.bench.ts). Each frame bench call
 * runs BATCH operations: frames/s = hz × 1000. The login benches run a whole CHAP-MD5 /
 * MS-CHAPv2 login between our client and server in memory (no I/O): logins/s = hz.
 */
import { createRequire } from 'node:module';
import { afterAll, bench, describe } from 'vitest';

const load = createRequire(import.meta.url);
const { parsePppFrame, encodePppFrame, parseControlPacket, parseOptions, PppClient, PppServer, md4, sha1, generateNtResponse }: typeof import('../../src/index.js') =
  load('../../dist/index.js');

const BATCH = 1000;
// An IPv4 data frame (ff 03 00 21 + 64 bytes) and xl2tpd's pppd LCP Configure-Request.
const DATA = Uint8Array.from({ length: 68 }, (_, i) => (i < 4 ? [0xff, 0x03, 0x00, 0x21][i]! : i));
const LCP_CR = Uint8Array.of(0xff, 0x03, 0xc0, 0x21, 1, 1, 0, 14, 1, 4, 5, 220, 5, 6, 0x11, 0x22, 0x33, 0x44);
const out = new Uint8Array(2048);
const payload = DATA.subarray(4);
let sink = 0;

describe('PPP frames (×1000 per call: frames/s = hz × 1000)', () => {
  bench('parsePppFrame(IPv4 data) ×1000', () => {
    for (let i = 0; i < BATCH; i++) sink += parsePppFrame(DATA).protocol;
  });
  bench('encodePppFrame(IPv4 data) into a buffer ×1000', () => {
    for (let i = 0; i < BATCH; i++) sink += encodePppFrame(0x21, payload, {}, out, 0).length;
  });
  bench('parse LCP Configure-Request (frame + packet + options) ×1000', () => {
    for (let i = 0; i < BATCH; i++) sink += parseOptions(parseControlPacket(parsePppFrame(LCP_CR).information).data).length;
  });
});

const random = (n: number) => crypto.getRandomValues(new Uint8Array(n));
function loginOnce(method: 'chap-md5' | 'mschapv2'): void {
  const client = new PppClient({ random, username: 'alice', password: 'wonderland', ipv6: false });
  const server = new PppServer({ random, ipv6: false, authProtocols: [method], authenticate: (_m, _u, p) => p.verify('wonderland'), peerAddress: '10.0.0.2' });
  const q: [InstanceType<typeof PppClient> | InstanceType<typeof PppServer>, Uint8Array][] = [];
  const carry = (from: typeof client | typeof server, acts: ReturnType<typeof client.handle>) => {
    for (const a of acts) if (a.type === 'send') q.push([from === client ? server : client, a.frame]);
  };
  carry(server, server.handle({ type: 'open' }, 0));
  carry(client, client.handle({ type: 'open' }, 0));
  while (q.length) {
    const [to, f] = q.shift()!;
    carry(to, to.handle({ type: 'received', frame: f }, 0));
  }
  if (client.phase !== 'network') throw new Error('login did not complete');
}

describe('whole logins in memory (logins/s = hz)', () => {
  bench('CHAP-MD5 login, LCP + auth + IPCP', () => loginOnce('chap-md5'));
  bench('MS-CHAPv2 login, LCP + auth + IPCP', () => loginOnce('mschapv2'));
  bench('MS-CHAPv2 NT-Response alone (MD4 + SHA-1 + 3 DES)', () => {
    sink += generateNtResponse(DATA.subarray(0, 16), DATA.subarray(16, 32), 'alice', 'wonderland')[0]!;
  });
  bench('md4 + sha1 of 64 bytes', () => {
    sink += md4(payload)[0]! + sha1(payload)[0]!;
  });
});

// A whole login() over loopback UDP to the embedded LNS serving PPP: tunnel, session, LCP,
// CHAP-MD5, IPCP, IPV6CP, one echo, teardown (logins/s = hz; mean = one login's wall time).
const { login, AddressPool }: typeof import('../../src/index.js') = load('../../dist/index.js');
const { createLns, servePppOnLns, udpTransport }: typeof import('../../src/node.js') = load('../../dist/node.js');
const lns = await createLns({ hostName: 'bench-lns', host: '127.0.0.1', port: 0 });
servePppOnLns(lns, { authProtocols: ['chap-md5'], authenticate: (_m, _u, p) => p.verify('wonderland'), addressPool: new AddressPool('10.0.0.2', 1000), dns: ['10.0.0.53'] });
const lnsPort = lns.address().port;
afterAll(() => lns.close());

describe('login() over loopback UDP (logins/s = hz)', () => {
  bench(
    'login(): tunnel + session + CHAP-MD5 + IPCP/IPV6CP + echo + teardown',
    async () => {
      const r = await login(await udpTransport({ host: '127.0.0.1', port: lnsPort }), { username: 'alice', password: 'wonderland' });
      if (!r.ok) throw new Error(`login failed: ${r.stage} ${r.reason}`);
    },
    { iterations: 30, time: 0 },
  );
});
