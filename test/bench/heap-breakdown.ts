/// <reference types="node" />
/**
 * What a V8 heap snapshot holds, by kind and constructor: `breakdown(path)` sums self sizes
 * per `type:name` (objects by constructor, arrays by role such as "(object properties)", hidden
 * classes as `hidden:system / Map`). Two snapshots of one process, before and after adding N
 * objects of interest, give the bytes each one costs per constructor (`perUnit`). Used by
 * test/bench/lns-memory.ts with LNS_MEM_SNAPSHOT=dir (issue 16: where an idle tunnel's bytes go).
 */
import { readFileSync } from 'node:fs';

/** Count and self size of one `type:name` group. */
export interface Group {
  count: number;
  size: number;
}

/** Self sizes by `type:name` in the heap snapshot at `path`. */
export function breakdown(path: string): Map<string, Group> {
  const snap = JSON.parse(readFileSync(path, 'utf8')) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
    nodes: number[];
    strings: string[];
  };
  const f = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const width = f.length;
  const iType = f.indexOf('type');
  const iName = f.indexOf('name');
  const iSize = f.indexOf('self_size');
  const out = new Map<string, Group>();
  const nodes = snap.nodes;
  for (let i = 0; i < nodes.length; i += width) {
    const type = types[nodes[i + iType]!]!;
    // Strings by kind only: their text is data, not a constructor.
    const name = type === 'string' || type === 'number' || type === 'concatenated string' || type === 'sliced string' ? '' : snap.strings[nodes[i + iName]!]!;
    const key = `${type}:${name.length > 60 ? name.slice(0, 60) + '…' : name}`;
    const g = out.get(key);
    if (g) {
      g.count++;
      g.size += nodes[i + iSize]!;
    } else out.set(key, { count: 1, size: nodes[i + iSize]! });
  }
  return out;
}

/** Growth from `a` to `b` per one of `units` added: rows of at least `min` bytes per unit, biggest first. */
export function perUnit(a: Map<string, Group>, b: Map<string, Group>, units: number, min = 4): string {
  const rows: [string, number, number][] = [];
  let total = 0;
  for (const [k, g] of b) {
    const p = a.get(k) ?? { count: 0, size: 0 };
    const size = (g.size - p.size) / units;
    total += size;
    if (Math.abs(size) >= min) rows.push([k, (g.count - p.count) / units, size]);
  }
  rows.sort((x, y) => y[2] - x[2]);
  const lines = rows.map(([k, c, s]) => `${s.toFixed(1).padStart(8)} B ${c.toFixed(2).padStart(6)} /unit  ${k}`);
  lines.push(`${total.toFixed(1).padStart(8)} B total per unit (self sizes)`);
  return lines.join('\n');
}
