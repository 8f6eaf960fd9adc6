/**
 * `--v3`, `--pw` and `--remote-end-id` of `probe` and `session`: the L2TPv3 (RFC 3931) options
 * of the client run, checked here so `client-run.ts` only passes them on.
 */
import type { CallOptions, PseudowireInfo } from '../index.js';
import { stringFlag, UsageError, type FlagTable, type Parsed } from './args.js';

/** Pseudowire Types by `--pw` name (RFC 3931 §5.4.4, IANA L2TPv3 Pseudowire Types). */
export const PW_TYPES: Readonly<Record<string, number>> = { ethernet: 5, 'ethernet-vlan': 4 };

/** Flags of `session` only: the pseudowire to bring up with `--v3`. */
export const PSEUDOWIRE_FLAGS: FlagTable = [
  { name: 'pw', value: 'TYPE', default: 'ethernet', help: 'with --v3: the pseudowire to bring up: ethernet (Pseudowire Type 5) or ethernet-vlan (4), RFC 4719' },
  { name: 'remote-end-id', value: 'ID', default: 'l2tp-wire', help: 'with --v3: the Remote End ID AVP (RFC 3931 §5.4.4) naming the circuit at the peer' },
];

/** The `openTunnel()` options `--v3` adds (none without it). */
export function versionOptions(p: Parsed): { version?: 3 } {
  for (const f of ['pw', 'remote-end-id']) if (p.given.has(f) && p.flags.v3 !== true) throw new UsageError(`--${f} needs --v3`);
  // With --tcp, v3 runs over our stream framing (not in any RFC: RFC 3931 §4.1 defines IP and
  // UDP); its data messages carry their length in the Reserved bytes (see stream-framer.ts).
  return p.flags.v3 === true ? { version: 3 } : {};
}

/** The call `session --v3` places: an incoming call (ICRQ → ICRP → ICCN) for a pseudowire. */
export function pseudowireCall(p: Parsed): CallOptions | undefined {
  if (p.flags.v3 !== true) return undefined;
  const name = stringFlag(p, 'pw') ?? 'ethernet';
  const pseudowireType = PW_TYPES[name];
  if (pseudowireType === undefined) throw new UsageError(`--pw must be one of ${Object.keys(PW_TYPES).join(', ')}, got ${JSON.stringify(name)}`);
  const remoteEndId = stringFlag(p, 'remote-end-id') ?? 'l2tp-wire';
  if (remoteEndId.length === 0) throw new UsageError('--remote-end-id must not be empty');
  return { kind: 'incoming', remoteEndId, pseudowireType };
}

/** What the report prints of a pseudowire: the plain fields, cookies in hex. */
export function pseudowireReport(pw: PseudowireInfo): Record<string, unknown> {
  const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return {
    type: pw.pseudowireType,
    localSessionId: pw.localSessionId,
    remoteSessionId: pw.remoteSessionId,
    remoteEndId: new TextDecoder().decode(pw.remoteEndId),
    localCookie: hex(pw.localCookie),
    remoteCookie: hex(pw.remoteCookie),
    localL2SpecificSublayer: pw.localL2SpecificSublayer,
    remoteL2SpecificSublayer: pw.remoteL2SpecificSublayer,
  };
}

/** Dotted form of a 32-bit Router ID (RFC 3931 §5.4.3 suggests an IPv4 address). */
export function dottedRouterId(id: number): string {
  return [id >>> 24, (id >>> 16) & 0xff, (id >>> 8) & 0xff, id & 0xff].join('.');
}
