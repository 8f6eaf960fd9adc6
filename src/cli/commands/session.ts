/** `l2tp-wire session HOST`: a tunnel and one incoming call (ICRQ → ICRP → ICCN), then teardown. */
import { parseArgs } from '../args.js';
import { runClient, CLIENT_FLAGS } from '../client-run.js';
import { ExitCode } from '../exit-codes.js';
import { HELP } from '../help.js';
import type { Command } from './command.js';

export const sessionCommand: Command = {
  name: 'session',
  async run(argv, io) {
    const p = parseArgs(argv, CLIENT_FLAGS);
    if (p.flags.help) {
      io.out(HELP);
      return ExitCode.Ok;
    }
    return runClient('session', p, io);
  },
};
