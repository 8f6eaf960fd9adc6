/**
 * One timer for a whole LNS: a binary min-heap of owners by deadline. A thousand tunnels cost
 * one `setTimeout`, not a thousand.
 *
 * Each owner keeps its deadline in `due` and its place in the heap in `slot`, so moving or
 * removing a deadline re-sorts that one owner (O(log n)) and the heap holds each owner at most
 * once: no entry object per deadline and no stale entries (issue 16: a tunnel's deadline moves
 * several times while it opens, and every stale entry was ~50 B until compacted).
 * @internal
 */

/** Something with at most one pending deadline. */
export interface DeadlineOwner {
  /** The owner's current deadline (same clock as the queue's), or `undefined` for none. */
  due: number | undefined;
  /** False once the owner is gone: it is skipped if still queued. */
  alive: boolean;
  /** Where it sits in the queue's heap (managed by the queue; absent or -1 when not queued). */
  slot?: number;
}

/** @internal */
export class DeadlineQueue<T extends DeadlineOwner> {
  private heap: T[] = [];

  /** Owners queued. */
  get size(): number {
    return this.heap.length;
  }

  /** The earliest deadline, or `undefined` when empty. */
  peek(): number | undefined {
    return this.heap[0]?.due;
  }

  /** Set (or with `undefined` clear) the owner's deadline. */
  set(owner: T, at: number | undefined): void {
    if (owner.due === at) return;
    owner.due = at;
    const i = owner.slot ?? -1;
    if (at === undefined) {
      if (i >= 0) this.removeAt(i);
    } else if (i < 0) {
      this.heap.push(owner);
      this.up(this.heap.length - 1);
    } else {
      this.up(i);
      this.down(owner.slot!);
    }
  }

  /** Remove and return, earliest first, the live owners due at `now`; their `due` is cleared. */
  popDue(now: number): T[] {
    const out: T[] = [];
    const h = this.heap;
    while (h.length !== 0 && h[0]!.due! <= now) {
      const o = h[0]!;
      this.removeAt(0);
      o.due = undefined;
      if (o.alive) out.push(o);
    }
    return out;
  }

  /** Forget every owner. */
  clear(): void {
    for (const o of this.heap) o.slot = -1;
    this.heap = [];
  }

  private removeAt(i: number): void {
    const h = this.heap;
    h[i]!.slot = -1;
    const last = h.pop()!;
    if (i === h.length) return;
    h[i] = last;
    last.slot = i;
    this.up(i);
    this.down(last.slot);
  }

  private up(i: number): void {
    const h = this.heap;
    const o = h[i]!;
    const at = o.due!;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = h[p]!;
      if (parent.due! <= at) break;
      h[i] = parent;
      parent.slot = i;
      i = p;
    }
    h[i] = o;
    o.slot = i;
  }

  private down(i: number): void {
    const h = this.heap;
    const n = h.length;
    const o = h[i]!;
    const at = o.due!;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && h[r]!.due! < h[l]!.due! ? r : l;
      const child = h[c]!;
      if (child.due! >= at) break;
      h[i] = child;
      child.slot = i;
      i = c;
    }
    h[i] = o;
    o.slot = i;
  }
}
