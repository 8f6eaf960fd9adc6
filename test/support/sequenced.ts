/** Inputs for the Sequencer tests (src/reliable): a sequenced control message and a received header. */
import type { ReceivedControl } from '../../src/reliable/index.js';

/** A v2 control message (T, L, S, version 2), tunnel 1, with an 8-byte body; Ns/Nr zero (RFC 2661 §3.1). */
export function ctl(): Uint8Array {
  const b = new Uint8Array(20);
  b[0] = 0xc8;
  b[1] = 0x02;
  b[3] = 20;
  b[5] = 1;
  return b;
}

/** What the Sequencer reads of a received control message. */
export const rec = (ns: number, nr: number, isZlb = false): ReceivedControl => ({ ns, nr, isZlb });
