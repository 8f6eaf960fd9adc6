/**
 * `l2tp-wire login` (the built CLI, dist/cli.js) against `l2tp-wire lns --users FILE` (also the
 * built CLI, a child process): every method with the right and the wrong password, where the
 * password comes from, --json fields, exit codes, --trace with the PPP packets in the ladder and
 * --pcap decoded by tshark. The same login against a real l2tpns is in
 * test/interop/l2tpns-ppp.test.ts.
 */
import { execFile, execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CLI = resolve(__dirname, '../../dist/cli.js');
const dir = mkdtempSync(join(tmpdir(), 'l2tp-cli-login-'));
const hasTshark = spawnSync('tshark', ['--version']).status === 0;
const USERS = join(dir, 'users.txt');
const PW = join(dir, 'alice.pw');
const env = { ...process.env };
delete env.L2TP_WIRE_PASSWORD;

function run(args: string[], extraEnv: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [CLI, ...args], { timeout: 20_000, env: { ...env, ...extraEnv } }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

let lns: ChildProcess;
let port: number;
const events: Record<string, unknown>[] = [];

beforeAll(async () => {
  expect(existsSync(CLI), 'dist/cli.js missing: run `npm run build` first').toBe(true);
  writeFileSync(USERS, '# users of the test LNS\nalice wonderland\n\nbob   two words here\n');
  writeFileSync(PW, 'wonderland\n');
  lns = spawn(process.execPath, [CLI, 'lns', '--port', '0', '--users', USERS, '--dns', '10.9.0.53,10.9.0.54', '--pool', '10.9.0.10', '--json'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: lns.stdout! });
  port = await new Promise<number>((resolvePort) => {
    lines.on('line', (l) => {
      const e = JSON.parse(l) as Record<string, unknown> & { listening?: { udp: string } };
      if (e.listening) resolvePort(Number(e.listening.udp.split(':').pop()));
      else events.push(e);
    });
  });
});

afterAll(() => {
  lns?.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

interface LoginJson {
  command: string;
  exitCode: number;
  success: boolean;
  stage: string;
  auth: { ok: boolean; method: string; user: string; message: string } | null;
  info: { authProtocol: string; ipAddress: string; peerIpAddress: string; dns: string[]; ipv6InterfaceId: string | null } | null;
  timings: Record<string, number>;
  failure?: string;
  hint?: string;
}

describe('l2tp-wire login → l2tp-wire lns --users', () => {
  for (const [auth, method] of [['pap', 'pap'], ['chap', 'chap-md5'], ['mschapv2', 'mschapv2']] as const) {
    it(`--auth ${auth}: the right password logs in (exit 0): the pool's address, --dns, an IPv6 interface id, every stage timed`, async () => {
      const r = await run(['login', `127.0.0.1:${port}`, '--user', 'alice', '--password-file', PW, '--auth', auth, '--json']);
      expect(r.code, r.stderr).toBe(0);
      const j = JSON.parse(r.stdout) as LoginJson;
      expect(j).toMatchObject({ command: 'login', exitCode: 0, success: true, stage: 'done', auth: { ok: true, method, user: 'alice' } });
      expect(j.info).toMatchObject({ authProtocol: method, ipAddress: '10.9.0.10', dns: ['10.9.0.53', '10.9.0.54'] });
      expect(j.info!.ipv6InterfaceId).toMatch(/:/);
      for (const k of ['tunnel', 'session', 'lcp', 'auth', 'network', 'echo', 'total']) expect(j.timings[k], k).toBeGreaterThan(0);
      // The LNS printed the login as an event line.
      expect(events.some((e) => e.event === 'ppp-up' && e.user === 'alice' && e.method === method)).toBe(true);
    });

    it(`--auth ${auth}: a wrong password is refused: exit 5, the method, the server's message and a hint`, async () => {
      const r = await run(['login', `127.0.0.1:${port}`, '--user', 'alice', '--auth', auth], { L2TP_WIRE_PASSWORD: 'not-it' });
      expect(r.code).toBe(5);
      expect(r.stdout).toMatch(new RegExp(`login 127\\.0\\.0\\.1:${port}: login refused \\(${method}\\)`));
      expect(r.stdout).toMatch(/server said\s+"Authentication failed"/);
      expect(r.stderr).toMatch(/check the user name and password/);
    });
  }

  it('a password with spaces from the users file; an unknown user is refused like a wrong password', async () => {
    const ok = await run(['login', `127.0.0.1:${port}`, '--user', 'bob', '--auth', 'chap', '--json'], { L2TP_WIRE_PASSWORD: 'two words here' });
    expect(ok.code, ok.stderr).toBe(0);
    const nobody = await run(['login', `127.0.0.1:${port}`, '--user', 'mallory', '--json'], { L2TP_WIRE_PASSWORD: 'wonderland' });
    expect(nobody.code).toBe(5);
    expect((JSON.parse(nobody.stdout) as LoginJson).auth).toMatchObject({ ok: false, user: 'mallory', method: 'mschapv2' });
  });

  it('--trace streams the ladder with the PPP packets: LCP, CHAP, IPCP, IPV6CP, echo, terminate', async () => {
    const r = await run(['login', `127.0.0.1:${port}`, '--user', 'alice', '--password-file', PW, '--auth', 'chap', '--trace']);
    expect(r.code, r.stderr).toBe(0);
    for (const p of ['SCCRQ', 'ICCN', 'PPP LCP Configure-Request', 'PPP LCP Configure-Ack', 'PPP CHAP Challenge', 'PPP CHAP Response', 'PPP CHAP Success', 'PPP IPCP Configure-Ack', 'PPP IPV6CP Configure-Ack', 'PPP LCP Echo-Request', 'PPP LCP Echo-Reply', 'PPP LCP Terminate-Request', 'CDN', 'StopCCN'])
      expect(r.stderr, p).toContain(p);
    // Sent to the right, received to the left, as probe --trace draws them.
    expect(r.stderr).toMatch(/us ── PPP CHAP Response id=\d+ sid=\d+ ─+▶/);
    expect(r.stderr).toMatch(/us ◀─+ PPP CHAP Challenge id=\d+ sid=\d+ ──/);
  });

  it.skipIf(!hasTshark)(`--pcap: tshark decodes LCP, PAP, IPCP and IPV6CP inside L2TP with no expert errors${hasTshark ? '' : ' [skipped: tshark missing]'}`, async () => {
    const file = join(dir, 'login.pcap');
    const r = await run(['login', `127.0.0.1:${port}`, '--user', 'alice', '--password-file', PW, '--auth', 'pap', '--pcap', file]);
    expect(r.code, r.stderr).toBe(0);
    const protocols = execFileSync('tshark', ['-r', file, '-d', `udp.port==${port},l2tp`, '-T', 'fields', '-e', 'frame.protocols'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    for (const p of ['l2tp:ppp:lcp', 'l2tp:ppp:pap', 'l2tp:ppp:ipcp', 'l2tp:ppp:ipv6cp']) expect(protocols).toContain(p);
    const pap = execFileSync('tshark', ['-r', file, '-d', `udp.port==${port},l2tp`, '-Y', 'pap', '-T', 'fields', '-e', 'pap.peer_id'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    expect(pap).toContain('alice');
    const expert = execFileSync('tshark', ['-r', file, '-d', `udp.port==${port},l2tp`, '-q', '-z', 'expert,error'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    expect(expert).not.toMatch(/Errors \(\d+\)/);
  });

  it('the password never comes from argv: no --password flag; no file, no variable and no terminal is a usage error', async () => {
    const flag = await run(['login', `127.0.0.1:${port}`, '--user', 'alice', '--password', 'wonderland']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/unknown flag --password\b/);
    const none = await run(['login', `127.0.0.1:${port}`, '--user', 'alice']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--password-file FILE or set L2TP_WIRE_PASSWORD/);
    const missing = await run(['login', `127.0.0.1:${port}`, '--user', 'alice', '--password-file', join(dir, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot be read \(ENOENT\)/);
  });

  it('usage errors: no --user, an unknown --auth method', async () => {
    expect((await run(['login', '127.0.0.1', '--password-file', PW])).code).toBe(2);
    const bad = await run(['login', '127.0.0.1', '--user', 'alice', '--password-file', PW, '--auth', 'pap,eap']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown method "eap"/);
  });

  it('nothing at the address: exit 3 (silent) or 4 (port unreachable), stage tunnel, not an exception', async () => {
    // A UDP port nobody listens on answers ICMP port unreachable (exit 4), or nothing when filtered (3).
    const r = await run(['login', '127.0.0.1:9', '--user', 'alice', '--password-file', PW, '--timeout', '1500', '--json']);
    expect([3, 4]).toContain(r.code);
    expect((JSON.parse(r.stdout) as LoginJson).stage).toBe('tunnel');
  });
});

describe('l2tp-wire lns --users: usage', () => {
  it('a missing file, a malformed line (with its number), --dns without --users', async () => {
    const missing = await run(['lns', '--port', '0', '--users', join(dir, 'none.txt')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot be read \(ENOENT\)/);
    const badFile = join(dir, 'bad.txt');
    writeFileSync(badFile, 'alice wonderland\njustaname\n');
    const bad = await run(['lns', '--port', '0', '--users', badFile]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/line 2: expected "user password"/);
    const dns = await run(['lns', '--port', '0', '--dns', '10.0.0.53']);
    expect(dns.code).toBe(2);
    expect(dns.stderr).toMatch(/--dns needs --users/);
  });
});
