/** `l2tp-wire decode FILE`: every L2TP message of a pcap/pcapng capture, per tunnel and session. */
import type { FlagTable } from '../args.js';
import { DECODE_NOTES, runDecode } from '../decode.js';
import type { Command } from './command.js';

const FLAGS: FlagTable = [
  { name: 'port', value: 'N[,N…]', help: 'UDP ports that carry L2TP, besides 1701' },
  { name: 'secret', value: 'S', help: 'tunnel secret: unhide hidden AVPs (RFC 2661 §4.3)' },
  { name: 'json', help: 'one JSON object: tunnels, sessions, every message with header fields, type and AVPs in wire order' },
  { name: 'trace', help: 'the exchange as a text ladder with timings' },
  { name: 'html', value: 'OUT.html', help: 'also write a self-contained page: ladder diagram (SVG), messages expandable to AVPs' },
  { name: 'cookie-length', value: '0|4|8', default: '0', help: 'L2TPv3 data cookie size when the capture lacks the Assigned Cookie AVP' },
  { name: 'l2ss', value: '0|1', default: '0', help: 'L2TPv3 data: no (0) or the default (1) L2-Specific Sublayer when the capture lacks its AVP' },
];

export const decodeCommand: Command = {
  name: 'decode',
  args: 'FILE',
  summary: 'decode a pcap/pcapng capture (tshark, tcpdump, --pcap) per tunnel and session',
  flags: FLAGS,
  notes: `${DECODE_NOTES}\n\nExample:\n  l2tp-wire decode capture.pcapng --port 17010 --secret S --html ladder.html`,
  run: (p, io) => runDecode(p, io),
};
