/** The shape of one `l2tp-wire` command: main.ts parses its flags and dispatches to it by name. */
import type { FlagTable, Parsed } from '../args.js';
import type { Io } from '../io.js';

/** One command (`probe`, `session`, `lns`, `relay`, …). */
export interface Command {
  readonly name: string;
  /** Positional arguments as shown in usage (`HOST[:PORT]`), or '' for none. */
  readonly args: string;
  /** One line for the global help. */
  readonly summary: string;
  /** Every flag it takes: the parser and `--help` are both made from this table. */
  readonly flags: FlagTable;
  /** Extra help paragraphs (examples, notes), optional. */
  readonly notes?: string;
  /** Run with the parsed arguments (never called for `--help`); resolves to the exit code. */
  run(p: Parsed, io: Io): Promise<number>;
}
