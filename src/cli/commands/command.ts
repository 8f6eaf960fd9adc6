/** The shape of one `l2tp-wire` command: main.ts dispatches to it by name. */
import type { Io } from '../io.js';

/** One command (`probe`, `session`, `lns`, `relay`, …). */
export interface Command {
  readonly name: string;
  /** Run with the arguments after the command name; resolves to the exit code. */
  run(argv: readonly string[], io: Io): Promise<number>;
}
