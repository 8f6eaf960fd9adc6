/** What `probe` and `session` share: options, the transport, --trace, --pcap and the report. */
import { isIP } from 'node:net';
import { L2tpError, establishSession, probe, type Transport } from '../index.js';
import { tcpTransport, udpTransport } from '../node.js';
import { intFlag, UsageError, type Parsed } from './args.js';
import { writeCapture } from './capture.js';
import { ExitCode } from './exit-codes.js';
import type { Io } from './io.js';
import { renderLadder } from './ladder.js';
import { recordTransport, type RecordingTransport } from './recording.js';
import { report, type Outcome } from './report.js';

/** Flags of `probe` and `session`. */
export const CLIENT_FLAGS = {
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

function hostArg(p: Parsed, command: string): string {
  const host = p.positional[0];
  if (host === undefined) throw new UsageError(`${command} needs a HOST`);
  if (p.positional.length > 1) throw new UsageError(`unexpected argument ${JSON.stringify(p.positional[1])}`);
  if (!isIP(host) && !/^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/i.test(host)) throw new UsageError(`bad host ${JSON.stringify(host)}`);
  return host;
}

function exitFor(e: L2tpError): number {
  switch (e.code) {
    case 'TIMEOUT':
    case 'ABORTED':
      return ExitCode.Timeout;
    case 'TRANSPORT':
      return ExitCode.Transport;
    case 'AUTH_FAILED':
      return ExitCode.Auth;
    default:
      return ExitCode.Refused;
  }
}

/** Result 4 of a StopCCN is "requester is not authorized" (RFC 2661 §4.4.2): an auth failure. */
function refusalCode(success: boolean, error: L2tpError | undefined, result: { result: number } | undefined): number {
  if (success) return ExitCode.Ok;
  if (error?.code === 'AUTH_FAILED' || result?.result === 4) return ExitCode.Auth;
  return ExitCode.Refused;
}

/** Run `probe` or `session` with parsed arguments. */
export async function runClient(command: 'probe' | 'session', p: Parsed, io: Io): Promise<number> {
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
  let outcome: Outcome;
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
