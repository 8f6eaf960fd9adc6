/** `l2tp-wire probe HOST`: SCCRQ → SCCRP → SCCCN → StopCCN; what the peer says about itself. */
import { parseArgs } from '../args.js';
import { runClient, CLIENT_FLAGS } from '../client-run.js';
import { ExitCode } from '../exit-codes.js';
import { HELP } from '../help.js';
import type { Command } from './command.js';

export const probeCommand: Command = {
  name: 'probe',
  async run(argv, io) {
    const p = parseArgs(argv, CLIENT_FLAGS);
    if (p.flags.help) {
      io.out(HELP);
      return ExitCode.Ok;
    }
    return runClient('probe', p, io);
  },
};
