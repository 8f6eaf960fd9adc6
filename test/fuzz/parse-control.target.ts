/**
 * Fuzz target: parseControl, without and with the tunnel secret (hidden AVPs unhidden, §4.3).
 * Invariants on success: every typed field and toJSON() decode without throwing (the parser
 * validated eagerly), and the raw AVP list re-encodes to the same bytes (header flags aside,
 * whose reserved bits the parser ignores, RFC 2661 §3.1).
 */
import { encodeControl, parseControl, type ControlMessage } from '../../src/wire/control.js';
import { L2tpError } from '../../src/wire/errors.js';
import { bytesOf, equalBytes, invariant, rejectsOnlyWithL2tpError } from './finding.js';

const SECRET = 'l2tp-wire-test-secret';

function check(m: ControlMessage): void {
  try {
    JSON.stringify(m);
  } catch (e) {
    if (e instanceof L2tpError) throw new Error(`typed fields threw after a successful parse: ${e.message}`, { cause: e });
    throw e;
  }
  const again = encodeControl({
    version: m.version,
    tunnelId: m.tunnelId,
    sessionId: m.sessionId,
    ns: m.ns,
    nr: m.nr,
    avps: m.avps.map((a) => a.toObject()),
  });
  invariant(again.length === m.length, `re-encoded length ${again.length} != Length ${m.length}`);
  invariant(equalBytes(again.subarray(2), m.bytes.subarray(2)), 're-encoding changed bytes after the flags word');
}

export function fuzz(buf: Uint8Array): void {
  const b = bytesOf(buf);
  let m: ControlMessage | undefined;
  rejectsOnlyWithL2tpError(() => {
    m = parseControl(b);
  });
  if (m) check(m);
  let h: ControlMessage | undefined;
  rejectsOnlyWithL2tpError(() => {
    h = parseControl(b, { secret: SECRET, requireAvps: false });
  });
  if (h) check(h);
}
