/**
 * The built CLI (dist/cli.js) against a real xl2tpd 1.3.18 LNS on loopback: probe (human and
 * JSON), session, a shared secret, and a pcap of the exchange that tshark decodes.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { titled, xl2tpdProblem, startXl2tpd, stopAll, TEST_SECRET, type Xl2tpd } from '../interop/xl2tpd.js';

const CLI = resolve(__dirname, '../../dist/cli.js');
/** Set only with L2TP_WIRE_NO_XL2TPD=1 and no xl2tpd: the blocks below are then reported skipped, with this reason. */
const noXl2tpd = xl2tpdProblem();
const dir = mkdtempSync(join(tmpdir(), 'l2tp-cli-x-'));

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [CLI, ...args], { timeout: 20_000 }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

let plain: Xl2tpd;
let auth: Xl2tpd;

describe.skipIf(noXl2tpd !== undefined)(titled('l2tp-wire CLI → xl2tpd LNS', noXl2tpd), () => {
  beforeAll(async () => {
    plain = await startXl2tpd({ role: 'lns', hostName: 'xl2tpd-cli' });
    auth = await startXl2tpd({ role: 'lns', hostName: 'xl2tpd-cli-auth', challenge: true });
  });
  afterAll(async () => {
    await stopAll();
    rmSync(dir, { recursive: true, force: true });
  });

  it('probe: what xl2tpd says about itself (host, vendor, firmware 0x0690), exit 0', async () => {
    const r = await run(['probe', '127.0.0.1', '--port', String(plain.port)]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/peer host name\s+xl2tpd-cli/);
    expect(r.stdout).toMatch(/vendor\s+xelerance\.com/);
    expect(r.stdout).toMatch(/firmware revision\s+0x0690/);
  });

  it('probe --json --pcap: stable fields, and tshark decodes SCCRQ, SCCRP, SCCCN, StopCCN', async () => {
    const file = join(dir, 'xl2tpd.pcap');
    const r = await run(['probe', '127.0.0.1', '--port', String(plain.port), '--json', '--pcap', file]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ success: true, peerHostname: 'xl2tpd-cli', vendorName: 'xelerance.com', firmwareRevision: 0x0690, framingCapabilities: 3, bearerCapabilities: 0, receiveWindowSize: 4, protocolVersion: '1.0' });
    const out = execFileSync('tshark', ['-r', file, '-d', `udp.port==${plain.port},l2tp`, '-T', 'fields', '-e', 'l2tp.avp.message_type'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const types = out.trim().split('\n').filter((t) => t !== '');
    expect(types.slice(0, 4)).toEqual(['1', '2', '3', '4']);
  });

  it('session: tunnel and session IDs both ways, exit 0', async () => {
    const r = await run(['session', '127.0.0.1', '--port', String(plain.port), '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as Record<string, number>;
    for (const k of ['localTunnelId', 'peerTunnelId', 'localSessionId', 'peerSessionId']) expect(j[k]).toBeGreaterThan(0);
  });

  it('challenge = yes: the right secret authenticates (exit 0); none here and a wrong one are told apart (exit 5)', async () => {
    const ok = await run(['probe', '127.0.0.1', '--port', String(auth.port), '--secret', TEST_SECRET, '--json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ challenged: true, authenticated: true });
    const none = await run(['probe', `127.0.0.1:${auth.port}`]);
    expect(none.code).toBe(5);
    expect(none.stdout.split('\n')[0]).toBe(`probe 127.0.0.1:${auth.port}: authentication failed (we ended it)`);
    expect(none.stderr).toContain('none is configured here: pass --secret S');
    const wrong = await run(['probe', `127.0.0.1:${auth.port}`, '--secret', 'not-the-secret']);
    expect(wrong.code).toBe(5);
    expect(wrong.stderr).toContain("wrong secret: the server's Challenge Response does not match --secret");
  });
});
