/// <reference types="node" />
/**
 * Run inside l2tpns's namespace (with FreeRADIUS: alice / wonderland) by `l2tpns-ppp.test.ts`
 * through `with-l2tpns.sh --radius`. Prints one JSON line with:
 * - `logins`: `login()` with PAP and CHAP-MD5, right and wrong password;
 * - `held`: a PAP link kept up past l2tpns's own LCP Echo-Requests (every ~10 s): how many it
 *   sent and we answered, our echo round trip afterwards, and l2tpns's `show session N` (its
 *   telnet CLI on 127.0.0.1:23) while the link is up and after it went down;
 * - `cli`: the built CLI's `login` (dist/cli.js, `L2TPNS_PPP_CLI`) with PAP and CHAP, right and
 *   wrong password, with `--json` and `--pcap` (written to `L2TPNS_PPP_PCAP_DIR`).
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { connectPpp, login, openTunnel, parsePppFrame, PppProtocol, type AuthMethod, type PppPort } from '../../src/index.js';
import { udpTransport } from '../../src/node.js';

const host = process.env.L2TPNS_HOST ?? '127.0.0.1';
const port = Number(process.env.L2TPNS_PORT ?? 1701);
const cliPort = Number(process.env.L2TPNS_CLI_PORT ?? 23);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One command on l2tpns's CLI (libcli over telnet: refuse every option, wait for the prompt). */
async function l2tpnsCli(command: string): Promise<string> {
  const s = connect(cliPort, '127.0.0.1');
  let text = '';
  let wake: (() => void) | undefined;
  s.on('data', (d: Buffer) => {
    for (let i = 0; i < d.length; i++) {
      if (d[i] === 255) {
        const verb = d[i + 1]!;
        // RFC 854: answer DO with WONT and WILL with DONT; skip other commands.
        if (verb >= 251 && verb <= 254) {
          if (verb === 251 || verb === 253) s.write(Uint8Array.of(255, verb === 253 ? 252 : 254, d[i + 2]!));
          i += 2;
        } else i += 1;
        continue;
      }
      text += String.fromCharCode(d[i]!);
    }
    wake?.();
  });
  const prompt = async (from: number) => {
    for (let i = 0; i < 100 && !/l2tpns[>#] $/.test(text.slice(from)); i++) await new Promise<void>((r) => ((wake = r), setTimeout(r, 100)));
  };
  await prompt(0);
  const start = text.length;
  s.write(`${command}\r\n`);
  await prompt(start);
  s.end();
  return text.slice(start);
}

async function tryLogin(method: AuthMethod, password: string) {
  const r = await login(await udpTransport({ host, port }), { hostName: 'l2tp-wire', username: 'alice', password, authProtocols: [method], timeout: 10_000, pppTimeout: 10_000 });
  return { method, password, ok: r.ok, stage: r.stage, reason: r.reason, auth: r.auth, info: r.info, timings: r.timings };
}

/** A PAP link kept up for `holdMs`, counting l2tpns's Echo-Requests and our replies. */
async function held(holdMs: number) {
  const transport = await udpTransport({ host, port });
  const tunnel = await openTunnel(transport, { hostName: 'l2tp-wire', timeout: 10_000 });
  const session = await tunnel.openSession({ kind: 'incoming' });
  const count = { echoRequestsIn: 0, echoRepliesOut: 0 };
  const lcpCode = (f: Uint8Array) => {
    try {
      const p = parsePppFrame(f);
      return p.protocol === PppProtocol.LCP ? p.information[0] : undefined;
    } catch {
      return undefined;
    }
  };
  const portWithCount: PppPort = {
    send: (f) => {
      if (lcpCode(f) === 10) count.echoRepliesOut++;
      return session.send(f);
    },
    onFrame: (l) =>
      session.onFrame((f) => {
        if (lcpCode(f) === 9) count.echoRequestsIn++;
        l(f);
      }),
    closed: session.closed,
  };
  const r = await connectPpp(portWithCount, { username: 'alice', password: 'wonderland', authProtocols: ['pap'], timeout: 10_000 });
  if (!r.ok) return { ok: false, reason: r.reason };
  const l2tpnsSession = session.peerId;
  const showUp = await l2tpnsCli(`show session ${l2tpnsSession}`);
  // l2tpns sends its Echo-Request every echo_timeout (10 s): wait for two.
  for (let t = 0; t < holdMs && count.echoRequestsIn < 2; t += 250) await sleep(250);
  const stillUp = session.state === 'up';
  const showLater = await l2tpnsCli(`show session ${l2tpnsSession}`);
  const echoRtt = await r.connection.echo().catch((e: Error) => e.message);
  await r.connection.close('done');
  await session.close().catch(() => {});
  await tunnel.close().catch(() => {});
  await sleep(300);
  const showDown = await l2tpnsCli(`show session ${l2tpnsSession}`);
  return { ok: true, info: r.info, l2tpnsSession, ...count, stillUp, echoRtt, showUp, showLater, showDown };
}

function cliLogin(cli: string, pcapDir: string, name: string, auth: string, password: string) {
  const pwFile = join(pcapDir, `${name}.pw`);
  writeFileSync(pwFile, `${password}\n`);
  const pcap = join(pcapDir, `${name}.pcap`);
  const r = spawnSync(process.execPath, [cli, 'login', `${host}:${port}`, '--user', 'alice', '--password-file', pwFile, '--auth', auth, '--json', '--pcap', pcap], { encoding: 'utf8', timeout: 30_000 });
  let json: unknown;
  try {
    json = JSON.parse(r.stdout);
  } catch {
    json = undefined;
  }
  return { name, status: r.status, json, stderr: r.stderr, pcap };
}

const logins = [];
for (const [m, pw] of [['pap', 'wonderland'], ['pap', 'not-the-password'], ['chap-md5', 'wonderland'], ['chap-md5', 'not-the-password']] as const) logins.push(await tryLogin(m, pw));
const heldLink = await held(Number(process.env.L2TPNS_PPP_HOLD_MS ?? 25_000));
const cli = [];
const cliPath = process.env.L2TPNS_PPP_CLI;
const pcapDir = process.env.L2TPNS_PPP_PCAP_DIR;
if (cliPath && pcapDir) {
  cli.push(cliLogin(cliPath, pcapDir, 'pap-right', 'pap', 'wonderland'));
  cli.push(cliLogin(cliPath, pcapDir, 'pap-wrong', 'pap', 'nope'));
  cli.push(cliLogin(cliPath, pcapDir, 'chap-right', 'chap', 'wonderland'));
  cli.push(cliLogin(cliPath, pcapDir, 'chap-wrong', 'chap', 'nope'));
}
console.log(JSON.stringify({ logins, held: heldLink, cli }));
