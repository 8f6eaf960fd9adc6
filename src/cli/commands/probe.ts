/** `l2tp-wire probe HOST`: SCCRQ → SCCRP → SCCCN → StopCCN; what the peer says about itself. */
import { CLIENT_FLAGS, runClient } from '../client-run.js';
import type { Command } from './command.js';

export const probeCommand: Command = {
  name: 'probe',
  args: 'HOST[:PORT]',
  summary: 'is there an L2TP server, and what does it say about itself? (SCCRQ → SCCRP → SCCCN → StopCCN)',
  flags: CLIENT_FLAGS,
  notes: 'Examples:\n  l2tp-wire probe 192.0.2.7\n  l2tp-wire probe 127.0.0.1:1701 --json\n  l2tp-wire probe [::1]:1701 --secret s3cret --trace\n  l2tp-wire probe 127.0.0.1 --v3   (L2TPv3: Router ID, Pseudowire Capabilities)',
  run: (p, io) => runClient('probe', p, io),
};
