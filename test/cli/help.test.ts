/**
 * Per-command `--help` of the built CLI (dist/cli.js): every flag the command accepts is listed
 * with its default, and every flag listed is accepted — checked against the parser by running
 * the command with that flag followed by an unknown one (the parser must get past the first and
 * stop at the second, so nothing runs).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const CLI = resolve(__dirname, '../../dist/cli.js');

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [CLI, ...args], { timeout: 20_000 }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

/** The flags in the help's Flags section: name, and the value placeholder when it takes one. */
function listedFlags(help: string): Array<{ name: string; value?: string; line: string }> {
  const section = help.split('\nFlags:\n')[1]!.split('\n\n')[0]!;
  return section.split('\n').map((line) => {
    const m = /^ {2}--([a-z0-9-]+)(?: ([A-Z:]+))?\s/.exec(line);
    if (!m) throw new Error(`not a flag line: ${JSON.stringify(line)}`);
    return { name: m[1]!, ...(m[2] ? { value: m[2] } : {}), line };
  });
}

const SAMPLE: Record<string, string> = { PORT: '1', MS: '5', S: 'x', NAME: 'n', FILE: '/dev/null', ADDR: '127.0.0.1', 'HOST:PORT': '127.0.0.1:1', TYPE: 'ethernet', ID: 'eth0', N: '4', LIST: '2' };

beforeAll(() => {
  expect(existsSync(CLI), 'dist/cli.js missing: run `npm run build` first').toBe(true);
});

describe('l2tp-wire COMMAND --help', () => {
  it.each([
    ['probe', ['port', 'tcp', 'secret', 'hidden', 'hostname', 'timeout', 'v3', 'json', 'trace', 'pcap', 'html'], { port: '1701', hostname: 'l2tp-wire', timeout: '10000' }],
    ['session', ['port', 'tcp', 'secret', 'hidden', 'hostname', 'timeout', 'v3', 'json', 'trace', 'pcap', 'html', 'pw', 'remote-end-id'], { port: '1701', hostname: 'l2tp-wire', timeout: '10000', pw: 'ethernet', 'remote-end-id': 'l2tp-wire' }],
    ['login', ['user', 'password-file', 'auth', 'port', 'tcp', 'secret', 'hostname', 'timeout', 'json', 'trace', 'pcap'], { auth: 'mschapv2,chap,pap', port: '1701', hostname: 'l2tp-wire', timeout: '10000' }],
    ['lns', ['host', 'port', 'tcp-port', 'secret', 'hidden', 'hostname', 'versions', 'cookie-length', 'echo', 'users', 'auth', 'pool', 'dns', 'conformance', 'strict', 'json'], { host: '127.0.0.1', port: '1701', hostname: 'l2tp-wire-lns', auth: 'mschapv2,chap,pap', pool: '10.0.0.2', versions: '2', 'cookie-length': '0' }],
    ['relay', ['target', 'listen', 'json'], { listen: '127.0.0.1:1701' }],
  ] as const)('%s --help lists its own flags with defaults (exit 0)', async (command, flags, defaults) => {
    const r = await run([command, '--help']);
    expect(r.code).toBe(0);
    const usage = r.stdout.split('\n')[0]!;
    expect(usage).toMatch(new RegExp(`^Usage: l2tp-wire ${command}\\b`));
    const listed = listedFlags(r.stdout);
    expect(listed.map((f) => f.name)).toEqual(flags);
    for (const f of flags) expect(usage).toContain(`--${f}`);
    for (const [name, value] of Object.entries(defaults)) expect(listed.find((f) => f.name === name)!.line).toContain(`(default ${value})`);
    expect(r.stdout).toContain('Exit codes');
  });

  it.each(['probe', 'session', 'lns', 'relay'])('every flag %s --help lists is accepted by its parser', async (command) => {
    const listed = listedFlags((await run([command, '--help'])).stdout);
    for (const f of listed) {
      const args = [command, ...(command === 'probe' || command === 'session' ? ['127.0.0.1'] : []), `--${f.name}`, ...(f.value ? [SAMPLE[f.value]!] : []), '--not-a-flag'];
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toContain('unknown flag --not-a-flag');
    }
  });

  it('a flag of another command is refused, naming the command help', async () => {
    const r = await run(['probe', '127.0.0.1', '--echo']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('l2tp-wire: unknown flag --echo (see l2tp-wire probe --help)');
  });

  it('the global help names every command and points to per-command help', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    for (const s of ['probe HOST[:PORT]', 'session HOST[:PORT]', 'lns', 'relay --target HOST:PORT', 'COMMAND --help', '[IPV6]:PORT']) expect(r.stdout).toContain(s);
  });
});
