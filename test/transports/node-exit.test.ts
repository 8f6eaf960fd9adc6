import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { expect, it } from 'vitest';

/**
 * The robust proof that closing releases every handle: Node exits on its own only when nothing is
 * left open — including TCP sockets that are not reading, which `getActiveResourcesInfo()` misses.
 */
it('after every transport and listener is closed, Node exits by itself', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'l2tp-wire-exit-'));
  try {
    const out = join(dir, 'scenario.mjs');
    await build({
      entryPoints: [fileURLToPath(new URL('./fixtures/exit-scenario.ts', import.meta.url))],
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: out,
      logLevel: 'silent',
    });
    const child = spawn(process.execPath, [out], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (d: Uint8Array) => (stdout += new TextDecoder().decode(d)));
    const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
    const code = await new Promise<number | null>((r) => child.once('close', (c) => r(c)));
    clearTimeout(kill);
    expect(stdout).toBe('done\n');
    expect(code).toBe(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
