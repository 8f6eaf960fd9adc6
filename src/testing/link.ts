/**
 * One direction of a simulated datagram link with virtual time: seeded loss, duplication,
 * delay and reordering.
 */
import { assertBytes } from '../wire/bytes.js';
import { Prng } from './prng.js';

/** How a {@link SimulatedLink} mistreats datagrams. Probabilities in [0, 1], times in ms. */
export interface LinkOptions {
  /** Probability a datagram is dropped. Default 0. */
  loss?: number;
  /** Probability a datagram that is not dropped arrives twice (each copy delayed independently). Default 0. */
  duplicate?: number;
  /** Probability a datagram is held back by up to `reorderDelay` more, so later ones overtake it. Default 0. */
  reorder?: number;
  /** Fixed one-way delay. Default 0. */
  delay?: number;
  /** Extra delay, uniform in [0, jitter]. Default 0. */
  jitter?: number;
  /** Most extra delay of a reordered datagram. Default 500. */
  reorderDelay?: number;
}

/** Counters of a {@link SimulatedLink}. */
export interface LinkStats {
  /** Datagrams handed to the link. */
  sent: number;
  dropped: number;
  duplicated: number;
  /** Datagrams handed out at the far end (duplicates counted). */
  delivered: number;
}

interface Pending {
  at: number;
  order: number;
  bytes: Uint8Array;
}

function probability(v: unknown, what: string): number {
  if (v === undefined) return 0;
  if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw new RangeError(`${what} must be a probability from 0 to 1, got ${String(v)}`);
  return v;
}

function duration(v: unknown, what: string, dflt: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new RangeError(`${what} must be a finite number of milliseconds ≥ 0, got ${String(v)}`);
  return v;
}

/**
 * A one-way lossy link. `send` copies the datagram (as a real network does: the sender may
 * reuse its bytes), and `receive(now)` hands out whatever has arrived by `now`, earliest first
 * (ties in sending order). Deterministic for a given {@link Prng}.
 * @example
 * ```ts
 * const link = new SimulatedLink({ loss: 0.1, delay: 20, jitter: 5 }, new Prng(1));
 * link.send(hello({ tunnelId: 9 }), 0);
 * const arrived = link.receive(100); // the HELLO, unless it was dropped
 * ```
 */
export class SimulatedLink {
  readonly stats: LinkStats = { sent: 0, dropped: 0, duplicated: 0, delivered: 0 };
  private readonly loss: number;
  private readonly duplicate: number;
  private readonly reorder: number;
  private readonly delay: number;
  private readonly jitter: number;
  private readonly reorderDelay: number;
  private readonly heap: Pending[] = [];
  private order = 0;
  /**
   * With a constant delay (no jitter, no reordering) arrivals keep sending order, so a FIFO
   * replaces the heap: the common lossless case stays cheap.
   */
  private readonly fifo: boolean;
  private fifoHead = 0;

  /** @throws `RangeError` for an option out of range. */
  constructor(
    options: LinkOptions,
    private readonly random: Prng,
  ) {
    this.loss = probability(options.loss, 'loss');
    this.duplicate = probability(options.duplicate, 'duplicate');
    this.reorder = probability(options.reorder, 'reorder');
    this.delay = duration(options.delay, 'delay', 0);
    this.jitter = duration(options.jitter, 'jitter', 0);
    this.reorderDelay = duration(options.reorderDelay, 'reorderDelay', 500);
    this.fifo = this.jitter === 0 && this.reorder === 0;
  }

  /** Datagrams on the way. */
  get pending(): number {
    return this.heap.length - this.fifoHead;
  }

  /** Put a datagram on the link at time `now`. */
  send(bytes: Uint8Array, now: number): void {
    assertBytes(bytes);
    this.stats.sent++;
    if (this.random.chance(this.loss)) {
      this.stats.dropped++;
      return;
    }
    this.enqueue(bytes.slice(), now);
    if (this.random.chance(this.duplicate)) {
      this.stats.duplicated++;
      this.enqueue(bytes.slice(), now);
    }
  }

  /** Arrival time of the next datagram, or `undefined` when the link is empty. */
  nextArrival(): number | undefined {
    return this.heap.length === this.fifoHead ? undefined : this.heap[this.fifoHead]!.at;
  }

  /** The next datagram that has arrived by `now`, or `undefined`. */
  receive(now: number): Uint8Array | undefined {
    const heap = this.heap;
    if (this.fifo) {
      const next = heap[this.fifoHead];
      if (next === undefined || next.at > now) return undefined;
      if (++this.fifoHead === heap.length) heap.length = this.fifoHead = 0;
      this.stats.delivered++;
      return next.bytes;
    }
    if (heap.length === 0 || heap[0]!.at > now) return undefined;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      this.down(0);
    }
    this.stats.delivered++;
    return top.bytes;
  }

  private enqueue(bytes: Uint8Array, now: number): void {
    let at = now + this.delay + this.random.upTo(this.jitter);
    if (this.random.chance(this.reorder)) at += this.random.upTo(this.reorderDelay);
    const heap = this.heap;
    heap.push({ at, order: this.order++, bytes });
    if (this.fifo) return;
    let i = heap.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(heap[i]!, heap[p]!)) break;
      const t = heap[i]!;
      heap[i] = heap[p]!;
      heap[p] = t;
      i = p;
    }
  }

  private down(i: number): void {
    const heap = this.heap;
    const n = heap.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && before(heap[l]!, heap[m]!)) m = l;
      if (r < n && before(heap[r]!, heap[m]!)) m = r;
      if (m === i) return;
      const t = heap[i]!;
      heap[i] = heap[m]!;
      heap[m] = t;
      i = m;
    }
  }
}

function before(a: Pending, b: Pending): boolean {
  return a.at < b.at || (a.at === b.at && a.order < b.order);
}
