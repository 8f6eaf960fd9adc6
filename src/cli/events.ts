/**
 * The one event printer of the CLI: an event becomes one readable line, or one JSON line
 * (`--json`). `lns` prints its peers' events with it as they happen; anything else that reports
 * events (tunnels, sessions) should format them here too, so every command speaks alike.
 */
import { formatReport, type ConformanceReport, type Deviation } from '../index.js';
import type { DownReason, Lns, LnsSession, LnsStats, LnsTunnel } from '../node.js';
import { formatEndpoint } from './address.js';
import { describeResult } from './failure.js';

/** One event, a plain object (survives JSON.stringify). */
export interface CliEvent {
  /** ISO 8601 time. */
  readonly time: string;
  /** `tunnel-up`, `tunnel-down`, `session-up`, `session-down`, … */
  readonly event: string;
  /** Our Tunnel ID. */
  readonly tunnel?: number;
  /** Our Session ID. */
  readonly session?: number;
  /** The peer's address. */
  readonly peer?: string;
  /** Anything else worth a field. */
  readonly [field: string]: unknown;
}

/**
 * `12:00:01.234 tunnel 7 up: …` — one line, for people (a report card: its header line, then
 * the card's lines indented).
 */
export function formatEvent(e: CliEvent): string {
  const t = e.time.slice(11, 23);
  if (e.event === 'deviation') return `${t} tunnel ${e.tunnel} deviation: ${deviationLine(e.deviation as Deviation)}`;
  if (e.event === 'conformance-report') return [`${t} tunnel ${e.tunnel} report card:`, ...formatReport(e.report as ConformanceReport).map((l) => `  ${l}`)].join('\n');
  const who = e.session !== undefined ? `session ${e.session} on tunnel ${e.tunnel}` : e.tunnel !== undefined ? `tunnel ${e.tunnel}` : '';
  const what = e.event.replace(/^(tunnel|session)-/, '');
  const details: string[] = [];
  if (e.peer !== undefined) details.push(`peer ${e.peer}`);
  if (typeof e.hostName === 'string') details.push(`host name ${JSON.stringify(e.hostName)}`);
  if (typeof e.vendor === 'string') details.push(`vendor ${JSON.stringify(e.vendor)}`);
  if (typeof e.transport === 'string') details.push(`over ${e.transport}`);
  if (e.authenticated === true) details.push('authenticated');
  if (typeof e.kind === 'string') details.push(`${e.kind} call`);
  if (typeof e.peerSession === 'number') details.push(`peer session ${e.peerSession}`);
  if (typeof e.by === 'string') details.push(e.by === 'peer' ? 'ended by the peer' : 'ended by us');
  if (typeof e.said === 'string') details.push(e.said);
  // A peer's StopCCN/CDN is already said by its result; other errors (timeouts…) are news.
  if (typeof e.error === 'string' && !(typeof e.said === 'string' && e.error.startsWith('PEER_STOPPED'))) details.push(e.error);
  return `${t} ${who} ${what}${details.length ? `: ${details.join(', ')}` : ''}`.replace(/ {2,}/g, ' ');
}

/** `MUST avp.not-allowed (RFC 2661 §6.6) ICRQ Ns 2 session 0: Minimum BPS with M=1 is not…` */
function deviationLine(d: Deviation): string {
  const where = [d.messageType, d.ns !== undefined ? `Ns ${d.ns}` : undefined, d.sessionId ? `session ${d.sessionId}` : undefined].filter(Boolean).join(' ');
  return `${d.severity} ${d.rule} (${d.section})${where ? ` ${where}` : ''}: ${d.detail}`;
}

/** The counters of an LNS that are not 0, as one line (`--json`: one object), for the end of a run. */
export function formatStats(s: LnsStats, json: boolean): string {
  const gauges = new Set(['tunnels', 'halfOpen', 'established', 'lingering', 'sessions', 'deadlines', 'timers', 'connections']);
  const counters = Object.entries(s).filter(([k, v]) => !gauges.has(k) && v !== 0);
  if (json) return JSON.stringify({ stats: Object.fromEntries(counters) });
  return `LNS stopped: ${counters.length ? counters.map(([k, v]) => `${k} ${v}`).join(', ') : 'no traffic'}`;
}

/** The event as one JSON line. */
export function eventJson(e: CliEvent): string {
  return JSON.stringify(e);
}

function down(kind: 'StopCCN' | 'CDN', why: DownReason): Record<string, unknown> {
  return {
    by: why.by,
    ...(why.result ? { result: why.result, said: describeResult(kind, why.result) } : {}),
    ...(why.error ? { error: `${why.error.code}: ${why.error.message}` } : {}),
  };
}

function tunnelFields(t: LnsTunnel): Record<string, unknown> {
  return { tunnel: t.id, peer: formatEndpoint(t.remote.address, t.remote.port), transport: t.transport };
}

function sessionFields(s: LnsSession): Record<string, unknown> {
  return { tunnel: s.tunnel.id, session: s.id, peerSession: s.peerId, kind: s.kind };
}

/**
 * Call `emit` with each event of `lns` as it happens, peers' deviations from the RFC included;
 * with `reports`, each tunnel's conformance report card too. Returns a function that stops.
 */
export function watchLns(lns: Lns, emit: (e: CliEvent) => void, now: () => Date = () => new Date(), reports = false): () => void {
  const ev = (event: string, fields: Record<string, unknown>) => emit({ time: now().toISOString(), event, ...fields });
  const offs = [
    lns.on('tunnel-up', (t) => ev('tunnel-up', { ...tunnelFields(t), hostName: t.peer?.hostName, vendor: t.peer?.vendorName, authenticated: t.peer?.authenticated })),
    lns.on('tunnel-down', (t, why) => ev('tunnel-down', { ...tunnelFields(t), ...down('StopCCN', why) })),
    lns.on('session-up', (s) => ev('session-up', sessionFields(s))),
    lns.on('session-down', (s, why) => ev('session-down', { ...sessionFields(s), ...down('CDN', why) })),
    lns.on('deviation', (t, d) => ev('deviation', { ...tunnelFields(t), deviation: d })),
  ];
  if (reports) offs.push(lns.on('conformance-report', (t, r) => ev('conformance-report', { ...tunnelFields(t), report: r })));
  return () => offs.forEach((off) => off());
}
