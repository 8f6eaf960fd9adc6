/**
 * One self-contained HTML page showing an L2TP exchange as a sequence (ladder) diagram: an SVG
 * with one lane per endpoint and one arrow per message, timings on the left, and under it each
 * message as a `<details>` element that expands to its header and AVPs. No external assets, no
 * network: it opens offline from a file. Pure (string in, string out), so `decode`, `probe` and
 * `session` can all use it.
 */
import { decodeCapture, recordToJson, writePcap, type DecodedCapture, type L2tpRecord, type RecordJson } from '../pcap.js';

/** One message for {@link renderLadderHtml}. */
export interface LadderHtmlMessage {
  /** Microseconds since the epoch (or since any origin: only differences are shown). */
  timestampUs: number;
  /** Lane names: `'127.0.0.1:1701'`, `'[::1]:40000'`, `'LAC'`… */
  from: string;
  to: string;
  /** The arrow's label, e.g. `SCCRQ tid=0 ns=0 nr=0`. */
  label: string;
  /** Tunnel index, for colour (optional). */
  tunnel?: number;
  /** Shown when the message is expanded: header fields, AVPs. */
  detail?: RecordJson;
}

/** Options for {@link renderLadderHtml}. */
export interface LadderHtmlOptions {
  title?: string;
  /** Lines under the title (file name, counts…). */
  subtitle?: string[];
}

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const COLOURS = ['#1f6feb', '#d1242f', '#1a7f37', '#9a6700', '#8250df', '#bf3989', '#0a7e8c'];

/**
 * The lane name of an endpoint: `addr:port`, IPv6 in brackets, no port for L2TPv3 over IP.
 * @example
 * ```ts
 * endpointName({ address: '::1', port: 1701 }); // '[::1]:1701'
 * ```
 */
export function endpointName(e: { address: string; port?: number }): string {
  const a = e.address.includes(':') ? `[${e.address}]` : e.address;
  return e.port === undefined ? a : `${a}:${e.port}`;
}

/**
 * The arrow label of a decoded record: message type and IDs.
 * @example
 * ```ts
 * recordLabel(recordToJson(record)); // 'SCCRP tid=7 ns=0 nr=1'
 * ```
 */
export function recordLabel(j: RecordJson): string {
  if (j.kind === 'unparsable') return `unparsable: ${j.error?.code ?? '?'}`;
  const h = j.header;
  const ids: string[] = [];
  if (h.tunnelId !== undefined) ids.push(`tid=${h.tunnelId}`);
  if (h.controlConnectionId !== undefined) ids.push(`ccid=${h.controlConnectionId}`);
  if (h.sessionId !== undefined && (h.sessionId !== 0 || j.kind === 'data')) ids.push(`sid=${h.sessionId}`);
  if (h.ns !== undefined) ids.push(`ns=${h.ns}`, `nr=${h.nr}`);
  if (j.kind === 'data') ids.push(`${j.payloadLength}B`);
  return [j.typeName ?? '?', ...ids].join(' ');
}

/**
 * The messages of a decoded capture, ready for {@link renderLadderHtml}.
 * @example
 * ```ts
 * const html = renderLadderHtml(ladderFromCapture(decodeCapture(bytes)), { title: 'capture.pcap' });
 * ```
 */
export function ladderFromCapture(capture: DecodedCapture, secret?: string | Uint8Array): LadderHtmlMessage[] {
  return capture.records.map((r: L2tpRecord) => {
    const detail = recordToJson(r, secret);
    const m: LadderHtmlMessage = { timestampUs: r.timestampUs, from: endpointName(r.src), to: endpointName(r.dst), label: recordLabel(detail), detail };
    if (r.tunnel !== undefined) m.tunnel = r.tunnel;
    return m;
  });
}

/**
 * Messages given as bytes with their endpoints (what `probe`/`session` record), decoded by the same
 * path as a capture (grouping, hidden AVPs with `secret`).
 * @example
 * ```ts
 * const msgs = ladderFromBytes([{ timestampUs: 0, src: { address: '127.0.0.1', port: 40000 }, dst: { address: '127.0.0.1', port: 1701 }, bytes: sccrqBytes }]);
 * ```
 */
export function ladderFromBytes(
  list: ReadonlyArray<{ timestampUs: number; src: { address: string; port: number }; dst: { address: string; port: number }; bytes: Uint8Array }>,
  secret?: string | Uint8Array,
): LadderHtmlMessage[] {
  // Through a raw-IP pcap in memory: one decoding path (grouping, hidden AVPs) for captures and live runs.
  const file = writePcap(list.map((m) => ({ payload: m.bytes, timestampUs: Math.max(0, Math.round(m.timestampUs)), src: m.src.address, dst: m.dst.address, srcPort: m.src.port, dstPort: m.dst.port })));
  return ladderFromCapture(decodeCapture(file, { ports: [...new Set(list.flatMap((m) => [m.src.port, m.dst.port]))], secret }), secret);
}

/**
 * What `probe`/`session` recorded (see `recording.ts`), ready for {@link renderLadderHtml}: the
 * same endpoints `--pcap` writes (`fallback` names the peer when the transport never did).
 * @example
 * ```ts
 * const page = renderLadderHtml(ladderFromRecorded(transport.records, { host, port }, secret), { title: `probe ${host}` });
 * ```
 */
export function ladderFromRecorded(
  records: ReadonlyArray<{ direction: 'sent' | 'received'; wallMicros: number; local?: { address: string; port: number }; remote?: { address: string; port: number }; bytes: Uint8Array }>,
  fallback: { host: string; port: number },
  secret?: string | Uint8Array,
): LadderHtmlMessage[] {
  return ladderFromBytes(
    records.map((r) => {
      const remote = r.remote ?? { address: fallback.host, port: fallback.port };
      const local = r.local ?? { address: remote.address.includes(':') ? '::1' : '127.0.0.1', port: 0 };
      const sent = r.direction === 'sent';
      return { timestampUs: r.wallMicros, src: sent ? local : remote, dst: sent ? remote : local, bytes: r.bytes };
    }),
    secret,
  );
}

function fmtMs(us: number): string {
  return `${(us / 1000).toFixed(3)} ms`;
}

function detailHtml(d: RecordJson | undefined): string {
  if (!d) return '';
  const rows = Object.entries(d.header)
    .map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(String(v))}</td></tr>`)
    .join('');
  let s = `<table class="hdr">${rows}</table>`;
  if (d.avps?.length) {
    s += '<table class="avps"><thead><tr><th>#</th><th>AVP</th><th>type</th><th>M</th><th>H</th><th>len</th><th>value</th></tr></thead><tbody>';
    d.avps.forEach((a, i) => {
      const value = a.decoded !== undefined ? JSON.stringify(a.decoded) : a.hidden && a.unhidden === undefined ? `hidden: ${a.value}` : a.unhidden ?? a.value;
      const type = a.vendorId ? `${a.vendorId}:${a.type}` : String(a.type);
      s += `<tr class="avp"><td>${i + 1}</td><td>${esc(a.name ?? 'unknown')}</td><td>${esc(type)}</td><td>${a.mandatory ? 'M' : ''}</td><td>${a.hidden ? 'H' : ''}</td><td>${a.length}</td><td class="v">${esc(value)}</td></tr>`;
    });
    s += '</tbody></table>';
  }
  if (d.kind === 'data') s += `<p>payload ${d.payloadLength} bytes: <code>${esc(d.payloadHead ?? '')}${(d.payloadLength ?? 0) > 32 ? '…' : ''}</code></p>`;
  if (d.error) s += `<p class="err">${esc(`${d.error.code}: ${d.error.message}`)}</p>`;
  if (d.secretError) s += `<p class="err">${esc(`secret did not unhide: ${d.secretError.code}: ${d.secretError.message}`)}</p>`;
  return s;
}

/**
 * Render the exchange as one self-contained HTML page (inline CSS, SVG and a few lines of inline
 * script; no external assets). Each message is a `g.msg` arrow in the SVG and a `details.msg`
 * entry below it, expandable to its header and AVPs; clicking an arrow opens its entry.
 * @example
 * ```ts
 * const page = renderLadderHtml([
 *   { timestampUs: 0, from: 'LAC', to: 'LNS', label: 'SCCRQ tid=0 ns=0 nr=0' },
 *   { timestampUs: 420, from: 'LNS', to: 'LAC', label: 'SCCRP tid=7 ns=0 nr=1' },
 * ], { title: 'probe 192.0.2.1' });
 * ```
 */
export function renderLadderHtml(messages: readonly LadderHtmlMessage[], options: LadderHtmlOptions = {}): string {
  const lanes: string[] = [];
  for (const m of messages) for (const e of [m.from, m.to]) if (!lanes.includes(e)) lanes.push(e);
  const t0 = messages.length ? Math.min(...messages.map((m) => m.timestampUs)) : 0;
  const TIME_W = 150;
  const LANE_W = Math.max(260, ...messages.map((m) => m.label.length * 7.2 + 40));
  const ROW_H = 30;
  const TOP = 50;
  const width = TIME_W + Math.max(1, lanes.length) * LANE_W;
  const height = TOP + messages.length * ROW_H + 20;
  const laneX = (name: string) => TIME_W + LANE_W * (lanes.indexOf(name) + 0.5);
  let svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="ladder diagram">`;
  svg += '<defs><marker id="head" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="context-stroke"/></marker></defs>';
  for (const l of lanes) {
    const x = laneX(l);
    svg += `<text class="lane" x="${x}" y="22" text-anchor="middle">${esc(l)}</text><line class="life" x1="${x}" y1="32" x2="${x}" y2="${height - 5}"/>`;
  }
  svg += `<text class="lane" x="8" y="22">time (+ms, Δ)</text>`;
  let prev = t0;
  messages.forEach((m, i) => {
    const y = TOP + i * ROW_H + 18;
    const x1 = laneX(m.from);
    const x2 = laneX(m.to);
    const colour = COLOURS[(m.tunnel ?? 0) % COLOURS.length]!;
    const delta = m.timestampUs - prev;
    prev = m.timestampUs;
    const cls = m.detail?.kind === 'unparsable' ? 'msg bad' : m.label.startsWith('ZLB') ? 'msg zlb' : 'msg';
    svg += `<g class="${cls}" data-i="${i}" tabindex="0"><title>${esc(m.label)}</title>`;
    svg += `<text class="time" x="8" y="${y + 4}">+${fmtMs(m.timestampUs - t0)}  Δ${fmtMs(delta)}</text>`;
    if (x1 === x2) svg += `<path d="M${x1},${y - 8} h40 v16 h-40" fill="none" stroke="${colour}" marker-end="url(#head)"/>`;
    else svg += `<line x1="${x1}" y1="${y}" x2="${x2}" y2="${y}" stroke="${colour}" marker-end="url(#head)"/>`;
    svg += `<text class="label" x="${(x1 + x2) / 2 + (x1 === x2 ? 50 : 0)}" y="${y - 5}" text-anchor="${x1 === x2 ? 'start' : 'middle'}">${esc(m.label)}</text></g>`;
  });
  svg += '</svg>';
  const list = messages
    .map((m, i) => {
      const d = m.detail;
      const frame = d ? `#${d.frame} ` : '';
      return `<details class="msg" id="m${i}"><summary><span class="t">+${fmtMs(m.timestampUs - t0)}</span> ${esc(frame)}${esc(m.from)} → ${esc(m.to)} <b>${esc(m.label)}</b>${d?.tunnel !== undefined ? ` <span class="tag">tunnel ${d.tunnel}${d.session !== undefined ? ` · session ${d.session}` : ''}</span>` : ''}</summary>${detailHtml(d)}</details>`;
    })
    .join('\n');
  const title = options.title ?? 'L2TP exchange';
  const sub = (options.subtitle ?? []).map((s) => `<p class="sub">${esc(s)}</p>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${esc(title)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:16px;color:#1f2328;background:#fff}
h1{font-size:18px;margin:0 0 4px}.sub{margin:0;color:#59636e}
.ladder{overflow-x:auto;border:1px solid #d1d9e0;border-radius:6px;margin:12px 0;padding:4px}
svg text{font:12px ui-monospace,monospace;fill:#1f2328}svg .lane{font-weight:bold}svg .time{fill:#59636e}
svg .life{stroke:#d1d9e0;stroke-dasharray:4 3}svg line,svg path{stroke-width:1.6}
svg g.msg{cursor:pointer}svg g.msg:hover text.label,svg g.msg:focus text.label{font-weight:bold}
svg g.zlb text.label{fill:#59636e}svg g.bad text.label{fill:#d1242f}
details.msg{border-bottom:1px solid #eef1f4;padding:3px 0}details.msg summary{cursor:pointer;font-family:ui-monospace,monospace;font-size:12px}
details.msg[open]{background:#f6f8fa}.t{color:#59636e}.tag{color:#8250df}
table{border-collapse:collapse;margin:6px 0 6px 18px;font:12px ui-monospace,monospace}th,td{text-align:left;padding:1px 8px;border-bottom:1px solid #eef1f4;vertical-align:top}
td.v{word-break:break-all;max-width:60ch}.err{color:#d1242f;margin-left:18px}
</style></head><body>
<h1>${esc(title)}</h1>${sub}<p class="sub">${messages.length} message${messages.length === 1 ? '' : 's'}, ${lanes.length} endpoint${lanes.length === 1 ? '' : 's'}${messages.length ? `, ${fmtMs(prev - t0)}` : ''}</p>
<div class="ladder">${svg}</div>
<div class="list">
${list}
</div>
<script>
document.querySelectorAll('svg g.msg').forEach(function (g) {
  function open() { var d = document.getElementById('m' + g.getAttribute('data-i')); if (d) { d.open = true; d.scrollIntoView({ block: 'nearest' }); } }
  g.addEventListener('click', open);
  g.addEventListener('keydown', function (e) { if (e.key === 'Enter') open(); });
});
</script>
</body></html>
`;
}
