/**
 * What goes into and comes out of a {@link Sequencer}.
 */

/**
 * The least a received control message must tell the Sequencer: the owner parses it
 * (`parseControl`, or `parseHeader` for a header-only view) and passes the record in.
 */
export interface ReceivedControl {
  /** Ns from the header. */
  readonly ns: number;
  /** Nr from the header: the peer acknowledges everything before it. */
  readonly nr: number;
  /**
   * An ack-only message: a ZLB (control header, no AVPs; RFC 2661 §5.8) or an L2TPv3
   * Explicit Acknowledgement, message type 20 (RFC 3931 §4.2). Its Nr is processed; it is
   * never sequenced, held, delivered or acknowledged.
   */
  readonly isZlb: boolean;
}

/**
 * The actions of one Sequencer call. The same object is reused by every call on the same
 * Sequencer, so act on it (or copy it) before the next call.
 */
export interface SequencerOutput<T> {
  /**
   * Messages to put on the wire now, in order, with Ns and Nr already written. These are the
   * caller's own arrays (the Sequencer owns them once passed to `send`), not copies: a later
   * call may rewrite their Nr for a retransmission, so transmit (or copy) them right away.
   */
  readonly transmit: readonly Uint8Array[];
  /** Newly received messages, exactly once each and in Ns order, for the state machine. */
  readonly deliver: readonly T[];
  /**
   * Send an ack-only message now (a ZLB, or an ACK when the `ackMessage` option is `'ack'`)
   * with {@link ackNs} and {@link ackNr} in its header. Never set when `transmit` is non-empty:
   * those messages already carry the ack.
   */
  readonly ack: boolean;
  /** Ns for the ack: the next Ns we will send (a ZLB does not consume it). */
  readonly ackNs: number;
  /** Nr for the ack: the next Ns we expect from the peer. */
  readonly ackNr: number;
  /**
   * Set by the call in which a message's retransmission budget ran out: the control
   * connection has failed (RFC 2661 §5.8: the tunnel and its sessions MUST be cleared).
   */
  readonly failed: boolean;
  /** Set by the call in which a {@link Sequencer.close | closing} Sequencer finished lingering. */
  readonly closed: boolean;
}

/** Lifecycle of a Sequencer. */
export type SequencerState = 'open' | 'closing' | 'closed';
