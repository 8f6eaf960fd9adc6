/**
 * pseudowireOptions (RFC 3931 §5.4.4) says exactly what was wrong, and whose fault it was: our
 * own values are a RangeError (local misuse), the peer's an L2tpError PROTOCOL "from the peer: …";
 * and it returns only the fields the AVPs gave (no key set to undefined or to an empty cookie).
 */
import { describe, expect, it } from 'vitest';
import { L2tpError, pseudowireOptions, type SessionDataAvps } from '../../src/index.js';
import { expectLocalError, thrown } from '../support/local-errors.js';

const SUBLAYER = (s: number) => `L2-Specific Sublayer type ${s}: only 0 (none) and 1 (the default one, RFC 3931 §4.6) are supported`;
const SEQUENCING = (s: number) => `Data Sequencing ${s} (RFC 3931 §5.4.4: 0, 1 or 2)`;

describe('pseudowireOptions: the error names the problem and the side', () => {
  it.each<[string, SessionDataAvps, string]>([
    ['no Local Session ID', {}, 'no Local Session ID, or 0 (RFC 3931 §5.4.4: non-zero)'],
    ['Local Session ID 0', { localSessionId: 0 }, 'no Local Session ID, or 0 (RFC 3931 §5.4.4: non-zero)'],
    ['sublayer type 2', { localSessionId: 2, l2SpecificSublayer: 2 }, SUBLAYER(2)],
    ['Data Sequencing 3', { localSessionId: 2, l2SpecificSublayer: 1, dataSequencing: 3 }, SEQUENCING(3)],
    ['a 3-byte cookie', { localSessionId: 2, assignedCookie: new Uint8Array(3) }, 'an Assigned Cookie of 3 bytes (RFC 3931 §5.4.4: 4 or 8)'],
  ])('the peer: %s is L2tpError PROTOCOL "from the peer: …"', (_n, theirs, what) => {
    const e = thrown(() => pseudowireOptions({ localSessionId: 1 }, theirs));
    expect(e).toBeInstanceOf(L2tpError);
    expect({ code: (e as L2tpError).code, message: e.message }).toEqual({ code: 'PROTOCOL', message: `from the peer: ${what}` });
  });

  it.each<[string, SessionDataAvps, string]>([
    ['no Local Session ID', {}, 'ours.localSessionId is missing: the Local Session ID AVP we sent (RFC 3931 §5.4.4)'],
    ['sublayer type 2', { localSessionId: 1, l2SpecificSublayer: 2 }, SUBLAYER(2)],
    ['Data Sequencing 3', { localSessionId: 1, l2SpecificSublayer: 1, dataSequencing: 3 }, SEQUENCING(3)],
  ])('ours: %s is a RangeError', (_n, ours, message) => {
    expectLocalError(() => pseudowireOptions(ours, { localSessionId: 2 }), RangeError, message);
  });
});

describe('pseudowireOptions returns only what the AVPs gave', () => {
  it('absent or empty cookies and no Pseudowire Type: no such keys at all', () => {
    const none = { localSessionId: 1, remoteSessionId: 2, localL2SpecificSublayer: 0, remoteL2SpecificSublayer: 0, localDataSequencing: 0, remoteDataSequencing: 0 };
    expect(pseudowireOptions({ localSessionId: 1 }, { localSessionId: 2 })).toStrictEqual(none);
    // A zero-length Assigned Cookie is taken as no cookie: §5.4.4 sends 4 or 8 bytes and says nothing
    // of refusing an empty one, so this side is lenient (only other lengths are refused above).
    expect(pseudowireOptions({ localSessionId: 1, assignedCookie: new Uint8Array(0) }, { localSessionId: 2, assignedCookie: new Uint8Array(0) })).toStrictEqual(none);
  });

  it('the Pseudowire Type from either side, the peer\'s first', () => {
    expect(pseudowireOptions({ localSessionId: 1, pseudowireType: 5 }, { localSessionId: 2 }).pseudowireType).toBe(5);
    expect(pseudowireOptions({ localSessionId: 1, pseudowireType: 5 }, { localSessionId: 2, pseudowireType: 7 }).pseudowireType).toBe(7);
  });
});
