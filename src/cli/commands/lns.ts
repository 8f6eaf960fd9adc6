/** `l2tp-wire lns`: run the embedded LNS until Ctrl-C. */
import { isIP } from 'node:net';
import { createLns } from '../../node.js';
import { intFlag, parseArgs, UsageError } from '../args.js';
import { ExitCode } from '../exit-codes.js';
import { HELP } from '../help.js';
import { untilSignal } from '../io.js';
import type { Command } from './command.js';

const FLAGS = { host: 'string', port: 'string', 'tcp-port': 'string', secret: 'string', hidden: 'boolean', hostname: 'string', echo: 'boolean', json: 'boolean', help: 'boolean' } as const;

export const lnsCommand: Command = {
  name: 'lns',
  async run(argv, io) {
    const p = parseArgs(argv, FLAGS);
    if (p.flags.help) {
      io.out(HELP);
      return ExitCode.Ok;
    }
    if (p.positional.length) throw new UsageError(`unexpected argument ${JSON.stringify(p.positional[0])}`);
    const host = (p.flags.host as string | undefined) ?? '127.0.0.1';
    if (!isIP(host)) throw new UsageError(`--host must be an IP address, got ${JSON.stringify(host)}`);
    const port = intFlag(p, 'port', 0, 65535, 1701);
    const tcpPort = p.flags['tcp-port'] === undefined ? undefined : intFlag(p, 'tcp-port', 0, 65535, 0);
    const secret = p.flags.secret as string | undefined;
    if (p.flags.hidden && secret === undefined) throw new UsageError('--hidden needs --secret');
    const server = await createLns({
      host,
      port,
      hostName: (p.flags.hostname as string | undefined) ?? 'l2tp-wire-lns',
      secret,
      hideAvps: p.flags.hidden === true,
      tcp: tcpPort === undefined ? false : { port: tcpPort },
      echo: p.flags.echo === true,
    });
    const a = server.address();
    const where = { udp: `${a.address}:${a.port}`, tcp: a.tcp ? `${a.tcp.address}:${a.tcp.port}` : undefined };
    io.out(p.flags.json ? JSON.stringify({ listening: where }) : `LNS listening on udp ${where.udp}${where.tcp ? `, tcp ${where.tcp}` : ''} (Ctrl-C to stop)`);
    await untilSignal();
    await server.close();
    return ExitCode.Ok;
  },
};
