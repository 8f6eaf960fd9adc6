/// <reference types="node" />
/**
 * Harness: run a real xl2tpd (1.3.18 on the project machine) on 127.0.0.1, as LNS or LAC, with a
 * config of our own in a fresh temp dir, and read its log.
 *
 * - xl2tpd runs in the foreground (`-D`, log on stderr), each instance with its own UDP port,
 *   control FIFO and pid file, so several run side by side.
 * - It is started through `setpriv --pdeathsig KILL` (same PID: setpriv execs), so it dies with the
 *   test process even if that is killed; {@link stopAll} (call it in `afterAll`) and a
 *   process `exit` hook kill what is left. No daemon outlives a test run.
 * - `stop('SIGINT')` makes xl2tpd send a StopCCN "Server closing" to every tunnel (its
 *   death_handler); `stop('SIGTERM')` makes it exit silently (see test/vectors/README.md).
 * - pppd cannot run here (no /dev/ppp): xl2tpd then hangs every session up with a CDN result 1 a few
 *   ms after it comes up. With `fakePppd: true` the instance runs in a private mount namespace
 *   (`unshare -m`) where `fake-pppd.py` (this folder) is bind-mounted over /usr/sbin/pppd, so the
 *   session stays up and carries data. That needs root (CAP_SYS_ADMIN); see {@link fakePppdWorks}.
 *
 * Tests must fail when xl2tpd is missing, unless `L2TP_WIRE_NO_XL2TPD=1` (see {@link requireXl2tpd}).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The tunnel secret of every capture in test/vectors (regen.sh) (both directions). */
export const TEST_SECRET = 'l2tp-wire-test-secret';
/** The xl2tpd binary: `L2TP_WIRE_XL2TPD` overrides (another build; or a wrong path to check the failure). */
export const XL2TPD_PATH = process.env.L2TP_WIRE_XL2TPD ?? '/usr/sbin/xl2tpd';
const HERE = dirname(fileURLToPath(import.meta.url));
/** The pppd stand-in bind-mounted over /usr/sbin/pppd when `fakePppd` is on. */
export const FAKE_PPPD = existsSync(join(HERE, 'fake-pppd.py')) ? join(HERE, 'fake-pppd.py') : join(process.cwd(), 'test/interop/fake-pppd.py');

/** Options of one xl2tpd instance. */
export interface Xl2tpdOptions {
  role: 'lns' | 'lac';
  /** Its own UDP port (`[global] port`). Default: a free one. */
  port?: number;
  /** LAC only: the LNS it dials (`lns = 127.0.0.1:PORT`). */
  lnsPort?: number;
  /** `hostname =` of the section (its Host Name AVP). Default `xl2tpd-<role>`. */
  hostName?: string;
  /** `challenge = yes`: xl2tpd challenges the peer and expects a tunnel secret. */
  challenge?: boolean;
  /** `hidden bit = yes`. */
  hidden?: boolean;
  /** The secret in the secrets file (`* * SECRET`). Default {@link TEST_SECRET}. */
  secret?: string;
  /** LAC only: `autodial = yes` (default true); else dial with {@link Xl2tpd.dial}. */
  autodial?: boolean;
  /** LAC only: `redial = yes`. Default false. */
  redial?: boolean;
  /** Run with fake-pppd.py bind-mounted over /usr/sbin/pppd (needs root). Default false. */
  fakePppd?: boolean;
  /** Write the four `debug … = yes` options (the tests read that log). Default true. */
  debug?: boolean;
  /** Extra lines for the `[lns default]` / `[lac NAME]` section. */
  extra?: string[];
}

/** A running xl2tpd. */
export interface Xl2tpd {
  readonly options: Readonly<Xl2tpdOptions>;
  readonly port: number;
  readonly pid: number;
  readonly dir: string;
  readonly hostName: string;
  /** The LAC section name (for `dial`/`hangup`). */
  readonly name: string;
  /** Everything it logged so far (stderr and stdout interleaved). */
  log(): string;
  /** Log lines logged after {@link mark} was called with the same index (for per-step checks). */
  logSince(mark: number): string;
  /** The current log length, for {@link logSince}. */
  mark(): number;
  /** Resolve with the first match of `re` in the log (from `from`), or reject after `timeout` ms. */
  waitForLog(re: RegExp, timeout?: number, from?: number): Promise<RegExpMatchArray>;
  /** True until the process exited. */
  readonly running: boolean;
  /** Exit code/signal once exited. */
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Send `signal` (default SIGINT: StopCCN to every tunnel) and wait up to `timeout` ms for exit; SIGKILL after. */
  stop(signal?: NodeJS.Signals, timeout?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** LAC: write `c NAME` to the control FIFO (dial). */
  dial(): void;
  /** LAC: write `d NAME` to the control FIFO (hang up the tunnel). */
  hangup(): void;
  /** Logs of the fake pppd runs (one per session), when `fakePppd`. */
  pppdLogs(): string[];
}

/** Live instances and how to remove their temp dir once they exited. */
const running = new Map<ChildProcess, () => void>();
/** Temp-dir cleanups of instances that exited on their own (run by {@link stopAll}). */
const leftovers: Array<() => void> = [];
let exitHookInstalled = false;

/** True when the xl2tpd binary is installed. */
export function xl2tpdInstalled(): boolean {
  return existsSync(XL2TPD_PATH);
}

/**
 * Whether interop tests run: true when xl2tpd is installed. When it is missing the tests must
 * fail (CI installs it), unless `L2TP_WIRE_NO_XL2TPD=1` says to skip them knowingly.
 */
export function requireXl2tpd(): boolean {
  if (xl2tpdInstalled()) return true;
  if (process.env.L2TP_WIRE_NO_XL2TPD === '1') return false;
  throw new Error(
    `xl2tpd is not installed (${XL2TPD_PATH} missing): the interop tests need it. Install it ` +
      '(apt-get install -y xl2tpd; .ci/run does) or set L2TP_WIRE_NO_XL2TPD=1 to skip them knowingly.',
  );
}

/** A UDP port on 127.0.0.1 that was free a moment ago (xl2tpd start retries if it is taken). */
export async function freeUdpPort(): Promise<number> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((res, rej) => {
    s.once('error', rej);
    s.bind(0, '127.0.0.1', () => res());
  });
  const { port } = s.address();
  await new Promise<void>((res) => s.close(() => res()));
  return port;
}

/** Is a UDP socket bound on 127.0.0.1:port (any process)? Reads /proc/net/udp. */
export function udpBound(port: number): boolean {
  const want = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  try {
    return readFileSync('/proc/net/udp', 'utf8').split('\n').some((l) => l.trim().split(/\s+/)[1] === want);
  } catch {
    return false;
  }
}

let fakeProblem: string | null | undefined;
/**
 * Why the fake-pppd trick cannot work here (it needs root, `unshare -m`, a bind mount and
 * /usr/bin/python3), or `undefined` when it can. Checked once with a dry run: mount inside a
 * throw-away mount namespace, then read the result.
 */
export function fakePppdProblem(): string | undefined {
  if (fakeProblem !== undefined) return fakeProblem ?? undefined;
  const r = spawnSync('unshare', ['-m', '--propagation', 'private', 'sh', '-c', `mount --bind '${FAKE_PPPD}' /usr/sbin/pppd && head -c 2 /usr/sbin/pppd`], {
    encoding: 'utf8',
    timeout: 5000,
  });
  if (!existsSync('/usr/bin/python3')) fakeProblem = '/usr/bin/python3 is missing';
  else if (r.error) fakeProblem = `unshare: ${r.error.message}`;
  else if (r.status !== 0 || r.stdout !== '#!') fakeProblem = `unshare -m + mount --bind failed (needs root): ${(r.stderr || `exit ${r.status}`).trim().split('\n')[0]}`;
  else fakeProblem = null;
  return fakeProblem ?? undefined;
}

/** Whether the fake-pppd trick can work here; see {@link fakePppdProblem} for why not. */
export function fakePppdWorks(): boolean {
  return fakePppdProblem() === undefined;
}

export { titled } from '../support/skip.js';

/** Why the xl2tpd interop tests are skipped (only ever with L2TP_WIRE_NO_XL2TPD=1), or undefined. */
export function xl2tpdProblem(): string | undefined {
  return requireXl2tpd() ? undefined : `L2TP_WIRE_NO_XL2TPD=1 and ${XL2TPD_PATH} is not installed`;
}

function writeConfig(dir: string, o: Xl2tpdOptions, port: number, hostName: string, name: string): void {
  const secrets = join(dir, 'l2tp-secrets');
  // "them us secret": either may be "*"; xl2tpd looks the secret up by host names.
  writeFileSync(secrets, `* * ${o.secret ?? TEST_SECRET}\n`);
  chmodSync(secrets, 0o600);
  // pppd options (only the fake pppd ever reads them).
  writeFileSync(join(dir, 'options.ppp'), 'noauth\nnodetach\nnodefaultroute\nnoipdefault\n');
  const yn = (b: boolean | undefined) => (b ? 'yes' : 'no');
  const lines = [
    '[global]',
    'listen-addr = 127.0.0.1',
    `port = ${port}`,
    `auth file = ${secrets}`,
    'access control = no',
    // The tests read these logs; benchmarks turn them off (`debug: false`), as a production LNS would.
    ...(o.debug === false ? [] : ['debug avp = yes', 'debug network = yes', 'debug state = yes', 'debug tunnel = yes']),
  ];
  if (o.role === 'lns') {
    lines.push('[lns default]', `hostname = ${hostName}`, 'assign ip = no', 'lac = 127.0.0.1');
  } else {
    if (o.lnsPort === undefined) throw new TypeError('startXl2tpd: a LAC needs lnsPort');
    lines.push(`[lac ${name}]`, `lns = 127.0.0.1:${o.lnsPort}`, `hostname = ${hostName}`, `autodial = ${yn(o.autodial ?? true)}`, `redial = ${yn(o.redial)}`);
  }
  lines.push(
    `pppoptfile = ${join(dir, 'options.ppp')}`,
    `challenge = ${yn(o.challenge)}`,
    'require authentication = no',
    `hidden bit = ${yn(o.hidden)}`,
    'length bit = yes',
    ...(o.extra ?? []),
  );
  writeFileSync(join(dir, 'xl2tpd.conf'), lines.join('\n') + '\n');
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const [c, cleanup] of running) {
      c.kill('SIGKILL');
      cleanup();
    }
  });
}

/**
 * Start one xl2tpd and resolve once its UDP port is bound. Retries with another free port when the
 * one chosen was taken in between (only when `port` was not given).
 */
export async function startXl2tpd(options: Xl2tpdOptions): Promise<Xl2tpd> {
  for (let attempt = 0; ; attempt++) {
    const port = options.port ?? (await freeUdpPort());
    try {
      return await startOnce(options, port);
    } catch (e) {
      if (options.port !== undefined || attempt >= 3 || !(e instanceof PortTaken)) throw e;
    }
  }
}

class PortTaken extends Error {}

async function startOnce(o: Xl2tpdOptions, port: number): Promise<Xl2tpd> {
  if (!xl2tpdInstalled()) throw new Error(`startXl2tpd: ${XL2TPD_PATH} is not installed`);
  if (o.fakePppd && !fakePppdWorks()) throw new Error('startXl2tpd: fakePppd needs root, unshare -m and /usr/bin/python3 (see fakePppdWorks)');
  installExitHook();
  const dir = mkdtempSync(join(tmpdir(), `l2tp-wire-xl2tpd-${o.role}-`));
  const hostName = o.hostName ?? `xl2tpd-${o.role}`;
  const name = o.role === 'lac' ? hostName.replace(/[^A-Za-z0-9_-]/g, '_') : 'default';
  writeConfig(dir, o, port, hostName, name);
  const fifo = join(dir, 'control');
  spawnSync('mkfifo', [fifo]);
  const xl2tpdArgs = ['-D', '-c', join(dir, 'xl2tpd.conf'), '-s', join(dir, 'l2tp-secrets'), '-p', join(dir, 'pid'), '-C', fifo];
  // setpriv execs (same PID) after setting PR_SET_PDEATHSIG: xl2tpd dies with us whatever happens.
  const setpriv = existsSync('/usr/bin/setpriv') ? 'setpriv --pdeathsig KILL ' : '';
  let cmd = setpriv ? 'setpriv' : XL2TPD_PATH;
  let args = setpriv ? ['--pdeathsig', 'KILL', XL2TPD_PATH, ...xl2tpdArgs] : xl2tpdArgs;
  if (o.fakePppd) {
    // unshare (no --fork) and sh both exec: the PID we hold is xl2tpd's. The bind mount lives only
    // in this private mount namespace; the host's /usr/sbin/pppd is untouched.
    const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
    cmd = 'unshare';
    args = ['-m', '--propagation', 'private', 'sh', '-c', `mount --bind ${q(FAKE_PPPD)} /usr/sbin/pppd && exec ${setpriv}${[XL2TPD_PATH, ...xl2tpdArgs].map(q).join(' ')}`];
  }
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FAKE_PPPD_LOGDIR: dir } });
  running.set(child, () => cleanupDir());
  let text = '';
  const waiters = new Set<() => void>();
  const onData = (b: Buffer) => {
    text += b.toString('utf8');
    for (const w of waiters) w();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  let alive = true;
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => {
    child.once('exit', (code, signal) => {
      alive = false;
      running.delete(child);
      leftovers.push(() => cleanupDir());
      for (const w of waiters) w();
      res({ code, signal });
    });
  });
  const spawned = await new Promise<boolean>((res) => {
    child.once('spawn', () => res(true));
    child.once('error', () => res(false));
  });
  if (!spawned) throw new Error(`startXl2tpd: cannot run ${cmd}`);

  const waitForLog = (re: RegExp, timeout = 5000, from = 0): Promise<RegExpMatchArray> =>
    new Promise((res, rej) => {
      const check = () => {
        const m = text.slice(from).match(re);
        if (m) return done(() => res(m));
        if (!alive) return done(() => rej(new Error(`xl2tpd (port ${port}) exited before logging ${re}; log:\n${text}`)));
      };
      const timer = setTimeout(() => done(() => rej(new Error(`xl2tpd (port ${port}) did not log ${re} within ${timeout} ms; log:\n${text}`))), timeout);
      const done = (f: () => void) => {
        clearTimeout(timer);
        waiters.delete(check);
        f();
      };
      waiters.add(check);
      check();
    });

  const stop = async (signal: NodeJS.Signals = 'SIGINT', timeout = 5000) => {
    if (alive) {
      child.kill(signal);
      const t = setTimeout(() => child.kill('SIGKILL'), timeout);
      const r = await exit;
      clearTimeout(t);
      cleanupDir();
      return r;
    }
    cleanupDir();
    return exit;
  };
  let kept = false;
  let pppdLogsKept: string[] | undefined;
  const readPppdLogs = () =>
    pppdLogsKept ??
    (existsSync(dir)
      ? readdirSync(dir)
          .filter((f) => f.startsWith('fake-pppd.') && f.endsWith('.log'))
          .sort()
          .map((f) => readFileSync(join(dir, f), 'utf8'))
      : []);
  const cleanupDir = () => {
    if (kept) return;
    kept = true;
    pppdLogsKept = readPppdLogs();
    // Keep the dir (config, log) when asked, for post-mortems.
    if (process.env.L2TP_WIRE_KEEP_XL2TPD === '1') {
      writeFileSync(join(dir, 'log'), text);
      return;
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const handle: Xl2tpd = {
    options: o,
    port,
    pid: child.pid!,
    dir,
    hostName,
    name,
    log: () => text,
    mark: () => text.length,
    logSince: (m) => text.slice(m),
    waitForLog,
    get running() {
      return alive;
    },
    exit,
    stop,
    dial: () => writeFileSync(fifo, `c ${name}\n`),
    hangup: () => writeFileSync(fifo, `d ${name}\n`),
    pppdLogs: readPppdLogs,
  };
  // Wait until it listens: the port is bound and it logged "Listening on"; fail fast when it exits.
  const deadline = Date.now() + 5000;
  while (!(udpBound(port) && /Listening on IP address/.test(text))) {
    if (!alive) {
      cleanupDir();
      const r = await exit;
      if (/Unable to bind|Address already in use/i.test(text)) throw new PortTaken(`port ${port} taken`);
      throw new Error(`xl2tpd exited at start (code ${r.code}, signal ${r.signal}); log:\n${text}`);
    }
    if (Date.now() > deadline) {
      await stop('SIGKILL');
      if (/Unable to bind|Address already in use/i.test(text)) throw new PortTaken(`port ${port} taken`);
      throw new Error(`xl2tpd did not bind 127.0.0.1:${port} within 5 s; log:\n${text}`);
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  return handle;
}

/** Kill every xl2tpd this process started (SIGKILL after `graceMs` of SIGTERM). Call in `afterAll`. */
export async function stopAll(graceMs = 2000): Promise<void> {
  for (const cleanup of leftovers.splice(0)) cleanup();
  const all = [...running];
  await Promise.all(
    all.map(
      ([c, cleanup]) =>
        new Promise<void>((res) => {
          const done = () => {
            cleanup();
            res();
          };
          if (c.exitCode !== null || c.signalCode !== null) return done();
          const t = setTimeout(() => c.kill('SIGKILL'), graceMs);
          c.once('exit', () => {
            clearTimeout(t);
            done();
          });
          c.kill('SIGTERM');
        }),
    ),
  );
}

/** How many xl2tpd this process started are still running. */
export function runningCount(): number {
  return running.size;
}
