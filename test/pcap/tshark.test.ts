/**
 * decodeCapture against tshark's own decode, field by field, on real captures: one exchange
 * between two xl2tpd 1.3.18 (challenge, Random Vectors, DATA through a stand-in pppd) and a second tunnel where l2tp-wire sent
 * hidden AVPs to the xl2tpd LNS, captured at once by tshark (pcapng, Ethernet on lo) and tcpdump
 * (pcap µs with Linux cooked v1; pcap ns with cooked v2). Made by test/scripts/pcap-vectors.ts.
 *
 * Compared per frame: addresses, ports, timestamp (µs), header (T/L/S/O/P, version, Length,
 * Tunnel/Session ID, Ns, Nr, ZLB), message type, and every AVP in wire order (M, H, Length,
 * Vendor ID, type) plus the values tshark prints for the AVPs it decodes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeCapture, recordToJson, type DecodedCapture, type RecordJson } from '../../src/pcap.js';
import { OrderedObject, l2tpLayers, tsharkJson, tsharkVersion, type TsharkL2tp } from '../support/tshark.js';

const DIR = join(__dirname, '../vectors/pcap');
const META = JSON.parse(readFileSync(join(DIR, 'meta.json'), 'utf8')) as { lnsPort: number; secret: string };
const FILES = ['xl2tpd-tshark.pcapng', 'xl2tpd-tcpdump-sll.pcap', 'xl2tpd-tcpdump-sll2-ns.pcap'];
const hasTshark = tsharkVersion() !== undefined || process.env.L2TP_WIRE_NO_TSHARK !== '1';

/** Our typed key → tshark's field for the same AVP value. */
const VALUE_FIELDS: Record<string, string> = {
  hostName: 'l2tp.avp.host_name',
  vendorName: 'l2tp.avp.vendor_name',
  assignedTunnelId: 'l2tp.avp.assigned_tunnel_id',
  assignedSessionId: 'l2tp.avp.assigned_session_id',
  receiveWindowSize: 'l2tp.avp.receive_window_size',
  firmwareRevision: 'l2tp.avp.firmware_revision',
  callSerialNumber: 'l2tp.avp.call_serial_number',
  challenge: 'l2tp.avp.chap_challenge',
  challengeResponse: 'l2tp.avp.chap_challenge_response',
  randomVector: 'l2tp.avp.random_vector',
};

/** tshark prints byte strings as `aa:bb:…`. */
const norm = (v: unknown): string => (typeof v === 'string' && /^([0-9a-f]{2})+$/.test(v) && v.length >= 8 ? v.match(/../g)!.join(':') : String(v));

function ours(file: string, secret?: string): { capture: DecodedCapture; json: Map<number, RecordJson> } {
  const capture = decodeCapture(new Uint8Array(readFileSync(join(DIR, file))), { ports: [META.lnsPort], secret });
  return { capture, json: new Map(capture.records.map((r) => [r.frame, recordToJson(r, secret)])) };
}

describe.runIf(hasTshark)(`decodeCapture agrees with tshark (${tsharkVersion() ?? 'tshark missing: this test fails'})`, () => {
  for (const file of FILES) {
    describe(file, () => {
      const frames = tsharkJson(join(DIR, file), ['-d', `udp.port==${META.lnsPort},l2tp`]);
      const theirs = l2tpLayers(frames);
      const { capture, json } = ours(file);

      it('finds exactly the frames tshark dissects as L2TP, with the same addresses, ports and µs timestamps', () => {
        const tsharkFrames = theirs.flatMap((l, i) => (l ? [i + 1] : []));
        expect(tsharkFrames.length).toBeGreaterThanOrEqual(25);
        expect(capture.records.map((r) => r.frame)).toEqual(tsharkFrames);
        for (const r of capture.records) {
          const layers = frames[r.frame - 1]!;
          const field = (layer: string, k: string) => (layers.get(layer) as OrderedObject).str(k);
          const [sec, frac = ''] = field('frame', 'frame.time_epoch')!.split('.');
          expect(r.timestampUs).toBe(Number(sec) * 1e6 + Number(frac.padEnd(6, '0').slice(0, 6)));
          expect([r.src.address, r.src.port, r.dst.address, r.dst.port]).toEqual([field('ip', 'ip.src'), Number(field('udp', 'udp.srcport')), field('ip', 'ip.dst'), Number(field('udp', 'udp.dstport'))]);
        }
      });

      it('header fields and every AVP header, in wire order; DATA payloads are the PPP frames tshark sees', () => {
        let dataFrames = 0;
        for (const r of capture.records) {
          const t = theirs[r.frame - 1] as TsharkL2tp;
          const j = json.get(r.frame)!;
          const flags = (r.bytes[0]! << 8) | r.bytes[1]!;
          expect(flags).toBe(t.flags);
          expect(j.version).toBe(t.version);
          expect(j.kind === 'control').toBe(t.isControl);
          expect(j.header.tunnelId).toBe(t.tunnelId);
          expect(j.header.sessionId).toBe(t.sessionId);
          expect(j.header.ns).toBe(t.ns);
          expect(j.header.nr).toBe(t.nr);
          expect(j.header.length).toBe(t.length);
          expect(j.typeName === 'ZLB').toBe(t.isZlb);
          expect((j.avps ?? []).map((a) => [a.mandatory, a.hidden, a.length, a.hidden ? undefined : a.vendorId, a.hidden ? undefined : a.type])).toEqual(
            t.avps.map((a) => [a.mandatory, a.hidden, a.length, a.vendorId, a.type]),
          );
          if (!t.isZlb && t.isControl) expect(String(j.type)).toBe(t.avps[0]!.fields.get('l2tp.avp.message_type')?.[0]);
          if (!t.isControl) {
            // The payload is the PPP frame tshark dissects: address/control ff03, then its protocol.
            const ppp = frames[r.frame - 1]!.get('ppp') as OrderedObject;
            expect(j.payloadHead!.slice(0, 8)).toBe(`ff03${ppp.str('ppp.protocol')!.slice(2)}`);
            dataFrames++;
          }
        }
        expect(dataFrames).toBe(3);
      });

      it('the AVP values tshark decodes (host and vendor names, IDs, window, firmware, challenge, response, random vector, result code)', () => {
        const compared = new Set<string>();
        for (const r of capture.records) {
          const t = theirs[r.frame - 1] as TsharkL2tp;
          (json.get(r.frame)!.avps ?? []).forEach((a, i) => {
            const field = a.key && VALUE_FIELDS[a.key];
            const values = field ? t.avps[i]!.fields.get(field) : undefined;
            if (values && a.decoded !== undefined) {
              expect(norm(a.decoded), `frame ${r.frame} ${a.key}`).toBe(values[0]);
              compared.add(a.key!);
            }
            if (a.key === 'resultCode' && t.avps[i]!.fields.has('l2tp.result_code')) {
              const rc = a.decoded as { result: number; error?: number; message?: string };
              expect(String(rc.result)).toBe(t.avps[i]!.fields.get('l2tp.result_code')![0]);
              if (rc.error !== undefined) expect(String(rc.error)).toBe(t.avps[i]!.fields.get('l2tp.avp.error_code')![0]);
              if (rc.message) expect(rc.message).toBe(t.avps[i]!.fields.get('l2tp.avp.error_message')![0]);
              compared.add('resultCode');
            }
          });
        }
        expect([...compared].sort()).toEqual([...Object.keys(VALUE_FIELDS), 'resultCode'].sort());
      });
    });
  }
});

describe('the three captures of one exchange, and what only the secret shows', () => {
  const all = FILES.map((f) => ours(f, META.secret));

  it('hold the same L2TP messages, in the same order, byte for byte', () => {
    const bytes = all.map(({ capture }) => capture.records.map((r) => recordToJson(r).bytes));
    expect(bytes[1]).toEqual(bytes[0]);
    expect(bytes[2]).toEqual(bytes[0]);
  });

  it('group into two tunnels (xl2tpd LAC, l2tp-wire) of one session each, every message placed', () => {
    for (const { capture } of all) {
      expect(capture.tunnels.map((t) => t.ends.length)).toEqual([2, 2]);
      expect(capture.sessions.map((s) => s.tunnel)).toEqual([0, 1]);
      expect(capture.records.every((r) => r.tunnel !== undefined)).toBe(true);
      const types = (s: number) => capture.sessions[s]!.records.map((i) => capture.records[i]!.control?.typeName ?? 'DATA').filter((n) => n !== 'ZLB');
      // The fake pppd on each xl2tpd sends one LCP Configure-Request into the session (DATA).
      expect(types(0)).toEqual(['ICRQ', 'ICRP', 'ICCN', 'DATA', 'DATA']);
      expect(types(1)).toEqual(['ICRQ', 'ICRP', 'ICCN', 'DATA']);
    }
  });

  it("unhides l2tp-wire's hidden Assigned Session ID to the Session ID xl2tpd then addressed (tshark cannot unhide)", () => {
    const { capture } = all[0]!;
    const t = capture.tunnels[1]!;
    const icrq = t.records.map((i) => capture.records[i]!).find((r) => r.control?.typeName === 'ICRQ')!;
    expect(icrq.control!.avps.some((a) => a.hidden && a.type === 14)).toBe(true);
    expect(icrq.secretError).toBeUndefined();
    const icrp = t.records.map((i) => capture.records[i]!).find((r) => r.control?.typeName === 'ICRP')!;
    // xl2tpd's ICRP goes to the Session ID our ICRQ assigned (RFC 2661 §4.4.4); tshark shows it in the header.
    expect(icrq.control!.assignedSessionId).toBe(icrp.control!.sessionId);
    expect(icrp.control!.sessionId).toBeGreaterThan(0);
    // Without the secret the value stays hidden; with a wrong one the message still parses, flagged.
    const plain = decodeCapture(new Uint8Array(readFileSync(join(DIR, FILES[0]!))), { ports: [META.lnsPort] });
    expect(plain.records[capture.records.indexOf(icrq)]!.control!.assignedSessionId).toBeUndefined();
    const wrong = decodeCapture(new Uint8Array(readFileSync(join(DIR, FILES[0]!))), { ports: [META.lnsPort], secret: 'wrong' });
    const w = wrong.records[capture.records.indexOf(icrq)]!;
    expect([w.control?.typeName, w.secretError?.code]).toEqual(['ICRQ', expect.any(String)]);
  });
});
