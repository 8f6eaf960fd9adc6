/**
 * How the LNS tells tunnels apart before any state machine sees a message (RFC 2661 §3.1,
 * §7.2): a look at the first header bytes, and the key of a half-open tunnel.
 * @internal
 */
import type { TunnelSecret } from '../wire/challenge.js';
import { parseControl } from '../wire/control.js';
import { MessageType } from '../wire/message-catalog.js';

/** The header fields routing needs. */
export interface RoutingHeader {
  /** T bit: a control message (RFC 2661 §3.1). */
  readonly control: boolean;
  /** The header's Tunnel ID (v3: Control Connection ID): ours, or 0 on an SCCRQ. */
  readonly tunnelId: number;
  /** Nr of a control message (it always carries S=1, §3.1); -1 for data. */
  readonly nr: number;
  /** A control message with no AVPs: an ack (ZLB, §5.8). */
  readonly zlb: boolean;
}

/**
 * Read the Tunnel ID (and Nr of a control message) of an L2TPv2 message without parsing it,
 * or `undefined` when it is too short or not L2TPv2. Fields per RFC 2661 §3.1: flags word,
 * optional Length (L), Tunnel ID, Session ID, optional Ns/Nr (S).
 */
export function peekHeader(b: Uint8Array): RoutingHeader | undefined {
  if (b.length < 6) return undefined;
  const flags = (b[0]! << 8) | b[1]!;
  if ((flags & 0x000f) !== 2) return undefined;
  const control = (flags & 0x8000) !== 0;
  const hasLength = (flags & 0x4000) !== 0;
  const o = hasLength ? 4 : 2;
  if (b.length < o + 4) return undefined;
  const tunnelId = (b[o]! << 8) | b[o + 1]!;
  if (!control) return { control, tunnelId, nr: -1, zlb: false };
  // A control message must carry L and S (§3.1); without them it is garbage to drop.
  if (!hasLength || (flags & 0x0800) === 0 || b.length < 12) return undefined;
  const length = (b[2]! << 8) | b[3]!;
  return { control, tunnelId, nr: (b[10]! << 8) | b[11]!, zlb: length === 12 };
}

/**
 * {@link peekHeader} for an L2TPv3 message over UDP (RFC 3931 §3.2.1, §4.1.2.1): a control
 * message has T=L=S=1, Length, a 32-bit Control Connection ID, Ns, Nr. A v3 data message names a
 * session, not a control connection (§4.1.2.1): the data plane routes those, so here it is
 * `undefined`, as is anything not v3.
 */
export function peekHeaderV3(b: Uint8Array): RoutingHeader | undefined {
  if (b.length < 12) return undefined;
  const flags = (b[0]! << 8) | b[1]!;
  if ((flags & 0x000f) !== 3 || (flags & 0xc800) !== 0xc800) return undefined;
  const tunnelId = ((b[4]! << 24) | (b[5]! << 16) | (b[6]! << 8) | b[7]!) >>> 0;
  const length = (b[2]! << 8) | b[3]!;
  return { control: true, tunnelId, nr: (b[10]! << 8) | b[11]!, zlb: length === 12 };
}

/**
 * `a` is at or after `b` in 16-bit serial arithmetic (RFC 2661 §5.8: Ns/Nr compare modulo
 * 2^16).
 */
export function serialAtOrAfter(a: number, b: number): boolean {
  return ((a - b) & 0xffff) < 0x8000;
}

/**
 * The key of a tunnel before our Tunnel ID is known to the peer: where the SCCRQ came from
 * and the peer's Assigned Tunnel ID (§4.4.3). Two LACs behind one NAT share the address and
 * port but not, as a rule, the Assigned Tunnel ID; a retransmitted SCCRQ has all three equal.
 */
export function sccrqKey(path: string, assignedTunnelId: number, version: 2 | 3 = 2): string {
  // v3 IDs live in their own key space (RFC 3931 §5.4.3 Assigned Control Connection ID).
  return version === 2 ? `${path}#${assignedTunnelId}` : `${path}#v3#${assignedTunnelId}`;
}

/**
 * The same string, flattened: a key built by concatenation is a chain of rope nodes in V8 (four
 * of them, 128 B, for `u|127.0.0.1|1701#5`); reading a character flattens it in place, and the
 * rope nodes go (a key kept for a tunnel's lifetime then costs ~60 B; issue 16).
 */
export function flatKey(key: string): string {
  key.charCodeAt(0);
  return key;
}

/**
 * Parse a control message with Tunnel ID 0 (an SCCRQ, its retransmission, or a StopCCN sent
 * before the LAC learnt our Tunnel ID) far enough to key it: its type and the LAC's Assigned
 * Tunnel ID (§4.4.3). `undefined` when it does not parse, is not L2TPv2, or carries no
 * Assigned Tunnel ID — there is then no one to answer.
 */
export function readTunnelZero(bytes: Uint8Array, secret: TunnelSecret | undefined): { type: number; assigned: number; version: 2 | 3 } | undefined {
  try {
    const m = parseControl(bytes, { secret, requireAvps: false });
    if (m.isZlb) return undefined;
    // v3 (RFC 3931 §6.1): the Assigned Control Connection ID; an SCCRQ does not hide it in practice
    // (§5.3 allows it, but hiding starts after the handshake here and in the peers we know).
    const assigned = m.version === 2 ? m.assignedTunnelId : m.assignedControlConnectionId;
    if (assigned === undefined) return undefined;
    return { type: m.type, assigned, version: m.version };
  } catch {
    return undefined;
  }
}

/**
 * Whether `bytes` is an SCCRP (RFC 2661 §6.2) whose header names `tunnelId` — the Assigned
 * Tunnel ID of the SCCRQ it answers (§3.1: the header carries the recipient's Tunnel ID).
 */
export function isSccrpFor(bytes: Uint8Array, tunnelId: number): boolean {
  const h = peekHeader(bytes);
  if (h === undefined || !h.control || h.zlb || h.tunnelId !== tunnelId || bytes.length < 20) return false;
  // The first AVP must be Message Type (§4.4.1: vendor 0, attribute 0, never hidden), its value
  // at bytes 18–19 after the 12-byte control header; read it without unhiding anything else.
  const notHidden = (bytes[12]! & 0x40) === 0;
  const isMessageType = bytes[14] === 0 && bytes[15] === 0 && bytes[16] === 0 && bytes[17] === 0;
  return notHidden && isMessageType && ((bytes[18]! << 8) | bytes[19]!) === MessageType.SCCRP;
}
