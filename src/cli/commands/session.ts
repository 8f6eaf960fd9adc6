/** `l2tp-wire session HOST`: a tunnel and one incoming call (ICRQ → ICRP → ICCN), then teardown. */
import { CLIENT_FLAGS, runClient } from '../client-run.js';
import { PSEUDOWIRE_FLAGS } from '../v3-options.js';
import type { Command } from './command.js';

export const sessionCommand: Command = {
  name: 'session',
  args: 'HOST[:PORT]',
  summary: 'open a tunnel and one incoming call (ICRQ → ICRP → ICCN), then tear down (StopCCN)',
  flags: [...CLIENT_FLAGS, ...PSEUDOWIRE_FLAGS],
  notes: 'Examples:\n  l2tp-wire session 127.0.0.1:1701 --json\n  l2tp-wire session 127.0.0.1 --port 1702 --tcp\n  l2tp-wire session 127.0.0.1 --v3 --pw ethernet --json   (an L2TPv3 Ethernet pseudowire, RFC 3931/4719)',
  run: (p, io) => runClient('session', p, io),
};
