/**
 * `l2tp-wire decode FILE`: every L2TP message of a pcap/pcapng capture (ours, tshark's,
 * tcpdump's, a router's), decoded with our codec and grouped per tunnel and session.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { L2tpError } from '../index.js';
import { decodeCapture, recordToJson, type DecodedCapture, type RecordJson } from '../pcap.js';
import { UsageError } from './args.js';
import { ExitCode } from './exit-codes.js';
import { CliFailure } from './failure.js';
import { endpointName, ladderFromCapture, recordLabel, renderLadderHtml } from './html.js';
import type { Io } from './io.js';

/** What `decode` does and its exit codes (the help text besides usage and flags). */
export const DECODE_NOTES = `Decode every L2TP message in a pcap or pcapng capture (Ethernet, Linux cooked v1/v2, loopback,
raw IP; IPv4/IPv6; L2TP over UDP and L2TPv3 over IP protocol 115), grouped per tunnel and session.

Exit codes of decode: 0 ok   1 not a readable capture   2 usage error (or FILE cannot be read)`;

/**
 * Run `decode` on parsed arguments (any parser that gives `positional` and `flags` by name).
 * @example
 * ```ts
 * await runDecode({ positional: ['capture.pcap'], flags: { trace: true } }, { out: console.log, err: console.error });
 * ```
 */
export async function runDecode(p: { readonly positional: readonly string[]; readonly flags: Readonly<Record<string, string | boolean>> }, io: Io): Promise<number> {
  const file = p.positional[0];
  if (file === undefined) throw new UsageError('decode needs a FILE (a pcap or pcapng capture)');
  if (p.positional.length > 1) throw new UsageError(`unexpected argument ${JSON.stringify(p.positional[1])}`);
  if (p.flags.json && p.flags.trace) throw new UsageError('--json and --trace are alternatives: pick one');
  const ports = [1701];
  if (typeof p.flags.port === 'string') {
    for (const s of p.flags.port.split(',')) {
      const n = Number(s);
      if (!/^\d+$/.test(s) || n < 1 || n > 65535) throw new UsageError(`--port takes ports from 1 to 65535, comma-separated; got ${JSON.stringify(p.flags.port)}`);
      ports.push(n);
    }
  }
  const cookie = p.flags['cookie-length'];
  if (cookie !== undefined && cookie !== '0' && cookie !== '4' && cookie !== '8') throw new UsageError('--cookie-length must be 0, 4 or 8 (RFC 3931 §4.1)');
  const l2ss = p.flags.l2ss;
  if (l2ss !== undefined && l2ss !== '0' && l2ss !== '1') throw new UsageError('--l2ss must be 0 (none) or 1 (the default sublayer, RFC 3931 §4.6)');
  const secret = p.flags.secret as string | undefined;
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(file));
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let capture: DecodedCapture;
  try {
    capture = decodeCapture(bytes, {
      ports,
      secret,
      cookieLength: cookie === undefined ? undefined : (Number(cookie) as 0 | 4 | 8),
      l2SpecificSublayer: l2ss === undefined ? undefined : (Number(l2ss) as 0 | 1),
    });
  } catch (e) {
    if (!(e instanceof L2tpError)) throw e;
    // Exit 1: the input was not acceptable (as for a peer's unacceptable answer).
    throw new CliFailure(ExitCode.Refused, `${file} is not a readable capture: ${e.message} [${e.code}]`);
  }
  const messages = capture.records.map((r) => recordToJson(r, secret));
  if (typeof p.flags.html === 'string') {
    const page = renderLadderHtml(ladderFromCapture(capture, secret), { title: `l2tp-wire decode ${file}`, subtitle: [summaryLine(capture)] });
    writeFileSync(p.flags.html, page);
  }
  if (p.flags.json) {
    io.out(JSON.stringify({ file, format: capture.format, frames: capture.frameCount, ports, tunnels: capture.tunnels, sessions: capture.sessions, fragments: capture.fragments, messages }));
    return ExitCode.Ok;
  }
  io.out(p.flags.trace ? trace(messages) : human(capture, messages));
  return ExitCode.Ok;
}

function summaryLine(c: DecodedCapture): string {
  return `${c.format}, ${c.frameCount} frames, ${c.records.length} L2TP messages, ${c.tunnels.length} tunnel${c.tunnels.length === 1 ? '' : 's'}, ${c.sessions.length} session${c.sessions.length === 1 ? '' : 's'}${c.fragments.length ? `, ${c.fragments.length} IP fragments not decoded` : ''}`;
}

const ms = (us: number) => `${(us / 1000).toFixed(3)}`;

function human(c: DecodedCapture, messages: RecordJson[]): string {
  const lines = [summaryLine(c)];
  const t0 = messages[0]?.timestampUs ?? 0;
  for (const t of c.tunnels) {
    const ends = t.ends.map((e) => `${endpointName(e)} id ${e.id}`).join(' ↔ ');
    lines.push('', `tunnel ${t.index} (L2TPv${t.version}${t.encapsulation === 'ip' ? ' over IP' : ''}): ${ends || '(IDs not seen)'}, ${t.records.length} messages`);
    const inSession = new Set(t.sessions.flatMap((s) => c.sessions[s]!.records));
    for (const i of t.records) if (!inSession.has(i)) lines.push(line(messages[i]!, t0, '  '));
    for (const s of t.sessions) {
      const g = c.sessions[s]!;
      lines.push(`  session ${g.index}: ${g.ends.map((e) => `${endpointName(e)} id ${e.id}`).join(' ↔ ')}, ${g.records.length} messages`);
      for (const i of g.records) lines.push(line(messages[i]!, t0, '    '));
    }
  }
  const loose = messages.filter((m) => m.tunnel === undefined);
  if (loose.length) {
    lines.push('', 'not tied to a tunnel:');
    for (const m of loose) lines.push(line(m, t0, '  '));
  }
  return lines.join('\n');
}

function line(m: RecordJson, t0: number, indent: string): string {
  const avps = m.avps
    ?.slice(1)
    .map((a) => `${a.key ?? `${a.vendorId ? `${a.vendorId}:` : ''}${a.type}`}${a.hidden ? (a.unhidden === undefined ? '(hidden)' : '(unhidden)') : ''}${a.decoded !== undefined ? `=${JSON.stringify(a.decoded)}` : ''}`)
    .join(' ');
  const err = m.error ? `  !! ${m.error.code}: ${m.error.message}` : m.secretError ? `  !! secret: ${m.secretError.code}` : '';
  return `${indent}#${m.frame} +${ms(m.timestampUs - t0)} ms ${endpointName(m.src)} → ${endpointName(m.dst)} ${recordLabel(m)}${avps ? `  ${avps}` : ''}${err}`;
}

function trace(messages: RecordJson[]): string {
  const t0 = messages[0]?.timestampUs ?? 0;
  const lanes: string[] = [];
  for (const m of messages) for (const e of [endpointName(m.src), endpointName(m.dst)]) if (!lanes.includes(e)) lanes.push(e);
  const width = Math.max(30, ...messages.map((m) => recordLabel(m).length + 6));
  const out: string[] = [`${''.padStart(13)}${lanes.map((l) => l.padEnd(width)).join('')}`];
  for (const m of messages) {
    const a = lanes.indexOf(endpointName(m.src));
    const b = lanes.indexOf(endpointName(m.dst));
    const label = ` ${recordLabel(m)} `;
    const lo = Math.min(a, b);
    const span = Math.max(1, Math.abs(b - a)) * width;
    const body = label.padStart(Math.floor((span + label.length) / 2), '─').padEnd(span - 1, '─');
    const arrow = a <= b ? `${body}▶` : `◀${body}`;
    out.push(`${`+${ms(m.timestampUs - t0)} ms`.padStart(13)}${' '.repeat(lo * width)}${arrow}`);
  }
  return out.join('\n');
}
