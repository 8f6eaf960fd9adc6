/// <reference types="node" />
/**
 * Loaders for the real captures in `test/vectors/` (two xl2tpd 1.3.18 peers on loopback,
 * decoded by tshark 4.0.17; see that folder's README.md, and `test/vectors/regen.sh` which made them): the datagrams (`NAME.hex`), tshark's
 * decode (`NAME.json`), and the annotated hostile transcript (`hostile.txt`).
 *
 * The expected values tests take from here come from the real peers and from Wireshark, never
 * from this library's own encoder.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { framesOf, l2tpLayers, parseOrderedJson, type TsharkAvp, type TsharkL2tp } from './tshark.js';

/** `test/vectors/` (this file is `test/support/vectors.ts`): the captures live in the repository. */
export const VECTORS_DIR = fileURLToPath(new URL('../vectors/', import.meta.url));

/** The tunnel secret of every capture (vectors/README.md). */
export const TUNNEL_SECRET = 'l2tp-wire-test-secret';

/** The captures that have a tshark JSON decode. */
export const CAPTURES = ['plain', 'auth', 'hidden', 'hello', 'data', 'retransmit'] as const;
export type CaptureName = (typeof CAPTURES)[number];

/** One datagram of a capture. */
export interface HexFrame {
  /** Frame number in the pcap (1-based). */
  frame: number;
  /** Seconds since the first frame. */
  time: number;
  /** `ADDR:PORT` */
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  /** The UDP payload: one L2TP message. */
  bytes: Uint8Array;
}

export function fromHex(s: string): Uint8Array {
  const clean = s.replace(/[\s:]/g, '');
  if (clean.length % 2 !== 0 || /[^0-9a-f]/i.test(clean)) throw new TypeError(`not hex: ${s.slice(0, 40)}`);
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export function toHex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += b[i]!.toString(16).padStart(2, '0');
  return s;
}

const port = (addr: string): number => Number(addr.slice(addr.lastIndexOf(':') + 1));

/** Read `vectors/NAME.hex`: lines `#frame +time src>dst HEX`. */
export function loadHex(name: string): HexFrame[] {
  const text = readFileSync(`${VECTORS_DIR}${name}.hex`, 'utf8');
  return text
    .split('\n')
    .filter((l) => l.startsWith('#'))
    .map((line) => {
      const m = /^#(\d+) \+([\d.]+) (\S+)>(\S+) ([0-9a-f]*)$/.exec(line.trim());
      if (!m) throw new TypeError(`${name}.hex: bad line ${line.slice(0, 60)}`);
      const [, frame, time, src, dst, hex] = m as unknown as [string, string, string, string, string, string];
      return { frame: Number(frame), time: Number(time), src, dst, srcPort: port(src), dstPort: port(dst), bytes: fromHex(hex) };
    });
}

/** tshark's decode of `vectors/NAME.json`, one entry per frame (in frame order). */
export function loadTsharkDecode(name: CaptureName): TsharkL2tp[] {
  const frames = framesOf(parseOrderedJson(readFileSync(`${VECTORS_DIR}${name}.json`, 'utf8')));
  return l2tpLayers(frames).map((l, i) => {
    if (!l) throw new TypeError(`${name}.json frame ${i + 1} has no l2tp layer`);
    return l;
  });
}

// ---------------------------------------------------------------------------------------------
// Typed values as tshark shows them, in the shape of our typed fields (catalogue keys).

const first = (a: TsharkAvp, field: string): string | undefined => a.fields.get(field)?.[0];
const int = (a: TsharkAvp, field: string): number | undefined => {
  const s = first(a, field);
  if (s === undefined) return undefined;
  return s.startsWith('0x') ? parseInt(s, 16) : Number(s);
};
const bool = (a: TsharkAvp, field: string): number => (first(a, field) === '1' ? 1 : 0);
/** tshark prints bytes as `aa:bb:…`; we compare lower-case hex without separators. */
const bytesHex = (a: TsharkAvp, field: string): string | undefined => first(a, field)?.replace(/:/g, '').toLowerCase();

/** How tshark shows one AVP's main typed value. */
export interface TsharkTyped {
  /** Our catalogue key (the typed field on a parsed message). */
  key: string;
  /** For bit sets: the bits tshark names; compare `ours & mask`. */
  mask?: number;
  /** tshark's fields → the value our typed field should hold (byte strings as lower-case hex). */
  read: (a: TsharkAvp) => unknown;
}

/** tshark prints no field at all for an empty string (an AVP of Length 6). */
const str = (a: TsharkAvp, field: string): string | undefined => first(a, field) ?? (a.length === 6 ? '' : undefined);
const big = (a: TsharkAvp, field: string): bigint | undefined => {
  const s = first(a, field);
  return s === undefined ? undefined : BigInt(s);
};

/**
 * The main typed values as tshark shows them, keyed `vendorId:type`. Bit sets become the mask of
 * the bits tshark names; byte strings lower-case hex.
 */
export const TSHARK_TYPED: ReadonlyMap<string, TsharkTyped> = new Map<string, TsharkTyped>([
  ['0:0', { key: 'messageType', read: (a) => int(a, 'l2tp.avp.message_type') }],
  [
    '0:1',
    {
      key: 'resultCode',
      read: (a) => {
        // RFC 2661 §4.4.2: Result Code (2), then optional Error Code (2) and Error Message.
        const r: { result: number | undefined; error?: number; message?: string } = { result: int(a, 'l2tp.result_code') };
        const error = int(a, 'l2tp.avp.error_code');
        if (error !== undefined) r.error = error;
        const message = first(a, 'l2tp.avp.error_message');
        if (message !== undefined) r.message = message;
        return r;
      },
    },
  ],
  ['0:2', { key: 'protocolVersion', read: (a) => ({ version: int(a, 'l2tp.avp.protocol_version'), revision: int(a, 'l2tp.avp.protocol_revision') }) }],
  // §4.4.3 Framing Capabilities: A (async) = 0x2, S (sync) = 0x1.
  ['0:3', { key: 'framingCapabilities', mask: 3, read: (a) => (bool(a, 'l2tp.avp.async_framing_supported') << 1) | bool(a, 'l2tp.avp.sync_framing_supported') }],
  // §4.4.3 Bearer Capabilities: A (analog) = 0x2, D (digital) = 0x1.
  ['0:4', { key: 'bearerCapabilities', mask: 3, read: (a) => (bool(a, 'l2tp.avp.analog_access_supported') << 1) | bool(a, 'l2tp.avp.digital_access_supported') }],
  // Tie Breaker: 8 octets, which tshark prints as one 64-bit number.
  ['0:5', { key: 'tieBreaker', read: (a) => big(a, 'l2tp.tie_breaker')?.toString(16).padStart(16, '0') }],
  ['0:6', { key: 'firmwareRevision', read: (a) => int(a, 'l2tp.avp.firmware_revision') }],
  ['0:7', { key: 'hostName', read: (a) => str(a, 'l2tp.avp.host_name') }],
  ['0:8', { key: 'vendorName', read: (a) => str(a, 'l2tp.avp.vendor_name') }],
  ['0:9', { key: 'assignedTunnelId', read: (a) => int(a, 'l2tp.avp.assigned_tunnel_id') }],
  ['0:10', { key: 'receiveWindowSize', read: (a) => int(a, 'l2tp.avp.receive_window_size') }],
  ['0:11', { key: 'challenge', read: (a) => bytesHex(a, 'l2tp.avp.chap_challenge') }],
  [
    '0:12',
    {
      key: 'q931CauseCode',
      read: (a) => {
        const r: { cause: number | undefined; message: number | undefined; advisory?: string } = {
          cause: int(a, 'l2tp.avp.cause_code'),
          message: int(a, 'l2tp.avp.cause_msg'),
        };
        const advisory = first(a, 'l2tp.avp.advisory_msg');
        if (advisory !== undefined) r.advisory = advisory;
        return r;
      },
    },
  ],
  ['0:13', { key: 'challengeResponse', read: (a) => bytesHex(a, 'l2tp.avp.chap_challenge_response') }],
  ['0:14', { key: 'assignedSessionId', read: (a) => int(a, 'l2tp.avp.assigned_session_id') }],
  ['0:15', { key: 'callSerialNumber', read: (a) => int(a, 'l2tp.avp.call_serial_number') }],
  ['0:16', { key: 'minimumBps', read: (a) => int(a, 'l2tp.avp.minimum_bps') }],
  ['0:17', { key: 'maximumBps', read: (a) => int(a, 'l2tp.avp.maximum_bps') }],
  // §4.4.4 Bearer Type: A (analog) = 0x2, D (digital) = 0x1.
  ['0:18', { key: 'bearerType', mask: 3, read: (a) => (bool(a, 'l2tp.avp.analog_bearer_type') << 1) | bool(a, 'l2tp.avp.digital_bearer_type') }],
  // §4.4.4 Framing Type: A (async) = 0x2, S (sync) = 0x1.
  ['0:19', { key: 'framingType', mask: 3, read: (a) => (bool(a, 'l2tp.avp.async_framing_type') << 1) | bool(a, 'l2tp.avp.sync_framing_type') }],
  ['0:21', { key: 'calledNumber', read: (a) => str(a, 'l2tp.avp.called_number') }],
  ['0:22', { key: 'callingNumber', read: (a) => str(a, 'l2tp.avp.calling_number') }],
  ['0:23', { key: 'subAddress', read: (a) => str(a, 'l2tp.avp.sub_address') }],
  ['0:24', { key: 'txConnectSpeed', read: (a) => int(a, 'l2tp.avp.connect_speed') }],
  ['0:25', { key: 'physicalChannelId', read: (a) => int(a, 'l2tp.avp.physical_channel') }],
  [
    '0:34',
    {
      key: 'callErrors',
      read: (a) => ({
        crcErrors: int(a, 'l2tp.avp.crc_errors'),
        framingErrors: int(a, 'l2tp.avp.framing_errors'),
        hardwareOverruns: int(a, 'l2tp.avp.hardware_overruns'),
        bufferOverruns: int(a, 'l2tp.avp.buffer_overruns'),
        timeoutErrors: int(a, 'l2tp.avp.time_out_errors'),
        alignmentErrors: int(a, 'l2tp.avp.alignment_errors'),
      }),
    },
  ],
  ['0:35', { key: 'accm', read: (a) => ({ send: int(a, 'l2tp.avp.send_accm'), receive: int(a, 'l2tp.avp.receive_accm') }) }],
  ['0:36', { key: 'randomVector', read: (a) => bytesHex(a, 'l2tp.avp.random_vector') }],
  ['0:37', { key: 'privateGroupId', read: (a) => bytesHex(a, 'l2tp.avp.private_group_id') }],
  ['0:38', { key: 'rxConnectSpeed', read: (a) => int(a, 'l2tp.avp.rx_connect_speed') }],
  // Broadband Forum (3561) access-line AVPs.
  ['3561:1', { key: 'agentCircuitId', read: (a) => str(a, 'l2tp.broadband.agent_circuit_id') }],
  ['3561:2', { key: 'agentRemoteId', read: (a) => str(a, 'l2tp.broadband.agent_remote_id') }],
  ['3561:129', { key: 'actualDataRateUpstream', read: (a) => big(a, 'l2tp.broadband.actual_dr_up') }],
  ['3561:130', { key: 'actualDataRateDownstream', read: (a) => big(a, 'l2tp.broadband.actual_dr_down') }],
]);

// ---------------------------------------------------------------------------------------------
// hostile.txt: the annotated transcript of hand-made hostile packets and xl2tpd's answers.

/** One case of hostile.txt: what was sent (`>>`) and what xl2tpd answered (`<<`). */
export interface HostileCase {
  /** The `== title` line, without the `(to … from …)` suffix. */
  title: string;
  sent: Uint8Array[];
  received: Uint8Array[];
  /** xl2tpd's log lines for the case. */
  log: string[];
}

/** Parse hostile.txt into its cases (lines without a `hex=` carry no bytes and are skipped). */
export function loadHostileCases(): HostileCase[] {
  const cases: HostileCase[] = [];
  let cur: HostileCase | undefined;
  for (const line of readFileSync(`${VECTORS_DIR}hostile.txt`, 'utf8').split('\n')) {
    const title = /^== (.*?)\s+\((?:to|from) [^)]*\)\s*$/.exec(line);
    if (title) {
      cur = { title: title[1]!, sent: [], received: [], log: [] };
      cases.push(cur);
      continue;
    }
    if (!cur) continue;
    const t = line.trim();
    const hex = /hex=([0-9a-f]+)/.exec(t);
    if (t.startsWith('>>') && hex) cur.sent.push(fromHex(hex[1]!));
    else if (t.startsWith('<<') && hex) cur.received.push(fromHex(hex[1]!));
    else if (t.startsWith('log:')) cur.log.push(t.slice(4).trim());
  }
  return cases;
}
