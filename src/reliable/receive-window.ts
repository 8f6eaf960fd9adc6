/**
 * The receive side of a Sequencer (RFC 2661 §5.8): the next Ns expected (our Nr), and the
 * out-of-order messages held inside our receive window until the gap before them fills.
 * @internal
 */
import { MAX_WINDOW } from './serial.js';

/** What became of one received sequenced message. @internal */
export type Verdict = 'delivered' | 'duplicate' | 'held' | 'dropped';

/** @internal */
export class ReceiveWindow<T> {
  /** Next Ns expected from the peer: the Nr we send. */
  nr: number;
  /** Messages held out of order. */
  count = 0;
  /** Out-of-order messages, indexed from the slot of `nr`; allocated on first use. */
  private hold: (T | undefined)[] | undefined;
  private head = 0;

  constructor(
    /** Our receive window (1 to 32768): at most `size - 1` messages are held. */
    private readonly size: number,
    initialNr: number,
  ) {
    this.nr = initialNr;
  }

  /**
   * A message with sequence number `ns`: the expected one is appended to `deliver` with every
   * held successor (in order); one ahead inside the window is held; one up to 32768 behind
   * (modulo 2^16) is a duplicate, whose ack was lost; anything else is beyond the window.
   */
  accept(message: T, ns: number, deliver: { hand(message: T): void }): Verdict {
    const ahead = (ns - this.nr) & 0xffff;
    if (ahead === 0) {
      this.deliverInOrder(message, deliver);
      return 'delivered';
    }
    // Serial arithmetic: half the space behind is the past (§5.8 "modulo 2**16").
    if (ahead >= MAX_WINDOW) return 'duplicate';
    const w = this.size;
    if (ahead >= w) return 'dropped';
    const held = (this.hold ??= new Array<T | undefined>(w).fill(undefined));
    const slot = (this.head + ahead) % w;
    if (held[slot] === undefined) {
      held[slot] = message;
      this.count++;
    }
    return 'held';
  }

  private deliverInOrder(message: T, deliver: { hand(message: T): void }): void {
    const w = this.size;
    deliver.hand(message);
    this.nr = (this.nr + 1) & 0xffff;
    this.head = (this.head + 1) % w;
    const held = this.hold;
    if (held === undefined) return;
    let next: T | undefined;
    while (this.count > 0 && (next = held[this.head]) !== undefined) {
      held[this.head] = undefined;
      this.count--;
      deliver.hand(next);
      this.nr = (this.nr + 1) & 0xffff;
      this.head = (this.head + 1) % w;
    }
  }
}
