/**
 * Fuzz target: L2TPv3 control messages (RFC 3931 §3.2.1, §5.4.1). The input is parsed as it is
 * and as a v3 control message (its first word forced to T=L=S=1, Ver=3, so most inputs get past
 * the header): parseControl, and parseControlV3 with a secret and fixed nonces, may only reject
 * with L2tpError. Invariants on success: the raw AVP list re-encodes to the same bytes after the
 * flags word; and a message with a Message Digest AVP, once signed with signControlV3, verifies
 * (sign → verify round-trips, §5.4.1), and fails to verify with the nonces swapped.
 */
import { encodeControl, parseControl, type ControlMessage } from '../../src/wire/control.js';
import { L2tpError } from '../../src/wire/errors.js';
import { signControlV3, verifyControlV3 } from '../../src/wire/v3-digest.js';
import { parseControlV3 } from '../../src/wire/v3-auth.js';
import { bytesOf, equalBytes, invariant, rejectsOnlyWithL2tpError } from './finding.js';

const SECRET = 'l2tp-wire-test-secret';
const NONCES = { local: new Uint8Array(16).fill(0xa5), remote: new Uint8Array(20).fill(0x5a) };
const SWAPPED = { local: NONCES.remote, remote: NONCES.local };

function reencodes(m: ControlMessage): void {
  const again = encodeControl({ version: m.version, tunnelId: m.tunnelId, sessionId: m.sessionId, ns: m.ns, nr: m.nr, avps: m.avps.map((a) => a.toObject()) });
  invariant(equalBytes(again.subarray(2), m.bytes.subarray(2)), 're-encoding changed bytes after the flags word');
}

function one(b: Uint8Array): void {
  let m: ControlMessage | undefined;
  rejectsOnlyWithL2tpError(() => {
    m = parseControl(b);
  });
  if (m) {
    JSON.stringify(m);
    if (m.version === 3) reencodes(m);
  }
  rejectsOnlyWithL2tpError(() => {
    parseControlV3(b, { secret: SECRET, nonces: NONCES });
  });
  if (m?.version === 3 && m.avps.some((a) => a.vendorId === 0 && a.type === 59)) {
    let signed: Uint8Array | undefined;
    // Signing refuses (L2tpError) a digest AVP it cannot fill (unknown Digest Type, wrong size, a third one).
    rejectsOnlyWithL2tpError(() => {
      signed = signControlV3(b.slice(0, m!.length), { secret: SECRET, nonces: NONCES });
    });
    if (signed) {
      let ok = true;
      try {
        verifyControlV3(signed, { secret: SECRET, nonces: NONCES });
      } catch (e) {
        if (!(e instanceof L2tpError)) throw e;
        ok = false;
      }
      invariant(ok, 'a message signed with signControlV3 does not verify');
      let swappedOk = true;
      try {
        verifyControlV3(signed, { secret: SECRET, nonces: SWAPPED });
      } catch (e) {
        if (!(e instanceof L2tpError)) throw e;
        swappedOk = false;
      }
      invariant(!swappedOk, 'a message verifies with the nonces swapped');
    }
  }
}

export function fuzz(buf: Uint8Array): void {
  const b = bytesOf(buf);
  one(b);
  if (b.length >= 2) {
    const v3 = b.slice();
    v3[0] = v3[0]! | 0xc8;
    v3[1] = (v3[1]! & 0xf0) | 3;
    one(v3);
  }
}
