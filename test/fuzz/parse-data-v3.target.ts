/**
 * Fuzz target: the L2TPv3 data plane (RFC 3931 §4.1.2.1, §4.5, §4.6). The input, as it is and
 * with its first word forced to a v3 data header (T=0, Ver=3), goes to a Pseudowire for each
 * cookie length (0, 4, 8) with the Default L2-Specific Sublayer and Data Sequencing level 2, the
 * Session ID and cookie taken from the input so it gets past them. Pseudowire.receive must never
 * throw (a peer's bytes are dropped and counted, never thrown); parseData and readDefaultL2ss may
 * only reject with L2tpError. Invariants: a delivered frame is a view of the input after the
 * header, cookie and sublayer; its sequence number is the sublayer's; the counters add up.
 */
import { parseData } from '../../src/wire/data.js';
import { readDefaultL2ss } from '../../src/wire/l2ss.js';
import { u32 } from '../../src/wire/bytes.js';
import { Pseudowire } from '../../src/fsm/pseudowire.js';
import { bytesOf, invariant, rejectsOnlyWithL2tpError } from './finding.js';

function one(b: Uint8Array): void {
  for (const cookieLength of [0, 4, 8] as const) {
    rejectsOnlyWithL2tpError(() => {
      const d = parseData(b, { cookieLength });
      if (d.version === 3) readDefaultL2ss(d.payload, 0);
    });
    const sessionId = b.length >= 8 && u32(b, 4) !== 0 ? u32(b, 4) : 1;
    const cookie = b.length >= 8 + cookieLength ? b.slice(8, 8 + cookieLength) : new Uint8Array(cookieLength).fill(1);
    const pw = new Pseudowire({ localSessionId: sessionId, remoteSessionId: 1, localCookie: cookie, localL2SpecificSublayer: 1, localDataSequencing: 2, resyncThreshold: 2 });
    for (let i = 0; i < 2; i++) {
      const r = pw.receive(b);
      if (r.ok) {
        const start = 8 + cookieLength + 4;
        invariant(r.frame.buffer === b.buffer && r.frame.byteOffset === b.byteOffset + start, 'frame is not the input after header, cookie and sublayer');
        invariant(r.frame.length === b.length - start, 'frame does not run to the end of the input');
        invariant(r.sequenceNumber === readDefaultL2ss(b, 8 + cookieLength).sequenceNumber, 'sequence number is not the sublayer\'s');
      }
    }
    const s = pw.stats;
    const drops = s.droppedMalformed + s.droppedSession + s.droppedCookie + s.droppedDuplicate + s.droppedOutOfOrder + s.droppedRunt;
    invariant(s.received === 2 && s.delivered + drops === 2, `counters do not add up: ${JSON.stringify(s)}`);
  }
}

export function fuzz(buf: Uint8Array): void {
  const b = bytesOf(buf);
  one(b);
  if (b.length >= 2) {
    const v3 = b.slice();
    v3[0] = v3[0]! & 0x7f;
    v3[1] = (v3[1]! & 0xf0) | 3;
    one(v3);
  }
}
