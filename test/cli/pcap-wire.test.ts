/**
 * `--pcap` is what was on the wire: the built CLI probes (and opens a session with) a real
 * xl2tpd LNS while tshark captures the loopback interface live; both, read by tshark, must hold
 * the same datagrams in the same order — same addresses, same ports (our ephemeral source port
 * included), same bytes — and our timestamps must be microsecond wall-clock times taken as each
 * message passed (non-decreasing, each within a second of the kernel's).
 *
 * Without tshark the test is reported skipped with the reason; it never passes without comparing.
 */
import { execFile, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireXl2tpd, startXl2tpd, stopAll, type Xl2tpd } from '../interop/xl2tpd.js';
import { tsharkVersion } from '../support/tshark.js';

const CLI = resolve(__dirname, '../../dist/cli.js');
const enabled = requireXl2tpd();
const tshark = tsharkVersion();
const dir = mkdtempSync(join(tmpdir(), 'l2tp-cli-wire-'));

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [CLI, ...args], { timeout: 20_000 }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

const FIELDS = ['frame.time_epoch', 'ip.src', 'ipv6.src', 'udp.srcport', 'ip.dst', 'ipv6.dst', 'udp.dstport', 'udp.payload'].flatMap((f) => ['-e', f]);

interface LiveCapture {
  readonly lines: string[];
  /** Resolves once `n` datagrams were captured (the test's timeout bounds the wait). */
  until(n: number): Promise<void>;
  stop(): Promise<void>;
}

/**
 * `tshark -i lo` on one UDP port, printing each datagram as a line as soon as it is captured
 * (`-l`), so the test waits for a count instead of sleeping.
 */
function capture(port: number): Promise<LiveCapture> {
  return new Promise((ok, fail) => {
    const p = spawn('tshark', ['-l', '-i', 'lo', '-f', `udp port ${port}`, '-T', 'fields', '-E', 'separator=/t', ...FIELDS], { stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    let partial = '';
    let want = Infinity;
    let waiter: (() => void) | undefined;
    p.stdout!.on('data', (d: Buffer) => {
      const parts = (partial + d.toString()).split('\n');
      partial = parts.pop()!;
      lines.push(...parts.filter((l) => l !== ''));
      if (lines.length >= want) waiter?.();
    });
    let err = '';
    const started = (d: Buffer) => {
      err += d.toString();
      if (!err.includes('Capturing on')) return;
      p.stderr!.off('data', started);
      ok({
        lines,
        until: (n) =>
          new Promise<void>((done) => {
            want = n;
            waiter = done;
            if (lines.length >= n) done();
          }),
        stop: () =>
          new Promise<void>((done) => {
            if (p.exitCode !== null || p.signalCode !== null) return done();
            p.once('exit', () => done());
            p.kill('SIGINT');
          }),
      });
    };
    p.stderr!.on('data', started);
    p.once('exit', (code) => fail(new Error(`tshark exited (${code}) before capturing: ${err}`)));
  });
}

interface Row {
  time: number;
  src: string;
  srcPort: number;
  dst: string;
  dstPort: number;
  payload: string;
}

/** tshark's field lines as datagrams. */
function rows(lines: readonly string[]): Row[] {
  return lines.map((l) => {
    const [time, src4, src6, sp, dst4, dst6, dp, payload] = l.split('\t');
    return { time: Number(time), src: src4 || src6!, srcPort: Number(sp), dst: dst4 || dst6!, dstPort: Number(dp), payload: payload!.replace(/:/g, '') };
  });
}

/** Every UDP datagram in the pcap `file`, as tshark reads it. */
function datagrams(file: string): Row[] {
  const out = execFileSync('tshark', ['-r', file, '-T', 'fields', '-E', 'separator=/t', ...FIELDS], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return rows(out.split('\n').filter((l) => l !== ''));
}

const withoutTime = ({ time: _t, ...rest }: Row) => rest;

/**
 * `wire` reordered to our order where the two differ only by datagrams that crossed: two
 * neighbours going opposite ways (our StopCCN and the peer's ZLB for our SCCCN, sent in the same
 * instant). Which of those the kernel saw first is not something a sender can observe; anything
 * else out of order is left as it is, so the comparison fails.
 */
function alignCrossings(mine: Row[], wire: Row[]): Row[] {
  const w = wire.slice(0, mine.length + 1);
  const key = (r: Row | undefined) => (r === undefined ? '' : JSON.stringify(withoutTime(r)));
  for (let i = 0; i + 1 < w.length && i < mine.length; i++) {
    if (key(mine[i]) === key(w[i])) continue;
    const crossed = key(mine[i]) === key(w[i + 1]) && key(mine[i + 1]) === key(w[i]) && w[i]!.src + w[i]!.srcPort !== w[i + 1]!.src + w[i + 1]!.srcPort;
    if (crossed) [w[i], w[i + 1]] = [w[i + 1]!, w[i]!];
  }
  return w.slice(0, mine.length);
}

let lns: Xl2tpd;

describe.runIf(enabled)('--pcap against a live tshark capture (xl2tpd LNS on loopback)', () => {
  beforeAll(async () => {
    lns = await startXl2tpd({ role: 'lns', hostName: 'xl2tpd-wire' });
  });
  afterAll(async () => {
    await stopAll();
    rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(tshark === undefined).each(['probe', 'session'])(`%s: our pcap and tshark -i lo hold the same datagrams, in wire order${tshark === undefined ? ' (skipped: tshark is not installed)' : ''}`, async (command) => {
    const ours = join(dir, `${command}.pcap`);
    const cap = await capture(lns.port);
    let wire: Row[];
    let mine: Row[];
    try {
      const r = await run([command, `127.0.0.1:${lns.port}`, '--pcap', ours]);
      expect(r.code, r.stderr).toBe(0);
      mine = datagrams(ours);
      await cap.until(mine.length);
      wire = rows(cap.lines);
    } finally {
      await cap.stop();
    }
    expect(mine.length).toBeGreaterThanOrEqual(command === 'probe' ? 5 : 8);
    const aligned = alignCrossings(mine, wire);
    expect(mine.map(withoutTime)).toEqual(aligned.map(withoutTime));
    // Our source port is the ephemeral one the socket had, not 1701.
    expect(mine[0]!.srcPort).not.toBe(1701);
    expect(mine[0]!.dstPort).toBe(lns.port);
    for (let i = 0; i < mine.length; i++) {
      expect(Math.abs(mine[i]!.time - aligned[i]!.time)).toBeLessThan(1);
      if (i > 0) expect(mine[i]!.time).toBeGreaterThanOrEqual(mine[i - 1]!.time);
    }
    // Microsecond timestamps: not every one a whole millisecond.
    expect(mine.some((x) => Math.round(x.time * 1e6) % 1000 !== 0)).toBe(true);
  });
});
