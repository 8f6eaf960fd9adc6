/**
 * docs/conformance.md lists every rule of the table with its section, severity, text and strict
 * action, and nothing else: the page cannot drift from the code.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { CONFORMANCE_RULES as RULES } from '../../src/conformance/index.js';

it('the rule table of docs/conformance.md is RULES', () => {
  const page = readFileSync(join(__dirname, '..', '..', 'docs', 'conformance.md'), 'utf8');
  const block = /<!-- rules:start -->\n([\s\S]*?)<!-- rules:end -->/.exec(page);
  expect(block).not.toBeNull();
  const rows = block![1]!.trim().split('\n').slice(2);
  const want = RULES.map((r) => `| \`${r.id}\` | ${r.section} | ${r.severity} | ${r.text} | ${r.strict === 'refuse' ? `refuse (error ${r.errorCode})` : 'report'} |`);
  expect(rows).toEqual(want);
});
