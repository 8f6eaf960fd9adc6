/**
 * The object every Sequencer call returns: what to transmit, deliver and acknowledge now.
 * One per Sequencer, reset at each call (a call allocates nothing for its answer).
 * @internal
 */
import type { SequencerOutput } from './types.js';

/** @internal */
export class Output<T> implements SequencerOutput<T> {
  transmit: Uint8Array[] = [];
  deliver: T[] = [];
  ack = false;
  ackNs = 0;
  ackNr = 0;
  failed = false;
  closed = false;

  /** Ready for the next call: nothing to transmit, deliver or ack. */
  reset(): this {
    if (this.transmit.length !== 0) this.transmit.length = 0;
    if (this.deliver.length !== 0) this.deliver.length = 0;
    this.ack = false;
    this.failed = false;
    this.closed = false;
    return this;
  }
}
