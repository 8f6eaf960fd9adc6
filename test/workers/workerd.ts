/// <reference types="node" />
/**
 * Harness: run Workers code in the real runtime. `workerd` (npm package `workerd`, a dev
 * dependency) runs here; tests must fail when it is missing, unless `L2TP_WIRE_NO_WORKERD=1`.
 *
 * - {@link buildPackage}: builds l2tp-wire with tsup (the repo's tsup.config.ts, ESM, no .d.ts)
 *   into `DIR/node_modules/l2tp-wire/dist` next to a copy of package.json, so a worker's
 *   `import … from 'l2tp-wire/workers'` resolves through the real `exports` map to built files.
 * - {@link bundleWorker}: esbuild bundles a worker from that install (`cloudflare:*` external):
 *   one ES module, as wrangler would upload.
 * - {@link startWorkerd}: `workerd serve` on a loopback port. Outbound network: only what the
 *   `internet` service allows — `public`, `private`, `local` — and the tests reach only 127.0.0.1.
 * - {@link runWorkerdTest}: `workerd test`, which runs every exported `test()` handler and prints
 *   `[ PASS ]` / `[ FAIL ]` per handler.
 *
 * Every workerd is started through `setpriv --pdeathsig KILL`, so none outlives the test process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const WORKERD = join(ROOT, 'node_modules/.bin/workerd');
const TSUP = join(ROOT, 'node_modules/.bin/tsup');

/** Whether workerd tests run: it must be installed, unless `L2TP_WIRE_NO_WORKERD=1` says to skip knowingly. */
export function requireWorkerd(): boolean {
  if (existsSync(WORKERD)) return true;
  if (process.env.L2TP_WIRE_NO_WORKERD === '1') return false;
  throw new Error(`workerd is not installed (${WORKERD} missing): run npm ci (it is a dev dependency), or set L2TP_WIRE_NO_WORKERD=1 to skip the Workers tests knowingly.`);
}

/** A fresh temp dir, removed by the returned function. */
export function tempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

function run(cmd: string, args: string[], timeout: number): Promise<{ code: number | null; output: string }> {
  return new Promise((res, rej) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (b: Buffer) => (output += b));
    child.stderr.on('data', (b: Buffer) => (output += b));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeout);
    child.once('error', rej);
    child.once('exit', (code) => {
      clearTimeout(timer);
      res({ code, output });
    });
  });
}

/**
 * Build the package into `dir/node_modules/l2tp-wire` (dist + package.json) and return that
 * `node_modules` dir: entries `index` and `workers` only, named on the command line.
 */
export async function buildPackage(dir: string): Promise<string> {
  const pkgDir = join(dir, 'node_modules/l2tp-wire');
  mkdirSync(pkgDir, { recursive: true });
  // --no-config: the repo's tsup.config.ts builds more (the CLI, dts); here only the two entries
  // a worker imports, as the published ESM has them (split, so one L2tpError class).
  const args = ['--no-config', '--entry.index', 'src/index.ts', '--entry.workers', 'src/workers.ts', '--external', 'cloudflare:sockets', '--splitting', '--platform', 'neutral', '--target', 'es2022'];
  const r = await run(TSUP, [...args, '--format', 'esm', '--no-dts', '--no-sourcemap', '--silent', '--out-dir', join(pkgDir, 'dist')], 60_000);
  if (r.code !== 0) throw new Error(`tsup failed (exit ${r.code}):\n${r.output}`);
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
  if (!pkg.exports['./workers']) {
    // Until package.json has the subpath, resolve it the way the real entry will.
    console.warn("package.json has no exports['./workers'] yet; the test copy gets { import: { default: './dist/workers.js' } }");
    pkg.exports['./workers'] = { import: { default: './dist/workers.js' } };
  }
  writeFileSync(join(pkgDir, 'package.json'), JSON.stringify(pkg, null, 2));
  return join(dir, 'node_modules');
}

/**
 * Bundle `entry` (a worker that imports `l2tp-wire…`; its own modules sit in its folder) against
 * the built package into `outFile`. The entry's folder is copied next to that `node_modules`
 * first, as in a user's project: inside the repo, `l2tp-wire` would resolve to the repo itself (a
 * package self-reference) — the sources' package.json, not the built install.
 */
export async function bundleWorker(entry: string, nodeModules: string, outFile: string): Promise<void> {
  const project = dirname(nodeModules);
  const folder = join(project, `entry-${basename(entry)}`);
  cpSync(dirname(entry), folder, { recursive: true });
  const copy = join(folder, basename(entry));
  await build({
    entryPoints: [copy],
    outfile: outFile,
    bundle: true,
    format: 'esm',
    target: 'es2022',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    conditions: ['workerd', 'worker', 'import'],
    external: ['cloudflare:*'],
    absWorkingDir: project,
    logLevel: 'error',
  });
}

/** A loopback TCP port that was free a moment ago. */
export function freeTcpPort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = net.createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => res(port));
    });
  });
}

/** Options of one workerd config. */
export interface WorkerConfig {
  /** Dir holding `workerFile`; the config is written there. */
  dir: string;
  /** The bundled worker module, relative to `dir`. */
  workerFile: string;
  /** Text bindings (`env.NAME`). */
  bindings?: Record<string, string>;
  /** Durable Object classes exported by the worker: binding name → class name (in-memory storage). */
  durableObjects?: Record<string, string>;
}

const capnpString = (s: string) => JSON.stringify(s);

/** Write `config.capnp` for `workerd serve`/`workerd test`; returns its path. */
export function writeConfig(c: WorkerConfig, httpPort?: number): string {
  const bindings = Object.entries(c.bindings ?? {}).map(([name, text]) => `(name = ${capnpString(name)}, text = ${capnpString(text)})`);
  const objects = Object.entries(c.durableObjects ?? {});
  for (const [name, className] of objects) bindings.push(`(name = ${capnpString(name)}, durableObjectNamespace = ${capnpString(className)})`);
  const config = `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    # Outbound sockets and fetches go through this service: loopback ("local") is allowed here
    # because the peers under test listen on 127.0.0.1.
    (name = "internet", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [${httpPort === undefined ? '' : `(name = "http", address = "127.0.0.1:${httpPort}", http = (), service = "main")`}],
);
const worker :Workerd.Worker = (
  modules = [(name = "worker", esModule = embed ${capnpString(c.workerFile)})],
  compatibilityDate = "2025-01-01",
  globalOutbound = "internet",
  bindings = [${bindings.join(', ')}],
  ${objects.length ? `durableObjectNamespaces = [${objects.map(([, cls]) => `(className = ${capnpString(cls)}, uniqueKey = ${capnpString(`l2tp-wire-test-${cls}`)})`).join(', ')}],\n  durableObjectStorage = (inMemory = void),` : ''}
);
`;
  const path = join(c.dir, 'config.capnp');
  writeFileSync(path, config);
  return path;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of running) c.kill('SIGKILL');
});

function spawnWorkerd(args: string[]): { child: ChildProcess; output: () => string } {
  const child = spawn('setpriv', ['--pdeathsig', 'KILL', WORKERD, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let text = '';
  child.stdout!.on('data', (b: Buffer) => (text += b));
  child.stderr!.on('data', (b: Buffer) => (text += b));
  return { child, output: () => text };
}

/** A running `workerd serve`. */
export interface Workerd {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** Everything workerd printed so far (worker `console.log` included, with `--verbose`). */
  log(): string;
  /** SIGTERM, then SIGKILL after 2 s; resolves on exit. */
  stop(): Promise<void>;
}

/** Start `workerd serve` and resolve once it answers HTTP (any status). */
export async function startWorkerd(c: WorkerConfig): Promise<Workerd> {
  for (let attempt = 0; ; attempt++) {
    const port = await freeTcpPort();
    const config = writeConfig(c, port);
    const { child, output } = spawnWorkerd(['serve', config, '--verbose']);
    const exited = new Promise<void>((res) => child.once('exit', () => res()));
    const stop = async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 2000);
        await exited;
        clearTimeout(t);
      }
    };
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 15_000;
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) break;
      try {
        await fetch(`${url}/`, { signal: AbortSignal.timeout(1000) });
        return { url, log: output, stop };
      } catch {
        if (Date.now() > deadline) {
          await stop();
          throw new Error(`workerd did not answer on ${url} within 15 s; output:\n${output()}`);
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    await stop();
    // The port may have been taken between the check and the bind: try another one.
    if (attempt >= 2 || !/address already in use|EADDRINUSE/i.test(output())) throw new Error(`workerd exited at start; output:\n${output()}`);
  }
}

/** Run `workerd test` on a config; the `[ PASS ]`/`[ FAIL ]` lines, parsed. */
export async function runWorkerdTest(c: WorkerConfig, timeout = 50_000): Promise<{ passed: string[]; failed: string[]; output: string; code: number | null }> {
  const config = writeConfig(c);
  const { child, output } = spawnWorkerd(['test', config, '--verbose']);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeout);
  const code = await new Promise<number | null>((res) => child.once('exit', (c) => res(c)));
  clearTimeout(timer);
  const text = output();
  // Lines look like `[ PASS ] main:caseName` (service name, colon, exported entrypoint).
  const names = (tag: string) => [...text.matchAll(new RegExp(`\\[ ${tag} \\] (?:main:)?(\\S+)`, 'g'))].map((m) => m[1]!);
  return { passed: names('PASS'), failed: names('FAIL'), output: text, code };
}
