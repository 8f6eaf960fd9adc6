/**
 * Renders the RFC 1661 automaton section of docs/ppp.md from src/ppp/automaton.ts, so the
 * documented diagram is the table the PPP layer runs. The rest of docs/ppp.md is hand-written;
 * only the text between the two markers is generated. test/docs/ppp-doc.test.ts fails when the
 * committed section differs from what this renders.
 *
 * Run: npm run docs:ppp
 */
import { AUTOMATON_STATES, AUTOMATON_TRANSITIONS, type AutomatonEvent } from '../../src/ppp/automaton.js';

export const BEGIN = '<!-- generated:ppp-automaton (test/scripts/ppp-diagram.ts from src/ppp/automaton.ts; npm run docs:ppp) -->';
export const END = '<!-- /generated:ppp-automaton -->';

const id = (s: string): string => s.replace(/-/g, '_');

/** A state diagram: one edge per (from, next) pair, labelled with its events and actions; quiet self-loops left to the table. */
function mermaid(): string {
  const edges = new Map<string, string[]>();
  for (const t of AUTOMATON_TRANSITIONS) {
    if (t.from === t.next && t.actions.length === 0) continue;
    const key = `${id(t.from)} --> ${id(t.next)}`;
    const label = t.actions.length > 0 ? `${t.event} / ${t.actions.join(',')}` : t.event;
    edges.set(key, [...(edges.get(key) ?? []), label]);
  }
  const lines = ['```mermaid', 'stateDiagram-v2', '    [*] --> initial'];
  for (const [k, labels] of edges) lines.push(`    ${k}: ${labels.join(' · ')}`);
  lines.push('```');
  return lines.join('\n');
}

/** The RFC's own layout: events down, states across, "actions/next" in each cell. */
function table(): string {
  const events = [...new Set(AUTOMATON_TRANSITIONS.map((t) => t.event))] as AutomatonEvent[];
  const head = `| event | ${AUTOMATON_STATES.map((s, i) => `${i} ${s}`).join(' | ')} |`;
  const rule = `|---|${AUTOMATON_STATES.map(() => '---').join('|')}|`;
  const rows = events.map((e) => {
    const cells = AUTOMATON_STATES.map((s) => {
      const t = AUTOMATON_TRANSITIONS.find((x) => x.event === e && x.from === s);
      if (!t) return '–';
      const n = AUTOMATON_STATES.indexOf(t.next);
      return `${t.actions.length ? `${t.actions.join(',')}/` : ''}${n}${t.note}`;
    });
    return `| ${e} | ${cells.join(' | ')} |`;
  });
  return [head, rule, ...rows].join('\n');
}

/** The generated section, markers included. */
export function render(): string {
  return `${BEGIN}

${mermaid()}

${table()}

${END}`;
}

/** `doc` with its generated section replaced by {@link render}'s. */
export function update(doc: string): string {
  const a = doc.indexOf(BEGIN);
  const b = doc.indexOf(END);
  if (a < 0 || b < a) throw new Error('docs/ppp.md lacks the generated-section markers');
  return doc.slice(0, a) + render() + doc.slice(b + END.length);
}

// Written when run as a script (bundled by esbuild and piped into node).
if (typeof process !== 'undefined' && process.argv[1] === undefined) {
  const { readFileSync, writeFileSync } = await import('node:fs');
  writeFileSync('docs/ppp.md', update(readFileSync('docs/ppp.md', 'utf8')));
}
