/**
 * A `Transport` wrapper that records every message sent and received at the moment it passes
 * (not afterwards), with a microsecond wall-clock timestamp and the addresses in use then — for
 * the CLI's `--trace` (streamed through `onRecord`), `--pcap` and live progress. Isomorphic.
 */
import type { Transport, TransportAddress, TransportKind } from '../index.js';

/** One recorded message. */
export interface Recorded {
  readonly direction: 'sent' | 'received';
  /** Milliseconds since the recording started (monotonic clock). */
  readonly at: number;
  /** Wall-clock time in microseconds since the epoch, for pcap timestamps. */
  readonly wallMicros: number;
  /** Our address and port when it passed (the ephemeral port the socket really had). */
  readonly local: TransportAddress | undefined;
  /** The peer's address and port when it passed. */
  readonly remote: TransportAddress | undefined;
  /** A copy of the message. */
  readonly bytes: Uint8Array;
}

/** A {@link Transport} plus what went through it. */
export interface RecordingTransport extends Transport {
  readonly records: readonly Recorded[];
}

/** Options of {@link recordTransport}. */
export interface RecordOptions {
  /** Monotonic clock in ms. Default `performance.now()`. */
  clock?: () => number;
  /** Wall clock in µs since the epoch. Default `performance.timeOrigin + performance.now()`, in µs. */
  wallMicros?: () => number;
  /** Keep at most this many records (default 10 000); `onRecord` still sees every message. */
  limit?: number;
  /** Called with each record as it is made (the trace streams from here). */
  onRecord?: (r: Recorded) => void;
  /**
   * Awaited before each send (sends keep their order). A received datagram is only seen when
   * the event loop polls; letting it poll first means one that reached us before our send is
   * recorded before it too, as on the wire. Default: none.
   */
  beforeSend?: () => Promise<void>;
}

/** Wrap `inner` so every message through it is recorded as it passes. */
export function recordTransport(inner: Transport, options: RecordOptions = {}): RecordingTransport {
  const clock = options.clock ?? (() => performance.now());
  const wall = options.wallMicros ?? (() => Math.round((performance.timeOrigin + performance.now()) * 1000));
  const limit = options.limit ?? 10_000;
  const records: Recorded[] = [];
  const start = clock();
  // Addresses as last seen while open: after close a transport may no longer know them.
  let local = inner.local;
  let remote = inner.remote;
  let queue: Promise<void> = Promise.resolve();
  const note = (direction: Recorded['direction'], bytes: Uint8Array) => {
    local = inner.local ?? local;
    remote = inner.remote ?? remote;
    const r: Recorded = { direction, at: clock() - start, wallMicros: wall(), local, remote, bytes: bytes.slice() };
    if (records.length < limit) records.push(r);
    options.onRecord?.(r);
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
      // Noted right before the send: a connected datagram socket writes it synchronously inside send().
      const before = options.beforeSend;
      if (before === undefined) {
        note('sent', message);
        return inner.send(message);
      }
      // Copy now: the caller's bytes may be a pooled view, reused once send() returns.
      const copy = message.slice();
      const sent = queue.then(before).then(() => {
        note('sent', copy);
        return inner.send(copy);
      });
      queue = sent.catch(() => undefined);
      return sent;
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
