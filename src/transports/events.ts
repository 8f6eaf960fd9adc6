/**
 * The handler plumbing every {@link Transport} implementation shares: one handler per event,
 * messages held until a receiver is registered, handler exceptions kept away from the socket code.
 * Isomorphic (no `node:` imports, no timers): the Workers adapter reuses it.
 * @internal
 */
import type { Transport } from '../client/transport.js';

/** How many early messages a datagram transport holds before dropping (bounded memory). */
export const DEFAULT_BACKLOG = 64;
/** How many early errors are held for an error handler registered late. */
const ERROR_BACKLOG = 8;

/**
 * Dispatches one transport's events to its registered handlers, in order.
 * @internal
 */
export class TransportEvents<M = Uint8Array> {
  private messageHandler: ((message: M) => void) | undefined;
  private errorHandler: ((error: Error) => void) | undefined;
  private closeHandler: ((error?: Error) => void) | undefined;
  /** Messages received before a handler was registered, or waiting for the flush of those. */
  private backlog: M[] = [];
  private errors: Error[] = [];
  private closeState: { error: Error | undefined } | undefined;
  private closeDelivered = false;
  /** Messages dropped because the backlog was full (datagram transports only). */
  dropped = 0;

  /**
   * @param backlogLimit - messages held before a handler exists; `Infinity` for stream transports,
   *   which stop reading instead (see `onFirstMessageHandler`).
   * @param onFirstMessageHandler - called once, when the first message handler is registered
   *   (a stream transport starts reading then).
   */
  constructor(
    private readonly backlogLimit = DEFAULT_BACKLOG,
    private onFirstMessageHandler?: () => void,
  ) {}

  /** True once {@link close} has run. */
  get closed(): boolean {
    return this.closeState !== undefined;
  }

  /** Implements {@link Transport.onMessage}. */
  setMessageHandler(handler: (message: M) => void): void {
    assertHandler(handler, 'onMessage');
    this.messageHandler = handler;
    if (this.backlog.length) void Promise.resolve().then(() => this.flushMessages());
    const first = this.onFirstMessageHandler;
    if (first) {
      this.onFirstMessageHandler = undefined;
      first();
    }
  }

  /** Implements {@link Transport.onError}. */
  setErrorHandler(handler: (error: Error) => void): void {
    assertHandler(handler, 'onError');
    this.errorHandler = handler;
    if (this.errors.length) {
      void Promise.resolve().then(() => {
        const held = this.errors.splice(0);
        for (const e of held) this.error(e);
      });
    }
  }

  /** Implements {@link Transport.onClose}. */
  setCloseHandler(handler: (error?: Error) => void): void {
    assertHandler(handler, 'onClose');
    this.closeHandler = handler;
    if (this.closeState && !this.closeDelivered) void Promise.resolve().then(() => this.deliverClose());
  }

  /** A whole message arrived. Ignored once closed. */
  message(message: M): void {
    if (this.closeState) return;
    const h = this.messageHandler;
    // Keep arrival order: while held messages wait for their flush, newcomers queue behind them.
    if (h && this.backlog.length === 0) return safeCall(h, message);
    if (this.backlog.length >= this.backlogLimit) {
      this.dropped++;
      return;
    }
    this.backlog.push(message);
  }

  /** A failure to report; held (bounded) until an error handler exists. */
  error(error: Error): void {
    const h = this.errorHandler;
    if (h) return safeCall(h, error);
    if (this.errors.length < ERROR_BACKLOG) this.errors.push(error);
  }

  /** The transport closed: drop held messages and tell the close handler once. */
  close(error?: Error): void {
    if (this.closeState) return;
    this.closeState = { error };
    this.backlog.length = 0;
    this.deliverClose();
  }

  private flushMessages(): void {
    while (this.backlog.length && this.messageHandler && !this.closeState) {
      safeCall(this.messageHandler, this.backlog.shift()!);
    }
  }

  private deliverClose(): void {
    const h = this.closeHandler;
    if (!h || this.closeDelivered || !this.closeState) return;
    this.closeDelivered = true;
    safeCall(h, this.closeState.error);
  }
}

/**
 * Call a user handler; its exception must not unwind into socket or framing code, so it is
 * rethrown asynchronously (an unhandled rejection), as an `EventEmitter` listener's would surface.
 */
function safeCall<T>(handler: (arg: T) => void, arg: T): void {
  try {
    handler(arg);
  } catch (e) {
    void Promise.reject(e);
  }
}

function assertHandler(handler: unknown, what: string): void {
  if (typeof handler !== 'function') throw new TypeError(`${what}(handler): handler must be a function, got ${typeof handler}`);
}
