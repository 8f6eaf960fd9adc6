/**
 * The benchmark's picture: two panels (tunnels/s and server CPU µs per tunnel) against live
 * tunnels on a log axis, one line per server. Plain SVG, no script, no external assets.
 */
import type { Row } from './interop.js';

const W = 360;
const H = 220;
const PAD = { l: 56, r: 12, t: 28, b: 36 };
const COLOURS: Record<string, string> = { ours: '#1f6feb', theirs: '#d1242f' };

function panel(rows: Row[], metric: string, title: string, x0: number): string {
  const pts = rows.filter((r) => r.metric === metric);
  if (pts.length === 0) return '';
  const lives = pts.map((r) => r.live);
  const lx = (v: number) => Math.log10(Math.max(1, v));
  const [xmin, xmax] = [lx(Math.min(...lives)), Math.max(lx(Math.max(...lives)), lx(Math.min(...lives)) + 1)];
  const ymax = Math.max(...pts.flatMap((r) => [r.ours, r.theirs ?? 0])) * 1.1 || 1;
  const sx = (v: number) => x0 + PAD.l + ((lx(v) - xmin) / (xmax - xmin)) * (W - PAD.l - PAD.r);
  const sy = (v: number) => PAD.t + (1 - v / ymax) * (H - PAD.t - PAD.b);
  const out: string[] = [];
  out.push(`<text x="${x0 + W / 2}" y="16" text-anchor="middle" font-weight="bold">${title}</text>`);
  out.push(`<line x1="${x0 + PAD.l}" y1="${H - PAD.b}" x2="${x0 + W - PAD.r}" y2="${H - PAD.b}" stroke="#888"/>`);
  out.push(`<line x1="${x0 + PAD.l}" y1="${PAD.t}" x2="${x0 + PAD.l}" y2="${H - PAD.b}" stroke="#888"/>`);
  for (let i = 0; i <= 4; i++) {
    const v = (ymax / 4) * i;
    out.push(`<text x="${x0 + PAD.l - 4}" y="${sy(v) + 4}" text-anchor="end" font-size="10">${v.toFixed(0)}</text>`);
  }
  for (const v of [...new Set(lives)]) out.push(`<text x="${sx(v)}" y="${H - PAD.b + 14}" text-anchor="middle" font-size="10">${v}</text>`);
  out.push(`<text x="${x0 + W / 2}" y="${H - 6}" text-anchor="middle" font-size="10">live tunnels (log)</text>`);
  for (const who of ['ours', 'theirs'] as const) {
    const series = pts.filter((r) => r[who] !== undefined).map((r) => `${sx(r.live).toFixed(1)},${sy(r[who]!).toFixed(1)}`);
    if (series.length === 0) continue;
    out.push(`<polyline fill="none" stroke="${COLOURS[who]}" stroke-width="2" points="${series.join(' ')}"/>`);
    for (const p of series) out.push(`<circle cx="${p.split(',')[0]}" cy="${p.split(',')[1]}" r="3" fill="${COLOURS[who]}"/>`);
  }
  return out.join('\n');
}

/** The SVG for the rows of a run, at concurrency `c`. */
export function chart(rows: Row[], c: number): string {
  const body = [panel(rows, `tunnels/s c=${c}`, `setup+teardown/s (c=${c}, higher is better)`, 0), panel(rows, `CPU µs/tunnel c=${c}`, `server CPU µs per tunnel (lower is better)`, W)];
  const legend =
    `<rect x="${W * 2 - 150}" y="${PAD.t}" width="10" height="10" fill="${COLOURS.ours}"/><text x="${W * 2 - 136}" y="${PAD.t + 9}" font-size="11">l2tp-wire</text>` +
    `<rect x="${W * 2 - 80}" y="${PAD.t}" width="10" height="10" fill="${COLOURS.theirs}"/><text x="${W * 2 - 66}" y="${PAD.t + 9}" font-size="11">xl2tpd</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W * 2}" height="${H}" font-family="sans-serif" font-size="12">\n<rect width="100%" height="100%" fill="white"/>\n${body.join('\n')}\n${legend}\n</svg>\n`;
}
