/**
 * Receive-side sequence checking of one L2TPv3 session's data (RFC 3931 §4.6, §4.6.1 and
 * Appendix C "Processing Sequence Numbers"). Pure: no clocks, no I/O.
 *
 * The rules, from the RFC:
 * - §4.6: 24-bit numbers, zero included; a number "is considered less than or equal to the last
 *   received number if its value lies in the range of the last received number and the preceding
 *   (2^23-1) values" — so the half of the space ahead of the expected number is "new".
 * - Appendix C: "any packet with a sequence number equal to or greater than the current expected
 *   packet (the last received in-order packet plus one) should be considered 'new' and accepted.
 *   All other packets are considered 'old' or 'duplicate' and discarded." The window of "new"
 *   numbers "SHOULD be configurable with a default equal to one half the size of the available
 *   number space". A new packet ahead of the expected one is delivered at once (we do not hold
 *   packets back: "dropping out-of-order packets alone should suffice").
 * - Appendix C: "All new sessions MUST begin sending sequence numbers at zero", so the first
 *   expected number is 0.
 * - Appendix C: after an outage or a peer that lost its sequence state, in-order packets look
 *   old; "one MUST inspect the sequence numbers of packets dropped due to being classified as
 *   'old' and reset the expected sequence number accordingly ... counting the number of 'old'
 *   packets dropped that were in sequence among themselves and, upon reaching a threshold,
 *   resetting the next expected sequence number" — the threshold "MUST be configurable".
 *
 * "Old" packets are told apart for the counters: a number received before (remembered for the
 * last {@link RECENT} numbers) is a duplicate, any other old one arrived out of order.
 */
import { L2SS_SEQUENCE_MODULUS } from '../wire/l2ss.js';

/** How many recent sequence numbers are remembered to tell a duplicate from a late packet. */
const RECENT = 64;

/** What {@link SequenceWindow.check} decided about one sequence number. */
export type SequenceVerdict =
  /** New (the expected number or ahead of it): deliver. `skipped` numbers were jumped over. */
  | { readonly accept: true; readonly skipped: number; readonly resynchronised: boolean }
  /** Old: drop. */
  | { readonly accept: false; readonly duplicate: boolean };

/** @internal The expected-number state of one receiving session (RFC 3931 Appendix C). */
export class SequenceWindow {
  private expected = 0;
  private readonly recent = new Int32Array(RECENT).fill(-1);
  private lastOld = -1;
  private oldRun = 0;

  /**
   * @param window - how many numbers from the expected one on count as new (default 2^23).
   * @param resyncAfter - how many old packets in sequence among themselves reset the expected number.
   */
  constructor(
    private readonly window: number,
    private readonly resyncAfter: number,
  ) {}

  /** The next sequence number expected. */
  get next(): number {
    return this.expected;
  }

  check(seq: number): SequenceVerdict {
    const ahead = (seq - this.expected + L2SS_SEQUENCE_MODULUS) % L2SS_SEQUENCE_MODULUS;
    if (ahead < this.window) {
      this.accept(seq);
      return { accept: true, skipped: ahead, resynchronised: false };
    }
    const duplicate = this.recent[seq % RECENT] === seq;
    this.oldRun = this.lastOld >= 0 && seq === (this.lastOld + 1) % L2SS_SEQUENCE_MODULUS ? this.oldRun + 1 : 1;
    this.lastOld = seq;
    // Duplicates never resynchronise: a replayed run must not move the window back.
    if (!duplicate && this.oldRun >= this.resyncAfter) {
      this.accept(seq);
      return { accept: true, skipped: 0, resynchronised: true };
    }
    return { accept: false, duplicate };
  }

  private accept(seq: number): void {
    this.expected = (seq + 1) % L2SS_SEQUENCE_MODULUS;
    this.recent[seq % RECENT] = seq;
    this.oldRun = 0;
    this.lastOld = -1;
  }
}
