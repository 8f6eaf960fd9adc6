/**
 * PPP against a real l2tpns (2.4.1, Debian) with FreeRADIUS 3 as its authenticator (user alice /
 * wonderland): our PAP and CHAP-MD5 logins succeed with the right password and are refused with
 * a wrong one (l2tpns answers a wrong password with a CDN, not a Nak: a result, not an
 * exception), IPCP gives the address l2tpns says it assigned (its own CLI, `show session N`),
 * DNS 10.255.255.53/.54 (RFC 1877), an IPV6CP interface identifier (l2tpns Naks ours with its
 * IPv4 address + 4 zero bytes), and the link stays up across l2tpns's LCP Echo-Requests. The built
 * CLI's `login` does the same, and tshark decodes the PPP in its --pcap. l2tpns does not do
 * MS-CHAPv2 (see docs/ppp.md): that method is proven against RFC 2759's vectors and our own LNS.
 *
 * One run of the script (test/interop/l2tpns-ppp.ts) holds everything: l2tpns + FreeRADIUS start
 * once. Needs root, l2tpns, freeradius, /dev/net/tun and `unshare`; otherwise every test is
 * reported skipped with the reason.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthResult, PppLinkInfo } from '../../src/index.js';
import { radiusUnavailable, runWithL2tpns, type L2tpnsRun } from './l2tpns.js';

const CLI = resolve(__dirname, '../../dist/cli.js');
const hasTshark = spawnSync('tshark', ['--version']).status === 0;
const why = radiusUnavailable();
const skipped = why === undefined ? '' : ` [skipped: ${why}]`;

interface Login {
  method: string;
  password: string;
  ok: boolean;
  stage: string;
  reason?: string;
  auth: AuthResult | null;
  info: PppLinkInfo | null;
}
interface Held {
  ok: boolean;
  reason?: string;
  info: PppLinkInfo;
  l2tpnsSession: number;
  echoRequestsIn: number;
  echoRepliesOut: number;
  stillUp: boolean;
  echoRtt: number | string;
  showUp: string;
  showLater: string;
  showDown: string;
}
interface CliRun {
  name: string;
  status: number;
  json: { success: boolean; exitCode: number; stage: string; auth: AuthResult | null; info: PppLinkInfo | null; failure?: string; hint?: string } | undefined;
  stderr: string;
  pcap: string;
}
interface Outcome {
  logins: Login[];
  held: Held;
  cli: CliRun[];
}

let run: L2tpnsRun<Outcome>;
let o: Outcome;
const dir = mkdtempSync(join(tmpdir(), 'l2tp-wire-l2tpns-ppp-'));

/** `IP address:	10.10.10.1` from l2tpns's `show session N`. */
const shownAddress = (text: string) => /IP address:\s*(\S+)/.exec(text)?.[1];

describe('PPP logins to l2tpns (RADIUS: FreeRADIUS)', () => {
  beforeAll(() => {
    if (why !== undefined) return;
    expect(existsSync(CLI), 'dist/cli.js missing: run `npm run build` first').toBe(true);
    run = runWithL2tpns<Outcome>('test/interop/l2tpns-ppp.ts', { radius: true, timeout: 150_000, env: { L2TPNS_PPP_CLI: CLI, L2TPNS_PPP_PCAP_DIR: dir } });
    expect(run.status, run.stderr).toBe(0);
    o = run.result!;
    expect(o, run.stdout).toBeDefined();
  }, 180_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const login = (method: string, right: boolean) => o.logins.find((l) => l.method === method && (l.password === 'wonderland') === right)!;

  for (const method of ['pap', 'chap-md5']) {
    it.skipIf(why !== undefined)(`${method}: the right password logs in; IPCP gives a pool address and DNS 10.255.255.53/.54; IPV6CP an interface id${skipped}`, () => {
      const r = login(method, true);
      expect(r.ok, JSON.stringify(r)).toBe(true);
      expect(r.stage).toBe('done');
      expect(r.auth).toMatchObject({ ok: true, method, user: 'alice' });
      expect(r.info!.authProtocol).toBe(method);
      // l2tpns's pool (/etc/l2tpns/ip_pool: 10.10.10.0/24, 10.13.10.0/24); its own address is its bind address.
      expect(r.info!.ipAddress).toMatch(/^10\.(10|13)\.10\.\d+$/);
      expect(r.info!.peerIpAddress).toBe('127.0.0.1');
      expect(r.info!.dns).toEqual(['10.255.255.53', '10.255.255.54']);
      // l2tpns Naks an interface identifier with the IPv4 address + 4 zero bytes, and uses ::1 itself.
      const [a, b, c, d] = r.info!.ipAddress!.split('.').map(Number) as [number, number, number, number];
      expect(r.info!.ipv6InterfaceId).toBe(`${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}:0:0`);
      expect(r.info!.peerIpv6InterfaceId).toBe('0:0:0:1');
      expect(r.info!.peerMru).toBe(1462);
      expect(run.log).toMatch(new RegExp(`${method === 'pap' ? 'PAP' : 'CHAP'} login alice`, 'i'));
    });

    it.skipIf(why !== undefined)(`${method}: a wrong password is refused — a result (stage ppp), not an exception; RADIUS said Access-Reject${skipped}`, () => {
      const r = login(method, false);
      expect(r.ok).toBe(false);
      expect(r.stage).toBe('ppp');
      expect(r.info).toBeNull();
      // l2tpns hangs up (CDN) instead of a PAP Nak / CHAP Failure.
      expect(r.reason).toBeTruthy();
      expect(run.log).toMatch(/Authentication rejected/);
    });
  }

  it.skipIf(why !== undefined)(`l2tpns's own CLI (show session N) shows the address IPCP gave us while the link is up, none once it is down${skipped}`, () => {
    const h = o.held;
    expect(h.ok, h.reason).toBe(true);
    expect(h.showUp).toMatch(/User:\s*alice/);
    expect(shownAddress(h.showUp)).toBe(h.info.ipAddress);
    expect(shownAddress(h.showLater)).toBe(h.info.ipAddress);
    expect(shownAddress(h.showDown)).not.toBe(h.info.ipAddress);
  });

  it.skipIf(why !== undefined)(`LCP echo keeps the link: l2tpns's Echo-Requests are answered, the link is still up after them and our own echo is answered${skipped}`, () => {
    const h = o.held;
    expect(h.echoRequestsIn).toBeGreaterThanOrEqual(2);
    expect(h.echoRepliesOut).toBeGreaterThanOrEqual(h.echoRequestsIn);
    expect(h.stillUp).toBe(true);
    expect(typeof h.echoRtt, String(h.echoRtt)).toBe('number');
    expect(run.log).not.toMatch(/No ECHO response|Idle timeout/i);
  });

  it.skipIf(why !== undefined)(`CLI login: PAP and CHAP exit 0 with l2tpns's address and DNS; a wrong password exits 5 with a hint${skipped}`, () => {
    const by = (n: string) => o.cli.find((c) => c.name === n)!;
    for (const n of ['pap-right', 'chap-right']) {
      const c = by(n);
      expect(c.status, c.stderr).toBe(0);
      expect(c.json).toMatchObject({ success: true, exitCode: 0, stage: 'done', auth: { ok: true, method: n.startsWith('pap') ? 'pap' : 'chap-md5', user: 'alice' } });
      expect(c.json!.info!.ipAddress).toMatch(/^10\.(10|13)\.10\.\d+$/);
      expect(c.json!.info!.dns).toEqual(['10.255.255.53', '10.255.255.54']);
    }
    for (const n of ['pap-wrong', 'chap-wrong']) {
      const c = by(n);
      expect(c.status, c.stderr).toBe(5);
      expect(c.json).toMatchObject({ success: false, exitCode: 5, stage: 'ppp' });
      expect(c.json!.hint).toMatch(/password/);
    }
  });

  it.skipIf(why !== undefined || !hasTshark)(`CLI login --pcap: tshark decodes LCP, PAP/CHAP, IPCP, IPV6CP inside L2TP, with no expert errors${skipped || (hasTshark ? '' : ' [skipped: tshark missing]')}`, () => {
    for (const [n, auth] of [['pap-right', 'pap'], ['chap-right', 'chap']] as const) {
      const pcap = o.cli.find((c) => c.name === n)!.pcap;
      const protocols = execFileSync('tshark', ['-r', pcap, '-T', 'fields', '-e', 'frame.protocols'], { encoding: 'utf8' });
      for (const p of ['l2tp:ppp:lcp', `l2tp:ppp:${auth}`, 'l2tp:ppp:ipcp', 'l2tp:ppp:ipv6cp']) expect(protocols, n).toContain(p);
      const expert = execFileSync('tshark', ['-r', pcap, '-q', '-z', 'expert,error'], { encoding: 'utf8' });
      expect(expert, n).not.toMatch(/Errors \(\d+\)/);
    }
  });
});
