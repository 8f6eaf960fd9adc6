/** What `probe` and `session` share: options, the transport, --trace, --pcap and the report. */
import { writeFileSync } from 'node:fs';
import { L2tpError, establishSession, probe, type Transport } from '../index.js';
import { tcpTransport, udpTransport } from '../node.js';
import { intFlag, stringFlag, UsageError, type FlagTable, type Parsed } from './args.js';
import { formatEndpoint, parseEndpoint } from './address.js';
import { writeCapture } from './capture.js';
import { ladderFromRecorded, renderLadderHtml } from './html.js';
import { ExitCode } from './exit-codes.js';
import { diagnoseError, diagnoseRefusal, errnoOf, type ClientContext } from './failure.js';
import type { Io } from './io.js';
import { ladderLine } from './ladder.js';
import { Progress, StatusLine } from './progress.js';
import { recordTransport, type RecordingTransport } from './recording.js';
import { report, type Outcome } from './report.js';
import { pseudowireCall, pseudowireReport, versionOptions } from './v3-options.js';

/** Flags of `probe` and `session` (one table: the parser and `--help` both come from it). */
export const CLIENT_FLAGS: FlagTable = [
  { name: 'port', value: 'PORT', default: '1701', help: "the server's UDP (or TCP) port; HOST:PORT says the same" },
  { name: 'tcp', help: 'use TCP with Length framing (not in any RFC; for our LNS or the relay)' },
  { name: 'secret', value: 'S', help: 'tunnel secret: challenge/response (RFC 2661 §5.1.1), hidden AVPs (§4.3); none by default' },
  { name: 'hidden', help: 'send hideable AVPs hidden (needs --secret)' },
  { name: 'hostname', value: 'NAME', default: 'l2tp-wire', help: 'our Host Name AVP' },
  { name: 'timeout', value: 'MS', default: '10000', help: 'give up after this many milliseconds' },
  { name: 'v3', help: 'speak L2TPv3 over UDP (RFC 3931): Router ID, Pseudowire Capabilities, 32-bit Control Connection ID; --secret then signs every message (Message Digest, §4.3)' },
  { name: 'json', help: 'one JSON object on stdout (stable field names)' },
  { name: 'trace', help: 'print each message as it is sent or received, as a ladder with timings (stderr)' },
  { name: 'pcap', value: 'FILE', help: 'write what was on the wire as a pcap file (Wireshark opens it)' },
  { name: 'html', value: 'FILE', help: 'write the exchange as one self-contained page: a ladder diagram, each message expandable to its AVPs' },
];

/** HOST, HOST:PORT, [V6] or [V6]:PORT, and --port: one host and one port. */
export function target(p: Parsed, command: string): { host: string; port: number } {
  const text = p.positional[0];
  if (text === undefined) throw new UsageError(`${command} needs a HOST (or HOST:PORT)`);
  if (p.positional.length > 1) throw new UsageError(`unexpected argument ${JSON.stringify(p.positional[1])}`);
  const e = parseEndpoint(text, 'host');
  const flag = intFlag(p, 'port', 1, 65535)!;
  if (e.port !== undefined && p.given.has('port') && e.port !== flag) throw new UsageError(`the port is given twice: ${JSON.stringify(text)} and --port ${flag}; keep one`);
  return { host: e.host, port: e.port ?? flag };
}

/** Retransmissions of one message before giving up (RFC 2661 §5.8 recommends 5); shown in progress. */
const RETRANSMISSIONS = 5;

/**
 * Resolves after the event loop has polled for input once more: two `setImmediate` hops (the
 * first lands in this iteration's check phase, the second after the next poll phase). A datagram
 * already waiting in the socket is then read — and recorded — before the send that follows, as
 * it was on the wire.
 */
export function afterPendingInput(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}

/** Run `probe` or `session` with parsed arguments. */
export async function runClient(command: 'probe' | 'session', p: Parsed, io: Io): Promise<number> {
  const { host, port } = target(p, command);
  const timeout = intFlag(p, 'timeout', 1, 3_600_000)!;
  const secret = stringFlag(p, 'secret');
  if (p.flags.hidden && secret === undefined) throw new UsageError('--hidden needs --secret');
  const v3 = versionOptions(p);
  const call = command === 'session' ? pseudowireCall(p) : undefined;
  const hostName = stringFlag(p, 'hostname')!;
  if (hostName.length === 0 || hostName.length > 1017) throw new UsageError('--hostname must be 1 to 1017 bytes');
  const json = p.flags.json === true;
  const pcap = stringFlag(p, 'pcap');
  const html = stringFlag(p, 'html');
  // Find out now, not after the exchange, that an output file cannot be written.
  for (const [flag, file] of [['pcap', pcap], ['html', html]] as const) {
    if (file === undefined) continue;
    try {
      writeFileSync(file, new Uint8Array(0));
    } catch (e) {
      throw new UsageError(`--${flag} ${JSON.stringify(file)} cannot be written (${errnoOf(e) ?? (e as Error).message}): give a path in a directory you can write`);
    }
  }
  const started = Date.now();
  let transport: RecordingTransport | undefined;
  let outcome: Outcome;
  const trace = p.flags.trace === true;
  // Live progress only on a terminal: piped or redirected output gets nothing extra.
  const status = io.errTty ? new StatusLine(io.errTty) : undefined;
  const progress = new Progress(RETRANSMISSIONS);
  const say = (line: string) => (status ? status.log(line) : io.err(line));
  const ctx: ClientContext = { where: formatEndpoint(host, port), host, secretGiven: secret !== undefined, timeout, tcp: p.flags.tcp === true };
  try {
    const inner: Transport = p.flags.tcp ? await tcpTransport({ host, port, timeout }) : await udpTransport({ host, port });
    transport = recordTransport(inner, {
      beforeSend: afterPendingInput,
      onRecord: (r) => {
        if (trace) say(ladderLine(r, 'us', ctx.where));
        if (status) {
          progress.update(r);
          status.show(progress.status === undefined ? undefined : `${command} ${ctx.where}: ${progress.status}`);
        }
      },
    });
    const opts = { ...v3, hostName, secret, hideAvps: p.flags.hidden === true, timeout, sequencer: { maxRetransmissions: RETRANSMISSIONS } };
    let r = command === 'probe' ? await probe(transport, opts) : await establishSession(transport, call ? { ...opts, call } : opts);
    if ('tunnel' in r && r.success) await r.tunnel!.close();
    // v3: the pseudowire as both sides set it up (plain fields; the session is gone by now).
    const pw = 'session' in r ? r.session?.pseudowire : undefined;
    if (pw !== undefined) r = { ...r, pseudowire: pseudowireReport(pw) } as unknown as typeof r;
    outcome = { code: ExitCode.Ok, result: r };
    if (!r.success) {
      const d = diagnoseRefusal(r.error, r.result, ctx, transport.records);
      outcome = { code: d.code, result: r, diagnosis: d };
    }
  } catch (e) {
    if (!(e instanceof L2tpError)) throw e;
    const d = diagnoseError(e, ctx, transport?.records ?? []);
    outcome = { code: d.code, error: e, diagnosis: d };
  } finally {
    status?.clear();
    await transport?.close();
  }
  // Also when nothing was sent (no route, no name): a valid, empty capture rather than none.
  if (pcap !== undefined) writeCapture(pcap, transport?.records ?? [], { host, port });
  if (html !== undefined) {
    const page = renderLadderHtml(ladderFromRecorded(transport?.records ?? [], { host, port }, secret), { title: `l2tp-wire ${command} ${ctx.where}` });
    writeFileSync(html, page);
  }
  report(command, ctx.where, host, port, started, outcome, json, io);
  return outcome.code;
}
