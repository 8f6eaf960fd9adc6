/**
 * The LNS's single-timer deadline queue (a min-heap of owners, each at most once) and the header peek its
 * router uses, checked against real xl2tpd messages.
 */
import { describe, expect, it } from 'vitest';
import { DeadlineQueue } from '../../src/server/deadline-queue.js';
import { peekHeader, serialAtOrAfter } from '../../src/server/demux.js';
import { Prng } from '../../src/testing/prng.js';
import { loadHex } from '../support/vectors.js';

const owner = () => ({ due: undefined as number | undefined, alive: true });

describe('DeadlineQueue', () => {
  it('pops live owners in deadline order and skips moved or dead ones', () => {
    const q = new DeadlineQueue<ReturnType<typeof owner>>();
    const [a, b, c, d] = [owner(), owner(), owner(), owner()];
    q.set(a, 30);
    q.set(b, 10);
    q.set(c, 20);
    q.set(d, 5);
    q.set(a, 15); // moved earlier: the 30 entry is stale
    q.set(c, 40); // moved later: the 20 entry is stale
    d.alive = false;
    expect(q.popDue(25)).toEqual([b, a]);
    expect(b.due).toBeUndefined();
    expect(q.popDue(39)).toEqual([]);
    expect(q.popDue(40)).toEqual([c]);
    expect(q.size).toBe(0);
  });

  it('clearing a deadline takes the owner out at once, wherever it sits', () => {
    const q = new DeadlineQueue<ReturnType<typeof owner>>();
    const os = Array.from({ length: 9 }, owner);
    os.forEach((o, i) => q.set(o, 100 - i * 10));
    q.set(os[4]!, undefined);
    q.set(os[8]!, undefined); // the earliest
    expect(q.size).toBe(7);
    expect(q.peek()).toBe(30);
    expect(q.popDue(1000)).toEqual([7, 6, 5, 3, 2, 1, 0].map((i) => os[i]));
  });

  it('matches a sorted list on random workloads, holding each owner at most once', () => {
    const prng = new Prng(7);
    const q = new DeadlineQueue<ReturnType<typeof owner>>();
    const owners = Array.from({ length: 50 }, owner);
    let now = 0;
    for (let step = 0; step < 5000; step++) {
      const o = owners[Math.floor(prng.next() * owners.length)]!;
      q.set(o, prng.chance(0.1) ? undefined : now + Math.floor(prng.next() * 100));
      expect(q.size).toBe(owners.filter((x) => x.due !== undefined).length);
      if (step % 10 === 0) {
        now += Math.floor(prng.next() * 30);
        const want = owners.filter((x) => x.due !== undefined && x.due <= now).sort((x, y) => x.due! - y.due!);
        const wantDue = want.map((x) => x.due);
        const got = q.popDue(now);
        expect(new Set(got)).toEqual(new Set(want));
        expect(got.length).toBe(want.length);
        // Popped in deadline order.
        expect(wantDue).toEqual([...wantDue].sort((x, y) => x! - y!));
        for (const x of got) expect(x.due).toBeUndefined();
      }
    }
  });
});

describe('peekHeader (RFC 2661 §3.1 layout) on real xl2tpd messages', () => {
  const plain = loadHex('plain');
  it('reads Tunnel ID and Nr as tshark decodes them', () => {
    // vectors/plain.summary.txt: #1 SCCRQ tid=0 nr=0; #2 SCCRP tid=46452 nr=1; #3 SCCCN tid=49981 nr=1 (len 20).
    expect(peekHeader(plain[0]!.bytes)).toEqual({ control: true, tunnelId: 0, nr: 0, zlb: false });
    expect(peekHeader(plain[1]!.bytes)).toEqual({ control: true, tunnelId: 46452, nr: 1, zlb: false });
    expect(peekHeader(plain[2]!.bytes)).toMatchObject({ control: true, tunnelId: 49981, nr: 1 });
  });

  it('reads a data message with and without the Length field', () => {
    const data = loadHex('data').map((f) => f.bytes).filter((b) => (b[0]! & 0x80) === 0);
    // data.summary.txt #10, #11: DATA flags 0x4002 (L=1), tid=7524 and tid=20860.
    expect(data.map((b) => peekHeader(b))).toEqual([
      { control: false, tunnelId: 7524, nr: -1, zlb: false },
      { control: false, tunnelId: 20860, nr: -1, zlb: false },
    ]);
    // Without L: flags 0x0002, Tunnel ID 0x1234 right after the flags word.
    expect(peekHeader(Uint8Array.of(0x00, 0x02, 0x12, 0x34, 0x00, 0x01))).toMatchObject({ control: false, tunnelId: 0x1234 });
  });

  it('refuses what cannot be L2TPv2: short, version 3, control without L or S', () => {
    expect(peekHeader(Uint8Array.of(0xc8, 0x02, 0, 12))).toBeUndefined();
    expect(peekHeader(Uint8Array.of(0xc8, 0x03, 0, 12, 0, 0, 0, 1, 0, 0, 0, 0))).toBeUndefined();
    expect(peekHeader(Uint8Array.of(0x88, 0x02, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0))).toBeUndefined();
    expect(peekHeader(Uint8Array.of(0xc0, 0x02, 0, 12, 0, 1, 0, 0, 0, 0, 0, 0))).toBeUndefined();
  });

  it('compares Nr modulo 2^16 (RFC 2661 §5.8)', () => {
    expect(serialAtOrAfter(5, 5)).toBe(true);
    expect(serialAtOrAfter(6, 5)).toBe(true);
    expect(serialAtOrAfter(4, 5)).toBe(false);
    expect(serialAtOrAfter(0, 0xffff)).toBe(true);
    expect(serialAtOrAfter(0xffff, 0)).toBe(false);
  });
});
