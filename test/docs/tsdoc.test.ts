/**
 * Every public export (each entry point of package.json "exports") has TSDoc, and every function,
 * class and constant has an `@example` (issue 7: "every public export has TSDoc with an example").
 * Types are documented but need no example.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import ts from 'typescript';

const root = join(__dirname, '..', '..');
const ENTRIES = ['src/index.ts', 'src/node.ts', 'src/workers.ts', 'src/testing/index.ts', 'src/arbitraries.ts', 'src/pcap.ts'];

describe('TSDoc of the public API', () => {
  const program = ts.createProgram(
    ENTRIES.map((e) => join(root, e)),
    { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, moduleResolution: ts.ModuleResolutionKind.Bundler, skipLibCheck: true, types: ['node'], noEmit: true },
  );
  const checker = program.getTypeChecker();
  const noDoc: string[] = [];
  const noExample: string[] = [];
  let total = 0;
  for (const entry of ENTRIES) {
    const sf = program.getSourceFile(join(root, entry))!;
    for (const exported of checker.getExportsOfModule(checker.getSymbolAtLocation(sf)!)) {
      const s = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      total++;
      const name = `${entry}: ${exported.name}`;
      if (ts.displayPartsToString(s.getDocumentationComment(checker)).trim() === '') noDoc.push(name);
      const isType = (s.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias)) !== 0 && (s.flags & ts.SymbolFlags.Value) === 0;
      if (!isType && !s.getJsDocTags(checker).some((t) => t.name === 'example')) noExample.push(name);
    }
  }

  it('finds the exports (the check is not vacuous)', () => expect(total).toBeGreaterThan(200));
  it('documents every export', () => expect(noDoc).toEqual([]));
  it('gives every function, class and constant an @example', () => expect(noExample).toEqual([]));
});
