/** `l2tp-wire relay`: the TCP (Workers) ↔ UDP (real LNS) bridge, until Ctrl-C. */
import { createRelay } from '../../node.js';
import { endpointFlag, parseArgs, UsageError } from '../args.js';
import { ExitCode } from '../exit-codes.js';
import { HELP } from '../help.js';
import { untilSignal } from '../io.js';
import type { Command } from './command.js';

export const relayCommand: Command = {
  name: 'relay',
  async run(argv, io) {
    const p = parseArgs(argv, { listen: 'string', target: 'string', json: 'boolean', help: 'boolean' });
    if (p.flags.help) {
      io.out(HELP);
      return ExitCode.Ok;
    }
    if (p.flags.target === undefined) throw new UsageError('relay needs --target HOST:PORT (the UDP LNS)');
    const target = endpointFlag(p, 'target', '', 1701);
    const listen = endpointFlag(p, 'listen', '127.0.0.1', 1701);
    const r = await createRelay({ listen, target });
    const a = r.address();
    io.out(p.flags.json ? JSON.stringify({ listening: `${a.address}:${a.port}`, target: `${target.host}:${target.port}` }) : `relay: tcp ${a.address}:${a.port} → udp ${target.host}:${target.port} (Ctrl-C to stop)`);
    await untilSignal();
    await r.close();
    return ExitCode.Ok;
  },
};
