/**
 * Live progress for long waits, from the messages as they pass: after each message we send,
 * what we wait for ("waiting for SCCRP…"), and each retransmission of the same Ns
 * ("retransmit 2/5", RFC 2661 §5.8). Only drawn on a terminal (see {@link StatusLine}).
 *
 * The driver has no retransmission event in its public API; a retransmission is recognised on
 * the wire instead: a control message sent again with an Ns already sent on that tunnel.
 */
import { parseControl } from '../index.js';
import type { Recorded } from './recording.js';

/** The reply each request waits for (RFC 2661 §7.2.1 control connection, §7.4.1 incoming calls). */
const REPLY: Record<number, string> = {
  1: 'SCCRP', // SCCRQ
  2: 'SCCCN', // SCCRP
  7: 'OCRP', // OCRQ
  8: 'OCCN', // OCRP
  10: 'ICRP', // ICRQ
  11: 'ICCN', // ICRP
};

/** Follows the exchange and says what we are waiting for. Pure: fed records, returns text. */
export class Progress {
  private readonly sent = new Map<string, number>();
  /** What we wait for now, or undefined. */
  status: string | undefined;
  /** Monotonic ms (record `at`) when the current wait started. */
  since = 0;

  constructor(
    /** Retransmissions before the driver gives up (the `maxRetransmissions` it was given). */
    readonly maxRetransmissions: number,
  ) {}

  /** Feed one record; returns the new status (undefined: nothing to wait for). */
  update(r: Recorded): string | undefined {
    if (r.direction === 'received') {
      this.status = undefined;
      return undefined;
    }
    try {
      const m = parseControl(r.bytes, { requireAvps: false });
      if (m.isZlb) return this.status;
      const key = `${m.tunnelId}:${m.ns}`;
      const times = (this.sent.get(key) ?? 0) + 1;
      this.sent.set(key, times);
      const what = REPLY[m.type] ?? `the acknowledgement of our ${m.typeName}`;
      if (times === 1) this.since = r.at;
      this.status = `waiting for ${what}…${times > 1 ? ` retransmit ${times - 1}/${this.maxRetransmissions}` : ''}`;
      return this.status;
    } catch {
      return this.status;
    }
  }
}

/** Where a status line is drawn: a terminal's stderr. */
export interface Tty {
  write(text: string): void;
}

/**
 * One line at the bottom of a terminal, redrawn in place (carriage return + erase line); other
 * lines printed through {@link log} go above it. Leaves nothing behind once {@link clear}ed.
 */
export class StatusLine {
  private text: string | undefined;
  constructor(private readonly tty: Tty) {}

  show(text: string | undefined): void {
    this.text = text;
    this.tty.write(`\r\x1b[K${text ?? ''}`);
  }

  /** Print `line` above the status line. */
  log(line: string): void {
    this.tty.write(`\r\x1b[K${line}\n${this.text ?? ''}`);
  }

  clear(): void {
    if (this.text !== undefined) this.tty.write('\r\x1b[K');
    this.text = undefined;
  }
}
