/**
 * Keeps docs/compliance.md honest: every test the matrix names exists under that exact title,
 * the committed page is what test/scripts/compliance.ts renders, and the open items do not grow.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { REQUIREMENTS, type Proof, type TestRef } from '../../docs/compliance/requirements.js';
import { SURVIVOR_REASONS } from '../../docs/compliance/survivors.js';
import { counts, render, statusOf } from '../scripts/compliance.js';
import { readRecord, reasonFor } from '../scripts/mutation-section.js';

const ROOT = join(__dirname, '..', '..');

/** Open items when this check was written: lower them as gaps close, never raise them. */
const MAX_NOT_COVERED = 0;
const MAX_PARTIAL = 1;
const MAX_GAPS = 9;

/**
 * Titles of every `it(…)`/`test(…)` (and `it.each(…)(…)`) in a test file, as written in the
 * source: string literals by value, template literals by their text between the backticks.
 */
function testTitles(file: string): Set<string> {
  const src = ts.createSourceFile(file, readFileSync(join(ROOT, file), 'utf8'), ts.ScriptTarget.Latest, true);
  const titles = new Set<string>();
  const isTestFn = (e: ts.Expression): boolean => ts.isIdentifier(e) && (e.text === 'it' || e.text === 'test');
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && node.arguments.length > 0) {
      const callee = node.expression;
      const direct = isTestFn(callee);
      const each = ts.isCallExpression(callee) && ts.isPropertyAccessExpression(callee.expression) && callee.expression.name.text === 'each' && isTestFn(callee.expression.expression);
      const arg = node.arguments[0]!;
      if (direct || each) {
        if (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg)) titles.add(arg.text);
        else if (ts.isTemplateExpression(arg)) titles.add(arg.getText(src).slice(1, -1));
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(src);
  return titles;
}

const refs = (p: Proof): readonly TestRef[] => (Array.isArray(p) ? (p as readonly TestRef[]) : []);

describe('docs/compliance.md (RFC compliance matrix)', () => {
  it('names only tests that exist, by file and exact title', () => {
    const cache = new Map<string, Set<string>>();
    const missing: string[] = [];
    for (const r of REQUIREMENTS) {
      for (const ref of [...refs(r.positive), ...refs(r.negative)]) {
        if (!ref.file.startsWith('test/') || !existsSync(join(ROOT, ref.file))) {
          missing.push(`${r.id}: no file ${ref.file}`);
          continue;
        }
        let titles = cache.get(ref.file);
        if (titles === undefined) cache.set(ref.file, (titles = testTitles(ref.file)));
        if (!titles.has(ref.title)) missing.push(`${r.id}: no test '${ref.title}' in ${ref.file}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('the title scanner finds titles of every form (string, template, it.each)', () => {
    const titles = testTitles('test/fsm/tunnel.test.ts');
    expect(titles.has('equal values: both sides discard their tunnels')).toBe(true);
    expect(titles.has("${closer === 'a' ? 'LAC' : 'LNS'} closes: StopCCN with Result Code and Assigned Tunnel ID; the peer acks and cleans up; the closer lingers a full retransmission cycle")).toBe(true);
    expect(testTitles('test/wire/message-catalog.test.ts').has('%s requires %j')).toBe(true);
    expect(titles.has('a title no test has')).toBe(false);
  });

  it('has unique, well-formed ids and a reason wherever a polarity has no test', () => {
    const ids = REQUIREMENTS.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of REQUIREMENTS) {
      expect(r.id, r.id).toMatch(new RegExp(`^${r.rfc}-[0-9.–]+-[A-Za-z0-9-]+$`));
      // The id's section part is the section, or a prefix of it (4.4 for 4.4.1–4.4.6).
      expect(r.section.split('–')[0]!.startsWith(r.id.split('-')[1]!), `${r.id} vs §${r.section}`).toBe(true);
      for (const p of [r.positive, r.negative]) if (!Array.isArray(p) && typeof p === 'object') expect((p as { none: string }).none.length, r.id).toBeGreaterThan(10);
      if (statusOf(r) === 'gap') expect(r.gap!.length, r.id).toBeGreaterThan(10);
    }
  });

  it('is what test/scripts/compliance.ts renders from docs/compliance/requirements.ts (run npm run compliance)', () => {
    const committed = readFileSync(join(ROOT, 'docs', 'compliance.md'), 'utf8');
    expect(committed).toBe(render(undefined, ROOT));
  });

  it('reports its open items, and they do not grow', () => {
    const c = counts();
    console.info(`RFC compliance matrix: ${REQUIREMENTS.length} requirements; ${c.covered} covered, ${c.partial} partial, ${c['not covered']} not covered, ${c.gap} gaps, ${c['n/a']} n/a`);
    expect(c['not covered']).toBeLessThanOrEqual(MAX_NOT_COVERED);
    expect(c.partial).toBeLessThanOrEqual(MAX_PARTIAL);
    expect(c.gap).toBeLessThanOrEqual(MAX_GAPS);
    expect(render(undefined, ROOT)).toContain(`${c['not covered']} not covered`);
  });

  describe('mutation testing (docs/compliance/mutation.json)', () => {
    const rec = readRecord(ROOT);
    it('every surviving mutant has a stated reason (docs/compliance/survivors.ts)', () => {
      const open = rec.survivors.filter((s) => reasonFor(s) === undefined).map((s) => `${s.file}:${s.line}:${s.column} ${s.mutator}: ${s.original} → ${s.replacement}`);
      expect(open).toEqual([]);
    });
    it('every reason still matches a survivor (none left behind after a mutant was killed)', () => {
      const stale = SURVIVOR_REASONS.filter((r) => !rec.survivors.some((s) => reasonFor(s, [r]) === r)).map((r) => `${r.file} ${r.lines ?? ''} ${r.mutators ?? ''}`);
      expect(stale).toEqual([]);
    });
    it('names only files that exist, with counts that add up', () => {
      for (const [file, c] of Object.entries(rec.files)) {
        expect(existsSync(join(ROOT, file)), file).toBe(true);
        expect(rec.survivors.filter((s) => s.file === file).length, file).toBe(c.survived + c.noCoverage);
      }
    });
  });
});
