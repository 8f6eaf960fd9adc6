/// <reference types="node" />
/**
 * Harness: run a script of ours next to a real l2tpns (Debian's 2.4.1) through
 * `with-l2tpns.sh` (this folder): l2tpns in its own network + PID namespace, on 127.0.0.1:1701
 * of that namespace, so the script runs inside it too. The script is TypeScript bundled by
 * esbuild into one `.mjs` run by this Node binary; it prints one JSON line, the l2tpns log is
 * read afterwards.
 *
 * {@link l2tpnsUnavailable} says why it cannot run here (not root, no l2tpns, no tun device,
 * `unshare` refused): tests are then reported skipped with that reason, never passed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const WRAPPER = existsSync(join(HERE, 'with-l2tpns.sh')) ? join(HERE, 'with-l2tpns.sh') : join(process.cwd(), 'test/interop/with-l2tpns.sh');
export const L2TPNS_PATH = process.env.L2TP_WIRE_L2TPNS ?? '/usr/sbin/l2tpns';

/** Why l2tpns cannot run here, or undefined when it can. */
export function l2tpnsUnavailable(): string | undefined {
  if (process.platform !== 'linux') return `not Linux (${process.platform})`;
  if (process.getuid?.() !== 0) return 'not root (unshare --net and the tun device need it)';
  if (!existsSync(L2TPNS_PATH)) return `${L2TPNS_PATH} missing (apt-get install l2tpns)`;
  if (!existsSync('/dev/net/tun')) return '/dev/net/tun missing';
  const u = spawnSync('unshare', ['--net', '--pid', '--fork', '--kill-child', 'true'], { encoding: 'utf8', timeout: 10_000 });
  if (u.error || u.status !== 0) return `unshare --net --pid failed: ${(u.error?.message ?? u.stderr).trim()}`;
  return undefined;
}

/** What one run gave. */
export interface L2tpnsRun<T> {
  /** The script's exit status (125: l2tpns could not start). */
  readonly status: number | null;
  /** The script's last stdout line, parsed. */
  readonly result: T | undefined;
  readonly stdout: string;
  readonly stderr: string;
  /** l2tpns's log (debug 4: every AVP it parses, every state change, every error). */
  readonly log: string;
}

/** Bundle `script` (a .ts path) once per process. */
const bundles = new Map<string, string>();
function bundle(script: string): string {
  let out = bundles.get(script);
  if (out === undefined) {
    out = join(mkdtempSync(join(tmpdir(), 'l2tp-wire-l2tpns-')), 'script.mjs');
    const esbuild = join(process.cwd(), 'node_modules/.bin/esbuild');
    const r = spawnSync(esbuild, [script, '--bundle', '--platform=node', '--format=esm', '--log-level=warning', `--outfile=${out}`], { encoding: 'utf8', timeout: 120_000 });
    if (r.status !== 0) throw new Error(`esbuild ${script} failed: ${r.stderr || r.error?.message}`);
    bundles.set(script, out);
  }
  return out;
}

/** Options of a run: l2tpns's tunnel secret, FreeRADIUS (PPP authentication), limits. */
export interface L2tpnsRunOptions {
  /** l2tpns's tunnel secret (`L2TPNS_SECRET` inside). */
  secret?: string;
  /** Start FreeRADIUS too: alice / wonderland can log in over PPP (PAP, CHAP-MD5). */
  radius?: boolean;
  /** Extra FreeRADIUS `users` file (implies `radius`). */
  users?: string;
  timeout?: number;
  env?: Record<string, string>;
}

/**
 * Run `script` (TypeScript, relative to the repo root) inside l2tpns's namespace. `secret` is
 * l2tpns's tunnel secret (the script reads `L2TPNS_SECRET`, `L2TPNS_HOST`, `L2TPNS_PORT`).
 */
export function runWithL2tpns<T>(script: string, options: L2tpnsRunOptions = {}): L2tpnsRun<T> {
  return runInL2tpns<T>([process.execPath, bundle(join(process.cwd(), script))], options);
}

/** Why FreeRADIUS cannot run here (on top of {@link l2tpnsUnavailable}), or undefined. */
export function radiusUnavailable(): string | undefined {
  return l2tpnsUnavailable() ?? (existsSync('/usr/sbin/freeradius') ? undefined : '/usr/sbin/freeradius missing (apt-get install freeradius)');
}

/** Run any command (argv) inside l2tpns's namespace; its last stdout line is parsed as JSON if it can be. */
export function runInL2tpns<T>(argv: readonly string[], options: L2tpnsRunOptions = {}): L2tpnsRun<T> {
  const flags = [...(options.secret !== undefined ? ['--secret', options.secret] : []), ...(options.radius ? ['--radius'] : []), ...(options.users ? ['--users', options.users] : [])];
  const args = [WRAPPER, ...flags, '--', ...argv];
  const r = spawnSync('bash', args, { encoding: 'utf8', timeout: options.timeout ?? 60_000, env: { ...process.env, L2TPNS_DEBUG: '4', ...options.env } });
  const lines = r.stdout.trim().split('\n');
  let result: T | undefined;
  try {
    result = JSON.parse(lines[lines.length - 1] ?? '') as T;
  } catch {
    result = undefined;
  }
  // The wrapper names its state dir on stderr ("with-l2tpns.sh: state dir DIR").
  const dir = /state dir (\S+)/.exec(r.stderr)?.[1];
  const logPath = dir ? join(dir, 'l2tpns.log') : undefined;
  const log = logPath && existsSync(logPath) ? readFileSync(logPath, 'utf8') : '';
  // Keep the state dir only when asked (L2TP_WIRE_KEEP_L2TPNS=1), for a look at the whole log.
  if (dir && process.env.L2TP_WIRE_KEEP_L2TPNS !== '1') rmSync(dir, { recursive: true, force: true });
  return { status: r.status, result, stdout: r.stdout, stderr: r.stderr, log };
}
