/**
 * The capture containers: libpcap (the classic `.pcap`, any byte order, microsecond or nanosecond
 * magic) and pcapng (draft-ietf-opsawg-pcapng: Section Header, Interface Description, Enhanced,
 * Simple and obsolete Packet Blocks; several sections and interfaces). Pure: bytes in, frames out.
 */
import { fail } from '../wire/errors.js';

/**
 * One captured frame, as the container stored it.
 * @example
 * ```ts
 * for (const f of readCaptureFile(bytes).frames) console.log(f.number, f.linkType, f.timestampUs, f.data.length);
 * ```
 */
export interface CapturedFrame {
  /** 1-based, in file order: the number Wireshark shows. */
  readonly number: number;
  /** Microseconds since the Unix epoch (an integer; finer resolutions are truncated). */
  readonly timestampUs: number;
  /** The link-layer header type (LINKTYPE_*) of the frame's interface. */
  readonly linkType: number;
  /** The captured bytes (a view into the input; may be shorter than `originalLength`). */
  readonly data: Uint8Array;
  /** The frame's length on the wire. */
  readonly originalLength: number;
  /** pcapng: the interface index within its section; 0 in libpcap files. */
  readonly interfaceId: number;
}

/**
 * A whole capture file, read.
 * @example
 * ```ts
 * const file: CaptureFile = readCaptureFile(bytes);
 * console.log(file.format, file.frames.length);
 * ```
 */
export interface CaptureFile {
  readonly format: 'pcap' | 'pcapng';
  /** Every frame, in file order. */
  readonly frames: CapturedFrame[];
}

/** Magic numbers of the libpcap file header, as read big-endian. */
const PCAP_MAGIC_US = 0xa1b2c3d4;
const PCAP_MAGIC_NS = 0xa1b23c4d;
/** pcapng block types and the Section Header's byte-order magic. */
const BLOCK_SHB = 0x0a0d0d0a;
const BLOCK_IDB = 1;
const BLOCK_OPB = 2; // obsolete Packet Block
const BLOCK_SPB = 3;
const BLOCK_EPB = 6;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
/** IDB options: if_tsresol (9) and if_tsoffset (14). */
const OPT_TSRESOL = 9;
const OPT_TSOFFSET = 14;

/**
 * Read the frames of a pcap or pcapng file.
 * @throws `L2tpError` (from `l2tp-wire`) `BAD_VERSION` (not a capture file, or an unsupported major version),
 *   `TRUNCATED` (the file ends inside a header or record), `BAD_LENGTH` (a block length that does
 *   not add up); `offset` is the file offset.
 * @example
 * ```ts
 * const { format, frames } = readCaptureFile(bytes);
 * console.log(format, frames.length, frames[0]?.linkType);
 * ```
 */
export function readCaptureFile(bytes: Uint8Array): CaptureFile {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('readCaptureFile needs a Uint8Array');
  if (bytes.length < 4) fail('TRUNCATED', 'file shorter than a capture magic number', bytes.length);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const be = dv.getUint32(0, false);
  if (be === BLOCK_SHB) return { format: 'pcapng', frames: readPcapng(bytes, dv) };
  const le = dv.getUint32(0, true);
  if (be === PCAP_MAGIC_US || be === PCAP_MAGIC_NS) return { format: 'pcap', frames: readPcap(bytes, dv, false, be === PCAP_MAGIC_NS) };
  if (le === PCAP_MAGIC_US || le === PCAP_MAGIC_NS) return { format: 'pcap', frames: readPcap(bytes, dv, true, le === PCAP_MAGIC_NS) };
  return fail('BAD_VERSION', `not a pcap or pcapng file (magic 0x${be.toString(16).padStart(8, '0')})`, 0);
}

function readPcap(bytes: Uint8Array, dv: DataView, little: boolean, nanos: boolean): CapturedFrame[] {
  if (bytes.length < 24) fail('TRUNCATED', 'pcap file header is 24 bytes', bytes.length);
  const major = dv.getUint16(4, little);
  if (major !== 2) fail('BAD_VERSION', `pcap major version ${major}; only 2 exists`, 4);
  // The LinkType field's upper bits may carry FCS information (pcap spec §4): the type is the low 16.
  const linkType = dv.getUint32(20, little) & 0xffff;
  const frames: CapturedFrame[] = [];
  let o = 24;
  while (o < bytes.length) {
    if (bytes.length - o < 16) fail('TRUNCATED', 'file ends inside a packet record header', o);
    const sec = dv.getUint32(o, little);
    const frac = dv.getUint32(o + 4, little);
    const caplen = dv.getUint32(o + 8, little);
    const origlen = dv.getUint32(o + 12, little);
    if (o + 16 + caplen > bytes.length) fail('TRUNCATED', `packet record of ${caplen} bytes runs past the end of the file`, o + 8);
    frames.push({
      number: frames.length + 1,
      timestampUs: sec * 1e6 + (nanos ? Math.floor(frac / 1000) : frac),
      linkType,
      data: bytes.subarray(o + 16, o + 16 + caplen),
      originalLength: origlen,
      interfaceId: 0,
    });
    o += 16 + caplen;
  }
  return frames;
}

interface PcapngInterface {
  linkType: number;
  /** Timestamp units per second: 10^n or 2^n (if_tsresol). */
  unitsPerSecond: bigint;
  /** if_tsoffset, in seconds. */
  offsetSeconds: bigint;
}

function readPcapng(bytes: Uint8Array, dv: DataView): CapturedFrame[] {
  const frames: CapturedFrame[] = [];
  let little = true;
  let interfaces: PcapngInterface[] = [];
  let o = 0;
  while (o < bytes.length) {
    if (bytes.length - o < 12) fail('TRUNCATED', 'file ends inside a pcapng block header', o);
    if (dv.getUint32(o, false) === BLOCK_SHB) {
      // A new section: its own byte order and its own interfaces.
      if (bytes.length - o < 16) fail('TRUNCATED', 'file ends inside a Section Header Block', o);
      const bom = dv.getUint32(o + 8, true);
      if (bom === BYTE_ORDER_MAGIC) little = true;
      else if (dv.getUint32(o + 8, false) === BYTE_ORDER_MAGIC) little = false;
      else fail('BAD_VERSION', 'pcapng Section Header with an unknown byte-order magic', o + 8);
      const major = dv.getUint16(o + 12, little);
      if (major !== 1) fail('BAD_VERSION', `pcapng major version ${major}; only 1 is readable`, o + 12);
      interfaces = [];
    }
    const type = dv.getUint32(o, little);
    const len = dv.getUint32(o + 4, little);
    if (len < 12 || len % 4 !== 0) fail('BAD_LENGTH', `pcapng block length ${len} (at least 12, a multiple of 4)`, o + 4);
    if (o + len > bytes.length) fail('TRUNCATED', `pcapng block of ${len} bytes runs past the end of the file`, o + 4);
    if (dv.getUint32(o + len - 4, little) !== len) fail('BAD_LENGTH', 'pcapng block lengths at its start and end differ', o + len - 4);
    const body = o + 8;
    const bodyEnd = o + len - 4;
    if (type === BLOCK_IDB) {
      if (bodyEnd - body < 8) fail('TRUNCATED', 'Interface Description Block body is at least 8 bytes', o);
      interfaces.push(readIdb(bytes, dv, little, body, bodyEnd));
    } else if (type === BLOCK_EPB || type === BLOCK_OPB) {
      if (bodyEnd - body < 20) fail('TRUNCATED', 'packet block body is at least 20 bytes', o);
      const ifId = type === BLOCK_EPB ? dv.getUint32(body, little) : dv.getUint16(body, little);
      const iface = interfaces[ifId];
      if (iface === undefined) fail('BAD_LENGTH', `packet block names interface ${ifId}, but the section describes ${interfaces.length}`, body);
      const ts = (BigInt(dv.getUint32(body + 4, little)) << 32n) | BigInt(dv.getUint32(body + 8, little));
      const caplen = dv.getUint32(body + 12, little);
      const origlen = dv.getUint32(body + 16, little);
      if (body + 20 + caplen > bodyEnd) fail('BAD_LENGTH', `captured length ${caplen} runs past the end of its block`, body + 12);
      frames.push({
        number: frames.length + 1,
        timestampUs: micros(ts, iface),
        linkType: iface.linkType,
        data: bytes.subarray(body + 20, body + 20 + caplen),
        originalLength: origlen,
        interfaceId: ifId,
      });
    } else if (type === BLOCK_SPB) {
      const iface = interfaces[0];
      if (iface === undefined) fail('BAD_LENGTH', 'Simple Packet Block in a section without an interface', o);
      if (bodyEnd - body < 4) fail('TRUNCATED', 'Simple Packet Block body is at least 4 bytes', o);
      const origlen = dv.getUint32(body, little);
      // SPB has no captured-length field: the data is the block minus padding, at most origlen.
      const caplen = Math.min(origlen, bodyEnd - body - 4);
      frames.push({ number: frames.length + 1, timestampUs: 0, linkType: iface.linkType, data: bytes.subarray(body + 4, body + 4 + caplen), originalLength: origlen, interfaceId: 0 });
    }
    // Other blocks (Name Resolution, Interface Statistics, Decryption Secrets, custom) carry no frames.
    o += len;
  }
  return frames;
}

function readIdb(bytes: Uint8Array, dv: DataView, little: boolean, body: number, end: number): PcapngInterface {
  const iface: PcapngInterface = { linkType: dv.getUint16(body, little), unitsPerSecond: 1_000_000n, offsetSeconds: 0n };
  let o = body + 8;
  // Options: code(2) length(2) value padded to 4; opt_endofopt (0) ends the list.
  while (end - o >= 4) {
    const code = dv.getUint16(o, little);
    const len = dv.getUint16(o + 2, little);
    if (code === 0) break;
    if (o + 4 + len > end) fail('BAD_LENGTH', `option ${code} of ${len} bytes runs past its Interface Description Block`, o + 2);
    if (code === OPT_TSRESOL && len >= 1) {
      const r = bytes[o + 4]!;
      // MSB 0: 10^-n seconds; MSB 1: 2^-n seconds.
      iface.unitsPerSecond = r & 0x80 ? 1n << BigInt(r & 0x7f) : 10n ** BigInt(r);
    } else if (code === OPT_TSOFFSET && len >= 8) {
      iface.offsetSeconds = dv.getBigInt64(o + 4, little);
    }
    o += 4 + ((len + 3) & ~3);
  }
  return iface;
}

function micros(ts: bigint, iface: PcapngInterface): number {
  return Number((ts * 1_000_000n) / iface.unitsPerSecond + iface.offsetSeconds * 1_000_000n);
}
