/**
 * `l2tp-wire`: probe an L2TP server, open a tunnel and a session, run the embedded LNS or the
 * TCP↔UDP relay. Human output by default, stable JSON with `--json`. Each command lives in
 * `commands/` (registered in `commands/index.ts`); this file parses a command's flags from its
 * table, answers `--help`, dispatches, and maps what escapes to an exit code.
 */
import { parseArgs, UsageError } from './args.js';
import { COMMANDS } from './commands/index.js';
import { ExitCode } from './exit-codes.js';
import { CliFailure } from './failure.js';
import { commandHelp, globalHelp } from './help.js';
import { processIo, type Io } from './io.js';

export { ExitCode } from './exit-codes.js';

declare const __VERSION__: string | undefined;
const VERSION = typeof __VERSION__ === 'string' ? __VERSION__ : '0.0.0-dev';

/** Run the CLI; resolves to the exit code. */
export async function main(argv: readonly string[], io: Io = processIo): Promise<number> {
  const [name, ...rest] = argv;
  let hint = 'l2tp-wire --help';
  try {
    switch (name) {
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        io.out(globalHelp(COMMANDS));
        return name === undefined ? ExitCode.Usage : ExitCode.Ok;
      case '--version':
        io.out(VERSION);
        return ExitCode.Ok;
    }
    const command = COMMANDS.find((c) => c.name === name);
    if (command === undefined) throw new UsageError(`unknown command ${JSON.stringify(name)}; commands: ${COMMANDS.map((c) => c.name).join(', ')}`);
    hint = `l2tp-wire ${command.name} --help`;
    if (rest.includes('--help') || rest.includes('-h')) {
      io.out(commandHelp(command));
      return ExitCode.Ok;
    }
    return await command.run(parseArgs(rest, command.flags), io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`l2tp-wire: ${e.message} (see ${hint})`);
      return ExitCode.Usage;
    }
    if (e instanceof CliFailure) {
      io.err(`l2tp-wire: ${name}: ${e.message}`);
      return e.exitCode;
    }
    io.err(`l2tp-wire: internal error (a bug: please report it with this text): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return ExitCode.Internal;
  }
}
