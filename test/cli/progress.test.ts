/**
 * Live progress from the messages as they pass: what we wait for, and retransmissions counted
 * by a repeated Ns. Inputs are written by hand from RFC 2661 §3.1 (header) and §4.4.1 (Message
 * Type AVP), not by our encoder.
 */
import { describe, expect, it } from 'vitest';
import { Progress, StatusLine } from '../../src/cli/progress.js';
import type { Recorded } from '../../src/cli/recording.js';

/** A v2 control message (T, L, S set; version 2) with only a Message Type AVP. */
function control(type: number, tunnelId: number, ns: number, nr: number): Uint8Array {
  return Uint8Array.of(0xc8, 0x02, 0x00, 0x14, tunnelId >> 8, tunnelId & 0xff, 0, 0, ns >> 8, ns & 0xff, nr >> 8, nr & 0xff, 0x80, 0x08, 0, 0, 0, 0, 0, type);
}
/** A ZLB: the 12-byte header alone. */
function zlb(tunnelId: number, ns: number, nr: number): Uint8Array {
  return Uint8Array.of(0xc8, 0x02, 0x00, 0x0c, tunnelId >> 8, tunnelId & 0xff, 0, 0, ns >> 8, ns & 0xff, nr >> 8, nr & 0xff);
}
const rec = (direction: Recorded['direction'], bytes: Uint8Array, at = 0): Recorded => ({ direction, at, wallMicros: 0, local: undefined, remote: undefined, bytes });

describe('Progress', () => {
  it('SCCRQ sent three times: waiting for SCCRP, then retransmit 1/5 and 2/5', () => {
    const p = new Progress(5);
    expect(p.update(rec('sent', control(1, 0, 0, 0)))).toBe('waiting for SCCRP…');
    expect(p.update(rec('sent', control(1, 0, 0, 0), 1000))).toBe('waiting for SCCRP… retransmit 1/5');
    expect(p.update(rec('sent', control(1, 0, 0, 0), 3000))).toBe('waiting for SCCRP… retransmit 2/5');
    expect(p.since).toBe(0);
  });

  it('an answer ends the wait; the next request starts a new one', () => {
    const p = new Progress(5);
    p.update(rec('sent', control(1, 0, 0, 0)));
    expect(p.update(rec('received', control(2, 9, 0, 1)))).toBeUndefined();
    expect(p.update(rec('sent', control(3, 7, 1, 1)))).toBe('waiting for the acknowledgement of our SCCCN…');
    expect(p.update(rec('sent', control(10, 7, 2, 1)))).toBe('waiting for ICRP…');
    // Our own ZLB changes nothing: we still wait for the ICRP.
    expect(p.update(rec('sent', zlb(7, 3, 1)))).toBe('waiting for ICRP…');
  });

  it('the same Ns on another tunnel is not a retransmission', () => {
    const p = new Progress(5);
    p.update(rec('sent', control(6, 7, 4, 1)));
    expect(p.update(rec('sent', control(6, 8, 4, 1)))).toBe('waiting for the acknowledgement of our HELLO…');
  });
});

describe('StatusLine', () => {
  it('draws in place, prints lines above itself, and erases itself', () => {
    let out = '';
    const s = new StatusLine({ write: (t) => (out += t) });
    s.show('waiting for SCCRP…');
    s.log('a trace line');
    s.clear();
    expect(out).toBe('\r\x1b[Kwaiting for SCCRP…\r\x1b[Ka trace line\nwaiting for SCCRP…\r\x1b[K');
  });
});
