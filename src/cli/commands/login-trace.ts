/**
 * `login --trace`: the ladder shows the PPP packet inside each L2TP data message (protocol, code,
 * identifier, and the option or field that matters), not just `DATA … 12B`.
 */
import { parseControlPacket, parseHeader, parsePppFrame, PppProtocol } from '../../index.js';
import { ladderLine } from '../ladder.js';
import type { Recorded } from '../recording.js';

const PROTOCOL_NAMES: Record<number, string> = {
  [PppProtocol.LCP]: 'LCP',
  [PppProtocol.PAP]: 'PAP',
  [PppProtocol.CHAP]: 'CHAP',
  [PppProtocol.IPCP]: 'IPCP',
  [PppProtocol.IPV6CP]: 'IPV6CP',
  [PppProtocol.IPv4]: 'IPv4',
  [PppProtocol.IPv6]: 'IPv6',
};

// RFC 1661 §5 codes (LCP, IPCP, IPV6CP); PAP (RFC 1334 §2.2) and CHAP (RFC 1994 §4) have their own.
const CP_CODES = ['', 'Configure-Request', 'Configure-Ack', 'Configure-Nak', 'Configure-Reject', 'Terminate-Request', 'Terminate-Ack', 'Code-Reject', 'Protocol-Reject', 'Echo-Request', 'Echo-Reply', 'Discard-Request'];
const PAP_CODES = ['', 'Authenticate-Request', 'Authenticate-Ack', 'Authenticate-Nak'];
const CHAP_CODES = ['', 'Challenge', 'Response', 'Success', 'Failure'];

/** One PPP frame, summarised: `PPP LCP Configure-Request id=1 12B` (never throws). */
export function describePppFrame(frame: Uint8Array): string {
  try {
    const f = parsePppFrame(frame);
    const name = PROTOCOL_NAMES[f.protocol] ?? `0x${f.protocol.toString(16).padStart(4, '0')}`;
    if (f.protocol === PppProtocol.IPv4 || f.protocol === PppProtocol.IPv6 || PROTOCOL_NAMES[f.protocol] === undefined) return `PPP ${name} ${f.information.length}B`;
    const p = parseControlPacket(f.information);
    const codes = f.protocol === PppProtocol.PAP ? PAP_CODES : f.protocol === PppProtocol.CHAP ? CHAP_CODES : CP_CODES;
    return `PPP ${name} ${codes[p.code] ?? `code ${p.code}`} id=${p.identifier}`;
  } catch (e) {
    return `PPP (unparsable: ${(e as Error).message})`;
  }
}

/** A ladder line (as `probe --trace` draws them); data messages show the PPP packet they carry. */
export function pppLadderLine(r: Recorded, left: string, right: string, width = 52): string {
  let label: string | undefined;
  try {
    const h = parseHeader(r.bytes);
    if (!h.isControl && h.version === 2) label = `${describePppFrame(r.bytes.subarray(h.headerLength))} sid=${h.sessionId}`;
  } catch {
    // not L2TP: the plain ladder line says so
  }
  if (label === undefined) return ladderLine(r, left, right, width);
  const t = `+${r.at.toFixed(1)} ms`.padStart(11);
  const pad = Math.max(2, width - label.length - 2);
  const arrow = r.direction === 'sent' ? `── ${label} ${'─'.repeat(pad - 2)}▶` : `◀${'─'.repeat(pad - 2)} ${label} ──`;
  return `${t}  ${left} ${arrow} ${right}`;
}
