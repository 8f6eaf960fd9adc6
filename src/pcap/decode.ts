/**
 * From a capture file to L2TP messages grouped per tunnel and session: container → link layer →
 * IP → UDP (ports given, 1701 by default) or IP protocol 115 → the codec.
 */
import type { ControlMessage } from '../wire/control.js';
import type { DataMessage } from '../wire/data.js';
import { readCaptureFile } from './container.js';
import { Conversations, type Endpoint, type SessionGroup, type TunnelGroup } from './conversations.js';
import { IP_PROTO_L2TP, IP_PROTO_UDP, ipPayload, udpDatagram } from './ip.js';
import { ipInFrame } from './link.js';
import { parseIpMessage, parseUdpMessage, type L2SpecificSublayer, type RecordError } from './message.js';

/**
 * The L2TP port (RFC 2661 §8.1; RFC 3931 §4.1.2.2): {@link decodeCapture} reads UDP to or from it.
 * @example
 * ```ts
 * decodeCapture(bytes, { ports: [L2TP_PORT, 17010] });
 * ```
 */
export const L2TP_PORT = 1701;

/**
 * Options for {@link decodeCapture}.
 * @example
 * ```ts
 * decodeCapture(bytes, { ports: [1701, 17010], secret: 'tunnel secret', cookieLength: 4 });
 * ```
 */
export interface DecodeCaptureOptions {
  /** UDP ports that carry L2TP (a datagram to or from any of them). Default `[1701]`. */
  ports?: readonly number[];
  /** Tunnel secret: hidden AVPs (RFC 2661 §4.3) are unhidden into the typed fields. */
  secret?: string | Uint8Array;
  /** L2TPv3 data: cookie size for sessions whose Assigned Cookie AVP is not in the capture. Default 0. */
  cookieLength?: 0 | 4 | 8;
  /**
   * L2TPv3 data: the L2-Specific Sublayer for sessions whose AVP is not in the capture:
   * 0 none (the default), 1 the default sublayer of RFC 3931 §4.6.
   */
  l2SpecificSublayer?: 0 | 1;
}

/**
 * One L2TP message of the capture.
 * @example
 * ```ts
 * const r = decodeCapture(bytes).records[0];
 * if (r?.control) console.log(r.frame, r.src.address, r.control.typeName, r.control.hostName);
 * else if (r?.data) console.log('data for session', r.data.sessionId, r.data.payload.length, 'bytes');
 * ```
 */
export interface L2tpRecord {
  /** Frame number in the file (1-based, as Wireshark counts). */
  readonly frame: number;
  /** Microseconds since the Unix epoch. */
  readonly timestampUs: number;
  readonly src: Endpoint;
  readonly dst: Endpoint;
  /** L2TP over UDP, or L2TPv3 straight over IP (protocol 115). */
  readonly encapsulation: 'udp' | 'ip';
  /** The L2TP bytes: the UDP payload, or the IP payload (Session ID field first). */
  readonly bytes: Uint8Array;
  readonly version?: 2 | 3;
  /** A control message (ZLBs included), parsed by `parseControl`. */
  readonly control?: ControlMessage;
  /** A data message, parsed by `parseData` (its cookie and sublayer as learned or given). */
  readonly data?: DataMessage;
  /** The default L2-Specific Sublayer of an L2TPv3 data message, when the session uses it. */
  readonly sublayer?: L2SpecificSublayer;
  /** Why the message could not be parsed (then neither `control` nor `data` is set). */
  readonly error?: RecordError;
  /** Why the secret could not unhide this message's hidden AVPs (parsed without it). */
  readonly secretError?: RecordError;
  /** Index in {@link DecodedCapture.tunnels}. */
  readonly tunnel?: number;
  /** Index in {@link DecodedCapture.sessions}. */
  readonly session?: number;
}

/**
 * Everything {@link decodeCapture} found.
 * @example
 * ```ts
 * const c = decodeCapture(bytes);
 * for (const t of c.tunnels) console.log(`tunnel ${t.index}:`, t.records.length, 'messages,', t.sessions.length, 'sessions');
 * ```
 */
export interface DecodedCapture {
  readonly format: 'pcap' | 'pcapng';
  /** Frames in the file, L2TP or not. */
  readonly frameCount: number;
  /** The L2TP messages, in file order. */
  readonly records: L2tpRecord[];
  readonly tunnels: TunnelGroup[];
  readonly sessions: SessionGroup[];
  /** IP fragments on an L2TP port or protocol: not reassembled, not decoded. */
  readonly fragments: number[];
}

/**
 * Decode every L2TP message in a pcap or pcapng file with the codec, grouped per tunnel and
 * session. Pure and isomorphic: bytes in, records out.
 * @throws `L2tpError` (from `l2tp-wire`) when the file itself is malformed (see {@link readCaptureFile});
 *   a malformed L2TP message is not thrown but kept with its `error`.
 * @example
 * ```ts
 * const capture = decodeCapture(bytes, { ports: [1701, 17010], secret: 'tunnel secret' });
 * for (const r of capture.records) console.log(r.frame, r.control?.typeName ?? 'data', r.tunnel, r.session);
 * ```
 */
export function decodeCapture(bytes: Uint8Array, options: DecodeCaptureOptions = {}): DecodedCapture {
  const ports = new Set(options.ports ?? [L2TP_PORT]);
  for (const p of ports) if (!Number.isInteger(p) || p < 0 || p > 65535) throw new RangeError(`ports must be whole numbers from 0 to 65535, got ${p}`);
  const cookieLength = options.cookieLength ?? 0;
  if (cookieLength !== 0 && cookieLength !== 4 && cookieLength !== 8) throw new RangeError(`cookieLength must be 0, 4 or 8 (RFC 3931 §4.1), got ${String(cookieLength)}`);
  const sublayer = options.l2SpecificSublayer ?? 0;
  if (sublayer !== 0 && sublayer !== 1) throw new RangeError(`l2SpecificSublayer must be 0 (none) or 1 (default), got ${String(sublayer)}`);
  const { format, frames } = readCaptureFile(bytes);
  const conv = new Conversations({ cookieLength, l2SpecificSublayer: sublayer });
  const records: L2tpRecord[] = [];
  const fragments: number[] = [];
  for (const f of frames) {
    const at = ipInFrame(f.linkType, f.data);
    const ip = at && ipPayload(f.data, at.offset);
    if (!ip) continue;
    let src: Endpoint;
    let dst: Endpoint;
    let l2tp: Uint8Array;
    let encapsulation: 'udp' | 'ip';
    if (ip.protocol === IP_PROTO_UDP) {
      const udp = udpDatagram(ip.payload);
      if (!udp || !(ports.has(udp.srcPort) || ports.has(udp.dstPort))) continue;
      if (ip.fragment) {
        fragments.push(f.number);
        continue;
      }
      src = { address: ip.src, port: udp.srcPort };
      dst = { address: ip.dst, port: udp.dstPort };
      l2tp = udp.payload;
      encapsulation = 'udp';
    } else if (ip.protocol === IP_PROTO_L2TP) {
      if (ip.fragment) {
        fragments.push(f.number);
        continue;
      }
      src = { address: ip.src };
      dst = { address: ip.dst };
      l2tp = ip.payload;
      encapsulation = 'ip';
    } else continue;
    const layout = (sid: number) => conv.layout(dst, sid);
    const parsed = encapsulation === 'udp' ? parseUdpMessage(l2tp, options.secret, layout) : parseIpMessage(l2tp, options.secret, layout);
    let group: { tunnel?: TunnelGroup; session?: SessionGroup } = {};
    if (parsed.control) group = conv.control(parsed.control, src, dst, encapsulation);
    else if (parsed.data) {
      const d = parsed.data;
      group = conv.data(d.version, dst, d.version === 2 ? d.tunnelId : 0, d.sessionId, encapsulation);
    }
    const index = records.length;
    group.tunnel?.records.push(index);
    group.session?.records.push(index);
    // One object shape for every record (absent fields are undefined): cheaper for the engine.
    records.push({
      frame: f.number,
      timestampUs: f.timestampUs,
      src,
      dst,
      encapsulation,
      bytes: l2tp,
      version: parsed.version,
      control: parsed.control,
      data: parsed.data,
      sublayer: parsed.sublayer,
      error: parsed.error,
      secretError: parsed.secretError,
      tunnel: group.tunnel?.index,
      session: group.session?.index,
    });
  }
  return { format, frameCount: frames.length, records, tunnels: conv.tunnels, sessions: conv.sessions, fragments };
}
