/**
 * Where `l2tp-wire login` gets the PPP password: a file (`--password-file`), the
 * `L2TP_WIRE_PASSWORD` environment variable, or a prompt on the terminal — never the command line,
 * where every user of the machine can read it (`ps`) and shells keep it in their history.
 */
import { readFileSync } from 'node:fs';
import { UsageError } from '../args.js';
import { errnoOf } from '../failure.js';

/** The environment variable `login` reads the password from. */
export const PASSWORD_ENV = 'L2TP_WIRE_PASSWORD';

/** What a prompt needs: a terminal to read from (echo off) and one to write the prompt to. */
export interface PromptTty {
  readonly isTTY?: boolean;
  setRawMode?(raw: boolean): unknown;
  on(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  off(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  resume(): unknown;
  pause(): unknown;
}

/** Read a line from a terminal without echoing it (Enter ends it, Ctrl-C / Ctrl-D give up). */
export function promptPassword(prompt: string, input: PromptTty, write: (t: string) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    write(prompt);
    input.setRawMode?.(true);
    const done = (err?: Error) => {
      input.off('data', onData);
      input.setRawMode?.(false);
      input.pause();
      write('\n');
      if (err) reject(err);
      else resolve(text);
    };
    const onData = (chunk: Buffer | string) => {
      for (const ch of String(chunk)) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003' || ch === '\u0004') return done(new UsageError('no password given (prompt interrupted)'));
        if (ch === '\u007f' || ch === '\b') text = text.slice(0, -1);
        else text += ch;
      }
    };
    input.on('data', onData);
    input.resume();
  });
}

/**
 * The password: `--password-file FILE` (its first line), else `$L2TP_WIRE_PASSWORD`, else a
 * prompt when stdin is a terminal; otherwise a {@link UsageError} saying how to give one.
 */
export async function readPassword(file: string | undefined, env: Record<string, string | undefined>, tty: PromptTty | undefined, write: (t: string) => void, user: string): Promise<string> {
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new UsageError(`--password-file ${JSON.stringify(file)} cannot be read (${errnoOf(e) ?? (e as Error).message})`);
    }
    // The first line, without its line ending: `echo secret > FILE` works as expected.
    return text.split(/\r?\n/)[0]!;
  }
  const fromEnv = env[PASSWORD_ENV];
  if (fromEnv !== undefined) return fromEnv;
  if (tty?.isTTY) return promptPassword(`password for ${user}: `, tty, write);
  throw new UsageError(`no password: give --password-file FILE or set ${PASSWORD_ENV} (stdin is not a terminal to prompt on)`);
}
