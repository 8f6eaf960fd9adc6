/**
 * The peer's recent messages, kept to recognise their retransmissions (RFC 2661 §5.8: a
 * retransmission repeats the message, only Nr may change), in one flat array of numbers and
 * type names, {@link STRIDE} slots per message, oldest first: an object per message and an
 * array of them cost ~40 B more per message, and an LNS keeps a few per tunnel and per call
 * (issue 16: memory per tunnel). A rule sees a message through a {@link PeerCopy} view.
 * @internal
 */

/** Slots of one message in the flat array. */
const NS = 0;
const TYPE = 1;
const LENGTH = 2;
const HASH = 3;
const LAST_AT = 4;
const COUNT = 5;
const INTERVAL = 6;
const FLAGS = 7;
/** Slots per message. */
export const STRIDE = 8;
/** Bit of the FLAGS slot: the retransmission interval grew; the bits below it are `reported`. */
const GREW = 0x100;

/** The flat array: per message Ns, type name, body length, body hash, last arrival, count, last interval, flags. @internal */
export type CopyStore = (number | string)[];

/**
 * One message of the peer's in the store: a view, valid until the store changes (the rules of
 * one received message, then its bookkeeping). @internal
 */
export class PeerCopy {
  constructor(
    private readonly store: CopyStore,
    private readonly at: number,
  ) {}
  get ns(): number {
    return this.store[this.at + NS] as number;
  }
  get type(): string {
    return this.store[this.at + TYPE] as string;
  }
  /**
   * Everything after Ns/Nr (the AVPs), which a retransmission repeats byte for byte: its length
   * and FNV-1a hash (`bodyHash`). A changed body that keeps length and hash (one chance in 2^32)
   * goes unreported; the price of not keeping a copy of every message.
   */
  get bodyLength(): number {
    return this.store[this.at + LENGTH] as number;
  }
  get bodyHash(): number {
    return this.store[this.at + HASH] as number;
  }
  /** When the latest copy arrived. */
  get lastAt(): number {
    return this.store[this.at + LAST_AT] as number;
  }
  set lastAt(v: number) {
    this.store[this.at + LAST_AT] = v;
  }
  /** How many copies arrived so far (1: only the original). */
  get count(): number {
    return this.store[this.at + COUNT] as number;
  }
  set count(v: number) {
    this.store[this.at + COUNT] = v;
  }
  /** Interval between the last two copies (0 before the first retransmission). */
  get lastInterval(): number {
    return this.store[this.at + INTERVAL] as number;
  }
  set lastInterval(v: number) {
    this.store[this.at + INTERVAL] = v;
  }
  /** Whether the retransmission interval ever grew (exponential backoff seen). */
  get grew(): boolean {
    return ((this.store[this.at + FLAGS] as number) & GREW) !== 0;
  }
  set grew(v: boolean) {
    const f = this.store[this.at + FLAGS] as number;
    this.store[this.at + FLAGS] = v ? f | GREW : f & ~GREW;
  }
  /** Timing rules already reported for this Ns (each once): bits of `ONCE` (state.ts). */
  get reported(): number {
    return (this.store[this.at + FLAGS] as number) & (GREW - 1);
  }
  set reported(v: number) {
    const f = this.store[this.at + FLAGS] as number;
    this.store[this.at + FLAGS] = (f & GREW) | (v & (GREW - 1));
  }
}

/** The newest message with this Ns in the store, if any. */
export function findCopy(store: CopyStore | undefined, ns: number): PeerCopy | undefined {
  if (store === undefined) return undefined;
  for (let at = store.length - STRIDE; at >= 0; at -= STRIDE) if (store[at + NS] === ns) return new PeerCopy(store, at);
  return undefined;
}

/** The store with one more message (first copy at `now`), the oldest dropped past `max` messages. */
export function addCopy(store: CopyStore | undefined, max: number, ns: number, type: string, length: number, hash: number, now: number): CopyStore {
  const entry: CopyStore = [ns, type, length, hash, now, 1, 0, 0];
  // concat, not push: an array grown by push keeps ~16 spare slots (128 B), per tunnel.
  const next = store === undefined ? entry : store.concat(entry);
  if (next.length > max * STRIDE) next.splice(0, STRIDE);
  return next;
}

/** The store without the messages whose last copy is more than `age` before `now`; `undefined` when none is left. */
export function expireCopies(store: CopyStore | undefined, now: number, age: number): CopyStore | undefined {
  if (store === undefined) return undefined;
  let k = 0;
  while (k < store.length && now - (store[k + LAST_AT] as number) > age) k += STRIDE;
  if (k === store.length) return undefined;
  if (k > 0) store.splice(0, k);
  return store;
}

/** When {@link expireCopies} next drops something (the oldest message's last copy ages past `age`); `undefined` for no store. */
export function copiesDeadline(store: CopyStore | undefined, age: number): number | undefined {
  return store === undefined ? undefined : (store[LAST_AT] as number) + age + 1;
}
