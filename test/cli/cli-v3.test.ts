/**
 * The built CLI (dist/cli.js, `npm run build` first) speaking L2TPv3 (RFC 3931) to our own LNS
 * on loopback: `probe --v3` prints what the SCCRP said (Router ID, Pseudowire Capabilities,
 * Assigned Control Connection ID), `session --v3 --pw ethernet` brings up an Ethernet pseudowire
 * (ICRQ → ICRP → ICCN) and reports it, and `lns --versions 2,3` serves both versions. Expected
 * values come from the LNS's own view of the same exchange (its events), not from the CLI's code.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLns, type Lns, type LnsSession, type LnsTunnel } from '../../src/node.js';

const CLI = resolve(__dirname, '../../dist/cli.js');

function run(args: string[], timeout = 20_000): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [CLI, ...args], { timeout }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      done({ code, stdout, stderr });
    });
  });
}

let lns: Lns;
let port: number;
const tunnels: LnsTunnel[] = [];
const sessions: LnsSession[] = [];

beforeAll(async () => {
  expect(existsSync(CLI), 'dist/cli.js missing: run `npm run build` first').toBe(true);
  lns = await createLns({ port: 0, tcp: true, hostName: 'cli-v3-lns', versions: [2, 3], cookieLength: 8 });
  lns.on('tunnel-up', (t) => tunnels.push(t));
  lns.on('session-up', (s) => sessions.push(s));
  port = lns.address().port;
});

afterAll(async () => {
  await lns.close();
});

describe('l2tp-wire CLI, L2TPv3', () => {
  it('probe --v3 --json: Router ID, Pseudowire Capabilities, the Assigned Control Connection ID the LNS chose', async () => {
    const before = tunnels.length;
    const r = await run(['probe', `127.0.0.1:${port}`, '--v3', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    const t = tunnels[before]!;
    // The LNS's Control Connection ID is what its SCCRP assigned (RFC 3931 §5.4.3): 32 bits, drawn above 0xffff here.
    expect(j.assignedControlConnectionId).toBe(t.id);
    expect(j.assignedControlConnectionId).toBeGreaterThan(0xffff);
    expect(j.peerHostname).toBe('cli-v3-lns');
    expect(j.pseudowireCapabilities).toEqual([5, 4, 7]);
    expect(Number.isInteger(j.routerId) && j.routerId > 0).toBe(true);
    expect(j.success).toBe(true);
  });

  it('probe --v3: human output names each v3 field', async () => {
    const r = await run(['probe', '127.0.0.1', '--port', String(port), '--v3']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/router id\s+\d+\.\d+\.\d+\.\d+/);
    expect(r.stdout).toMatch(/pseudowire caps\s+5, 4, 7/);
    expect(r.stdout).toMatch(/peer ctrl conn id\s+\d+/);
  });

  it('session --v3 --pw ethernet --json: the pseudowire both sides set up, with the LNS\'s 8-byte cookie', async () => {
    const before = sessions.length;
    const r = await run(['session', `127.0.0.1:${port}`, '--v3', '--pw', 'ethernet', '--remote-end-id', 'eth7', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    const s = sessions[before]!;
    expect(j.peerSessionId).toBe(s.id);
    expect(s.peerId).toBe(j.localSessionId);
    expect(j.pseudowire).toMatchObject({ type: 5, remoteEndId: 'eth7', localSessionId: j.localSessionId, remoteSessionId: s.id, localCookie: '' });
    expect(j.pseudowire.remoteCookie).toMatch(/^[0-9a-f]{16}$/);
  });

  it('session --v3 --tcp --json: the same pseudowire over our TCP framing (not in any RFC), seen by the LNS on its TCP listener', async () => {
    const before = sessions.length;
    const r = await run(['session', `127.0.0.1:${lns.address().tcp!.port}`, '--v3', '--tcp', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    const s = sessions[before]!;
    expect(s.tunnel.transport).toBe('tcp');
    expect(j.peerSessionId).toBe(s.id);
    expect(j.pseudowire).toMatchObject({ type: 5, remoteSessionId: s.id });
    expect(j.pseudowire.remoteCookie).toMatch(/^[0-9a-f]{16}$/);
  });

  it('session --v3 --pw ethernet-vlan: Pseudowire Type 4 in the human report', async () => {
    const r = await run(['session', `127.0.0.1:${port}`, '--v3', '--pw', 'ethernet-vlan']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/pseudowire\s+type 4, remote end id "l2tp-wire"/);
    expect(r.stdout).toMatch(/cookies\s+\(none\) \(ours\) \/ [0-9a-f]{16} \(peer\)/);
  });

  it.each([
    [['session', '127.0.0.1', '--v3', '--pw', 'atm'], '--pw must be one of ethernet, ethernet-vlan, got "atm"'],
    [['session', '127.0.0.1', '--pw', 'ethernet'], '--pw needs --v3'],
    [['lns', '--versions', '4'], '--versions must be 2, 3 or 2,3'],
    [['lns', '--cookie-length', '4'], '--cookie-length needs --versions 3 or 2,3'],
    [['lns', '--versions', '3', '--cookie-length', '5'], '--cookie-length must be 0, 4 or 8'],
  ])('%j is a usage error (exit 2) naming the fix', async (args, message) => {
    const r = await run(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  it('help lists the v3 flags (generated from the flag tables)', async () => {
    expect((await run(['probe', '--help'])).stdout).toContain('--v3');
    const session = (await run(['session', '--help'])).stdout;
    for (const f of ['--v3', '--pw TYPE', '--remote-end-id ID']) expect(session).toContain(f);
    const l = (await run(['lns', '--help'])).stdout;
    for (const f of ['--versions LIST', '--cookie-length N']) expect(l).toContain(f);
  });

  it('lns --versions 2,3 serves a v3 session from the CLI client', async () => {
    const child = spawn(process.execPath, [CLI, 'lns', '--port', '0', '--versions', '2,3', '--cookie-length', '4', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const lines: string[] = [];
      let buf = '';
      const listening = new Promise<number>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => {
          buf += d.toString();
          let i;
          while ((i = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, i);
            buf = buf.slice(i + 1);
            lines.push(line);
            const m = /"udp":"127\.0\.0\.1:(\d+)"/.exec(line);
            if (m) resolve(Number(m[1]));
          }
        });
        child.on('exit', (c) => reject(new Error(`lns exited ${c}`)));
      });
      const p = await listening;
      const r = await run(['session', `127.0.0.1:${p}`, '--v3', '--json']);
      expect(r.code, r.stderr).toBe(0);
      const j = JSON.parse(r.stdout);
      expect(j.pseudowire.remoteCookie).toMatch(/^[0-9a-f]{8}$/);
      const v2 = await run(['probe', `127.0.0.1:${p}`, '--json']);
      expect(JSON.parse(v2.stdout).protocolVersion).toBe('1.0');
      const up = lines.map((l) => JSON.parse(l)).find((e) => e.event === 'session-up');
      expect(up).toMatchObject({ session: j.peerSessionId, peerSession: j.localSessionId });
    } finally {
      child.kill('SIGINT');
      await new Promise((r) => child.once('exit', r));
    }
  });
});
