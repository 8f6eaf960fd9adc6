/**
 * Fuzz target: parseData with each L2TPv3 cookie length. Invariant on success: the payload is a
 * view inside the input, starting at headerLength (RFC 2661 §3.1, RFC 3931 §4.1.2.1).
 */
import { parseData, type DataMessage } from '../../src/wire/data.js';
import { bytesOf, invariant, rejectsOnlyWithL2tpError } from './finding.js';

export function fuzz(buf: Uint8Array): void {
  const b = bytesOf(buf);
  for (const cookieLength of [0, 4, 8] as const) {
    let d: DataMessage | undefined;
    rejectsOnlyWithL2tpError(() => {
      d = parseData(b, { cookieLength });
    });
    if (!d) continue;
    const p = d.payload;
    invariant(p.buffer === b.buffer, 'payload is not a view of the input');
    invariant(p.byteOffset === b.byteOffset + d.headerLength, 'payload does not start at headerLength');
    invariant(p.byteOffset + p.length <= b.byteOffset + b.length, 'payload runs past the input');
  }
}
