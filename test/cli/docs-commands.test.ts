/**
 * Every `npx l2tp-wire …` command the README and the CLI guides show is accepted by the built
 * CLI as written: each is run with one unknown flag appended, so the parser must get through
 * every flag and value shown (and the HOST form) and stop only at the extra one — nothing runs.
 * A renamed or removed flag in the CLI fails here until the docs follow.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');
const CLI = resolve(ROOT, 'dist/cli.js');
const DOCS = ['README.md', 'docs/probing.md', 'docs/lns.md', 'docs/ppp.md'];

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [CLI, ...args], { timeout: 20_000 }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

/** `npx l2tp-wire …` invocations in a document: fenced shell lines and inline code spans. */
function commands(file: string): string[] {
  const text = readFileSync(resolve(ROOT, file), 'utf8');
  const found = new Set<string>();
  for (const m of text.matchAll(/npx l2tp-wire ([^`\n]*)/g)) {
    const cmd = m[1]!
      .replace(/\s+#.*$/, '') // a trailing shell comment
      .replace(/;.*$/, '') // `; echo "exit $?"`
      .trim();
    // Usage lines with [optional] groups and placeholders are help, not commands.
    if (cmd === '' || /\[--|\bHOST\b(?!:)|…/.test(cmd)) continue;
    found.add(cmd);
  }
  return [...found];
}

/** Shell words of a simple command line (no quoting is used in the docs). */
const words = (cmd: string) => cmd.split(/\s+/).map((w) => w.replace(/^PORT$/, '1701').replace(/:PORT$/, ':1701'));

describe('CLI commands shown in the docs', () => {
  for (const file of DOCS) {
    const list = commands(file);
    it(`${file}: ${list.length} commands parse as written`, async () => {
      expect(list.length).toBeGreaterThan(0);
      for (const cmd of list) {
        const args = words(cmd);
        if (args.includes('--help') || args[0] === '--version') {
          expect((await run(args)).code, cmd).toBe(0);
          continue;
        }
        const r = await run([...args, '--not-a-flag']);
        expect(r.stderr.trim(), cmd).toMatch(/^l2tp-wire: unknown flag --not-a-flag \(see l2tp-wire \w+ --help\)$/);
        expect(r.code, cmd).toBe(2);
      }
    });
  }

  it('the README shows every command', () => {
    const shown = commands('README.md').map((c) => c.split(' ')[0]);
    for (const c of ['probe', 'session', 'lns', 'relay']) expect(shown).toContain(c);
  });
});
