/**
 * The message-type catalogue (RFC 2661 §3.2 and §6, IANA registry, Wireshark's packet-l2tp.c) and
 * the result/error code tables (RFC 2661 §4.4.2).
 */
import { describe, expect, it } from 'vitest';
import { AvpType, avpDef } from '../../src/wire/avp-catalog.js';
import { AvpReader } from '../../src/wire/avp.js';
import { MESSAGE_CATALOG, MessageType, messageAvps, messageDef, messageName } from '../../src/wire/message-catalog.js';
import { CdnResult, GeneralError, ResultCode, StopCcnResult, describeError, describeResult } from '../../src/wire/result-codes.js';
import { CAPTURES, loadHex } from '../support/vectors.js';

describe('message types', () => {
  it('numbers RFC 2661 §3.2 gives, with 5 and 13 reserved', () => {
    expect(MessageType).toMatchObject({
      SCCRQ: 1, SCCRP: 2, SCCCN: 3, StopCCN: 4, HELLO: 6, OCRQ: 7, OCRP: 8, OCCN: 9,
      ICRQ: 10, ICRP: 11, ICCN: 12, CDN: 14, WEN: 15, SLI: 16,
    });
    expect(messageDef(5)).toBeUndefined();
    expect(messageDef(13)).toBeUndefined();
    expect(messageDef(0)).toBeUndefined();
    expect(messageDef(30)).toBeUndefined();
    expect(messageDef(0xffff)).toBeUndefined();
  });

  it('17–29 as IANA and Wireshark number them (17 is RFC 3573 MDMST, 20 the RFC 3931 ACK)', () => {
    // Wireshark packet-l2tp.c l2tp_message_type_short_str_vals[].
    const wireshark: Array<[number, string]> = [
      [17, 'MDMST'], [18, 'SRRQ'], [19, 'SRRP'], [20, 'ACK'], [21, 'FSQ'], [22, 'FSR'], [23, 'MSRQ'],
      [24, 'MSRP'], [25, 'MSE'], [26, 'MSI'], [27, 'MSEN'], [28, 'CSUN'], [29, 'CSURQ'],
    ];
    for (const [type, name] of wireshark) expect(messageName(type)).toBe(name);
    expect(messageDef(20)!.rfc).toMatch(/RFC 3931/);
    expect(messageDef(21)!.rfc).toMatch(/RFC 4951/);
    expect(messageDef(23)!.rfc).toMatch(/RFC 4045/);
    expect(messageDef(28)!.rfc).toMatch(/RFC 5515/);
  });

  it('each entry is found by its number, and MessageType[name] gives the number back', () => {
    expect(MESSAGE_CATALOG).toHaveLength(27);
    for (const d of MESSAGE_CATALOG) {
      expect(messageDef(d.type)).toBe(d);
      expect((MessageType as Record<string, number>)[d.name]).toBe(d.type);
    }
    expect(Object.keys(MessageType)).toHaveLength(27);
  });

  it('long names spell the RFC 2661 message names', () => {
    expect(messageDef(MessageType.SCCRQ)!.longName).toBe('Start-Control-Connection-Request');
    expect(messageDef(MessageType.StopCCN)!.longName).toBe('Stop-Control-Connection-Notification');
    expect(messageDef(MessageType.CDN)!.longName).toBe('Call-Disconnect-Notify');
    expect(messageDef(MessageType.WEN)!.longName).toBe('WAN-Error-Notify');
    expect(messageDef(MessageType.SLI)!.longName).toBe('Set-Link-Info');
  });

  it('control connection messages have tunnel scope, call messages session scope', () => {
    const scope = (t: number) => messageDef(t)!.scope;
    for (const t of [1, 2, 3, 4, 6, 20]) expect(scope(t)).toBe('tunnel');
    for (const t of [7, 8, 9, 10, 11, 12, 14, 15, 16]) expect(scope(t)).toBe('session');
  });
});

describe('AVPs per message (RFC 2661 §6)', () => {
  const A = AvpType;
  // RFC 2661 §6.1–§6.14: the AVPs each message MUST carry besides Message Type.
  const REQUIRED: Array<[keyof typeof MessageType, number[]]> = [
    ['SCCRQ', [A.ProtocolVersion, A.HostName, A.FramingCapabilities, A.AssignedTunnelId]], // §6.1
    ['SCCRP', [A.ProtocolVersion, A.FramingCapabilities, A.HostName, A.AssignedTunnelId]], // §6.2
    ['SCCCN', []], // §6.3
    ['StopCCN', [A.AssignedTunnelId, A.ResultCode]], // §6.4
    ['HELLO', []], // §6.5
    ['ICRQ', [A.AssignedSessionId, A.CallSerialNumber]], // §6.6
    ['ICRP', [A.AssignedSessionId]], // §6.7
    ['ICCN', [A.TxConnectSpeed, A.FramingType]], // §6.8
    ['OCRQ', [A.AssignedSessionId, A.CallSerialNumber, A.MinimumBps, A.MaximumBps, A.BearerType, A.FramingType, A.CalledNumber]], // §6.9
    ['OCRP', [A.AssignedSessionId]], // §6.10
    ['OCCN', [A.TxConnectSpeed, A.FramingType]], // §6.11
    ['CDN', [A.ResultCode, A.AssignedSessionId]], // §6.12
    ['WEN', [A.CallErrors]], // §6.13
    ['SLI', [A.Accm]], // §6.14
  ];

  it.each(REQUIRED)('%s requires %j', (name, required) => {
    expect([...messageDef(MessageType[name])!.requiredV2].sort((a, b) => a - b)).toEqual([...required].sort((a, b) => a - b));
  });

  it('messages outside RFC 2661 require nothing of a v2 message', () => {
    for (let t = 17; t <= 29; t++) expect(messageDef(t)!.requiredV2).toEqual([]);
  });

  it('SCCRQ optional AVPs in §6.1 order follow the required ones', () => {
    expect(messageAvps(MessageType.SCCRQ).map((d) => d.key)).toEqual([
      'randomVector',
      'protocolVersion', 'hostName', 'framingCapabilities', 'assignedTunnelId',
      'bearerCapabilities', 'receiveWindowSize', 'challenge', 'tieBreaker', 'firmwareRevision', 'vendorName',
    ]);
  });

  it('ICCN lists the proxy LCP and authentication AVPs (§6.8)', () => {
    const keys = messageAvps(MessageType.ICCN).map((d) => d.key);
    for (const k of ['initialReceivedLcpConfreq', 'lastSentLcpConfreq', 'lastReceivedLcpConfreq', 'proxyAuthenType', 'proxyAuthenName',
      'proxyAuthenChallenge', 'proxyAuthenId', 'proxyAuthenResponse', 'privateGroupId', 'rxConnectSpeed', 'sequencingRequired']) {
      expect(keys).toContain(k);
    }
  });

  it('every list starts with Random Vector (§4.3), holds the required AVPs first, and no duplicates', () => {
    for (const d of MESSAGE_CATALOG) {
      const list = messageAvps(d.type);
      expect(list[0]!.type).toBe(AvpType.RandomVector);
      expect(list.slice(1, 1 + d.requiredV2.length).map((x) => x.type)).toEqual([...d.requiredV2]);
      expect(new Set(list).size).toBe(list.length);
      for (const x of list) {
        expect(x.vendorId).toBe(0);
        expect(x).toBe(avpDef(0, x.type));
        expect(x.key).not.toBe('messageType');
      }
    }
  });

  it('an unknown or reserved type lists only Random Vector', () => {
    expect(messageAvps(5).map((d) => d.key)).toEqual(['randomVector']);
    expect(messageAvps(999).map((d) => d.key)).toEqual(['randomVector']);
  });

  it.each(CAPTURES)("%s: xl2tpd's messages carry every AVP §6 requires, and only AVPs §6 lists", (name) => {
    let seen = 0;
    for (const f of loadHex(name)) {
      if ((f.bytes[0]! & 0x80) === 0 || f.bytes.length <= 12) continue;
      const r = new AvpReader(f.bytes, 12);
      r.next();
      const def = messageDef(r.u16())!;
      const listed = new Set(messageAvps(def.type).map((d) => d.type));
      const types: number[] = [];
      while (r.next()) types.push(r.type);
      for (const t of def.requiredV2) expect(types, `${name} #${f.frame} ${def.name}`).toContain(t);
      for (const t of types) expect(listed.has(t), `${name} #${f.frame} ${def.name} carries ${t}`).toBe(true);
      seen++;
    }
    expect(seen).toBeGreaterThan(5);
  });
});

describe('result and error codes (RFC 2661 §4.4.2)', () => {
  it('StopCCN result codes 1–7', () => {
    expect(StopCcnResult).toMatchObject({
      GeneralRequest: 1, GeneralError: 2, AlreadyExists: 3, NotAuthorized: 4, UnsupportedVersion: 5, ShuttingDown: 6, FsmError: 7,
    });
    expect(describeResult(MessageType.StopCCN, 1)).toBe('General request to clear control connection');
    expect(describeResult(MessageType.StopCCN, 5)).toBe('The protocol version of the requester is not supported');
    expect(describeResult(MessageType.StopCCN, 7)).toBe('Finite State Machine error');
  });

  it('CDN result codes 1–11 mean other things than the StopCCN ones', () => {
    expect(CdnResult).toMatchObject({
      LossOfCarrier: 1, GeneralError: 2, Administrative: 3, NoFacilitiesTemporary: 4, NoFacilitiesPermanent: 5,
      InvalidDestination: 6, NoCarrier: 7, Busy: 8, NoDialTone: 9, Timeout: 10, NoFraming: 11,
    });
    expect(describeResult(MessageType.CDN, 1)).toBe('Call disconnected due to loss of carrier');
    expect(describeResult(MessageType.CDN, 3)).toBe('Call disconnected for administrative reasons');
    expect(describeResult(MessageType.CDN, 11)).toBe('Call was connected but no appropriate framing was detected');
    expect(describeResult(MessageType.CDN, 3)).not.toBe(describeResult(MessageType.StopCCN, 3));
  });

  it('general error codes 0–8', () => {
    expect(GeneralError).toMatchObject({
      NoError: 0, NoControlConnection: 1, BadLength: 2, OutOfRange: 3, InsufficientResources: 4,
      InvalidSessionId: 5, VendorSpecific: 6, TryAnother: 7, UnknownMandatoryAvp: 8,
    });
    expect(describeError(0)).toBe('No general error');
    expect(describeError(2)).toBe('Length is wrong');
    expect(describeError(8)).toMatch(/unknown AVP with the M-bit set/);
  });

  it('ResultCode groups the tables', () => {
    expect(ResultCode.StopCcn.GeneralError).toBe(2);
    expect(ResultCode.Cdn.Administrative).toBe(3);
    expect(ResultCode.GeneralError.UnknownMandatoryAvp).toBe(8);
  });

  it('describes nothing for other messages or unassigned codes', () => {
    expect(describeResult(MessageType.HELLO, 1)).toBeUndefined();
    expect(describeResult(MessageType.StopCCN, 99)).toBeUndefined();
    expect(describeResult(MessageType.CDN, 1.5)).toBeUndefined();
    expect(describeError(999)).toBeUndefined();
    expect(describeError(-1)).toBeUndefined();
  });

  it("describes xl2tpd's answers in the hostile capture (result 2, error 6 and error 2)", () => {
    // hostile.summary.txt #17: StopCCN result=2,error=6; #36: result=2,error=2 "Invalid AVP length".
    expect(describeResult(MessageType.StopCCN, 2)).toMatch(/General error/);
    expect(describeError(6)).toMatch(/vendor-specific/);
    expect(describeError(2)).toBe('Length is wrong');
  });
});
