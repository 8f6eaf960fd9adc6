/**
 * Fuzz target: the hidden-AVP decoder (RFC 2661 §4.3). Input layout: 2 bytes Attribute Type,
 * 1 byte Random Vector length n, n bytes Random Vector, the rest the hidden value. Invariants on
 * success: the value fits the room (hidden length − 2), and hiding it again with the same
 * keystream and no padding unhides to the same value.
 */
import { hideAvpValue, unhideAvpValue } from '../../src/wire/hidden.js';
import { bytesOf, equalBytes, invariant, rejectsOnlyWithL2tpError } from './finding.js';

const SECRET = 'l2tp-wire-test-secret';

export function fuzz(buf: Uint8Array): void {
  const b = bytesOf(buf);
  if (b.length < 3) return;
  const type = (b[0]! << 8) | b[1]!;
  const n = Math.min(b[2]!, b.length - 3);
  const rv = b.subarray(3, 3 + n);
  const hidden = b.subarray(3 + n);
  let value: Uint8Array | undefined;
  rejectsOnlyWithL2tpError(() => {
    value = unhideAvpValue(type, hidden, SECRET, rv, 3 + n);
  });
  if (!value) return;
  invariant(value.length <= hidden.length - 2, `value of ${value.length} bytes from ${hidden.length} hidden bytes`);
  const again = hideAvpValue(type, value, SECRET, rv);
  invariant(equalBytes(unhideAvpValue(type, again, SECRET, rv), value), 'hide/unhide round trip changed the value');
  // Without padding, hiding is a prefix of what was received when that had the same plain bytes.
  invariant(equalBytes(again.subarray(0, Math.min(again.length, 16)), hidden.subarray(0, Math.min(again.length, 16))), 'first keystream block differs');
}
