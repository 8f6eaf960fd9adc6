/**
 * One timer for a whole LNS: a binary min-heap of `(deadline, owner)` entries with lazy
 * deletion. A thousand tunnels cost one `setTimeout`, not a thousand.
 *
 * Each owner keeps its current deadline in `due`; an entry is live only while
 * `entry.at === owner.due`, so moving a deadline is a push (O(log n)) and the old entry is
 * discarded when it surfaces. {@link DeadlineQueue.compact} bounds the stale entries.
 * @internal
 */

/** Something with at most one pending deadline. */
export interface DeadlineOwner {
  /** The owner's current deadline (same clock as the queue's), or `undefined` for none. */
  due: number | undefined;
  /** False once the owner is gone: its entries are stale. */
  alive: boolean;
}

interface Entry<T> {
  at: number;
  owner: T;
}

/** @internal */
export class DeadlineQueue<T extends DeadlineOwner> {
  private heap: Entry<T>[] = [];

  /** Entries held, stale ones included. */
  get size(): number {
    return this.heap.length;
  }

  /** Earliest deadline held (possibly stale), or `undefined`. */
  peek(): number | undefined {
    return this.heap[0]?.at;
  }

  /** Set `owner.due` to `at` and queue it; `undefined` only clears the deadline. */
  set(owner: T, at: number | undefined): void {
    if (owner.due === at) return;
    owner.due = at;
    if (at !== undefined) this.push({ at, owner });
  }

  /**
   * Remove and return every live owner whose deadline is at or before `now`, clearing its `due`
   * (the caller ticks it and sets the next one).
   */
  popDue(now: number): T[] {
    const out: T[] = [];
    const h = this.heap;
    while (h.length !== 0 && h[0]!.at <= now) {
      const e = this.pop();
      if (e.owner.alive && e.owner.due === e.at) {
        e.owner.due = undefined;
        out.push(e.owner);
      }
    }
    return out;
  }

  /** Drop stale entries when they outnumber the live owners (keeps memory bounded). */
  compact(liveOwners: number): void {
    if (this.heap.length <= 2 * liveOwners + 64) return;
    const live = this.heap.filter((e) => e.owner.alive && e.owner.due === e.at);
    this.heap = [];
    for (const e of live) this.push(e);
  }

  clear(): void {
    this.heap = [];
  }

  private push(e: Entry<T>): void {
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (h[p]!.at <= e.at) break;
      h[i] = h[p]!;
      i = p;
    }
    h[i] = e;
  }

  private pop(): Entry<T> {
    const h = this.heap;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length !== 0) {
      let i = 0;
      const n = h.length;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && h[r]!.at < h[l]!.at ? r : l;
        if (h[c]!.at >= last.at) break;
        h[i] = h[c]!;
        i = c;
      }
      h[i] = last;
    }
    return top;
  }
}
