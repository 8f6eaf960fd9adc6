/**
 * The send window: the peer's Receive Window Size (flow control, RFC 2661 §5.8) and, in `'rfc'`
 * mode, the congestion window of RFC 2661 Appendix A.
 *
 * Appendix A in short: CWND starts at 1 and SSTHRESH at the peer's window. While CWND < SSTHRESH
 * (slow start) each acknowledged message adds 1 to CWND; from there on (congestion avoidance)
 * each acknowledged message adds 1/CWND, i.e. CWND grows by 1 after CWND acks. CWND never exceeds
 * the peer's window. A retransmission is a congestion signal: SSTHRESH becomes half of CWND
 * (at least 1) and CWND restarts at 1.
 */
import { MAX_WINDOW } from './serial.js';
import type { CongestionMode } from './options.js';

/** @internal Mutable window state; one per Sequencer. */
export class SendWindow {
  /** The peer's Receive Window Size, capped at {@link MAX_WINDOW}. */
  peer: number;
  /** CWND (Appendix A). */
  cwnd: number;
  /** SSTHRESH (Appendix A). */
  ssthresh: number;
  /** Acks counted toward the next +1 in congestion avoidance (the 1/CWND fraction). */
  private acks = 0;
  /** Whether a retransmission has happened (SSTHRESH then reflects congestion, not the peer). */
  private lossSeen = false;

  constructor(
    readonly mode: CongestionMode,
    peerWindow: number,
  ) {
    this.peer = Math.min(peerWindow, MAX_WINDOW);
    this.cwnd = 1;
    this.ssthresh = this.peer;
  }

  /** How many unacknowledged messages may be outstanding now. */
  size(): number {
    if (this.mode === 'rfc') return this.cwnd;
    return this.mode === 'fixed' ? this.peer : 1;
  }

  /** `n` more messages were acknowledged (Appendix A counts each one as an ACK). */
  onAck(n: number): void {
    if (this.mode !== 'rfc') return;
    let cwnd = this.cwnd;
    const cap = this.peer;
    for (let i = 0; i < n && cwnd < cap; i++) {
      if (cwnd < this.ssthresh) {
        cwnd++;
      } else if (++this.acks >= cwnd) {
        cwnd++;
        this.acks = 0;
      }
    }
    this.cwnd = cwnd;
  }

  /** A retransmission timeout fired: halve the threshold, restart slow start (Appendix A). */
  onTimeout(): void {
    if (this.mode !== 'rfc') return;
    this.ssthresh = Math.max(this.cwnd >>> 1, 1);
    this.cwnd = 1;
    this.acks = 0;
    this.lossSeen = true;
  }

  /** The peer's Receive Window Size arrived or changed. */
  setPeer(peerWindow: number): void {
    this.peer = Math.min(peerWindow, MAX_WINDOW);
    if (!this.lossSeen) this.ssthresh = this.peer;
    if (this.cwnd > this.peer) this.cwnd = this.peer;
    if (this.ssthresh > this.peer) this.ssthresh = this.peer;
  }
}
