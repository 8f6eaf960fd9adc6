/**
 * The built CLI (dist/cli.js, made by `npm run build` before the suite) against our LNS on
 * loopback: output, JSON fields, exit codes, --trace and --pcap (decoded by tshark).
 */
import { execFile, execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { createSocket, type Socket } from 'node:dgram';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLns, type Lns } from '../../src/node.js';
import { titled } from '../support/skip.js';
import { tsharkProblem } from '../support/tshark.js';

const CLI = resolve(__dirname, '../../dist/cli.js');
const dir = mkdtempSync(join(tmpdir(), 'l2tp-cli-'));
const hasScript = spawnSync('script', ['--version']).status === 0;
/** Set only with L2TP_WIRE_NO_TSHARK=1 and no tshark: the tshark test is then reported skipped, with this reason. */
const noTshark = tsharkProblem();

function run(args: string[], timeout = 20_000): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [CLI, ...args], { timeout }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      done({ code, stdout, stderr });
    });
  });
}

let lns: Lns;
let lns6: Lns;
let authLns: Lns;
let silent: Socket;
let udp: number;
let tcp: number;
let authPort: number;
let silentPort: number;

beforeAll(async () => {
  expect(existsSync(CLI), 'dist/cli.js missing: run `npm run build` first').toBe(true);
  lns = await createLns({ port: 0, hostName: 'cli-lns', tcp: { port: 0 }, echo: true });
  lns6 = await createLns({ host: '::1', port: 0, hostName: 'cli-lns6' });
  authLns = await createLns({ port: 0, hostName: 'cli-auth-lns', secret: 'cli-secret' });
  udp = lns.address().port;
  tcp = lns.address().tcp!.port;
  authPort = authLns.address().port;
  silent = createSocket('udp4');
  await new Promise<void>((r) => silent.bind(0, '127.0.0.1', r));
  silentPort = silent.address().port;
});

afterAll(async () => {
  await lns.close();
  await authLns.close();
  await lns6.close();
  silent.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('l2tp-wire CLI', () => {
  it('--help lists the commands and exit codes (exit 0)', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    for (const s of ['probe HOST', 'session HOST', 'lns', 'relay', 'Exit codes', '5 authentication failed']) expect(r.stdout).toContain(s);
  });

  it.each([
    [['probe'], 'probe needs a HOST'],
    [['probe', '127.0.0.1', '--bogus'], 'unknown flag --bogus'],
    [['probe', '127.0.0.1', '--port', '70000'], '--port must be a whole number from 1 to 65535'],
    [['probe', 'bad host!'], 'bad host "bad host!": give HOST, HOST:PORT, [IPV6] or [IPV6]:PORT'],
    [['probe', '127.0.0.1:0'], 'bad port in host "127.0.0.1:0"'],
    [['probe', '[127.0.0.1]:1701'], 'brackets hold an IPv6 address'],
    [['probe', '127.0.0.1:1701', '--port', '1702'], 'the port is given twice'],
    [['frobnicate'], 'unknown command'],
    [['probe', '127.0.0.1', '--hidden'], '--hidden needs --secret'],
    [['relay'], 'relay needs --target'],
    [['probe', '127.0.0.1', '--pcap', '/nonexistent-dir/x.pcap'], '--pcap "/nonexistent-dir/x.pcap" cannot be written (ENOENT)'],
  ])('bad input %j → one-line error, exit 2', async (args, message) => {
    const r = await run(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('probe over UDP: human output, exit 0', async () => {
    const r = await run(['probe', '127.0.0.1', '--port', String(udp)]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/probe 127\.0\.0\.1:\d+: ok/);
    expect(r.stdout).toMatch(/peer host name\s+cli-lns/);
    expect(r.stdout).toMatch(/protocol version\s+1\.0/);
  });

  it('probe HOST:PORT is the same as HOST --port PORT', async () => {
    const r = await run(['probe', `127.0.0.1:${udp}`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`probe 127.0.0.1:${udp}: ok`);
    expect(r.stdout).toMatch(/peer host name\s+cli-lns/);
  });

  it('IPv6: [::1]:PORT and [::1] --port PORT work and print [::1]:PORT', async () => {
    const port = lns6.address().port;
    for (const args of [[`[::1]:${port}`], ['[::1]', '--port', String(port)], ['::1', '--port', String(port)]]) {
      const r = await run(['probe', ...args]);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout.split('\n')[0]).toBe(`probe [::1]:${port}: ok`);
      expect(r.stdout).toMatch(/peer host name\s+cli-lns6/);
    }
  });

  it('probe --json: stable fields', async () => {
    const r = await run(['probe', '127.0.0.1', '--port', String(udp), '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(j).toMatchObject({ command: 'probe', success: true, exitCode: 0, peerHostname: 'cli-lns', protocolVersion: '1.0', receiveWindowSize: 4, challenged: false });
    expect(j.tunnelId).toBeGreaterThan(0);
    expect(j.assignedTunnelId).toBeGreaterThan(0);
    expect(typeof j.rtt).toBe('number');
  });

  it('session over TCP --json: tunnel and session IDs', async () => {
    const r = await run(['session', '127.0.0.1', '--port', String(tcp), '--tcp', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as Record<string, number>;
    for (const k of ['localTunnelId', 'peerTunnelId', 'localSessionId', 'peerSessionId']) expect(j[k]).toBeGreaterThan(0);
  });

  it('right secret: challenged and authenticated (exit 0)', async () => {
    const ok = await run(['probe', '127.0.0.1', '--port', String(authPort), '--secret', 'cli-secret', '--json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ challenged: true, authenticated: true });
  });

  it('no secret HERE: exit 5, we ended it, the hint says to pass --secret', async () => {
    const r = await run(['probe', `127.0.0.1:${authPort}`]);
    expect(r.code).toBe(5);
    expect(r.stdout.split('\n')[0]).toBe(`probe 127.0.0.1:${authPort}: authentication failed (we ended it)`);
    expect(r.stdout).not.toContain('refused');
    expect(r.stderr.trim()).toBe(`l2tp-wire: probe 127.0.0.1:${authPort}: the server requires a tunnel secret (its SCCRP carried a Challenge) and none is configured here: pass --secret S`);
  });

  it('no secret on the SERVER: exit 5, the server refused, the hint says so', async () => {
    const r = await run(['probe', `127.0.0.1:${udp}`, '--secret', 'cli-secret', '--json']);
    expect(r.code).toBe(5);
    const j = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(j).toMatchObject({ success: false, endedBy: 'peer', failure: 'authentication failed (the server refused)', result: { result: 4 } });
    expect(j.hint).toContain('it probably has no tunnel secret configured; configure the same secret there, or drop --secret');
    expect(r.stderr).toBe('');
  });

  it('wrong secret: exit 5, the hint names the wrong secret', async () => {
    const r = await run(['probe', `127.0.0.1:${authPort}`, '--secret', 'nope']);
    expect(r.code).toBe(5);
    expect(r.stdout.split('\n')[0]).toBe(`probe 127.0.0.1:${authPort}: authentication failed (we ended it)`);
    expect(r.stderr.trim()).toBe(`l2tp-wire: probe 127.0.0.1:${authPort}: wrong secret: the server's Challenge Response does not match --secret: pass the secret configured on the server`);
  });

  it('lns on a busy port: exit 4, one line "port in use", no stack', async () => {
    const r = await run(['lns', '--port', String(udp)]);
    expect(r.code).toBe(4);
    expect(r.stderr.trim()).toBe(`l2tp-wire: lns: port in use: udp 127.0.0.1:${udp} is taken by another program; pick another with --port (0 picks a free one)`);
    const t = await run(['lns', '--port', '0', '--tcp-port', String(tcp)]);
    expect(t.code).toBe(4);
    expect(t.stderr.trim()).toBe(`l2tp-wire: lns: port in use: tcp 127.0.0.1:${tcp} is taken by another program; pick another with --tcp-port (0 picks a free one)`);
  });

  it('relay on a busy port: exit 4, "port in use"', async () => {
    const r = await run(['relay', '--target', `127.0.0.1:${udp}`, '--listen', `127.0.0.1:${tcp}`]);
    expect(r.code).toBe(4);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(`port in use: tcp 127.0.0.1:${tcp}`);
  });

  it('refused port: exit 4 (transport)', async () => {
    const sock = createSocket('udp4');
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', r));
    const port = sock.address().port;
    await new Promise<void>((r) => sock.close(() => r()));
    const r = await run(['probe', '127.0.0.1', '--port', String(port), '--timeout', '3000']);
    expect(r.code).toBe(4);
    expect(r.stderr.trim()).toBe(`l2tp-wire: probe 127.0.0.1:${port}: transport error (TRANSPORT): nothing listens on 127.0.0.1:${port} (port unreachable): check the port (HOST:PORT or --port)`);
  });

  it('silent peer: exit 3 (timeout), one line saying what to check', async () => {
    const r = await run(['probe', '127.0.0.1', '--port', String(silentPort), '--timeout', '1500']);
    expect(r.code).toBe(3);
    expect(r.stderr.trim()).toBe(`l2tp-wire: probe 127.0.0.1:${silentPort}: no answer (TIMEOUT): nothing answered within 1500 ms: check the address and port (HOST:PORT or --port), that an L2TP server runs there and UDP is not filtered, or raise --timeout`);
  });

  it('--trace draws the ladder on stderr', async () => {
    const r = await run(['probe', '127.0.0.1', '--port', String(udp), '--trace']);
    expect(r.code).toBe(0);
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toMatch(new RegExp(`^\\s*\\+\\d+\\.\\d ms {2}us ── SCCRQ tid=0 ns=0 nr=0 ─+▶ 127\\.0\\.0\\.1:${udp}$`));
    expect(lines[1]).toMatch(new RegExp(`us ◀─+ SCCRP tid=\\d+ ns=0 nr=1 ── 127\\.0\\.0\\.1:${udp}$`));
    expect(r.stderr).toContain('StopCCN');
  });

  it('--trace streams each message as it happens (the first line arrives while the probe still waits)', async () => {
    const child = spawn(process.execPath, [CLI, 'probe', `127.0.0.1:${silentPort}`, '--trace', '--timeout', '2500'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    const first = await new Promise<string>((done) => {
      child.stderr!.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (stderr.includes('\n')) done(stderr.split('\n')[0]!);
      });
    });
    // Still running: the line was not printed after giving up, as it used to be.
    expect(child.exitCode).toBeNull();
    expect(first).toMatch(/us ── SCCRQ tid=0 ns=0 nr=0 ─+▶ 127\.0\.0\.1:\d+$/);
    const code = await new Promise<number | null>((done) => child.on('exit', done));
    expect(code).toBe(3);
    // Not a terminal: no progress line, only the ladder (SCCRQ and its retransmission) and the verdict.
    expect(stderr).not.toContain('waiting for');
    expect(stderr.match(/SCCRQ/g)!.length).toBeGreaterThanOrEqual(2);
  });

  it.skipIf(!hasScript)(`on a terminal, a long wait shows live progress "waiting for SCCRP… retransmit 1/5"${hasScript ? '' : ' (skipped: util-linux script is not installed)'}`, async () => {
    // script(1) runs the CLI on a pseudo-terminal, so stderr is a TTY.
    const out = await new Promise<string>((done) => {
      execFile('script', ['-qec', `${process.execPath} ${CLI} probe 127.0.0.1:${silentPort} --timeout 2500`, '/dev/null'], { timeout: 20_000 }, (_e, stdout) => done(stdout));
    });
    expect(out).toContain(`probe 127.0.0.1:${silentPort}: waiting for SCCRP…`);
    expect(out).toContain(`probe 127.0.0.1:${silentPort}: waiting for SCCRP… retransmit 1/5`);
    // The status line is erased in place (carriage return + erase line) before the verdict.
    expect(out).toMatch(/\r\x1b\[Kl2tp-wire: probe 127\.0\.0\.1:\d+: no answer \(TIMEOUT\)/);
  });

  it.each([true, false])('lns prints its peers\' tunnels and sessions as they go up and down (--json: %s)', async (json) => {
    const child = spawn(process.execPath, [CLI, 'lns', '--port', '0', '--hostname', 'cli-events', ...(json ? ['--json'] : [])], { stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    let partial = '';
    let want: { n: number; done: () => void } | undefined;
    child.stdout!.on('data', (d: Buffer) => {
      const parts = (partial + d.toString()).split('\n');
      partial = parts.pop()!;
      lines.push(...parts);
      if (want && lines.length >= want.n) want.done();
    });
    const until = (n: number) => new Promise<void>((done) => ((want = { n, done }), lines.length >= n && done()));
    await until(1);
    const port = json ? Number((JSON.parse(lines[0]!) as { listening: { udp: string } }).listening.udp.split(':')[1]) : Number(/udp 127\.0\.0\.1:(\d+)/.exec(lines[0]!)![1]);
    const r = await run(['session', `127.0.0.1:${port}`, '--json']);
    expect(r.code).toBe(0);
    const ids = JSON.parse(r.stdout) as { peerTunnelId: number; peerSessionId: number; localSessionId: number };
    await until(5);
    child.kill('SIGINT');
    const code = await new Promise<number | null>((done) => child.on('exit', done));
    expect(code).toBe(0);
    const events = lines.slice(1, 5);
    if (json) {
      const e = events.map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(e.map((x) => x.event)).toEqual(['tunnel-up', 'session-up', 'session-down', 'tunnel-down']);
      expect(e[0]).toMatchObject({ tunnel: ids.peerTunnelId, hostName: 'l2tp-wire', transport: 'udp' });
      expect(e[0]!.peer).toMatch(/^127\.0\.0\.1:\d+$/);
      expect(e[1]).toMatchObject({ tunnel: ids.peerTunnelId, session: ids.peerSessionId, peerSession: ids.localSessionId, kind: 'incoming' });
      expect(e[3]).toMatchObject({ tunnel: ids.peerTunnelId, by: 'peer', result: { result: 1 } });
      for (const x of e) expect(Number.isNaN(Date.parse(x.time as string))).toBe(false);
    } else {
      expect(events[0]).toMatch(new RegExp(`^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} tunnel ${ids.peerTunnelId} up: peer 127\\.0\\.0\\.1:\\d+, host name "l2tp-wire", over udp$`));
      expect(events[1]).toContain(`session ${ids.peerSessionId} on tunnel ${ids.peerTunnelId} up: incoming call, peer session ${ids.localSessionId}`);
      expect(events[2]).toContain(`session ${ids.peerSessionId} on tunnel ${ids.peerTunnelId} down`);
      expect(events[3]).toMatch(new RegExp(`tunnel ${ids.peerTunnelId} down: .*ended by the peer, StopCCN result 1 \\(general request to clear\\)$`));
    }
  });

  it.skipIf(noTshark !== undefined)(titled('--pcap writes a capture tshark decodes as the same L2TP exchange', noTshark), async () => {
    const file = join(dir, 'probe.pcap');
    const r = await run(['probe', '127.0.0.1', '--port', String(udp), '--pcap', file]);
    expect(r.code).toBe(0);
    expect(readFileSync(file).length).toBeGreaterThan(24);
    const out = execFileSync('tshark', ['-r', file, '-d', `udp.port==${udp},l2tp`, '-T', 'fields', '-e', 'l2tp.avp.message_type', '-e', 'udp.srcport', '-e', 'udp.dstport'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const rows = out.trim().split('\n').map((l) => l.split('\t'));
    // SCCRQ (1), SCCRP (2), SCCCN (3), StopCCN (4), and the LNS's two ZLBs (no Message Type): it
    // acks the SCCCN at once (ackDelay 0), before or after our StopCCN left, and then the StopCCN.
    const types = rows.map((x) => x[0]);
    expect(types.filter((t) => t !== '')).toEqual(['1', '2', '3', '4']);
    expect(types.filter((t) => t === '')).toHaveLength(2);
    expect(types.indexOf('')).toBeGreaterThan(types.indexOf('3'));
    expect(types.at(-1)).toBe('');
    expect(rows[0]![2]).toBe(String(udp));
    expect(rows[1]![1]).toBe(String(udp));
  });
});
