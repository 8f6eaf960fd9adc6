/**
 * `l2tp-wire login HOST --user U`: the whole VPN login check — tunnel, session, PPP (LCP,
 * PAP / CHAP-MD5 / MS-CHAPv2, IPCP with DNS, IPV6CP), one LCP echo, teardown — with what the
 * server handed out and how long each stage took. The password never comes from argv.
 */
import { writeFileSync } from 'node:fs';
import { login, type AuthMethod, type LoginReport, type Transport } from '../../index.js';
import { tcpTransport, udpTransport } from '../../node.js';
import { intFlag, stringFlag, UsageError, type FlagTable, type Parsed } from '../args.js';
import { formatEndpoint } from '../address.js';
import { writeCapture } from '../capture.js';
import { afterPendingInput, target } from '../client-run.js';
import { ExitCode } from '../exit-codes.js';
import { errnoOf } from '../failure.js';
import type { Io } from '../io.js';
import { recordTransport, type RecordingTransport } from '../recording.js';
import type { Command } from './command.js';
import { PASSWORD_ENV, readPassword, type PromptTty } from './login-password.js';
import { pppLadderLine } from './login-trace.js';

const FLAGS: FlagTable = [
  { name: 'user', value: 'U', required: true, help: 'the PPP user name' },
  { name: 'password-file', value: 'FILE', help: `read the password from FILE (first line); else $${PASSWORD_ENV}, else a prompt on the terminal` },
  { name: 'auth', value: 'LIST', default: 'mschapv2,chap,pap', help: 'methods we accept, preferred first, comma-separated: pap, chap (CHAP-MD5), mschapv2' },
  { name: 'port', value: 'PORT', default: '1701', help: "the server's UDP (or TCP) port; HOST:PORT says the same" },
  { name: 'tcp', help: 'use TCP with Length framing (not in any RFC; for our LNS or the relay)' },
  { name: 'secret', value: 'S', help: 'tunnel secret (RFC 2661 §5.1.1); none by default' },
  { name: 'hostname', value: 'NAME', default: 'l2tp-wire', help: 'our Host Name AVP' },
  { name: 'timeout', value: 'MS', default: '10000', help: 'give up on the tunnel, the session or PPP after this many milliseconds each' },
  { name: 'json', help: 'one JSON object on stdout (stable field names)' },
  { name: 'trace', help: 'print each L2TP message and PPP packet as it is sent or received, as a ladder with timings (stderr)' },
  { name: 'pcap', value: 'FILE', help: 'write what was on the wire as a pcap file (Wireshark and tshark decode the PPP inside L2TP)' },
];

const METHODS: Record<string, AuthMethod> = { pap: 'pap', chap: 'chap-md5', 'chap-md5': 'chap-md5', mschapv2: 'mschapv2' };

/** `--auth pap,chap` → ['pap', 'chap-md5']. */
export function parseAuthList(text: string): AuthMethod[] {
  const out: AuthMethod[] = [];
  for (const word of text.split(',').map((w) => w.trim().toLowerCase())) {
    const m = METHODS[word];
    if (m === undefined) throw new UsageError(`--auth: unknown method ${JSON.stringify(word)}; use pap, chap or mschapv2 (comma-separated, preferred first)`);
    if (!out.includes(m)) out.push(m);
  }
  return out;
}

/** The exit code, a headline and a one-line hint for a report. */
export function judgeLogin(r: LoginReport, timeout: number): { code: number; headline: string; hint?: string } {
  if (r.ok) return { code: ExitCode.Ok, headline: 'ok' };
  const reason = r.reason ?? '';
  const l2tpCode = /^([A-Z_]+):/.exec(reason)?.[1];
  if (r.stage !== 'ppp') {
    if (l2tpCode === 'TIMEOUT') return { code: ExitCode.Timeout, headline: `no answer (${r.stage})`, hint: `nothing answered within ${timeout} ms: check HOST:PORT, that an L2TP server runs there, or raise --timeout` };
    if (l2tpCode === 'TRANSPORT') return { code: ExitCode.Transport, headline: 'transport error', hint: `the transport failed (${reason}): check the address and port` };
    if (l2tpCode === 'AUTH_FAILED') return { code: ExitCode.Auth, headline: 'tunnel authentication failed', hint: 'the tunnel secret is missing here or there, or differs: check --secret' };
    return { code: ExitCode.Refused, headline: `refused (${r.stage})`, hint: `the server refused the ${r.stage}: ${reason}` };
  }
  if (r.auth && !r.auth.ok) return { code: ExitCode.Auth, headline: `login refused (${r.auth.method})`, hint: `the server refused ${r.auth.user} with ${r.auth.method}${r.auth.message ? ` ("${r.auth.message}")` : ''}: check the user name and password` };
  // Some servers (l2tpns) answer a wrong password by hanging up the call (CDN) instead of a PAP Nak.
  if (r.auth === null && r.timings.lcp !== undefined && r.timings.auth === undefined && !/^timeout/.test(reason))
    return { code: ExitCode.Auth, headline: 'login refused (the server hung up during authentication)', hint: `the server ended the call while authenticating (${reason}): most likely a wrong user name or password` };
  if (/^timeout/.test(reason)) return { code: ExitCode.Timeout, headline: 'PPP did not come up', hint: `${reason}: see the exchange with --trace, or raise --timeout` };
  if (/no common|reject/i.test(reason)) return { code: ExitCode.Refused, headline: 'no common authentication method', hint: `${reason}: the server wants a method not in --auth; try --auth pap,chap,mschapv2` };
  return { code: ExitCode.Refused, headline: 'PPP failed', hint: `${reason}: see the exchange with --trace` };
}

const ms = (v: number | undefined) => (v === undefined ? undefined : Math.round(v * 1000) / 1000);

function printReport(where: string, host: string, port: number, user: string, r: LoginReport, v: ReturnType<typeof judgeLogin>, json: boolean, io: Io): void {
  const timings = Object.fromEntries(Object.entries(r.timings).map(([k, t]) => [k, ms(t)]));
  if (json) {
    const body = { command: 'login', host, port, exitCode: v.code, success: r.ok, stage: r.stage, reason: r.reason, auth: r.auth, info: r.info, timings, failure: r.ok ? undefined : v.headline, hint: v.hint };
    io.out(JSON.stringify(body));
    return;
  }
  const lines = [`login ${where}: ${v.headline}`];
  const row = (k: string, value: unknown) => {
    if (value !== undefined && value !== null && value !== '') lines.push(`  ${k.padEnd(20)} ${String(value)}`);
  };
  row('user', r.auth?.user ?? r.info?.user ?? user);
  row('auth method', r.auth?.method ?? r.info?.authProtocol ?? undefined);
  if (r.auth && !r.auth.ok) row('server said', JSON.stringify(r.auth.message));
  if (r.info) {
    row('address', r.info.ipAddress);
    row('peer address', r.info.peerIpAddress);
    row('dns', r.info.dns.join(', '));
    row('ipv6 interface id', r.info.ipv6InterfaceId);
    row('peer ipv6 id', r.info.peerIpv6InterfaceId);
    row('mru', `${r.info.mru} (ours) / ${r.info.peerMru} (peer)`);
  }
  if (!r.ok) row('stopped at', `${r.stage}: ${r.reason}`);
  row('timings', Object.entries(timings).filter(([, t]) => t !== undefined).map(([k, t]) => `${k} ${t!.toFixed(1)} ms`).join(', '));
  io.out(lines.join('\n'));
  if (v.hint) io.err(`l2tp-wire: login ${where}: ${v.hint}`);
}

/** What `run` needs beyond the flags: the environment and a terminal (injectable for tests). */
export interface LoginEnv {
  env: Record<string, string | undefined>;
  tty?: PromptTty;
}

export async function runLogin(p: Parsed, io: Io, where: LoginEnv = { env: process.env, tty: process.stdin }): Promise<number> {
  const { host, port } = target(p, 'login');
  const user = stringFlag(p, 'user');
  if (user === undefined || user === '') throw new UsageError('login needs --user U (the PPP user name)');
  const authProtocols = parseAuthList(stringFlag(p, 'auth')!);
  const timeout = intFlag(p, 'timeout', 1, 3_600_000)!;
  const hostName = stringFlag(p, 'hostname')!;
  if (hostName.length === 0 || hostName.length > 1017) throw new UsageError('--hostname must be 1 to 1017 bytes');
  const pcap = stringFlag(p, 'pcap');
  if (pcap !== undefined) {
    try {
      writeFileSync(pcap, new Uint8Array(0));
    } catch (e) {
      throw new UsageError(`--pcap ${JSON.stringify(pcap)} cannot be written (${errnoOf(e) ?? (e as Error).message}): give a path in a directory you can write`);
    }
  }
  const password = await readPassword(stringFlag(p, 'password-file'), where.env, where.tty, (t) => process.stderr.write(t), user);
  const peer = formatEndpoint(host, port);
  const trace = p.flags.trace === true;
  let transport: RecordingTransport | undefined;
  let r: LoginReport;
  try {
    const inner: Transport = p.flags.tcp ? await tcpTransport({ host, port, timeout }) : await udpTransport({ host, port });
    transport = recordTransport(inner, { beforeSend: afterPendingInput, onRecord: trace ? (rec) => io.err(pppLadderLine(rec, 'us', peer)) : undefined });
    r = await login(transport, { hostName, secret: stringFlag(p, 'secret'), timeout, username: user, password, authProtocols, pppTimeout: timeout });
  } catch (e) {
    // udpTransport/tcpTransport failing (no route, refused TCP): a report like login's own.
    const message = e instanceof Error ? e.message : String(e);
    r = { ok: false, stage: 'tunnel', reason: `TRANSPORT: ${message}`, auth: null, info: null, timings: { total: 0 } };
  } finally {
    await transport?.close();
  }
  if (pcap !== undefined) writeCapture(pcap, transport?.records ?? [], { host, port });
  const verdict = judgeLogin(r, timeout);
  printReport(peer, host, port, user, r, verdict, p.flags.json === true, io);
  return verdict.code;
}

export const loginCommand: Command = {
  name: 'login',
  args: 'HOST[:PORT]',
  summary: 'log in over PPP (tunnel, session, LCP, PAP/CHAP/MS-CHAPv2, IPCP/IPV6CP, echo), report the address, DNS and timings, tear down',
  flags: FLAGS,
  notes: `The password is read from --password-file, else $${PASSWORD_ENV}, else prompted for on the terminal (never from the command line).
Exit code 5 means the user was refused (wrong name or password, or a wrong tunnel --secret).
Examples:
  l2tp-wire login 127.0.0.1 --user alice --password-file pw.txt
  L2TP_WIRE_PASSWORD=wonderland l2tp-wire login 127.0.0.1:1701 --user alice --auth chap --json`,
  run: (p, io) => runLogin(p, io),
};
