/**
 * The send window: the peer's Receive Window Size (flow control, RFC 2661 §5.8) and, in `'rfc'`
 * mode, the congestion window of RFC 2661 Appendix A.
 *
 * Appendix A in short: CWND starts at 1 and SSTHRESH at the peer's window. While CWND < SSTHRESH
 * (slow start) each ACK received adds 1 to CWND; from there on (congestion avoidance) each ACK
 * adds 1/CWND, i.e. CWND grows by 1 after CWND ACKs. An ACK is one received message (ZLB or
 * piggybacked Nr) that acknowledges something new, however many messages it covers. CWND never exceeds
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

  /**
   * One ACK arrived that acknowledged something new (a ZLB or a piggybacked Nr). Appendix A:
   * "CWND is increased by 1 packet each time an ACK ... is received" in slow start, by 1/CWND
   * in congestion avoidance — per ACK, not per message it acknowledges.
   */
  onAck(): void {
    if (this.mode !== 'rfc') return;
    if (this.cwnd >= this.peer) return;
    if (this.cwnd < this.ssthresh) {
      this.cwnd++;
    } else if (++this.acks >= this.cwnd) {
      this.cwnd++;
      this.acks = 0;
    }
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
