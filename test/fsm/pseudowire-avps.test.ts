/**
 * From the session AVPs each LCCE sent to a Pseudowire (RFC 3931 §5.4.4): every AVP states what
 * its sender needs on the data it receives, so ours decide how we parse and theirs how we send.
 */
import { describe, expect, it } from 'vitest';
import { L2tpError, Pseudowire, encodeControl, parseControl, pseudowireOptions } from '../../src/index.js';

const FRAME = Uint8Array.from({ length: 60 }, (_, i) => (i < 12 ? 2 : i === 12 ? 0x88 : i === 13 ? 0xb5 : i));

describe('pseudowireOptions', () => {
  it('maps ours to the receive side and theirs to the send side', () => {
    const ours = { localSessionId: 10, assignedCookie: Uint8Array.of(1, 2, 3, 4), l2SpecificSublayer: 1, dataSequencing: 2, pseudowireType: 5 };
    const theirs = { localSessionId: 20, assignedCookie: Uint8Array.of(9, 9, 9, 9, 9, 9, 9, 9), l2SpecificSublayer: 0 };
    expect(pseudowireOptions(ours, theirs, { resyncThreshold: 4 })).toEqual({
      resyncThreshold: 4,
      localSessionId: 10,
      remoteSessionId: 20,
      localCookie: ours.assignedCookie,
      remoteCookie: theirs.assignedCookie,
      localL2SpecificSublayer: 1,
      remoteL2SpecificSublayer: 0,
      localDataSequencing: 2,
      remoteDataSequencing: 0,
      pseudowireType: 5,
    });
  });

  it('absent AVPs mean no cookie, no sublayer, sequencing level 0 (§5.4.4)', () => {
    expect(pseudowireOptions({ localSessionId: 1 }, { localSessionId: 2 })).toEqual({
      localSessionId: 1,
      remoteSessionId: 2,
      localL2SpecificSublayer: 0,
      remoteL2SpecificSublayer: 0,
      localDataSequencing: 0,
      remoteDataSequencing: 0,
    });
  });

  it.each([
    ['no Local Session ID', { l2SpecificSublayer: 0 }],
    ['Local Session ID 0', { localSessionId: 0 }],
    ['an ATM sublayer (type 2)', { localSessionId: 2, l2SpecificSublayer: 2 }],
    ['sequencing without a sublayer (Result Code 15)', { localSessionId: 2, dataSequencing: 2 }],
    ['Data Sequencing 3', { localSessionId: 2, l2SpecificSublayer: 1, dataSequencing: 3 }],
    ['a 5-byte cookie', { localSessionId: 2, assignedCookie: new Uint8Array(5) }],
  ])('the peer sending %s is a remote error (L2tpError PROTOCOL)', (_n, theirs) => {
    let err: unknown;
    try {
      pseudowireOptions({ localSessionId: 1 }, theirs);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(L2tpError);
    expect((err as L2tpError).code).toBe('PROTOCOL');
  });

  it('our own impossible settings are local misuse (RangeError)', () => {
    expect(() => pseudowireOptions({}, { localSessionId: 2 })).toThrow(RangeError);
    expect(() => pseudowireOptions({ localSessionId: 1, dataSequencing: 1 }, { localSessionId: 2 })).toThrow(/Result Code 15/);
    expect(() => pseudowireOptions({ localSessionId: 1, l2SpecificSublayer: 3 }, { localSessionId: 2 })).toThrow(RangeError);
  });

  it('takes parsed ICRQ/ICRP messages as they are, and both ends then carry frames each way', () => {
    // LAC: 8-byte cookie, default sublayer, all sequenced. LNS: 4-byte cookie, no sublayer.
    const icrq = parseControl(encodeControl({ version: 3, type: 10, tunnelId: 7, localSessionId: 0x1001, remoteSessionId: 0, callSerialNumber: 1, pseudowireType: 5, remoteEndId: Uint8Array.of(1), circuitStatus: 3, assignedCookie: Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8), l2SpecificSublayer: 1, dataSequencing: 2 }));
    const icrp = parseControl(encodeControl({ version: 3, type: 11, tunnelId: 8, localSessionId: 0x2002, remoteSessionId: 0x1001, circuitStatus: 3, assignedCookie: Uint8Array.of(9, 8, 7, 6) }));
    const lac = new Pseudowire(pseudowireOptions(icrq, icrp));
    const lns = new Pseudowire(pseudowireOptions(icrp, icrq));
    const toLns = lac.send(FRAME);
    const toLac = lns.send(FRAME);
    expect(toLns.length).toBe(8 + 4 + FRAME.length); // the LNS's cookie, no sublayer: the LNS asked for none
    expect(toLac.length).toBe(8 + 8 + 4 + FRAME.length); // the LAC's cookie and the sublayer it asked for
    expect([...toLac.subarray(16, 20)]).toEqual([0x40, 0, 0, 0]); // sequenced from 0, as the LAC asked
    const a = lns.receive(toLns);
    const b = lac.receive(toLac);
    expect(a.ok && [...a.frame]).toEqual([...FRAME]);
    expect(b.ok && [b.sequenceNumber, [...b.frame]]).toEqual([0, [...FRAME]]);
  });
});
