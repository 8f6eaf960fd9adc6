/**
 * The AVP catalogue: completeness (IANA types 0–103), names (RFC spelling, cross-checked with
 * Wireshark's packet-l2tp.c), the M/H rules RFC 2661 §4.4 states, lookups keyed on (vendor, type),
 * and every AVP of the real xl2tpd captures decoded with the catalogue's codecs and compared with
 * tshark's decode of the same bytes.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import fc from 'fast-check';
import {
  AVP_CATALOG,
  AvpType,
  BearerCapability,
  BearerType,
  CircuitStatusBit,
  FramingCapability,
  FramingType,
  ProxyAuthenType,
  VendorId,
  avpDef,
  avpDefByKey,
  type AvpFields,
  type CallErrorsValue,
  type ProtocolVersionValue,
  type Q931CauseValue,
  type ResultCodeValue,
} from '../../src/wire/avp-catalog.js';
import { AvpReader } from '../../src/wire/avp.js';
import { L2tpError } from '../../src/wire/errors.js';
import { CAPTURES, TSHARK_TYPED, loadHex, loadTsharkDecode, toHex } from '../support/vectors.js';

describe('completeness and keys', () => {
  it('has every IANA-assigned IETF AVP type 0–103; 20 is reserved (RFC 2661) and absent', () => {
    for (let t = 0; t <= 103; t++) {
      if (t === 20) expect(avpDef(0, t)).toBeUndefined();
      else expect(avpDef(0, t), `type ${t}`).toBeDefined();
    }
    expect(avpDef(0, 104)).toBeUndefined();
    expect(avpDef(0, 0xffff)).toBeUndefined();
    expect(AVP_CATALOG.filter((d) => d.vendorId === 0)).toHaveLength(103);
  });

  it('keys are unique, and (vendorId, type) pairs are unique', () => {
    const keys = AVP_CATALOG.map((d) => d.key);
    expect(new Set(keys).size).toBe(keys.length);
    const ids = AVP_CATALOG.map((d) => `${d.vendorId}:${d.type}`);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('keys are camelCase identifiers that do not clash with ControlMessage header fields', () => {
    const header = ['version', 'tunnelId', 'sessionId', 'ns', 'nr', 'type', 'typeName', 'length', 'isZlb', 'avps'];
    for (const d of AVP_CATALOG) {
      expect(d.key).toMatch(/^[a-z][A-Za-z0-9]*$/);
      expect(header).not.toContain(d.key);
    }
  });

  it('AvpType names the same rows as the table (key = AvpType name with a lower-case first letter)', () => {
    const entries = Object.entries(AvpType);
    expect(entries).toHaveLength(103);
    for (const [name, type] of entries) {
      const d = avpDef(0, type);
      expect(d, name).toBeDefined();
      expect(d!.key).toBe(name[0]!.toLowerCase() + name.slice(1));
    }
  });

  it('the brief examples hold', () => {
    expect(AvpType.MessageType).toBe(0);
    expect(AvpType.AssignedTunnelId).toBe(9);
    expect(AvpType.ChallengeResponse).toBe(13);
    expect(AvpType.RandomVector).toBe(36);
    expect(
      ['assignedTunnelId', 'hostName', 'resultCode', 'receiveWindowSize', 'challengeResponse', 'randomVector', 'tieBreaker',
        'framingCapabilities', 'bearerCapabilities', 'firmwareRevision', 'vendorName', 'protocolVersion', 'assignedSessionId',
        'callSerialNumber', 'messageType'].map((k) => avpDefByKey(k)?.key),
    ).toEqual(['assignedTunnelId', 'hostName', 'resultCode', 'receiveWindowSize', 'challengeResponse', 'randomVector', 'tieBreaker',
      'framingCapabilities', 'bearerCapabilities', 'firmwareRevision', 'vendorName', 'protocolVersion', 'assignedSessionId',
      'callSerialNumber', 'messageType']);
  });

  it('mandatory is true exactly when the RFC says the M bit MUST be 1', () => {
    for (const d of AVP_CATALOG) expect(d.mandatory, d.name).toBe(d.mandatoryRule === 'must');
  });

  it('every row cites where it is defined', () => {
    for (const d of AVP_CATALOG) expect(d.rfc, d.name).toMatch(/RFC \d+|draft-|Cisco|Broadband/);
  });
});

describe('lookups are keyed on (vendorId, type)', () => {
  it('IETF and vendor AVPs with the same type number are different rows', () => {
    expect(avpDef(0, 9)?.name).toBe('Assigned Tunnel ID');
    expect(avpDef(VendorId.Cisco, 9)?.name).toBe('Session Tie Breaker');
    expect(avpDef(0, 1)?.name).toBe('Result Code');
    expect(avpDef(VendorId.BroadbandForum, 1)?.name).toBe('Agent-Circuit-Id');
    expect(avpDef(VendorId.BroadbandForum, 2)?.name).toBe('Agent-Remote-Id');
    // An unknown vendor never falls back to the IETF meaning of the type.
    expect(avpDef(1234, 7)).toBeUndefined();
    expect(avpDef(VendorId.Cisco, 7)?.key).toBe('ciscoPseudowireType');
  });

  it('avpDefByKey finds the same object as avpDef', () => {
    for (const d of AVP_CATALOG) {
      expect(avpDefByKey(d.key)).toBe(d);
      expect(avpDef(d.vendorId, d.type)).toBe(d);
    }
    expect(avpDefByKey('nope')).toBeUndefined();
  });
});

describe('names', () => {
  // Wireshark epan/dissectors/packet-l2tp.c, avp_type_vals[] / cisco_avp_type_vals[] /
  // broadband_avp_type_vals[]: rows where Wireshark uses the RFC's own spelling.
  const WIRESHARK: Array<[number, number, string]> = [
    [0, 2, 'Protocol Version'],
    [0, 3, 'Framing Capabilities'],
    [0, 4, 'Bearer Capabilities'],
    [0, 5, 'Tie Breaker'],
    [0, 6, 'Firmware Revision'],
    [0, 7, 'Host Name'],
    [0, 8, 'Vendor Name'],
    [0, 9, 'Assigned Tunnel ID'],
    [0, 10, 'Receive Window Size'],
    [0, 11, 'Challenge'],
    [0, 13, 'Challenge Response'],
    [0, 15, 'Call Serial Number'],
    [0, 16, 'Minimum BPS'],
    [0, 17, 'Maximum BPS'],
    [0, 18, 'Bearer Type'],
    [0, 19, 'Framing Type'],
    [0, 21, 'Called Number'],
    [0, 22, 'Calling Number'],
    [0, 23, 'Sub-Address'],
    [0, 26, 'Initial Received LCP CONFREQ'],
    [0, 27, 'Last Sent LCP CONFREQ'],
    [0, 28, 'Last Received LCP CONFREQ'],
    [0, 29, 'Proxy Authen Type'],
    [0, 30, 'Proxy Authen Name'],
    [0, 31, 'Proxy Authen Challenge'],
    [0, 32, 'Proxy Authen ID'],
    [0, 33, 'Proxy Authen Response'],
    [0, 35, 'ACCM'],
    [0, 36, 'Random Vector'],
    [0, 39, 'Sequencing Required'],
    [0, 46, 'PPP Disconnect Cause Code'],
    [0, 58, 'Extended Vendor ID'],
    [0, 59, 'Message Digest'],
    [0, 60, 'Router ID'],
    [0, 61, 'Assigned Control Connection ID'],
    [0, 63, 'Local Session ID'],
    [0, 64, 'Remote Session ID'],
    [0, 65, 'Assigned Cookie'],
    [0, 66, 'Remote End ID'],
    [0, 68, 'Pseudowire Type'],
    [0, 70, 'Data Sequencing'],
    [0, 71, 'Circuit Status'],
    [0, 72, 'Preferred Language'],
    [0, 73, 'Control Message Authentication Nonce'],
    [0, 76, 'Failover Capability'],
    [0, 77, 'Tunnel Recovery'],
    [0, 78, 'Suggested Control Sequence'],
    [0, 79, 'Failover Session State'],
    [0, 80, 'Multicast Capability'],
    [0, 81, 'New Outgoing Sessions'],
    [0, 82, 'New Outgoing Sessions Acknowledgement'],
    [0, 83, 'Withdraw Outgoing Sessions'],
    [0, 84, 'Multicast Packets Priority'],
    [0, 85, 'Frame-Relay Header Length'],
    [0, 86, 'ATM Maximum Concatenated Cells'],
    [0, 87, 'OAM Emulation Required'],
    [0, 88, 'ATM Alarm Status'],
    [0, 89, 'Attachment Group Identifier'],
    [0, 90, 'Local End Identifier'],
    [0, 91, 'Interface Maximum Transmission Unit'],
    [0, 92, 'FCS Retention'],
    [0, 93, 'Tunnel Switching Aggregator ID'],
    [0, 94, 'Maximum Receive Unit (MRU)'],
    [0, 95, 'Maximum Reassembled Receive Unit (MRRU)'],
    [0, 96, 'VCCV Capability'],
    [0, 97, 'Connect Speed Update'],
    [0, 98, 'Connect Speed Update Enable'],
    [0, 99, 'TDM Pseudowire'],
    [0, 101, 'PW Switching Point'],
    [9, 1, 'Assigned Connection ID'],
    [9, 2, 'Pseudowire Capabilities List'],
    [9, 9, 'Session Tie Breaker'],
    [9, 10, 'Draft AVP Version'],
    [9, 14, 'Interface MTU'],
    [3561, 129, 'Actual-Data-Rate-Upstream'],
    [3561, 130, 'Actual-Data-Rate-Downstream'],
    [3561, 142, 'Actual-Interleaving-Delay-Downstream'],
  ];

  it.each(WIRESHARK)('vendor %i type %i is %s, as Wireshark names it', (vendor, type, name) => {
    expect(avpDef(vendor, type)?.name).toBe(name);
  });

  it('uses the RFC spelling where Wireshark abbreviates', () => {
    // Wireshark: "Result-Error Code", "Cause Code", "Assigned Session", "Connect Speed",
    // "Physical Channel", "Call status AVPs", "Private group ID", "RxConnect Speed".
    expect(avpDef(0, 1)?.name).toBe('Result Code'); // RFC 2661 §4.4.2
    expect(avpDef(0, 12)?.name).toBe('Q.931 Cause Code'); // §4.4.4
    expect(avpDef(0, 14)?.name).toBe('Assigned Session ID'); // §4.4.4
    expect(avpDef(0, 24)?.name).toBe('(Tx) Connect Speed'); // §4.4.4
    expect(avpDef(0, 25)?.name).toBe('Physical Channel ID'); // §4.4.4
    expect(avpDef(0, 34)?.name).toBe('Call Errors'); // §4.4.6
    expect(avpDef(0, 37)?.name).toBe('Private Group ID'); // §4.4.4
    expect(avpDef(0, 38)?.name).toBe('Rx Connect Speed'); // §4.4.4
    expect(avpDef(0, 62)?.name).toBe('Pseudowire Capabilities List'); // RFC 3931 §5.4.3
    expect(avpDef(0, 69)?.name).toBe('L2-Specific Sublayer'); // RFC 3931 §5.4.4
    // IANA names 102 and 103, which Wireshark's table does not have yet.
    expect(avpDef(0, 102)?.name).toBe('S-BFD Target Discriminator ID'); // RFC 7886
    expect(avpDef(0, 103)?.name).toBe('ECN Capability'); // RFC 9601
  });
});

describe('M and H rules of RFC 2661 §4.4', () => {
  // [type, M rule, may be hidden] as RFC 2661 §4.4 states them, one line per AVP.
  const RULES: Array<[number, 'must' | 'must-not', boolean, string]> = [
    [0, 'must', false, '§4.4.1 Message Type: M MUST be 1 for the RFC\'s message types; MUST NOT be hidden'],
    [1, 'must', false, '§4.4.2 Result Code: MUST NOT be hidden, M MUST be 1'],
    [2, 'must', false, '§4.4.3 Protocol Version: MUST NOT be hidden, M MUST be 1'],
    [3, 'must', true, '§4.4.3 Framing Capabilities: MAY be hidden, M MUST be 1'],
    [4, 'must', true, '§4.4.3 Bearer Capabilities: MAY be hidden, M MUST be 1'],
    [5, 'must-not', false, '§4.4.3 Tie Breaker: MUST NOT be hidden, M MUST be 0'],
    [6, 'must-not', true, '§4.4.3 Firmware Revision: MAY be hidden, M MUST be 0'],
    [7, 'must', false, '§4.4.3 Host Name: MUST NOT be hidden, M MUST be 1'],
    [8, 'must-not', true, '§4.4.3 Vendor Name: MAY be hidden, M MUST be 0'],
    [9, 'must', true, '§4.4.3 Assigned Tunnel ID: MAY be hidden, M MUST be 1'],
    [10, 'must', false, '§4.4.3 Receive Window Size: MUST NOT be hidden, M MUST be 1'],
    [11, 'must', true, '§4.4.3 Challenge: MAY be hidden, M MUST be 1'],
    [12, 'must', false, '§4.4.4 Q.931 Cause Code: M MUST be 1'],
    [13, 'must', true, '§4.4.3 Challenge Response: MAY be hidden, M MUST be 1'],
    [14, 'must', true, '§4.4.4 Assigned Session ID: MAY be hidden, M MUST be 1'],
    [15, 'must', true, '§4.4.4 Call Serial Number: MAY be hidden, M MUST be 1'],
    [16, 'must', true, '§4.4.4 Minimum BPS: MAY be hidden, M MUST be 1'],
    [17, 'must', true, '§4.4.4 Maximum BPS: MAY be hidden, M MUST be 1'],
    [18, 'must', true, '§4.4.4 Bearer Type: MAY be hidden, M MUST be 1'],
    [19, 'must', true, '§4.4.4 Framing Type: MAY be hidden, M MUST be 1'],
    [21, 'must', true, '§4.4.4 Called Number: MAY be hidden, M MUST be 1'],
    [22, 'must', true, '§4.4.4 Calling Number: MAY be hidden, M MUST be 1'],
    [23, 'must', true, '§4.4.4 Sub-Address: MAY be hidden, M MUST be 1'],
    [24, 'must', true, '§4.4.4 (Tx) Connect Speed: MAY be hidden, M MUST be 1'],
    [25, 'must-not', true, '§4.4.4 Physical Channel ID: MAY be hidden, M MUST be 0'],
    [26, 'must-not', true, '§4.4.5 Initial Received LCP CONFREQ: MAY be hidden, M MUST be 0'],
    [27, 'must-not', true, '§4.4.5 Last Sent LCP CONFREQ: MAY be hidden, M MUST be 0'],
    [28, 'must-not', true, '§4.4.5 Last Received LCP CONFREQ: MAY be hidden, M MUST be 0'],
    [29, 'must-not', true, '§4.4.5 Proxy Authen Type: MAY be hidden, M MUST be 0'],
    [30, 'must-not', true, '§4.4.5 Proxy Authen Name: MAY be hidden, M MUST be 0'],
    [31, 'must-not', true, '§4.4.5 Proxy Authen Challenge: MAY be hidden, M MUST be 0'],
    [32, 'must-not', true, '§4.4.5 Proxy Authen ID: MAY be hidden, M MUST be 0'],
    [33, 'must-not', true, '§4.4.5 Proxy Authen Response: MAY be hidden, M MUST be 0'],
    [34, 'must', true, '§4.4.6 Call Errors: MAY be hidden, M MUST be 1'],
    [35, 'must', true, '§4.4.6 ACCM: MAY be hidden, M MUST be 1'],
    [36, 'must', false, '§4.4.1 Random Vector: MUST NOT be hidden, M MUST be 1'],
    [37, 'must-not', true, '§4.4.4 Private Group ID: MAY be hidden, M MUST be 0'],
    [38, 'must-not', true, '§4.4.4 Rx Connect Speed: MAY be hidden, M MUST be 0'],
    [39, 'must', false, '§4.4.4 Sequencing Required: MUST NOT be hidden, M MUST be 1'],
  ];

  it.each(RULES)('type %i: M %s, hideable %s (%s)', (type, rule, hideable) => {
    const d = avpDef(0, type)!;
    expect(d.mandatoryRule).toBe(rule);
    expect(d.mandatory).toBe(rule === 'must');
    expect(d.hideable).toBe(hideable);
  });

  it('covers every RFC 2661 AVP', () => {
    expect(RULES.map((r) => r[0])).toEqual(AVP_CATALOG.filter((d) => d.vendorId === 0 && d.type <= 39).map((d) => d.type).sort((a, b) => a - b));
  });

  it('extension AVPs whose RFC text was not checked are sent with M=0 and never hidden', () => {
    for (const d of AVP_CATALOG) {
      if (d.mandatoryRule === 'may') {
        expect(d.mandatory, d.name).toBe(false);
        expect(d.hideable, d.name).toBe(false);
      }
    }
  });
});

describe('value layouts the RFC fixes', () => {
  it.each([
    [AvpType.MessageType, 2, 2],
    [AvpType.ProtocolVersion, 2, 2],
    [AvpType.FramingCapabilities, 4, 4],
    [AvpType.TieBreaker, 8, 8],
    [AvpType.AssignedTunnelId, 2, 2],
    [AvpType.ChallengeResponse, 16, 16],
    [AvpType.CallErrors, 26, 26],
    [AvpType.Accm, 10, 10],
    [AvpType.ProxyAuthenId, 2, 2],
    [AvpType.SequencingRequired, 0, 0],
    [AvpType.ResultCode, 2, 1017],
    [AvpType.HostName, 1, 1017],
    [AvpType.Challenge, 1, 1017],
    [AvpType.Q931CauseCode, 3, 1017],
    [AvpType.TxConnectSpeedV3, 8, 8],
    [AvpType.AssignedControlConnectionId, 4, 4],
  ])('IETF type %i: value %i..%i bytes (AVP Length minus 6)', (type, min, max) => {
    const d = avpDef(0, type)!;
    expect([d.codec.minLength, d.codec.maxLength]).toEqual([min, max]);
  });

  it('bit constants match the RFC layouts (|A|S| and |A|D|, lowest bit first)', () => {
    expect(FramingCapability).toEqual({ Sync: 1, Async: 2 });
    expect(FramingType).toEqual({ Sync: 1, Async: 2 });
    expect(BearerCapability).toEqual({ Digital: 1, Analog: 2 });
    expect(BearerType).toEqual({ Digital: 1, Analog: 2 });
    expect(CircuitStatusBit).toEqual({ Active: 1, New: 2 });
    expect(ProxyAuthenType.PppChap).toBe(2);
    expect(ProxyAuthenType.PppPap).toBe(3);
  });

  it('every catalogue codec is total over its allowed lengths (decodes or throws BAD_AVP_VALUE)', () => {
    const decoded = new Map<string, number>();
    for (const d of AVP_CATALOG) {
      const max = Math.min(d.codec.maxLength, d.codec.minLength + 40);
      fc.assert(
        fc.property(fc.uint8Array({ minLength: d.codec.minLength, maxLength: max }), (bytes) => {
          try {
            d.codec.decode(bytes, 0, bytes.length);
            decoded.set(d.name, (decoded.get(d.name) ?? 0) + 1);
          } catch (e) {
            expect(e, d.name).toBeInstanceOf(L2tpError);
            expect((e as L2tpError).code).toBe('BAD_AVP_VALUE');
          }
        }),
        { numRuns: 200 },
      );
    }
    // Not vacuously all errors: every row decoded some of its random inputs.
    expect([...new Set(AVP_CATALOG.map((d) => d.name))].filter((n) => !decoded.has(n))).toEqual([]);
  });
});

describe('AvpFields: the typed fields, derived from the table', () => {
  it('types each field by its codec', () => {
    expectTypeOf<AvpFields['hostName']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<AvpFields['assignedTunnelId']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<AvpFields['resultCode']>().toEqualTypeOf<ResultCodeValue | undefined>();
    expectTypeOf<AvpFields['protocolVersion']>().toEqualTypeOf<ProtocolVersionValue | undefined>();
    expectTypeOf<AvpFields['q931CauseCode']>().toEqualTypeOf<Q931CauseValue | undefined>();
    expectTypeOf<AvpFields['callErrors']>().toEqualTypeOf<CallErrorsValue | undefined>();
    expectTypeOf<AvpFields['challengeResponse']>().toEqualTypeOf<Uint8Array | undefined>();
    expectTypeOf<AvpFields['sequencingRequired']>().toEqualTypeOf<true | undefined>();
    expectTypeOf<AvpFields['txConnectSpeedV3']>().toEqualTypeOf<bigint | undefined>();
    expectTypeOf<AvpFields['agentCircuitId']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<AvpFields['pseudowireCapabilitiesList']>().toEqualTypeOf<readonly number[] | undefined>();
    expectTypeOf<AvpFields>().not.toHaveProperty('nope');
    const f: AvpFields = { hostName: 'lac', resultCode: { result: 1 } };
    expect(f.hostName).toBe('lac');
  });
});

// ---------------------------------------------------------------------------------------------
// Real peers

describe('known answers from the xl2tpd captures', () => {
  it("decodes plain.hex #1 (xl2tpd's SCCRQ) as plain.summary.txt shows it", () => {
    // plain.summary.txt #1: 0:ControlMessage[M]/8 2:ProtocolVersion[M]/8=ver=1,rev=0
    // 3:FramingCapabilities[M]/10=async=1,sync=1 4:BearerCapabilities[M]/10=analog=0,digital=0
    // 6:FirmwareRevision[]/8=1680 7:HostName[M]/15=lac-plain 8:VendorName[]/19=xelerance.com
    // 9:AssignedTunnelID[M]/8=46452 10:ReceiveWindowSize[M]/8=4
    const sccrq = loadHex('plain')[0]!.bytes;
    const got: Array<[string, boolean, number, unknown]> = [];
    const r = new AvpReader(sccrq, 12);
    while (r.next()) {
      const d = avpDef(r.vendorId, r.type)!;
      got.push([d.key, r.mandatory, r.valueLength + 6, d.codec.decode(sccrq, r.valueOffset, r.valueLength)]);
    }
    expect(got).toEqual([
      ['messageType', true, 8, 1],
      ['protocolVersion', true, 8, { version: 1, revision: 0 }],
      ['framingCapabilities', true, 10, FramingCapability.Async | FramingCapability.Sync],
      ['bearerCapabilities', true, 10, 0],
      ['firmwareRevision', false, 8, 1680],
      ['hostName', true, 15, 'lac-plain'],
      ['vendorName', false, 19, 'xelerance.com'],
      ['assignedTunnelId', true, 8, 46452],
      ['receiveWindowSize', true, 8, 4],
    ]);
  });

  it('ICCN Framing Type 1 is sync (plain.summary #8: async=0,sync=1)', () => {
    const iccn = loadHex('plain')[7]!.bytes;
    const r = new AvpReader(iccn, 12);
    let framing: unknown;
    while (r.next()) if (r.type === AvpType.FramingType) framing = avpDef(0, r.type)!.codec.decode(iccn, r.valueOffset, r.valueLength);
    expect(framing).toBe(FramingType.Sync);
  });

  it.each(CAPTURES)('%s: every AVP decodes with its catalogue codec to what tshark shows', (name) => {
    const frames = loadHex(name);
    const decoded = loadTsharkDecode(name);
    let checked = 0;
    for (let i = 0; i < frames.length; i++) {
      const l2tp = decoded[i]!;
      if (!l2tp.isControl || l2tp.isZlb) continue;
      const b = frames[i]!.bytes;
      const r = new AvpReader(b, 12);
      let j = 0;
      while (r.next()) {
        const a = l2tp.avps[j++]!;
        expect(a.type ?? r.type).toBe(r.type);
        const d = avpDef(r.vendorId, r.type);
        expect(d, `frame ${i + 1} AVP ${r.vendorId}:${r.type}`).toBeDefined();
        const t = TSHARK_TYPED.get(`${r.vendorId}:${r.type}`);
        expect(t, `no tshark mapping for ${r.vendorId}:${r.type}`).toBeDefined();
        expect(t!.key).toBe(d!.key);
        let ours = d!.codec.decode(b, r.valueOffset, r.valueLength);
        if (ours instanceof Uint8Array) ours = toHex(ours);
        if (t!.mask !== undefined) ours = (ours as number) & t!.mask;
        expect(ours, `${name} frame ${i + 1} ${d!.name}`).toEqual(t!.read(a));
        checked++;
      }
      expect(j).toBe(l2tp.avps.length);
    }
    expect(checked).toBeGreaterThan(20);
  });

  it.each(CAPTURES)("%s: xl2tpd's M bits agree with the catalogue's MUST rules", (name) => {
    for (const f of loadHex(name)) {
      if ((f.bytes[0]! & 0x80) === 0 || f.bytes.length <= 12) continue;
      const r = new AvpReader(f.bytes, 12);
      while (r.next()) {
        const d = avpDef(r.vendorId, r.type)!;
        if (d.mandatoryRule === 'must') expect(r.mandatory, `${name} #${f.frame} ${d.name}`).toBe(true);
        if (d.mandatoryRule === 'must-not') expect(r.mandatory, `${name} #${f.frame} ${d.name}`).toBe(false);
      }
    }
  });
});
