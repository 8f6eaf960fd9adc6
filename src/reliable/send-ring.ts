/**
 * The send side's queue of one Sequencer: every control message not yet acknowledged, oldest
 * first (RFC 2661 §5.8: a message stays until the peer's Nr covers it), first the ones already
 * sent, then the ones waiting for room in the window.
 *
 * Memory (issue 16): an idle control connection has nothing unacknowledged, and most tunnels of
 * a busy LNS are idle, so the ring is allocated on the first message and given back as soon as
 * the last one is acknowledged; an empty ring is one shared zero-length array.
 * @internal
 */

/** The ring of every empty queue; never written (a push onto it allocates a real one). */
const EMPTY: (Uint8Array | undefined)[] = [];

/** @internal */
export class SendRing {
  /** Length 0 (shared, empty) or a power of two. */
  private ring = EMPTY;
  private head = 0;
  /** Messages held. */
  count = 0;

  /** Append a message at the end of the queue. */
  push(bytes: Uint8Array): void {
    let ring = this.ring;
    if (this.count === ring.length) {
      const grown: (Uint8Array | undefined)[] = new Array(ring.length === 0 ? 4 : ring.length * 2).fill(undefined);
      for (let i = 0; i < this.count; i++) grown[i] = ring[(this.head + i) & (ring.length - 1)];
      this.ring = ring = grown;
      this.head = 0;
    }
    ring[(this.head + this.count) & (ring.length - 1)] = bytes;
    this.count++;
  }

  /** The message `offset` places after the oldest (`offset < count`). */
  at(offset: number): Uint8Array {
    return this.ring[(this.head + offset) & (this.ring.length - 1)]!;
  }

  /** Drop the `n` oldest messages (acknowledged); the ring goes once empty. */
  shift(n: number): void {
    if (n >= this.count) return this.clear();
    const ring = this.ring;
    const mask = ring.length - 1;
    for (let i = 0; i < n; i++) ring[(this.head + i) & mask] = undefined;
    this.head = (this.head + n) & mask;
    this.count -= n;
  }

  /** Drop everything. */
  clear(): void {
    this.ring = EMPTY;
    this.head = 0;
    this.count = 0;
  }
}
