/**
 * Hand-built L2TPv2 bytes for the test LAC, laid out from RFC 2661 (§3.1 header: flags word,
 * Length, Tunnel ID, Session ID, Ns, Nr; §4.1 AVP: M|H|rsvd|Length(10 bits), Vendor ID, Attribute
 * Type, value). Built by hand here, never with the library's encoder, so the expected answers do
 * not come from the code under test.
 */
import { hex } from '../support/hex.js';

/** AVP flag bits (§4.1). */
export const M = 0x8000;
export const H = 0x4000;

export const u16h = (v: number): string => (v & 0xffff).toString(16).padStart(4, '0');
export const u32h = (v: number): string => (v >>> 0).toString(16).padStart(8, '0');
export const ascii = (s: string): string => [...s].map((c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('');

/** One AVP as hex: `flags` are M/H/reserved bits; Length is 6 + value unless `length` says otherwise. */
export function avp(type: number, valueHex = '', flags = M, vendorId = 0, length?: number): string {
  const len = length ?? 6 + valueHex.length / 2;
  return u16h(flags | len) + u16h(vendorId) + u16h(type) + valueHex;
}

/** The Message Type AVP (§4.4.1): M=1, value the type. */
export const mt = (type: number, flags = M): string => avp(0, u16h(type), flags);

export interface CtlOptions {
  /** Flags word; default 0xC802 (T, L, S, version 2). */
  flags?: number;
  /** Length field; default the real length. */
  length?: number;
  /** Bytes appended after the message (beyond its Length). */
  trailer?: string;
}

/** A v2 control message with L=S=1 (§3.1). */
export function ctl(tunnelId: number, sessionId: number, ns: number, nr: number, avps: readonly string[], o: CtlOptions = {}): Uint8Array {
  const body = avps.join('');
  const flags = o.flags ?? 0xc802;
  const hasLength = (flags & 0x4000) !== 0;
  const total = (hasLength ? 12 : 10) + body.length / 2;
  const len = hasLength ? u16h(o.length ?? total) : '';
  return hex(u16h(flags) + len + u16h(tunnelId) + u16h(sessionId) + u16h(ns) + u16h(nr) + body + (o.trailer ?? ''));
}

/** A ZLB acknowledgement (§5.8): the header alone. */
export const zlb = (tunnelId: number, ns: number, nr: number): Uint8Array => ctl(tunnelId, 0, ns, nr, []);

// The IDs of the scenario: the LAC (peer) assigned these…
export const LAC_TUNNEL = 0x2222;
export const LAC_SESSION = 0x3333;
// …and we (the LNS) these.
export const LNS_TUNNEL = 0x1111;
export const LNS_SESSION = 0x4444;

/** RFC 2661 §6.1 SCCRQ: Protocol Version, Host Name, Framing Capabilities, Assigned Tunnel ID. */
export const sccrqAvps = (assignedTunnelId = LAC_TUNNEL): string[] => [
  mt(1), avp(2, '0100'), avp(7, ascii('test-lac')), avp(3, u32h(3)), avp(9, u16h(assignedTunnelId)),
];
/** Our §6.2 SCCRP, with a Receive Window Size of 4. */
export const sccrp = (): Uint8Array =>
  ctl(LAC_TUNNEL, 0, 0, 1, [mt(2), avp(2, '0100'), avp(3, u32h(3)), avp(7, ascii('test-lns')), avp(9, u16h(LNS_TUNNEL)), avp(10, u16h(4))]);
/** §6.6 ICRQ: Assigned Session ID, Call Serial Number. */
export const icrqAvps = (): string[] => [mt(10), avp(14, u16h(LAC_SESSION)), avp(15, u32h(1))];
/** Our §6.7 ICRP. */
export const icrp = (ns: number, nr: number): Uint8Array => ctl(LAC_TUNNEL, LAC_SESSION, ns, nr, [mt(11), avp(14, u16h(LNS_SESSION))]);
/** §6.8 ICCN: (Tx) Connect Speed, Framing Type. */
export const iccnAvps = (): string[] => [mt(12), avp(24, u32h(10_000_000)), avp(19, u32h(1))];
/** §6.4 StopCCN: Assigned Tunnel ID, Result Code 1 (general request to clear). */
export const stopccnAvps = (assignedTunnelId: number): string[] => [mt(4), avp(9, u16h(assignedTunnelId)), avp(1, u16h(1))];
/** A v2 data message with L=1, no sequence numbers (§3.1: flags 0x4002, as xl2tpd sends). */
export function data(tunnelId: number, sessionId: number, payloadHex: string): Uint8Array {
  return hex(u16h(0x4002) + u16h(8 + payloadHex.length / 2) + u16h(tunnelId) + u16h(sessionId) + payloadHex);
}
