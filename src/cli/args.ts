/**
 * Command-line parsing for `l2tp-wire` (no dependencies): `COMMAND [POSITIONAL] [--flag value]…`.
 * Each command declares one table of flags; the parser and the command's `--help` are both made
 * from it, so the help text cannot drift from what is accepted.
 */

/** A usage mistake: the CLI prints it with a hint and exits with `ExitCode.Usage`. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** One flag of a command. */
export interface FlagDef {
  /** Without the dashes: `port` for `--port`. */
  readonly name: string;
  /** The value's placeholder in help (`PORT`, `FILE`); absent for a switch that takes no value. */
  readonly value?: string;
  /** The value used when the flag is absent; printed by `--help`. */
  readonly default?: string;
  /** One line: what it does. */
  readonly help: string;
  /** Shown without brackets in the usage line; the command checks it is there. */
  readonly required?: boolean;
}

/** Every flag a command takes. `--help` is implicit. */
export type FlagTable = readonly FlagDef[];

/** Parsed arguments: defaults from the table are filled in; `given` names the flags on the line. */
export interface Parsed {
  readonly positional: string[];
  readonly flags: Record<string, string | boolean>;
  readonly given: ReadonlySet<string>;
}

const HELP_FLAG: FlagDef = { name: 'help', help: 'this text' };

/** Parse `argv` (after the command name) against `table`; unknown flags are a {@link UsageError}. */
export function parseArgs(argv: readonly string[], table: FlagTable): Parsed {
  const byName = new Map([...table, HELP_FLAG].map((f) => [f.name, f]));
  const positional: string[] = [];
  const flags: Record<string, string | boolean> = {};
  const given = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq < 0 ? undefined : eq);
    const def = byName.get(name);
    if (def === undefined) throw new UsageError(`unknown flag --${name}`);
    given.add(name);
    if (def.value === undefined) {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      flags[name] = true;
    } else {
      const value = eq >= 0 ? a.slice(eq + 1) : argv[++i];
      if (value === undefined || (eq < 0 && value.startsWith('--'))) throw new UsageError(`--${name} needs a value (${def.value})`);
      flags[name] = value;
    }
  }
  for (const f of table) if (!given.has(f.name) && f.default !== undefined) flags[f.name] = f.default;
  return { positional, flags, given };
}

/** The usage line's flag list: `[--port PORT] [--tcp] …`. */
export function usageFlags(table: FlagTable): string {
  return table.map((f) => (f.required ? `--${f.name}${f.value ? ` ${f.value}` : ''}` : `[--${f.name}${f.value ? ` ${f.value}` : ''}]`)).join(' ');
}

/** One line per flag with its default, aligned. */
export function flagLines(table: FlagTable): string {
  const heads = table.map((f) => `--${f.name}${f.value ? ` ${f.value}` : ''}`);
  const w = Math.max(...heads.map((h) => h.length)) + 2;
  return table.map((f, i) => `  ${heads[i]!.padEnd(w)}${f.help}${f.default !== undefined ? ` (default ${f.default})` : ''}`).join('\n');
}

/** A string flag's value (its default when absent), or undefined. */
export function stringFlag(p: Parsed, name: string): string | undefined {
  const v = p.flags[name];
  return typeof v === 'string' ? v : undefined;
}

/** An integer flag within [min, max]; undefined when absent and without a default. */
export function intFlag(p: Parsed, name: string, min: number, max: number): number | undefined {
  const v = p.flags[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (typeof v !== 'string' || !/^\d+$/.test(v) || n < min || n > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(v)}`);
  return n;
}
