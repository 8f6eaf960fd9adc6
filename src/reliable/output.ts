/**
 * The object every Sequencer call returns: what to transmit, deliver and acknowledge now.
 * One per Sequencer, reset at each call. Its two lists are one shared frozen empty array until
 * something goes in them, and go back to it at the next call: an idle Sequencer holds no list
 * of its own (issue 16: memory per idle tunnel), and a call with nothing to say allocates nothing.
 * @internal
 */
import type { SequencerOutput } from './types.js';

/** The empty list of every output with nothing in it; frozen, so it is never written. */
const NONE: never[] = Object.freeze([]) as unknown as never[];

/** @internal */
export class Output<T> implements SequencerOutput<T> {
  transmit: Uint8Array[] = NONE;
  deliver: T[] = NONE;
  ack = false;
  ackNs = 0;
  ackNr = 0;
  failed = false;
  closed = false;

  /** Ready for the next call: nothing to transmit, deliver or ack. */
  reset(): this {
    if (this.transmit !== NONE) this.transmit = NONE;
    if (this.deliver !== NONE) this.deliver = NONE;
    this.ack = false;
    this.failed = false;
    this.closed = false;
    return this;
  }

  /** Put a message on the transmit list (its own array from the first one on). */
  sendNow(bytes: Uint8Array): void {
    if (this.transmit === NONE) this.transmit = [bytes];
    else this.transmit.push(bytes);
  }

  /** Put a received message on the deliver list (its own array from the first one on). */
  hand(message: T): void {
    if (this.deliver === NONE) this.deliver = [message];
    else this.deliver.push(message);
  }
}
