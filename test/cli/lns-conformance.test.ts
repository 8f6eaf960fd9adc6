/**
 * `l2tp-wire lns --conformance` (the built CLI, dist/cli.js, as test/cli/cli.test.ts) against the
 * prober-style LAC of issue 15: each deviation is printed as it happens, the tunnel ends with
 * its report card, and SIGINT prints the counters. The expected rules are RFC 2661's (§6.6:
 * Minimum/Maximum BPS belong to OCRQ; §5.8: Nr acknowledges only messages sent).
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BadLac } from '../server/lns-conformance-lac.js';

const CLI = resolve(__dirname, '../../dist/cli.js');
let lac: BadLac | undefined;
afterEach(async () => {
  await lac?.close();
  lac = undefined;
});

function lns(args: string[]) {
  const child = spawn(process.execPath, [CLI, 'lns', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let partial = '';
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout!.on('data', (d: Buffer) => {
    const parts = (partial + d.toString()).split('\n');
    partial = parts.pop()!;
    lines.push(...parts);
  });
  /** Resolves when some line matches (a guard against hangs, not a measured bound). */
  const until = async (re: RegExp): Promise<void> => {
    for (let i = 0; i < 500 && !lines.some((l) => re.test(l)); i++) await new Promise((r) => setTimeout(r, 20));
    if (!lines.some((l) => re.test(l))) throw new Error(`no line matching ${re}; got:\n${lines.join('\n')}\n${stderr}`);
  };
  const exit = () => new Promise<number | null>((done) => child.on('exit', done));
  return { child, lines, until, exit };
}

/** Tunnel, the bad ICRQ, ICCN, StopCCN. */
async function misbehave(port: number): Promise<void> {
  lac = await BadLac.open(port);
  await lac.openTunnel();
  lac.badIcrq();
  const icrp = await lac.next(11);
  lac.iccn(icrp.message!.assignedSessionId!);
  lac.stop(4, 2);
}

describe('l2tp-wire lns --conformance', () => {
  it('prints each deviation as one line, the report card when the tunnel ends, the counters on SIGINT', async () => {
    const p = lns(['--conformance']);
    await p.until(/LNS listening/);
    await misbehave(Number(/udp 127\.0\.0\.1:(\d+)/.exec(p.lines[0]!)![1]));
    await p.until(/ not exercised: /);
    p.child.kill('SIGINT');
    expect(await p.exit()).toBe(0);
    const out = p.lines.join('\n');
    if (process.env.CARD) console.log(out);
    const dev = p.lines.filter((l) => / deviation: /.test(l));
    expect(dev).toHaveLength(3);
    expect(dev[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} tunnel \d+ deviation: MUST avp\.not-allowed \(RFC 2661 §6\.6\) ICRQ Ns 2: Minimum BPS with M=1 is not an AVP of ICRQ/);
    expect(dev[1]).toContain('Maximum BPS with M=1');
    expect(dev[2]).toMatch(/MUST seq\.nr-unsent \(RFC 2661 §5\.8\) ICRQ Ns 2: Nr 3/);
    // The call came up all the same ('report'), then the tunnel went down, then its card.
    const at = (re: RegExp) => p.lines.findIndex((l) => re.test(l));
    expect(at(/ session \d+ on tunnel \d+ up/)).toBeGreaterThan(0);
    expect(at(/ tunnel \d+ down: .*ended by the peer/)).toBeLessThan(at(/ report card:$/));
    expect(out).toContain('  conformance of peer "test-lac": FAIL — 3 MUST, 0 SHOULD deviation(s)');
    expect(out).toMatch(/ {2}BROKEN MUST +avp\.not-allowed \(RFC 2661 §6\) ×2:/);
    expect(out).toMatch(/ {2}BROKEN MUST +seq\.nr-unsent \(RFC 2661 §5\.8\) ×1:/);
    expect(out).toMatch(/ {2}kept +MUST +avp\.missing-required \(RFC 2661 §6\) ×5:/);
    expect(p.lines.at(-1)).toMatch(/^LNS stopped: .*tunnelsOpened 1, sessionsOpened 1, .*deviations 3, deviationsMust 3$/);
  });

  it('--json: one object per deviation, the card as an object, the counters last; --strict refuses the call', async () => {
    const p = lns(['--conformance', '--json', '--strict']);
    await p.until(/listening/);
    const port = Number((JSON.parse(p.lines[0]!) as { listening: { udp: string } }).listening.udp.split(':')[1]);
    lac = await BadLac.open(port);
    await lac.openTunnel();
    lac.badIcrq();
    const cdn = await lac.next(14);
    expect(cdn.message!.resultCode).toMatchObject({ result: 2, error: 8 });
    lac.stop(3, 3);
    await p.until(/"conformance-report"/);
    p.child.kill('SIGINT');
    expect(await p.exit()).toBe(0);
    const events = p.lines.slice(1).map((l) => JSON.parse(l) as Record<string, any>);
    const devs = events.filter((e) => e.event === 'deviation');
    expect(devs.map((e) => e.deviation.rule)).toEqual(['avp.not-allowed', 'avp.not-allowed', 'seq.nr-unsent']);
    expect(devs[0]!.deviation).toMatchObject({ severity: 'MUST', section: 'RFC 2661 §6.6', messageType: 'ICRQ', avp: 'Minimum BPS' });
    const card = events.find((e) => e.event === 'conformance-report')!;
    expect(card.report).toMatchObject({ verdict: 'fail', counts: { must: 3 }, peerHostName: 'test-lac' });
    expect(events.some((e) => e.event === 'session-up')).toBe(false);
    expect(events.at(-1)!.stats).toMatchObject({ tunnelsOpened: 1, deviations: 3, deviationsMust: 3 });
  });
});
