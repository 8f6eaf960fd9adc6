/**
 * A transport passed through, watching the control messages both ways — what the prober's fields
 * need and the library's results do not say:
 * - the peer's first reply (its Message Type, Assigned Tunnel ID, Host Name, Result Code…) and
 *   when it came, for /start-control's fields and the prober's times (from before the TCP connect);
 * - when each of our messages went out and when the peer acknowledged it: a message whose Nr
 *   passes our message's Ns (RFC 2661 §5.8). That times a HELLO to its ack (`tunnel.hello()`
 *   resolves once the HELLO is queued) and tells whether our StopCCN was acknowledged.
 * Times are `Date.now()`: whole milliseconds, like the prober's; in Workers clocks move on I/O only.
 */
import { L2tpError, MessageType, parseControl, type ControlMessage, type Transport } from 'l2tp-wire';

/** One of our messages on the wire. */
export interface Sent {
  /** Counts our messages: which came after a {@link Tap.nextAck} call. */
  readonly seq: number;
  readonly ns: number;
  readonly at: number;
  /** When the peer acknowledged it (undefined until then). */
  ackedAt?: number;
}

/** Someone waiting for the ack of our next message of `type` (sent after message number `after`). */
interface Waiter {
  readonly type: number;
  readonly after: number;
  readonly done: (rtt: number) => void;
}

/** A control message (T=1, RFC 2661 §3.1) of at least a header's length. */
const isControl = (m: Uint8Array): boolean => m.length >= 12 && (m[0]! & 0x80) !== 0;

export class Tap implements Transport {
  /** The peer's first message that is not a ZLB (its reply to our SCCRQ), parsed; when it came. */
  firstReply: { readonly message: ControlMessage; readonly at: number } | undefined;
  /** The peer's latest message that is not a ZLB. */
  lastReply: { readonly message: ControlMessage; readonly at: number } | undefined;
  /** The last message of each Message Type we sent (a retransmission keeps the first send's time). */
  readonly sent = new Map<number, Sent>();
  private waiters: Waiter[] = [];
  private count = 0;

  constructor(
    private readonly inner: Transport,
    private readonly secret?: string,
  ) {}

  get kind() {
    return this.inner.kind;
  }
  get remote() {
    return this.inner.remote;
  }
  get local() {
    return this.inner.local;
  }
  get closed() {
    return this.inner.closed;
  }
  onError(h: (e: Error) => void) {
    this.inner.onError(h);
  }
  onClose(h: (e?: Error) => void) {
    this.inner.onClose(h);
  }
  close() {
    return this.inner.close();
  }

  /** How the control connection ended, as seen on the wire (RFC 2661 §5.7). */
  teardown(): 'StopCCN acknowledged' | 'StopCCN not acknowledged' | 'stopped by the peer' {
    const stop = this.sent.get(MessageType.StopCCN);
    return stop === undefined ? 'stopped by the peer' : stop.ackedAt !== undefined ? 'StopCCN acknowledged' : 'StopCCN not acknowledged';
  }

  /**
   * Resolve with the round trip (ms) of our next message of `type`, once the peer acknowledges
   * it; reject with `L2tpError('TIMEOUT')` after `timeout` ms.
   */
  nextAck(type: number, timeout: number): Promise<number> {
    const acked = new Promise<number>((done, fail) => {
      const w: Waiter = { type, after: this.count, done: (rtt: number) => (clearTimeout(timer), done(rtt)) };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((x) => x !== w);
        fail(new L2tpError('TIMEOUT', `message type ${type} not acknowledged within ${timeout} ms`));
      }, timeout);
      this.waiters.push(w);
    });
    acked.catch(() => undefined); // a caller that failed before awaiting it leaves no unhandled rejection
    return acked;
  }

  send(m: Uint8Array): Promise<void> {
    const c = isControl(m) ? parse(m) : undefined;
    if (c !== undefined && !c.isZlb && this.sent.get(c.type)?.ns !== c.ns) this.sent.set(c.type, { seq: ++this.count, ns: c.ns, at: Date.now() });
    return this.inner.send(m);
  }

  onMessage(h: (m: Uint8Array) => void) {
    this.inner.onMessage((m) => {
      if (isControl(m)) this.watch(m);
      h(m);
    });
  }

  private watch(m: Uint8Array): void {
    const at = Date.now();
    const c = parse(m, this.secret);
    if (c === undefined) return; // malformed: the tunnel's to judge and answer
    if (!c.isZlb) {
      this.lastReply = { message: c, at };
      this.firstReply ??= this.lastReply;
    }
    for (const [type, s] of this.sent) {
      // Nr counts modulo 2^16 (RFC 2661 §5.8): acknowledged once Nr is past the message's Ns.
      if (s.ackedAt === undefined && ((c.nr - s.ns - 1) & 0xffff) < 0x8000) {
        s.ackedAt = at;
        for (const w of this.waiters.filter((x: Waiter) => x.type === type && s.seq > x.after)) {
          this.waiters = this.waiters.filter((x) => x !== w);
          w.done(at - s.at);
        }
      }
    }
  }
}

/** Parsed, or undefined when it does not parse (hidden AVPs stay hidden without the secret). */
function parse(m: Uint8Array, secret?: string): ControlMessage | undefined {
  try {
    return parseControl(m, { requireAvps: false, ...(secret ? { secret } : {}) });
  } catch {
    return undefined;
  }
}
