/**
 * Data channel sequencing of one session (RFC 2661 §5.4): the Ns we put on our data messages,
 * the Ns we expect from the peer, and who decides whether sequence numbers are sent. Pure: no
 * clocks, no IO; one instance per session, owned by the session table.
 *
 * The rules, from RFC 2661:
 * - §5.4: if Sequencing Required (AVP 39, carried only in ICCN and OCCN, i.e. sent by the LAC)
 *   was present at session setup, sequence numbers MUST be present on data messages at all times.
 * - §5.4: otherwise the LNS decides, by sending data with or without them: "if the LAC receives a
 *   data message without sequence numbers present, it MUST stop sending sequence numbers in future
 *   data messages. If the LAC receives a data message with sequence numbers present, it MUST begin
 *   sending sequence numbers in future outgoing data messages"; when the LNS re-enables them, "the
 *   sequence number state picks up where it left off before".
 * - §3.1: Ns starts at 0 and counts modulo 2^16; in data messages Nr is reserved and ignored on
 *   receipt (we send 0).
 * - §5.4 sequence numbers on the data channel detect lost and reordered packets: a data message
 *   whose Ns is behind the next one expected (a duplicate, or one overtaken by a later one) is
 *   old data and is dropped; a jump ahead counts the skipped numbers as lost and is delivered.
 */

/** How a side treats data sequencing (`TunnelOptions.dataSequencing`). */
export type DataSequencingMode = 'off' | 'on' | 'required';

/** Counters of one session's data channel. Survives JSON.stringify. */
export interface DataSequenceStats {
  /** Whether our next data message carries Ns/Nr. */
  readonly sending: boolean;
  /** Sequencing Required was present at session setup (sent or received). */
  readonly required: boolean;
  /** Data messages we sent, and how many of them carried Ns. */
  readonly sent: number;
  readonly sentSequenced: number;
  /** Data messages received and delivered, and how many of those carried Ns. */
  readonly received: number;
  readonly receivedSequenced: number;
  /** Received with Ns behind the next expected (duplicate or reordered): dropped, not delivered. */
  readonly dropped: number;
  /** Ns values skipped by a jump ahead: data lost (or still to come, and then dropped as old). */
  readonly lost: number;
}

/** Half the sequence space: a difference at least this large is "behind" (RFC 1982 style). */
const HALF = 0x8000;

/** @internal The data sequencing state of one session. */
export class DataSequence {
  private ns = 0;
  private expected: number | undefined;
  private on: boolean;
  private must: boolean;
  // The counters as fields, not an object of them: one object per session instead of two (issue 16).
  private sent = 0;
  private sentSequenced = 0;
  private received = 0;
  private receivedSequenced = 0;
  private dropped = 0;
  private lost = 0;

  /**
   * @param lac - we are the LAC of this call (and so follow the LNS, §5.4).
   * @param mode - our option: `'on'` starts sending Ns (an LNS enables sequencing that way);
   *   `'required'` also makes a LAC send Sequencing Required in its ICCN/OCCN.
   */
  constructor(
    private readonly lac: boolean,
    mode: DataSequencingMode,
  ) {
    this.on = mode !== 'off';
    this.must = lac && mode === 'required';
  }

  /** Sequencing Required was sent or received at session setup: Ns on every data message (§5.4). */
  require(): void {
    this.must = true;
    this.on = true;
  }

  get required(): boolean {
    return this.must;
  }

  /** The Ns for our next data message, or undefined to send it without sequence numbers. */
  nextNs(): number | undefined {
    this.sent++;
    if (!this.on) return undefined;
    this.sentSequenced++;
    const ns = this.ns;
    this.ns = (ns + 1) & 0xffff;
    return ns;
  }

  /** A data message arrived with this Ns (undefined: S=0). Returns whether to deliver it. */
  receive(ns: number | undefined): boolean {
    // §5.4: a LAC follows the LNS, unless Sequencing Required fixed sequencing on.
    if (this.lac && !this.must) this.on = ns !== undefined;
    if (ns !== undefined) {
      if (this.expected !== undefined) {
        const ahead = (ns - this.expected) & 0xffff;
        if (ahead >= HALF) {
          this.dropped++;
          return false;
        }
        this.lost += ahead;
      }
      this.expected = (ns + 1) & 0xffff;
      this.receivedSequenced++;
    }
    this.received++;
    return true;
  }

  stats(): DataSequenceStats {
    return {
      sending: this.on,
      required: this.must,
      sent: this.sent,
      sentSequenced: this.sentSequenced,
      received: this.received,
      receivedSequenced: this.receivedSequenced,
      dropped: this.dropped,
      lost: this.lost,
    };
  }
}
