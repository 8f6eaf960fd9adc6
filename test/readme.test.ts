/**
 * Every ```ts block of the README and docs/*.md runs here, importing the library from src/.
 * A `console.log(...)` line ending in `// → expected` must print exactly `expected`.
 * Blocks fenced as ```ts no-run are not run here: only Workers-only examples may use it (they are
 * run inside workerd by test/workers instead).
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(__dirname, '..');
const tmp = join(root, 'test', '.doc-blocks');
const docs = ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

function blocks(file: string): { code: string; line: number }[] {
  const text = readFileSync(join(root, file), 'utf8');
  const out: { code: string; line: number }[] = [];
  const re = /^```ts\n([\s\S]*?)^```/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push({ code: m[1]!, line: text.slice(0, m.index).split('\n').length });
  }
  return out;
}

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const NO_RUN_ALLOWED = new Set(['docs/workers.md']);

const all = docs.flatMap((file) => blocks(file).map((b, i) => [file, b.line, i, b.code] as const));

describe('documentation code examples', () => {
  it('only Workers-only docs skip running their examples (```ts no-run)', () => {
    for (const file of docs) {
      const skipped = (readFileSync(join(root, file), 'utf8').match(/^```ts no-run$/gm) ?? []).length;
      if (!NO_RUN_ALLOWED.has(file)) expect(skipped, file).toBe(0);
    }
  });
  it('the README shows at least two examples', () => expect(all.filter(([f]) => f === 'README.md').length).toBeGreaterThanOrEqual(2));
  it.each(all)('%s block at line %i runs', async (file, _line, i, code) => {
    mkdirSync(tmp, { recursive: true });
    const src = code
      .replace(/from 'l2tp-wire\/(\w+)'/g, (_m, sub: string) => {
        // A subpath entry is src/<sub>.ts or src/<sub>/index.ts (as tsup.config.ts names them).
        const file = existsSync(join(root, 'src', `${sub}.ts`)) ? join(root, 'src', `${sub}.ts`) : join(root, 'src', sub, 'index.ts');
        return `from ${JSON.stringify(file)}`;
      })
      .replace(/from 'l2tp-wire'/g, `from ${JSON.stringify(join(root, 'src', 'index.ts'))}`);
    const path = join(tmp, `${file.replace(/\W/g, '_')}_${i}.ts`);
    writeFileSync(path, src);
    const printed: string[] = [];
    const spy = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      printed.push(args.map((a) => (typeof a === 'string' ? a : String(a))).join(' '));
    });
    try {
      await import(/* @vite-ignore */ pathToFileURL(path).href + `?t=${Date.now()}`);
    } finally {
      spy.mockRestore();
    }
    const expected = [...code.matchAll(/console\.log\(.*\);\s*\/\/ → (.*)$/gm)].map((m) => m[1]!.trim());
    expect(printed.slice(0, expected.length)).toEqual(expected);
  });
});
