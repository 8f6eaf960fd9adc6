/** `l2tp-wire lns`: run the embedded LNS until Ctrl-C. */
import { isIP } from 'node:net';
import { createLns } from '../../node.js';
import { intFlag, stringFlag, UsageError, type FlagTable } from '../args.js';
import { formatEndpoint } from '../address.js';
import { ExitCode } from '../exit-codes.js';
import { eventJson, formatEvent, watchLns } from '../events.js';
import { bindFailure } from '../failure.js';
import { untilSignal } from '../io.js';
import type { Command } from './command.js';

const FLAGS: FlagTable = [
  { name: 'host', value: 'ADDR', default: '127.0.0.1', help: 'IP address to listen on (0.0.0.0 or :: for every interface)' },
  { name: 'port', value: 'PORT', default: '1701', help: 'UDP port (0 picks a free one)' },
  { name: 'tcp-port', value: 'PORT', help: 'also accept L2TP over TCP on this port (0 picks a free one); off by default' },
  { name: 'secret', value: 'S', help: 'tunnel secret: challenge every LAC (RFC 2661 §5.1.1); none by default' },
  { name: 'hidden', help: 'send hideable AVPs hidden (needs --secret)' },
  { name: 'hostname', value: 'NAME', default: 'l2tp-wire-lns', help: 'our Host Name AVP' },
  { name: 'echo', help: 'send every PPP frame received on a session straight back' },
  { name: 'json', help: 'JSON lines on stdout instead of text (the listening address, then one per event)' },
];

export const lnsCommand: Command = {
  name: 'lns',
  args: '',
  summary: 'run the embedded LNS (server) until Ctrl-C, printing tunnels and sessions as they go up and down',
  flags: FLAGS,
  notes: 'Examples:\n  l2tp-wire lns --port 1701 --secret s3cret\n  l2tp-wire lns --host :: --port 0 --tcp-port 0 --echo --json',
  async run(p, io) {
    if (p.positional.length) throw new UsageError(`unexpected argument ${JSON.stringify(p.positional[0])}`);
    const host = stringFlag(p, 'host')!.replace(/^\[(.*)\]$/, '$1');
    if (!isIP(host)) throw new UsageError(`--host must be an IP address, got ${JSON.stringify(host)}`);
    const port = intFlag(p, 'port', 0, 65535)!;
    const tcpPort = intFlag(p, 'tcp-port', 0, 65535);
    const secret = stringFlag(p, 'secret');
    if (p.flags.hidden && secret === undefined) throw new UsageError('--hidden needs --secret');
    const server = await createLns({
      host,
      port,
      hostName: stringFlag(p, 'hostname')!,
      secret,
      hideAvps: p.flags.hidden === true,
      tcp: tcpPort === undefined ? false : { port: tcpPort },
      echo: p.flags.echo === true,
    }).catch((e: unknown) => {
      throw bindFailure(e, `udp ${formatEndpoint(host, port)}`, /TCP listener/.test(String(e)) ? '--tcp-port' : '--port', '--host') ?? e;
    });
    const a = server.address();
    const where = { udp: formatEndpoint(a.address, a.port), tcp: a.tcp ? formatEndpoint(a.tcp.address, a.tcp.port) : undefined };
    const json = p.flags.json === true;
    io.out(json ? JSON.stringify({ listening: where }) : `LNS listening on udp ${where.udp}${where.tcp ? `, tcp ${where.tcp}` : ''} (Ctrl-C to stop)`);
    // Every peer's tunnel and session going up and down, as it happens: one line each.
    const stop = watchLns(server, (e) => io.out(json ? eventJson(e) : formatEvent(e)));
    await untilSignal();
    await server.close();
    stop();
    return ExitCode.Ok;
  },
};
