/**
 * `npm run demo` works from a clean clone: the script bundles with esbuild (no build step) and
 * runs to the end, printing the ladder of a whole exchange, and exits 0.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('npm run demo', () => {
  it('prints a ladder from SCCRQ to StopCCN and exits 0', async () => {
    const bundle = await build({ entryPoints: [`${root}src/cli/demo.ts`], bundle: true, platform: 'node', format: 'esm', write: false, logLevel: 'silent' });
    const child = spawn(process.execPath, ['--input-type=module'], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdin.end(bundle.outputFiles[0]!.contents);
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(err).toBe('');
    expect(code).toBe(0);
    const lines = out.split('\n');
    const order = ['SCCRQ', 'SCCRP', 'SCCCN', 'ICRQ', 'ICRP', 'ICCN', 'DATA', 'HELLO', 'CDN', 'StopCCN'];
    let at = -1;
    for (const name of order) {
      const i = lines.findIndex((l, k) => k > at && l.includes(` ${name} `));
      expect(i, `${name} after line ${at}`).toBeGreaterThan(at);
      at = i;
    }
    expect(out).toMatch(/^\s+\+\d+\.\d ms {2}LAC ── SCCRQ ns=0 nr=0 ─+▶ LNS/m);
    expect(out).toMatch(/LAC ◀─+ SCCRP ns=0 nr=1 ── LNS/);
    expect(out).toContain('0 tunnels up');
    // Every abbreviation in the ladder is explained in one line.
    for (const term of ['LAC', 'LNS', ...order.slice(0, 7), 'HELLO', 'ZLB', 'CDN', 'StopCCN', 'ns/nr']) expect(out).toMatch(new RegExp(`^ {2}${term} +\\S.*\\(§\\d`, 'm'));
    expect(out).toMatch(/^ {2}SCCRQ +Start-Control-Connection-Request/m);
    expect(out).toMatch(/^ {2}ZLB +Zero-Length Body/m);
  }, 30_000);
});
