/**
 * The `Transport` interface: the one seam between the sans-I/O layers (wire, reliable, fsm) and
 * the outside world. Everything above it sees whole L2TP messages; everything below it (Node
 * dgram/net, Workers sockets, an in-memory pair for tests) moves bytes.
 *
 * This file is isomorphic and holds types only, so every runtime's adapter can implement it.
 * @module
 */

/** An IP endpoint. */
export interface TransportAddress {
  /** IPv4 or IPv6 address in text form (an IPv6 zone, if any, included). */
  readonly address: string;
  readonly port: number;
}

/** How a transport carries messages. */
export type TransportKind =
  /**
   * One L2TP message per datagram (UDP, RFC 2661 §8.1; RFC 3931 §4.1.2.1). Messages may be lost,
   * duplicated or reordered: the Sequencer copes (RFC 2661 §5.8).
   */
  | 'datagram'
  /**
   * An ordered byte stream (TCP, Workers sockets) reframed by the header's Length field. Not in
   * any RFC: every control and L2TPv2 data message on a stream carries L=1; an L2TPv3 data message
   * (which has no Length field, RFC 3931 §4.1.2.1) carries its length in its Reserved bytes 2–3,
   * cleared back to 0 on receipt. See `StreamFramer`.
   */
  | 'stream';

/**
 * A connection to one L2TP peer that sends and receives whole L2TP messages.
 *
 * Contract every implementation keeps (and the driver relies on):
 * - `send` takes one whole message (header included) and returns a promise that resolves once the
 *   bytes are handed to the network, or rejects with `L2tpError('TRANSPORT')` (cause attached).
 *   Sending on a closed transport rejects the same way. Always a promise (never `void`), so a
 *   caller that does not wait can still `.catch()` it — and must, or the rejection is unhandled.
 *   Misuse (not a `Uint8Array`; on a stream, a message no stream can carry) throws a
 *   `TypeError`/`RangeError` synchronously: a local error, not a network one.
 * - The message handler is called once per whole received message. The array is the receiver's to
 *   keep: the transport never writes to it again (it may be a view into a larger buffer).
 * - Messages that arrive before a message handler is registered are held (a datagram transport
 *   holds a bounded number and then drops, as the network would; a stream transport stops reading).
 * - One handler per event: registering again replaces the previous handler. A handler that throws
 *   does not break the transport; the exception is rethrown asynchronously (as an unhandled
 *   rejection), the way an `EventEmitter` listener's exception surfaces in Node.
 * - `onError` reports failures not tied to one `send` (an ICMP port-unreachable on a connected UDP
 *   socket, a TCP reset, lost stream framing) as an `L2tpError` — code `TRANSPORT` with the cause
 *   attached, or the framing error's own code (`BAD_LENGTH`, `BAD_FLAGS`, `BAD_VERSION`,
 *   `TRUNCATED`). A datagram transport stays open after an error; a stream transport closes.
 * - `onClose` fires exactly once, whoever closed the transport; its argument is the error that
 *   closed it, if any (`undefined` for `close()` or an orderly end from the peer).
 * - `close()` is idempotent and resolves once every handle (socket, timer) has been released.
 */
export interface Transport {
  /** Datagram (UDP, in-memory) or stream (TCP): see {@link TransportKind}. */
  readonly kind: TransportKind;
  /** The peer's address, when the transport knows it. */
  readonly remote: TransportAddress | undefined;
  /** Our own address, when the transport knows it. */
  readonly local: TransportAddress | undefined;
  /** True once the transport is closed (by either side) or closing. */
  readonly closed: boolean;
  /** Send one whole L2TP message. See the interface contract for failures. */
  send(message: Uint8Array): Promise<void>;
  /** Register the receiver: called with one whole L2TP message per call. */
  onMessage(handler: (message: Uint8Array) => void): void;
  /** Register the error handler. */
  onError(handler: (error: Error) => void): void;
  /** Register the close handler (called once). */
  onClose(handler: (error?: Error) => void): void;
  /** Release every handle; resolves when done. Idempotent. */
  close(): Promise<void>;
}
