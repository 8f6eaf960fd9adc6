/**
 * The import graph keeps the brief's one-way flow: bytes → wire → reliable → fsm (and ppp) →
 * client driver → user code. A module may import its own folder and the folders its row allows;
 * nothing imports upward. Type-only imports count too (a type still ties the layers), except the
 * transports' `import type { Transport }`: the client owns that interface and transports implement
 * it (dependency inversion, no runtime edge). And only the Node adapters and the CLI touch `node:`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = resolve(__dirname, '..', 'src');

/** Which folders each folder of src/ may import from (besides itself). `root` is src/*.ts (the entry points). */
const ALLOWED: Record<string, readonly string[]> = {
  crypto: [],
  wire: ['crypto'],
  reliable: ['wire', 'crypto'],
  fsm: ['reliable', 'wire', 'crypto'],
  ppp: ['wire', 'crypto'],
  conformance: ['reliable', 'wire', 'crypto'],
  pcap: ['wire', 'crypto', 'ppp'],
  arbitraries: ['fsm', 'reliable', 'wire', 'crypto'],
  client: ['fsm', 'ppp', 'conformance', 'reliable', 'wire', 'crypto'],
  transports: ['wire', 'crypto'],
  testing: ['client', 'transports', 'fsm', 'reliable', 'wire', 'crypto'],
  server: ['client', 'transports', 'conformance', 'fsm', 'ppp', 'reliable', 'wire', 'crypto'],
  cli: ['root', 'server', 'client', 'transports', 'pcap', 'conformance', 'fsm', 'ppp', 'reliable', 'wire', 'crypto'],
  root: ['arbitraries', 'client', 'conformance', 'crypto', 'fsm', 'pcap', 'ppp', 'reliable', 'server', 'testing', 'transports', 'wire'],
};

/** Files that may import `node:` modules: the Node transports, the CLI, and the Node entry point. */
const NODE_ALLOWED = [/^transports\/node-/, /^cli\//, /^node\.ts$/];

function sources(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

const layerOf = (rel: string): string => (rel.includes('/') ? rel.split('/')[0]! : 'root');

interface Edge {
  from: string;
  spec: string;
  typeOnly: boolean;
}

function imports(file: string): Edge[] {
  const src = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const out: Edge[] = [];
  const from = relative(SRC, file);
  const visit = (n: ts.Node): void => {
    if ((ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier)) {
      const typeOnly = ts.isImportDeclaration(n) ? (n.importClause?.isTypeOnly ?? false) : n.isTypeOnly;
      out.push({ from, spec: n.moduleSpecifier.text, typeOnly });
    } else if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword && n.arguments[0] && ts.isStringLiteral(n.arguments[0])) {
      out.push({ from, spec: n.arguments[0].text, typeOnly: false });
    } else if (ts.isImportTypeNode(n) && ts.isLiteralTypeNode(n.argument) && ts.isStringLiteral(n.argument.literal)) {
      out.push({ from, spec: n.argument.literal.text, typeOnly: true });
    }
    ts.forEachChild(n, visit);
  };
  visit(src);
  return out;
}

/** Relative imports the table does not allow, as "from → to". */
function upward(edges: readonly Edge[]): string[] {
  const bad: string[] = [];
  for (const e of edges) {
    if (!e.spec.startsWith('.')) continue;
    const to = relative(SRC, resolve(SRC, e.from, '..', e.spec));
    const a = layerOf(e.from);
    const b = layerOf(to);
    if (a === b || ALLOWED[a]!.includes(b)) continue;
    // The transports implement the client's Transport interface: a type-only edge, no code.
    if (a === 'transports' && b === 'client' && e.typeOnly && to === 'client/transport.js') continue;
    bad.push(`${e.from} → ${to}`);
  }
  return bad;
}

const FILES = sources();
const EDGES = FILES.flatMap(imports);

describe('layering (src/ import graph)', () => {
  it('finds the source tree and its imports', () => {
    expect(FILES.length).toBeGreaterThan(100);
    expect(EDGES.filter((e) => e.spec.startsWith('.')).length).toBeGreaterThan(500);
    for (const l of new Set(FILES.map((f) => layerOf(relative(SRC, f))))) expect(ALLOWED, `src/${l} has no row`).toHaveProperty(l);
  });

  it('no import runs back up a layer (or sideways where the table does not allow it)', () => {
    expect(upward(EDGES)).toEqual([]);
  });

  it('only the Node adapters and the CLI import node: modules; nothing imports a package', () => {
    const bad = EDGES.filter((e) => !e.spec.startsWith('.'))
      .filter((e) => !(e.spec.startsWith('node:') && NODE_ALLOWED.some((r) => r.test(e.from))))
      // cloudflare:sockets is the Workers transport's runtime module; fast-check is the optional peer of l2tp-wire/arbitraries.
      .filter((e) => !(e.from === 'transports/workers.ts' && (e.spec === 'cloudflare:sockets' || (e.typeOnly && e.spec.startsWith('@cloudflare/workers-types')))))
      .filter((e) => !(e.spec === 'fast-check' && (e.from.startsWith('arbitraries') || e.from === 'arbitraries.ts')))
      .map((e) => `${e.from} imports ${e.spec}`);
    expect(bad).toEqual([]);
  });

  it('the check itself fails on an upward import (wire importing fsm, a transport importing the client at run time)', () => {
    expect(upward([{ from: 'wire/header.ts', spec: '../fsm/tunnel.js', typeOnly: true }])).toEqual(['wire/header.ts → fsm/tunnel.js']);
    expect(upward([{ from: 'transports/memory.ts', spec: '../client/transport.js', typeOnly: false }])).toEqual(['transports/memory.ts → client/transport.js']);
    expect(upward([{ from: 'fsm/tunnel.ts', spec: '../wire/header.js', typeOnly: false }])).toEqual([]);
  });
});
