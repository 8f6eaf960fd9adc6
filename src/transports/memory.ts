/**
 * Two connected in-memory datagram transports, for testing the layers above the transport (the
 * driver, the state machines) without sockets. Isomorphic: no `node:` imports, no timers.
 * @module
 */
import type { Transport, TransportAddress } from '../client/transport.js';
import { assertBytes } from '../wire/bytes.js';
import { L2tpError } from '../wire/errors.js';
import { TransportEvents } from './events.js';

/** Which end of a {@link MemoryTransportPair} sent a message. */
export type MemoryEnd = 'a' | 'b';

/** One message that crossed (or was dropped by) the in-memory link. */
export interface MemoryLinkRecord {
  readonly from: MemoryEnd;
  /** A copy of the bytes sent. */
  readonly message: Uint8Array;
  /** False when the filter dropped it or the receiving end was closed. */
  readonly delivered: boolean;
}

/**
 * Decides whether one message is delivered: return `false` to drop it (loss, a peer that never
 * answers). `index` counts every message sent on the link, both directions, from 0.
 */
export type MemoryLinkFilter = (message: Uint8Array, from: MemoryEnd, index: number) => boolean;

/** Options for {@link memoryTransportPair}. */
export interface MemoryTransportPairOptions {
  /** Initial filter (can be changed later through {@link MemoryTransportPair.filter}). */
  filter?: MemoryLinkFilter;
  /** Record every message in {@link MemoryTransportPair.log}. Default `true`. */
  log?: boolean;
  /** Addresses the two ends report as `local`/`remote`. Default 192.0.2.1:1701 and 192.0.2.2:1701 (RFC 5737). */
  addressA?: TransportAddress;
  addressB?: TransportAddress;
}

/** Two connected {@link Transport}s and the link between them. */
export interface MemoryTransportPair {
  readonly a: Transport;
  readonly b: Transport;
  /** Current filter; assign to change it (e.g. start dropping mid-test). */
  filter: MemoryLinkFilter | undefined;
  /** Every message sent so far, in send order (empty when `log: false`). */
  readonly log: MemoryLinkRecord[];
}

/**
 * Create two connected datagram transports. Like a real network, delivery is asynchronous (a
 * microtask after `send`), the receiver gets its own copy of the bytes, and nothing tells one end
 * that the other closed: messages sent to a closed end vanish. Sending *from* a closed end fails
 * with `L2tpError('TRANSPORT')`.
 *
 * @example
 * ```ts
 * const link = memoryTransportPair({ filter: (_m, _from, i) => i % 5 !== 0 }); // drop every 5th
 * link.b.onMessage((m) => link.b.send(m)); // echo
 * link.a.onMessage((m) => console.log('echoed', m));
 * await link.a.send(bytes);
 * ```
 */
export function memoryTransportPair(options: MemoryTransportPairOptions = {}): MemoryTransportPair {
  const keepLog = options.log ?? true;
  const addressA = options.addressA ?? { address: '192.0.2.1', port: 1701 };
  const addressB = options.addressB ?? { address: '192.0.2.2', port: 1701 };
  let index = 0;
  const pair: MemoryTransportPair = { a: undefined!, b: undefined!, filter: options.filter, log: [] };
  const route = (from: MemoryEnd, message: Uint8Array): void => {
    const to = from === 'a' ? ends.b : ends.a;
    const copy = message.slice();
    const filter = pair.filter;
    const delivered = !to.events.closed && (filter ? filter(copy, from, index) !== false : true);
    index++;
    if (keepLog) pair.log.push({ from, message: copy, delivered });
    // The receiver gets its own copy, so the sender's filter/log view stays unchanged too.
    if (delivered) void Promise.resolve().then(() => to.events.message(copy.slice()));
  };
  const ends = {
    a: new MemoryTransport('a', addressA, addressB, route),
    b: new MemoryTransport('b', addressB, addressA, route),
  };
  (pair as { a: Transport }).a = ends.a;
  (pair as { b: Transport }).b = ends.b;
  return pair;
}

class MemoryTransport implements Transport {
  readonly kind = 'datagram' as const;
  readonly events = new TransportEvents();

  constructor(
    private readonly end: MemoryEnd,
    readonly local: TransportAddress,
    readonly remote: TransportAddress,
    private readonly route: (from: MemoryEnd, message: Uint8Array) => void,
  ) {}

  get closed(): boolean {
    return this.events.closed;
  }

  send(message: Uint8Array): Promise<void> {
    assertBytes(message, 'message');
    if (this.events.closed) return Promise.reject(new L2tpError('TRANSPORT', `memory transport ${this.end} is closed`));
    this.route(this.end, message);
    return Promise.resolve();
  }

  onMessage(handler: (message: Uint8Array) => void): void {
    this.events.setMessageHandler(handler);
  }

  onError(handler: (error: Error) => void): void {
    this.events.setErrorHandler(handler);
  }

  onClose(handler: (error?: Error) => void): void {
    this.events.setCloseHandler(handler);
  }

  close(): Promise<void> {
    this.events.close();
    return Promise.resolve();
  }
}
