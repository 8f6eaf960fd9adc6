/** Help texts, generated from the commands' flag tables (so they list exactly what is accepted). */
import { flagLines, usageFlags } from './args.js';
import type { Command } from './commands/command.js';
import { EXIT_CODE_HELP } from './exit-codes.js';

function usage(c: Command): string {
  return `l2tp-wire ${c.name}${c.args ? ` ${c.args}` : ''} ${usageFlags(c.flags)}`;
}

/** `l2tp-wire COMMAND --help`: usage, what it does, every flag with its default, exit codes. */
export function commandHelp(c: Command): string {
  const parts = [`Usage: ${usage(c)}`, '', c.summary, '', 'Flags:', flagLines(c.flags)];
  if (c.notes) parts.push('', c.notes);
  parts.push('', EXIT_CODE_HELP);
  return parts.join('\n');
}

/** `l2tp-wire --help`: every command in one line, then the exit codes. */
export function globalHelp(commands: readonly Command[]): string {
  const head = (c: Command) => [c.name, c.args, usageFlags(c.flags.filter((f) => f.required))].filter(Boolean).join(' ');
  const w = Math.max(...commands.map((c) => head(c).length));
  const lines = commands.map((c) => `  l2tp-wire ${head(c).padEnd(w)}  ${c.summary}`);
  return [
    'l2tp-wire — L2TP (RFC 2661) from the command line',
    '',
    'Usage:',
    ...lines,
    '  l2tp-wire --help | --version',
    '',
    'Run `l2tp-wire COMMAND --help` for every flag of a command and its default.',
    'HOST is a name, an IPv4 address or an IPv6 address, optionally with a port: HOST:PORT, [IPV6], [IPV6]:PORT.',
    '',
    EXIT_CODE_HELP,
  ].join('\n');
}
