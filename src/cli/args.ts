/**
 * Command-line parsing for `l2tp-wire` (no dependencies): `COMMAND [POSITIONAL] [--flag value]…`.
 */

/** A usage mistake: the CLI prints it with a hint and exits with {@link ExitCode.Usage}. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** What each flag takes: a value (`string`), or nothing (`boolean`). */
export type FlagSpec = Record<string, 'string' | 'boolean'>;

/** Parsed arguments. */
export interface Parsed {
  readonly positional: string[];
  readonly flags: Record<string, string | boolean>;
}

/** Parse `argv` (without node and script) against `spec`; unknown flags are a {@link UsageError}. */
export function parseArgs(argv: readonly string[], spec: FlagSpec): Parsed {
  const positional: string[] = [];
  const flags: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('--') || a === '--') {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq < 0 ? undefined : eq);
    const kind = spec[name];
    if (kind === undefined) throw new UsageError(`unknown flag --${name}`);
    if (kind === 'boolean') {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      flags[name] = true;
    } else {
      const value = eq >= 0 ? a.slice(eq + 1) : argv[++i];
      if (value === undefined || (eq < 0 && value.startsWith('--'))) throw new UsageError(`--${name} needs a value`);
      flags[name] = value;
    }
  }
  return { positional, flags };
}

/** An integer flag within [min, max], or `fallback` when absent. */
export function intFlag(p: Parsed, name: string, min: number, max: number, fallback: number): number {
  const v = p.flags[name];
  if (v === undefined) return fallback;
  const n = Number(v);
  if (typeof v !== 'string' || !/^\d+$/.test(v) || n < min || n > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(v)}`);
  return n;
}

/** A `HOST:PORT` or `[V6]:PORT` flag value. */
export function endpointFlag(p: Parsed, name: string, fallbackHost: string, fallbackPort: number): { host: string; port: number } {
  const v = p.flags[name];
  if (v === undefined) return { host: fallbackHost, port: fallbackPort };
  if (typeof v !== 'string') throw new UsageError(`--${name} needs HOST:PORT`);
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(v);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port < 1 || port > 65535) throw new UsageError(`--${name} must be HOST:PORT (IPv6 as [ADDR]:PORT), got ${JSON.stringify(v)}`);
  return { host: m[1] ?? m[2]!, port };
}
