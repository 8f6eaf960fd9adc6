/**
 * Renders recorded messages as a ladder diagram with timings:
 *
 * ```
 *     +0.0 ms  LAC ──SCCRQ  tid=0 ns=0 nr=0 ──────────▶ LNS
 *     +0.4 ms  LAC ◀────────── SCCRP tid=7 ns=0 nr=1 ── LNS
 * ```
 */
import { parseControl, parseHeader } from '../index.js';
import type { Recorded } from './recording.js';

/** A one-line summary of an L2TP message: type, IDs, Ns/Nr (never throws). */
export function describeMessage(bytes: Uint8Array): string {
  try {
    const h = parseHeader(bytes);
    if (!h.isControl) {
      return h.version === 2 ? `DATA tid=${h.tunnelId} sid=${h.sessionId} ${bytes.length - h.headerLength}B` : `DATA v3 sid=${h.sessionId}`;
    }
    const m = parseControl(bytes, { requireAvps: false });
    const ids = m.version === 2 ? `tid=${m.tunnelId}${m.sessionId ? ` sid=${m.sessionId}` : ''}` : `ccid=${m.tunnelId}`;
    return `${m.typeName} ${ids} ns=${m.ns} nr=${m.nr}`;
  } catch (e) {
    return `(unparsable: ${(e as Error).message})`;
  }
}

/** One ladder line: `+12.3 ms  us ── SCCRQ tid=0 ns=0 nr=0 ───▶ 127.0.0.1` (streamed by `--trace`). */
export function ladderLine(r: Recorded, left = 'LAC', right = 'LNS', width = 44): string {
  const t = `+${r.at.toFixed(1)} ms`.padStart(11);
  const label = ` ${describeMessage(r.bytes)} `;
  const pad = Math.max(2, width - label.length);
  const arrow = r.direction === 'sent' ? `──${label}${'─'.repeat(pad - 2)}▶` : `◀${'─'.repeat(pad - 2)}${label}──`;
  return `${t}  ${left} ${arrow} ${right}`;
}

/** The ladder, one line per message; `left`/`right` name the local and remote ends. */
export function renderLadder(records: readonly Recorded[], left = 'LAC', right = 'LNS', width = 44): string {
  return records.map((r) => ladderLine(r, left, right, width)).join('\n');
}
