/** `l2tp-wire relay`: the TCP (Workers) ↔ UDP (real LNS) bridge, until Ctrl-C. */
import { createRelay } from '../../node.js';
import { stringFlag, UsageError, type FlagTable } from '../args.js';
import { formatEndpoint, parseEndpoint } from '../address.js';
import { ExitCode } from '../exit-codes.js';
import { bindFailure } from '../failure.js';
import { untilSignal } from '../io.js';
import type { Command } from './command.js';

const FLAGS: FlagTable = [
  { name: 'target', value: 'HOST:PORT', help: 'the UDP LNS to relay to (required; port 1701 when omitted)', required: true },
  { name: 'listen', value: 'HOST:PORT', default: '127.0.0.1:1701', help: 'TCP address to accept connections on (port 0 picks a free one)' },
  { name: 'json', help: 'one JSON line on stdout instead of text' },
];

export const relayCommand: Command = {
  name: 'relay',
  args: '',
  summary: 'bridge L2TP over TCP (e.g. from Cloudflare Workers) to a UDP LNS, until Ctrl-C',
  flags: FLAGS,
  notes: 'Example:\n  l2tp-wire relay --target 192.0.2.7:1701 --listen 127.0.0.1:1702',
  async run(p, io) {
    if (p.positional.length) throw new UsageError(`unexpected argument ${JSON.stringify(p.positional[0])}`);
    const targetText = stringFlag(p, 'target');
    if (targetText === undefined) throw new UsageError('relay needs --target HOST:PORT (the UDP LNS)');
    const t = parseEndpoint(targetText, '--target');
    const l = parseEndpoint(stringFlag(p, 'listen')!, '--listen', 0);
    const target = { host: t.host, port: t.port ?? 1701 };
    const listen = { host: l.host, port: l.port ?? 1701 };
    const r = await createRelay({ listen, target }).catch((e: unknown) => {
      throw bindFailure(e, `tcp ${formatEndpoint(listen.host, listen.port)}`, '--listen HOST:PORT', '--listen HOST:PORT') ?? e;
    });
    const a = r.address();
    const from = formatEndpoint(a.address, a.port);
    const to = formatEndpoint(target.host, target.port);
    io.out(p.flags.json ? JSON.stringify({ listening: from, target: to }) : `relay: tcp ${from} → udp ${to} (Ctrl-C to stop)`);
    await untilSignal();
    await r.close();
    return ExitCode.Ok;
  },
};
