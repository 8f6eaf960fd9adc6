/**
 * `l2tp-wire`: probe an L2TP server, open a tunnel and a session, run the embedded LNS or the
 * TCP↔UDP relay. Human output by default, stable JSON with `--json`.
 */
import { writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { L2tpError, establishSession, probe, type ProbeResult, type SessionEstablishment, type Transport } from '../index.js';
import { createLns, createRelay, tcpTransport, udpTransport } from '../node.js';
import { endpointFlag, intFlag, parseArgs, UsageError, type Parsed } from './args.js';
import { renderLadder } from './ladder.js';
import { writePcap } from './pcap.js';
import { recordTransport, type RecordingTransport } from './recording.js';

/** Exit codes (also printed by `--help`). */
export const ExitCode = {
  Ok: 0,
  /** The peer answered and refused (StopCCN / CDN), or a probe found no L2TP service. */
  Refused: 1,
  /** Bad command line. */
  Usage: 2,
  /** No answer within the timeout (silent peer, filtered port). */
  Timeout: 3,
  /** The transport failed (connection refused, ICMP unreachable, reset). */
  Transport: 4,
  /** Tunnel authentication failed (wrong or missing secret). */
  Auth: 5,
  /** Anything else (a bug: please report it). */
  Internal: 70,
} as const;

const HELP = `l2tp-wire — L2TP (RFC 2661) from the command line

Usage:
  l2tp-wire probe HOST   [--port 1701] [--tcp] [--secret S] [--hostname NAME] [--timeout MS] [--json] [--trace] [--pcap FILE]
  l2tp-wire session HOST [same flags]                 tunnel + incoming call (ICRQ/ICRP/ICCN), then teardown
  l2tp-wire lns  [--host 127.0.0.1] [--port 1701] [--tcp-port N] [--secret S] [--hidden] [--hostname NAME] [--echo] [--json]
  l2tp-wire relay --target HOST:PORT [--listen 127.0.0.1:1701]    TCP (Workers) ↔ UDP (real LNS) bridge
  l2tp-wire --help | --version

Flags:
  --port       UDP/TCP port of the peer (default 1701)
  --tcp        use TCP with Length framing (not in any RFC; for our LNS or the relay)
  --secret     tunnel shared secret: challenge/response (RFC 2661 §5.1.1) and hidden AVPs (§4.3)
  --hidden     send hideable AVPs hidden (needs --secret)
  --hostname   our Host Name AVP (default "l2tp-wire")
  --timeout    overall timeout in ms (default 10000)
  --json       one JSON object on stdout (stable field names)
  --trace      draw the exchange as a ladder diagram with timings (stderr)
  --pcap FILE  write what was sent and received as a pcap file (UDP, Wireshark opens it)

Exit codes:
  0 ok   1 refused by the peer   2 usage error   3 timeout (silent peer)
  4 transport error (refused, unreachable)   5 authentication failed   70 internal error
`;

const CLIENT_FLAGS = {
  port: 'string',
  tcp: 'boolean',
  secret: 'string',
  hidden: 'boolean',
  hostname: 'string',
  timeout: 'string',
  json: 'boolean',
  trace: 'boolean',
  pcap: 'string',
  help: 'boolean',
} as const;

interface Io {
  out(line: string): void;
  err(line: string): void;
}

/** Run the CLI; resolves to the exit code. */
export async function main(argv: readonly string[], io: Io = { out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`) }): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        io.out(HELP);
        return command === undefined ? ExitCode.Usage : ExitCode.Ok;
      case '--version':
        io.out(VERSION);
        return ExitCode.Ok;
      case 'probe':
      case 'session':
        return await client(command, parseArgs(rest, CLIENT_FLAGS), io);
      case 'lns':
        return await lns(parseArgs(rest, { host: 'string', port: 'string', 'tcp-port': 'string', secret: 'string', hidden: 'boolean', hostname: 'string', echo: 'boolean', json: 'boolean', help: 'boolean' }), io);
      case 'relay':
        return await relay(parseArgs(rest, { listen: 'string', target: 'string', json: 'boolean', help: 'boolean' }), io);
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)}`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`l2tp-wire: ${e.message} (see l2tp-wire --help)`);
      return ExitCode.Usage;
    }
    io.err(`l2tp-wire: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return ExitCode.Internal;
  }
}

declare const __VERSION__: string | undefined;
const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : '0.0.0-dev';

function hostArg(p: Parsed, command: string): string {
  const host = p.positional[0];
  if (host === undefined) throw new UsageError(`${command} needs a HOST`);
  if (p.positional.length > 1) throw new UsageError(`unexpected argument ${JSON.stringify(p.positional[1])}`);
  if (!isIP(host) && !/^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/i.test(host)) throw new UsageError(`bad host ${JSON.stringify(host)}`);
  return host;
}

function exitFor(e: unknown): number {
  if (!(e instanceof L2tpError)) return ExitCode.Internal;
  switch (e.code) {
    case 'TIMEOUT':
      return ExitCode.Timeout;
    case 'TRANSPORT':
      return ExitCode.Transport;
    case 'AUTH_FAILED':
      return ExitCode.Auth;
    case 'ABORTED':
      return ExitCode.Timeout;
    default:
      return ExitCode.Refused;
  }
}

async function client(command: 'probe' | 'session', p: Parsed, io: Io): Promise<number> {
  if (p.flags.help) {
    io.out(HELP);
    return ExitCode.Ok;
  }
  const host = hostArg(p, command);
  const port = intFlag(p, 'port', 1, 65535, 1701);
  const timeout = intFlag(p, 'timeout', 1, 3_600_000, 10_000);
  const secret = p.flags.secret as string | undefined;
  if (p.flags.hidden && secret === undefined) throw new UsageError('--hidden needs --secret');
  const hostName = (p.flags.hostname as string | undefined) ?? 'l2tp-wire';
  if (hostName.length === 0 || hostName.length > 1017) throw new UsageError('--hostname must be 1 to 1017 bytes');
  const json = p.flags.json === true;
  const started = Date.now();
  let transport: RecordingTransport | undefined;
  let outcome: { code: number; result?: ProbeResult | SessionEstablishment; error?: L2tpError };
  try {
    const inner: Transport = p.flags.tcp ? await tcpTransport({ host, port, timeout }) : await udpTransport({ host, port });
    transport = recordTransport(inner);
    const opts = { hostName, secret, hideAvps: p.flags.hidden === true, timeout };
    if (command === 'probe') {
      const r = await probe(transport, opts);
      outcome = { code: refusalCode(r.success, r.error, r.result), result: r };
    } else {
      const r = await establishSession(transport, opts);
      if (r.success) await r.tunnel!.close();
      outcome = { code: refusalCode(r.success, r.error, r.result), result: r };
    }
  } catch (e) {
    if (!(e instanceof L2tpError)) throw e;
    outcome = { code: exitFor(e), error: e };
  } finally {
    await transport?.close();
  }
  if (p.flags.trace && transport) io.err(renderLadder(transport.records, 'us', host));
  if (typeof p.flags.pcap === 'string' && transport) writeCapture(p.flags.pcap, transport, host, port);
  report(command, host, port, started, outcome, json, io);
  return outcome.code;
}

/** Result 4 of a StopCCN is "requester is not authorized" (RFC 2661 §4.4.2): an auth failure. */
function refusalCode(success: boolean, error: L2tpError | undefined, result: { result: number } | undefined): number {
  if (success) return ExitCode.Ok;
  if (error?.code === 'AUTH_FAILED' || result?.result === 4) return ExitCode.Auth;
  return ExitCode.Refused;
}

function writeCapture(file: string, t: RecordingTransport, host: string, port: number): void {
  const local = t.local;
  const remote = t.remote ?? { address: host, port };
  const v6 = remote.address.includes(':');
  const here = local?.address ?? (v6 ? '::1' : '127.0.0.1');
  writeFileSync(
    file,
    writePcap(
      t.records.map((r) => ({
        payload: r.bytes,
        time: r.wallClock / 1000,
        src: r.direction === 'sent' ? here : remote.address,
        dst: r.direction === 'sent' ? remote.address : here,
        srcPort: r.direction === 'sent' ? (local?.port ?? 1701) : remote.port,
        dstPort: r.direction === 'sent' ? remote.port : (local?.port ?? 1701),
      })),
    ),
  );
}

function report(command: string, host: string, port: number, started: number, o: { code: number; result?: ProbeResult | SessionEstablishment; error?: L2tpError }, json: boolean, io: Io): void {
  const r = o.result as Record<string, unknown> | undefined;
  const error = o.error ?? (r?.error as L2tpError | undefined);
  if (json) {
    const body: Record<string, unknown> = { command, host, port, exitCode: o.code, success: o.code === ExitCode.Ok, elapsedMs: Date.now() - started };
    if (r) {
      for (const [k, v] of Object.entries(r)) {
        if (k === 'tunnel' || k === 'session' || k === 'error' || v === undefined) continue;
        body[k] = typeof v !== 'number' ? v : Number.isFinite(v) ? (Number.isInteger(v) ? v : Math.round(v * 1000) / 1000) : null;
      }
    }
    if (error) body.error = { code: error.code, message: error.message };
    io.out(JSON.stringify(body, (_k, v: unknown) => (v instanceof Uint8Array ? Array.from(v, (b) => b.toString(16).padStart(2, '0')).join('') : v)));
    return;
  }
  if (!r) {
    io.err(`l2tp-wire: ${command} ${host}:${port}: ${error?.code ?? 'ERROR'}: ${error?.message ?? 'failed'}`);
    return;
  }
  const lines: string[] = [];
  const row = (k: string, v: unknown) => {
    if (v !== undefined) lines.push(`  ${k.padEnd(20)} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
  };
  lines.push(`${command} ${host}:${port}: ${o.code === ExitCode.Ok ? 'ok' : 'refused'}`);
  if (command === 'probe') {
    const pr = r as unknown as ProbeResult;
    row('peer host name', pr.peerHostname);
    row('vendor', pr.vendorName);
    row('protocol version', pr.protocolVersion);
    row('firmware revision', pr.firmwareRevision === undefined ? undefined : `0x${pr.firmwareRevision.toString(16).padStart(4, '0')}`);
    row('framing caps', pr.framingCapabilities);
    row('bearer caps', pr.bearerCapabilities);
    row('receive window', pr.receiveWindowSize);
    row('challenged', pr.challenged);
    row('our tunnel id', pr.tunnelId);
    row('peer tunnel id', pr.assignedTunnelId);
    row('rtt', `${pr.rtt.toFixed(1)} ms`);
  } else {
    const s = r as unknown as SessionEstablishment;
    row('peer host name', s.peerHostname);
    row('vendor', s.vendorName);
    row('tunnel ids', `${s.localTunnelId} (ours) / ${s.peerTunnelId} (peer)`);
    row('session ids', s.localSessionId === undefined ? undefined : `${s.localSessionId} (ours) / ${s.peerSessionId} (peer)`);
    row('setup', Number.isFinite(s.latencyMs) ? `${s.latencyMs.toFixed(1)} ms` : undefined);
  }
  const result = r.result as { result: number; error?: number; message?: string } | undefined;
  if (result) row('peer result', result);
  if (error && o.code !== ExitCode.Ok) row('error', `${error.code}: ${error.message}`);
  io.out(lines.join('\n'));
}

async function lns(p: Parsed, io: Io): Promise<number> {
  if (p.flags.help) {
    io.out(HELP);
    return ExitCode.Ok;
  }
  if (p.positional.length) throw new UsageError(`unexpected argument ${JSON.stringify(p.positional[0])}`);
  const host = (p.flags.host as string | undefined) ?? '127.0.0.1';
  if (!isIP(host)) throw new UsageError(`--host must be an IP address, got ${JSON.stringify(host)}`);
  const port = intFlag(p, 'port', 0, 65535, 1701);
  const tcpPort = p.flags['tcp-port'] === undefined ? undefined : intFlag(p, 'tcp-port', 0, 65535, 0);
  const secret = p.flags.secret as string | undefined;
  if (p.flags.hidden && secret === undefined) throw new UsageError('--hidden needs --secret');
  const server = await createLns({
    host,
    port,
    hostName: (p.flags.hostname as string | undefined) ?? 'l2tp-wire-lns',
    secret,
    hideAvps: p.flags.hidden === true,
    tcp: tcpPort === undefined ? false : { port: tcpPort },
    echo: p.flags.echo === true,
  });
  const a = server.address();
  const where = { udp: `${a.address}:${a.port}`, tcp: a.tcp ? `${a.tcp.address}:${a.tcp.port}` : undefined };
  io.out(p.flags.json ? JSON.stringify({ listening: where }) : `LNS listening on udp ${where.udp}${where.tcp ? `, tcp ${where.tcp}` : ''} (Ctrl-C to stop)`);
  await untilSignal();
  await server.close();
  return ExitCode.Ok;
}

async function relay(p: Parsed, io: Io): Promise<number> {
  if (p.flags.help) {
    io.out(HELP);
    return ExitCode.Ok;
  }
  if (p.flags.target === undefined) throw new UsageError('relay needs --target HOST:PORT (the UDP LNS)');
  const target = endpointFlag(p, 'target', '', 1701);
  const listen = endpointFlag(p, 'listen', '127.0.0.1', 1701);
  const r = await createRelay({ listen, target });
  const a = r.address();
  io.out(p.flags.json ? JSON.stringify({ listening: `${a.address}:${a.port}`, target: `${target.host}:${target.port}` }) : `relay: tcp ${a.address}:${a.port} → udp ${target.host}:${target.port} (Ctrl-C to stop)`);
  await untilSignal();
  await r.close();
  return ExitCode.Ok;
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}
