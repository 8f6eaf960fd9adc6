/**
 * A `Transport` wrapper that records every message sent and received with a timestamp, for the
 * CLI's `--trace` ladder and `--pcap` capture (and the demo). Isomorphic.
 */
import type { Transport, TransportAddress, TransportKind } from '../client/transport.js';

/** One recorded message. */
export interface Recorded {
  readonly direction: 'sent' | 'received';
  /** Milliseconds since the recording started. */
  readonly at: number;
  /** Wall-clock time (ms since the epoch), for pcap timestamps. */
  readonly wallClock: number;
  /** A copy of the message. */
  readonly bytes: Uint8Array;
}

/** A {@link Transport} plus what went through it. */
export interface RecordingTransport extends Transport {
  readonly records: readonly Recorded[];
}

/** Wrap `inner` so every message through it is recorded (at most `limit`, default 10 000). */
export function recordTransport(inner: Transport, clock: () => number = () => performance.now(), limit = 10_000): RecordingTransport {
  const records: Recorded[] = [];
  const start = clock();
  const note = (direction: Recorded['direction'], bytes: Uint8Array) => {
    if (records.length < limit) records.push({ direction, at: clock() - start, wallClock: Date.now(), bytes: bytes.slice() });
  };
  return {
    records,
    get kind(): TransportKind {
      return inner.kind;
    },
    get remote(): TransportAddress | undefined {
      return inner.remote;
    },
    get local(): TransportAddress | undefined {
      return inner.local;
    },
    get closed(): boolean {
      return inner.closed;
    },
    send(message: Uint8Array): Promise<void> {
      note('sent', message);
      return inner.send(message);
    },
    onMessage(handler: (message: Uint8Array) => void): void {
      inner.onMessage((m) => {
        note('received', m);
        handler(m);
      });
    },
    onError(handler: (error: Error) => void): void {
      inner.onError(handler);
    },
    onClose(handler: (error?: Error) => void): void {
      inner.onClose(handler);
    },
    close(): Promise<void> {
      return inner.close();
    },
  };
}
