/** `l2tp-wire lns`: run the embedded LNS until Ctrl-C. */
import { isIP } from 'node:net';
import { AddressPool, type PppOutcome } from '../../index.js';
import { createLns, servePppOnLns } from '../../node.js';
import { intFlag, stringFlag, UsageError, type FlagTable, type Parsed } from '../args.js';
import { formatEndpoint } from '../address.js';
import { ExitCode } from '../exit-codes.js';
import { eventJson, formatEvent, formatStats, watchLns, type CliEvent } from '../events.js';
import { bindFailure } from '../failure.js';
import { untilSignal } from '../io.js';
import type { Command } from './command.js';
import { parseAuthList } from './login.js';
import { readUsers } from './lns-users.js';

const FLAGS: FlagTable = [
  { name: 'host', value: 'ADDR', default: '127.0.0.1', help: 'IP address to listen on (0.0.0.0 or :: for every interface)' },
  { name: 'port', value: 'PORT', default: '1701', help: 'UDP port (0 picks a free one)' },
  { name: 'tcp-port', value: 'PORT', help: 'also accept L2TP over TCP on this port (0 picks a free one); off by default' },
  { name: 'secret', value: 'S', help: 'tunnel secret: challenge every LAC (RFC 2661 §5.1.1); none by default' },
  { name: 'hidden', help: 'send hideable AVPs hidden (needs --secret)' },
  { name: 'hostname', value: 'NAME', default: 'l2tp-wire-lns', help: 'our Host Name AVP' },
  { name: 'versions', value: 'LIST', default: '2', help: 'L2TP versions served on the port: 2 (RFC 2661), 3 (L2TPv3 over UDP, RFC 3931) or 2,3 (told apart by the version nibble)' },
  { name: 'cookie-length', value: 'N', default: '0', help: 'L2TPv3: bytes of the cookie we assign each pseudowire (RFC 3931 §5.4.4): 0, 4 or 8' },
  { name: 'echo', help: 'send every PPP frame received on a session straight back' },
  { name: 'users', value: 'FILE', help: 'terminate PPP on every session: users from FILE, one "user password" a line (# comments)' },
  { name: 'auth', value: 'LIST', default: 'mschapv2,chap,pap', help: 'with --users: methods we accept, preferred first: mschapv2, chap (CHAP-MD5), pap' },
  { name: 'pool', value: 'ADDR', default: '10.0.0.2', help: 'with --users: the first of 250 IPv4 addresses handed out in IPCP' },
  { name: 'dns', value: 'LIST', help: 'with --users: DNS servers handed out (RFC 1877), comma-separated, at most two' },
  { name: 'conformance', help: 'end each tunnel with the report card of its peer\'s RFC conformance (docs/conformance.md); deviations are printed either way' },
  { name: 'strict', help: 'refuse what xl2tpd refuses: a MUST deviation costs the peer its call (CDN) or tunnel (StopCCN), result 2' },
  { name: 'json', help: 'JSON lines on stdout instead of text (the listening address, then one per event)' },
];

export const lnsCommand: Command = {
  name: 'lns',
  args: '',
  summary: 'run the embedded LNS (server) until Ctrl-C, printing tunnels and sessions as they go up and down',
  flags: FLAGS,
  notes: 'Examples:\n  l2tp-wire lns --port 1701 --secret s3cret\n  l2tp-wire lns --host :: --port 0 --tcp-port 0 --echo --json\n  l2tp-wire lns --port 1701 --users users.txt --dns 10.0.0.53\n  l2tp-wire lns --versions 2,3 --cookie-length 8 --echo   (L2TPv2 and L2TPv3 pseudowires on one port)',
  async run(p, io) {
    if (p.positional.length) throw new UsageError(`unexpected argument ${JSON.stringify(p.positional[0])}`);
    const host = stringFlag(p, 'host')!.replace(/^\[(.*)\]$/, '$1');
    if (!isIP(host)) throw new UsageError(`--host must be an IP address, got ${JSON.stringify(host)}`);
    const port = intFlag(p, 'port', 0, 65535)!;
    const tcpPort = intFlag(p, 'tcp-port', 0, 65535);
    const secret = stringFlag(p, 'secret');
    if (p.flags.hidden && secret === undefined) throw new UsageError('--hidden needs --secret');
    const users = stringFlag(p, 'users');
    for (const f of ['auth', 'pool', 'dns']) if (p.given.has(f) && users === undefined) throw new UsageError(`--${f} needs --users`);
    if (users !== undefined && p.flags.echo) throw new UsageError('--echo and --users both answer PPP frames: give one');
    const ppp = users === undefined ? undefined : pppOptions(p, users);
    const server = await createLns({
      host,
      port,
      hostName: stringFlag(p, 'hostname')!,
      secret,
      hideAvps: p.flags.hidden === true,
      tcp: tcpPort === undefined ? false : { port: tcpPort },
      echo: p.flags.echo === true,
      ...v3Options(p),
      conformance: p.flags.strict === true ? 'strict' : 'report',
    }).catch((e: unknown) => {
      throw bindFailure(e, `udp ${formatEndpoint(host, port)}`, /TCP listener/.test(String(e)) ? '--tcp-port' : '--port', '--host') ?? e;
    });
    const a = server.address();
    const where = { udp: formatEndpoint(a.address, a.port), tcp: a.tcp ? formatEndpoint(a.tcp.address, a.tcp.port) : undefined };
    const json = p.flags.json === true;
    io.out(json ? JSON.stringify({ listening: where }) : `LNS listening on udp ${where.udp}${where.tcp ? `, tcp ${where.tcp}` : ''} (Ctrl-C to stop)`);
    // Every peer's tunnel and session going up and down, as it happens: one line each.
    const stop = watchLns(server, (e) => io.out(json ? eventJson(e) : formatEvent(e)), undefined, p.flags.conformance === true);
    // Each PPP login as it ends: one more event line (who, how, which address, or why not).
    const stopPpp = ppp ? servePppOnLns(server, { ...ppp, onLogin: (s, o) => { const e = loginEvent(s.tunnel.id, s.id, o); io.out(json ? eventJson(e) : formatEvent(e)); } }) : undefined;
    await untilSignal();
    stopPpp?.();
    await server.close();
    stop();
    io.out(formatStats(server.stats, json));
    return ExitCode.Ok;
  },
};

/** `--versions` and `--cookie-length`. */
function v3Options(p: Parsed): { versions: (2 | 3)[]; cookieLength: 0 | 4 | 8 } {
  const text = stringFlag(p, 'versions')!;
  const versions = text.split(',').map((v) => v.trim());
  if (versions.some((v) => v !== '2' && v !== '3') || new Set(versions).size !== versions.length) throw new UsageError(`--versions must be 2, 3 or 2,3, got ${JSON.stringify(text)}`);
  const cookieLength = intFlag(p, 'cookie-length', 0, 8)!;
  if (cookieLength !== 0 && cookieLength !== 4 && cookieLength !== 8) throw new UsageError(`--cookie-length must be 0, 4 or 8 (RFC 3931 §5.4.4), got ${cookieLength}`);
  if (p.given.has('cookie-length') && !versions.includes('3')) throw new UsageError('--cookie-length needs --versions 3 or 2,3');
  return { versions: versions.map(Number) as (2 | 3)[], cookieLength };
}

/** The PPP server's options from `--users`, `--auth`, `--pool`, `--dns`. */
function pppOptions(p: Parsed, file: string) {
  const users = readUsers(file);
  const pool = stringFlag(p, 'pool')!;
  if (isIP(pool) !== 4) throw new UsageError(`--pool must be an IPv4 address, got ${JSON.stringify(pool)}`);
  const dns = stringFlag(p, 'dns')?.split(',').map((d) => d.trim()) ?? [];
  if (dns.length > 2 || dns.some((d) => isIP(d) !== 4)) throw new UsageError(`--dns must be one or two IPv4 addresses, comma-separated, got ${JSON.stringify(stringFlag(p, 'dns'))}`);
  let addressPool: AddressPool;
  try {
    addressPool = new AddressPool(pool, 250);
  } catch (e) {
    throw new UsageError(`--pool ${pool}: ${(e as Error).message}`);
  }
  return {
    authProtocols: parseAuthList(stringFlag(p, 'auth')!),
    // Every method's proof is checked against the user's password (PAP compares, CHAP recomputes).
    authenticate: (_method: string, user: string, proof: { verify(password: string): boolean }) => users.has(user) && proof.verify(users.get(user)!),
    addressPool,
    dns,
  };
}

/** A finished PPP login as a CLI event (`ppp-up` / `ppp-failed`). */
function loginEvent(tunnel: number, session: number, o: PppOutcome): CliEvent {
  const base = { time: new Date().toISOString(), tunnel, session, user: o.auth?.user, method: o.auth?.method };
  if (o.ok) return { ...base, event: 'ppp-up', said: `${o.auth?.user ?? '(no auth)'} via ${o.auth?.method ?? 'none'}, address ${o.info.peerIpAddress}` };
  return { ...base, event: 'ppp-failed', said: o.reason };
}
