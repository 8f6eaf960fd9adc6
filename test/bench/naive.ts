/**
 * Naive references for the codec benchmarks (issue 16 item 4): what a developer would write by
 * hand with a `DataView` and `TextDecoder`/`TextEncoder`, doing the same work as the library
 * call it is compared with — no more (no validation beyond bounds), no less (every field that is
 * read is decoded, every AVP gets a record). `codec-ratios.ts` checks that both sides agree
 * before timing them.
 */

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** One AVP as a naive parser returns it. */
export interface NaiveAvp {
  mandatory: boolean;
  hidden: boolean;
  vendorId: number;
  type: number;
  value: Uint8Array;
}

/** A naive full parse: header, a record per AVP, the typed fields an SCCRP carries. */
export interface NaiveMessage {
  version: number;
  tunnelId: number;
  sessionId: number;
  ns: number;
  nr: number;
  type: number;
  avps: NaiveAvp[];
  protocolVersion?: { version: number; revision: number };
  framingCapabilities?: number;
  bearerCapabilities?: number;
  firmwareRevision?: number;
  hostName?: string;
  vendorName?: string;
  assignedTunnelId?: number;
  receiveWindowSize?: number;
}

/** Parse an L2TPv2 control message the plain way: every AVP decoded into a record, known ones into fields. */
export function naiveParse(b: Uint8Array): NaiveMessage {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const flags = dv.getUint16(0);
  const length = dv.getUint16(2);
  if (length > b.length || length < 12) throw new Error('bad length');
  const m: NaiveMessage = { version: flags & 15, tunnelId: dv.getUint16(4), sessionId: dv.getUint16(6), ns: dv.getUint16(8), nr: dv.getUint16(10), type: 0, avps: [] };
  for (let o = 12; o < length; ) {
    const w = dv.getUint16(o);
    const len = w & 0x3ff;
    if (len < 6 || o + len > length) throw new Error('bad AVP length');
    const a: NaiveAvp = { mandatory: (w & 0x8000) !== 0, hidden: (w & 0x4000) !== 0, vendorId: dv.getUint16(o + 2), type: dv.getUint16(o + 4), value: b.subarray(o + 6, o + len) };
    m.avps.push(a);
    if (a.vendorId === 0 && !a.hidden) {
      const v = o + 6;
      switch (a.type) {
        case 0: m.type = dv.getUint16(v); break;
        case 2: m.protocolVersion = { version: b[v]!, revision: b[v + 1]! }; break;
        case 3: m.framingCapabilities = dv.getUint32(v); break;
        case 4: m.bearerCapabilities = dv.getUint32(v); break;
        case 6: m.firmwareRevision = dv.getUint16(v); break;
        case 7: m.hostName = decoder.decode(a.value); break;
        case 8: m.vendorName = decoder.decode(a.value); break;
        case 9: m.assignedTunnelId = dv.getUint16(v); break;
        case 10: m.receiveWindowSize = dv.getUint16(v); break;
      }
    }
    o += len;
  }
  return m;
}

/** The SCCRQ options both builders take. */
export interface NaiveSccrqOptions {
  hostName: string;
  assignedTunnelId: number;
  vendorName?: string;
}

/**
 * Build an SCCRQ the plain way (RFC 2661 §6.1), the same AVPs in the same order as `sccrq()`:
 * Message Type, Protocol Version 1.0, Host Name, Framing Capabilities 3, Assigned Tunnel ID,
 * Receive Window Size 4, Vendor Name.
 */
export function naiveSccrq(o: NaiveSccrqOptions): Uint8Array {
  const host = encoder.encode(o.hostName);
  const vendor = o.vendorName === undefined ? undefined : encoder.encode(o.vendorName);
  const size = 12 + 8 + 8 + (6 + host.length) + 10 + 8 + 8 + (vendor ? 6 + vendor.length : 0);
  const b = new Uint8Array(size);
  const dv = new DataView(b.buffer);
  dv.setUint16(0, 0xc802);
  dv.setUint16(2, size);
  // Tunnel ID, Session ID, Ns, Nr: 0.
  let p = 12;
  const avp = (m: boolean, type: number, len: number): number => {
    dv.setUint16(p, (m ? 0x8000 : 0) | (6 + len));
    dv.setUint16(p + 2, 0);
    dv.setUint16(p + 4, type);
    const v = p + 6;
    p += 6 + len;
    return v;
  };
  dv.setUint16(avp(true, 0, 2), 1);
  let v = avp(true, 2, 2);
  b[v] = 1;
  b[v + 1] = 0;
  b.set(host, avp(true, 7, host.length));
  dv.setUint32(avp(true, 3, 4), 3);
  dv.setUint16(avp(true, 9, 2), o.assignedTunnelId);
  dv.setUint16(avp(true, 10, 2), 4);
  if (vendor) {
    v = avp(false, 8, vendor.length);
    b.set(vendor, v);
  }
  return b;
}
