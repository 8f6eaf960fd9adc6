/**
 * Fuzz target: parseHeader with each cookie length. Invariant on success: headerLength lies
 * within the input and within Length when L=1 (RFC 2661 §3.1).
 */
import { parseHeader, type Header } from '../../src/wire/header.js';
import { bytesOf, invariant, rejectsOnlyWithL2tpError } from './finding.js';

export function fuzz(buf: Uint8Array): void {
  const b = bytesOf(buf);
  for (const cookieLength of [0, 4, 8] as const) {
    let h: Header | undefined;
    rejectsOnlyWithL2tpError(() => {
      h = parseHeader(b, { cookieLength });
    });
    if (!h) continue;
    invariant(h.headerLength <= b.length, `headerLength ${h.headerLength} > ${b.length} bytes`);
    if ('length' in h && h.length !== undefined) {
      invariant(h.length <= b.length, 'Length beyond the input');
      invariant(h.headerLength <= h.length, `headerLength ${h.headerLength} > Length ${h.length}`);
    }
  }
}
