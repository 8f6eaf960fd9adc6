/**
 * Where `login` takes the password from (--password-file, L2TP_WIRE_PASSWORD, a terminal prompt
 * with echo off), the users file of `lns --users`, and the --auth list: pure functions, fed by
 * hand.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/args.js';
import { parseUsers } from '../../src/cli/commands/lns-users.js';
import { readPassword, type PromptTty } from '../../src/cli/commands/login-password.js';
import { parseAuthList } from '../../src/cli/commands/login.js';

const dir = mkdtempSync(join(tmpdir(), 'l2tp-cli-pw-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A fake terminal: records raw mode and what was written, types `keys` once listened to. */
function fakeTty(keys: string) {
  const log: string[] = [];
  let listener: ((c: string) => void) | undefined;
  const tty: PromptTty = {
    isTTY: true,
    setRawMode: (raw) => log.push(`raw ${raw}`),
    on: (_e, l) => {
      listener = l as (c: string) => void;
    },
    off: () => {
      listener = undefined;
    },
    resume: () => queueMicrotask(() => listener?.(keys)),
    pause: () => log.push('pause'),
  };
  return { tty, log };
}

describe('login: the password', () => {
  it('--password-file: the first line, without its line ending, before the environment', async () => {
    const f = join(dir, 'pw');
    writeFileSync(f, 'won der land\r\nsecond line\n');
    expect(await readPassword(f, { L2TP_WIRE_PASSWORD: 'env' }, undefined, () => {}, 'alice')).toBe('won der land');
  });

  it('L2TP_WIRE_PASSWORD when there is no file (an empty value is a password too)', async () => {
    expect(await readPassword(undefined, { L2TP_WIRE_PASSWORD: 'from-env' }, undefined, () => {}, 'alice')).toBe('from-env');
    expect(await readPassword(undefined, { L2TP_WIRE_PASSWORD: '' }, undefined, () => {}, 'alice')).toBe('');
  });

  it('a terminal prompt with echo off: raw mode on then off, backspace edits, nothing typed is echoed', async () => {
    const { tty, log } = fakeTty('wondx\u007ferland\r');
    const written: string[] = [];
    expect(await readPassword(undefined, {}, tty, (t) => written.push(t), 'alice')).toBe('wonderland');
    expect(written).toEqual(['password for alice: ', '\n']);
    expect(log).toEqual(['raw true', 'raw false', 'pause']);
  });

  it('Ctrl-C at the prompt, or no terminal at all, is a usage error saying how to give one', async () => {
    await expect(readPassword(undefined, {}, fakeTty('abc\u0003').tty, () => {}, 'alice')).rejects.toThrow(UsageError);
    await expect(readPassword(undefined, {}, { ...fakeTty('').tty, isTTY: false }, () => {}, 'alice')).rejects.toThrow(/--password-file FILE or set L2TP_WIRE_PASSWORD/);
  });
});

describe('lns --users: the file', () => {
  it('one "user password" a line; the password is the rest of the line; comments and blank lines skipped', () => {
    expect([...parseUsers('# users\nalice wonderland\n\n  bob\ttwo  words \r\n')]).toEqual([
      ['alice', 'wonderland'],
      ['bob', 'two  words'],
    ]);
  });

  it('a line without a password, a user twice, or no users at all: a usage error with the line number', () => {
    expect(() => parseUsers('alice wonderland\nbob\n', 'u.txt')).toThrow(/u\.txt line 2: expected "user password", got "bob"/);
    expect(() => parseUsers('alice a\nalice b\n')).toThrow(/line 2: user "alice" is listed twice/);
    expect(() => parseUsers('# nobody\n')).toThrow(/no users/);
  });
});

describe('--auth', () => {
  it('names → methods, preferred first, duplicates dropped; unknown names refused', () => {
    expect(parseAuthList('chap,pap')).toEqual(['chap-md5', 'pap']);
    expect(parseAuthList('MSCHAPv2, chap-md5,chap')).toEqual(['mschapv2', 'chap-md5']);
    expect(() => parseAuthList('pap,mschap')).toThrow(/unknown method "mschap"/);
  });
});
