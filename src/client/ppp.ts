/**
 * The async driver for the sans-I/O PPP layer: binds a {@link PppLink} to a session's frames and
 * real timers, in either role. `connectPpp(session, …)` logs in as a client; `servePpp(session, …)`
 * terminates PPP as the server (an LNS). Authentication failures, timeouts and a peer that hangs up
 * are results (`ok: false` with the reason), not exceptions; only an abort rejects.
 */
import { L2tpError } from '../wire/errors.js';
import type { AuthResult } from '../ppp/auth-types.js';
import { PppClient, PppServer, type PppAction, type PppClientOptions, type PppEvent, type PppLink, type PppLinkInfo, type PppPhase, type PppServerOptions } from '../ppp/link.js';
import { globalClock, globalRandom, globalTimers, type AbortSignalLike, type Clock, type Timers } from './platform.js';

/**
 * What the PPP driver needs from a session: a `Session` fits.
 * @example
 * ```ts
 * const port: PppPort = session; // send(), onFrame(), closed
 * ```
 */
export interface PppPort {
  send(frame: Uint8Array): Promise<void>;
  onFrame(listener: (frame: Uint8Array) => void): () => void;
  readonly closed: Promise<unknown>;
}

/**
 * Driver options shared by both roles.
 * @example
 * ```ts
 * const o: PppDriverOptions = { timeout: 20_000, signal: AbortSignal.timeout(30_000) };
 * ```
 */
export interface PppDriverOptions {
  /** Give up when the link is not up after this many ms. Default 30 000. */
  timeout?: number;
  signal?: AbortSignalLike;
  clock?: Clock;
  timers?: Timers;
  /** Random bytes. Default `crypto.getRandomValues`. */
  random?: (n: number) => Uint8Array;
}

/**
 * When each link phase was entered, in ms after the start.
 * @example
 * ```ts
 * outcome.phases.find((p) => p.phase === 'network')?.at;
 * ```
 */
export interface PppPhaseTiming {
  readonly phase: PppPhase;
  readonly at: number;
}

/**
 * How a PPP login ended: up with what was negotiated, or not, with the reason.
 * @example
 * ```ts
 * const r = await connectPpp(session, { username, password });
 * if (!r.ok) console.log(r.reason, r.auth?.message);
 * ```
 */
export type PppOutcome =
  | { readonly ok: true; readonly info: PppLinkInfo; readonly auth: AuthResult | null; readonly phases: readonly PppPhaseTiming[]; readonly connection: PppConnection }
  | {
      readonly ok: false;
      readonly reason: string;
      readonly auth: AuthResult | null;
      readonly phases: readonly PppPhaseTiming[];
      /** Resolves once LCP has finished terminating (hang the session up after this, not before). */
      readonly closed: Promise<string>;
    };

/**
 * A PPP link that is up: echo, network packets, close.
 * @example
 * ```ts
 * const rtt = await r.connection.echo();
 * await r.connection.close();
 * ```
 */
export class PppConnection {
  /** Resolves with the reason once the link is down. */
  readonly closed: Promise<string>;

  /** @internal */
  constructor(
    private readonly driver: PppDriver,
    /** What was negotiated. */
    readonly info: PppLinkInfo,
  ) {
    this.closed = driver.down;
  }

  /**
   * Send an LCP Echo-Request (RFC 1661 §5.8); resolves with the round trip in ms.
   * @throws `L2tpError` `TIMEOUT` when no reply comes within `timeout` ms (default 5000).
   */
  echo(timeout = 5000): Promise<number> {
    return this.driver.echo(timeout);
  }

  /** Listen to IPv4 (0x0021) and IPv6 (0x0057) packets from the peer. Returns an unsubscribe function. */
  onPacket(listener: (protocol: number, packet: Uint8Array) => void): () => void {
    this.driver.packetListeners.add(listener);
    return () => this.driver.packetListeners.delete(listener);
  }

  /** Send an IPv4 (0x0021) or IPv6 (0x0057) packet to the peer. */
  send(protocol: number, packet: Uint8Array): Promise<void> {
    return this.driver.port.send(this.driver.link.encapsulate(protocol, packet));
  }

  /** For logs: what was negotiated (the driver behind it is not serialisable). */
  toJSON(): { info: PppLinkInfo } {
    return { info: this.info };
  }

  /** Close the link (LCP Terminate-Request); resolves with the reason once it is down. */
  close(reason = 'closed'): Promise<string> {
    this.driver.feed({ type: 'close', reason });
    return this.closed;
  }
}

/** @internal Binds one PppLink to a port and timers. */
class PppDriver {
  readonly packetListeners = new Set<(protocol: number, packet: Uint8Array) => void>();
  readonly down: Promise<string>;
  private resolveDown!: (reason: string) => void;
  private resolveOutcome!: (o: PppOutcome) => void;
  private rejectOutcome!: (e: unknown) => void;
  readonly outcome: Promise<PppOutcome>;
  private settled = false;
  private timer: unknown;
  private timerAt: number | undefined;
  private readonly start: number;
  private readonly phases: PppPhaseTiming[] = [];
  private auth: AuthResult | null = null;
  private readonly echoes = new Map<number, (rtt: number) => void>();
  private readonly cleanup: (() => void)[] = [];
  /** The login time limit, cleared once the outcome is known (nothing keeps a process alive after). */
  private limit: unknown;

  constructor(
    readonly port: PppPort,
    readonly link: PppLink,
    private readonly clock: Clock,
    private readonly timers: Timers,
    timeout: number,
    signal: AbortSignalLike | undefined,
  ) {
    this.start = clock();
    this.down = new Promise((r) => (this.resolveDown = r));
    this.outcome = new Promise((res, rej) => {
      this.resolveOutcome = res;
      this.rejectOutcome = rej;
    });
    // LCP opens first, so a frame already waiting on the port meets an automaton that can take it.
    this.feed({ type: 'open' });
    this.cleanup.push(port.onFrame((frame) => this.feed({ type: 'received', frame })));
    void port.closed.then(() => this.feed({ type: 'lower-down' }));
    this.limit = timers.setTimeout(() => {
      this.limit = undefined;
      if (!this.settled) this.feed({ type: 'close', reason: `timeout: the link was not up after ${timeout} ms (phase ${this.link.phase})` });
    }, timeout);
    if (signal) {
      const onAbort = () => {
        if (!this.settled) {
          this.settled = true;
          if (this.limit !== undefined) timers.clearTimeout(this.limit);
          this.limit = undefined;
          this.rejectOutcome(new L2tpError('ABORTED', 'PPP login aborted', undefined, { cause: signal.reason }));
        }
        this.feed({ type: 'close', reason: 'aborted' });
      };
      if (signal.aborted) void Promise.resolve().then(onAbort);
      else {
        signal.addEventListener('abort', onAbort, { once: true });
        this.cleanup.push(() => signal.removeEventListener('abort', onAbort));
      }
    }
  }

  feed(event: PppEvent): void {
    const now = this.clock();
    let actions: PppAction[];
    actions = this.link.handle(event, now);
    for (const a of actions) this.act(a, now);
    this.arm();
  }

  private settle(o: PppOutcome): void {
    if (this.settled) return;
    this.settled = true;
    if (this.limit !== undefined) this.timers.clearTimeout(this.limit);
    this.limit = undefined;
    this.resolveOutcome(o);
  }

  private act(a: PppAction, now: number): void {
    switch (a.type) {
      case 'send':
        // A frame the transport could not take is a lost frame: PPP retransmits.
        this.port.send(a.frame).catch(() => {});
        return;
      case 'phase':
        this.phases.push({ phase: a.phase, at: now - this.start });
        return;
      case 'authenticated':
        this.auth = a.result;
        // A refused login is the answer: report it now, while LCP terminates in the background.
        if (!a.result.ok) this.settle({ ok: false, reason: `auth-failed: ${a.result.message}`, auth: a.result, phases: this.phases, closed: this.down });
        return;
      case 'up':
        if (!this.settled) this.settle({ ok: true, info: a.info, auth: this.auth, phases: this.phases, connection: new PppConnection(this, a.info) });
        return;
      case 'echo-reply':
        this.echoes.get(a.identifier)?.(a.rtt);
        this.echoes.delete(a.identifier);
        return;
      case 'packet':
        for (const l of this.packetListeners) l(a.protocol, a.information);
        return;
      case 'down':
        this.settle({ ok: false, reason: a.reason, auth: this.auth, phases: this.phases, closed: this.down });
        for (const c of this.cleanup.splice(0)) c();
        if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
        this.timer = undefined;
        this.resolveDown(a.reason);
        return;
    }
  }

  /** One timer at the link's next deadline. */
  private arm(): void {
    const d = this.link.nextDeadline();
    if (d === this.timerAt) return;
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = d;
    if (d === undefined) return;
    this.timer = this.timers.setTimeout(() => {
      this.timer = undefined;
      this.timerAt = undefined;
      this.feed({ type: 'tick' });
    }, Math.max(0, d - this.clock()));
  }

  echo(timeout: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const before = new Set(this.echoes.keys());
      const now = this.clock();
      const actions = this.link.handle({ type: 'echo' }, now);
      for (const a of actions) this.act(a, now);
      // The identifier is the LCP packet's second byte (after ff 03 c0 21 09).
      const sent = actions.find((a) => a.type === 'send');
      if (!sent || sent.type !== 'send') return reject(new L2tpError('PROTOCOL', 'the PPP link is not open'));
      const id = sent.frame[5]!;
      if (before.has(id)) this.echoes.delete(id);
      const t = this.timers.setTimeout(() => {
        this.echoes.delete(id);
        reject(new L2tpError('TIMEOUT', `no LCP Echo-Reply within ${timeout} ms`));
      }, timeout);
      this.echoes.set(id, (rtt) => {
        this.timers.clearTimeout(t);
        resolve(rtt);
      });
    });
  }
}

function driverOptions(o: PppDriverOptions): { clock: Clock; timers: Timers; timeout: number; random: (n: number) => Uint8Array } {
  const timeout = o.timeout ?? 30_000;
  if (!Number.isFinite(timeout) || timeout <= 0) throw new RangeError(`timeout must be a positive number of ms, got ${String(o.timeout)}`);
  return { clock: o.clock ?? globalClock, timers: o.timers ?? globalTimers, timeout, random: o.random ?? globalRandom };
}

function checkPort(port: PppPort): void {
  if (typeof port?.send !== 'function' || typeof port.onFrame !== 'function' || !(port.closed instanceof Promise)) {
    throw new TypeError('pass an established Session (or an object with send(), onFrame() and closed)');
  }
}

/**
 * Log in over an established session as a PPP client (LCP, authentication, IPCP/IPV6CP).
 * Resolves with the outcome; rejects only when aborted (`L2tpError` `ABORTED`).
 * @example
 * ```ts
 * const session = await tunnel.openSession();
 * const r = await connectPpp(session, { username: 'alice', password: 's3cret' });
 * if (r.ok) console.log(r.info.ipAddress, r.info.dns, r.auth?.method);
 * else console.log('login failed:', r.reason);
 * ```
 */
export function connectPpp(port: PppPort, options: Omit<PppClientOptions, 'random'> & PppDriverOptions): Promise<PppOutcome> {
  checkPort(port);
  const d = driverOptions(options);
  const link = new PppClient({ ...options, random: d.random });
  return new PppDriver(port, link, d.clock, d.timers, d.timeout, options.signal).outcome;
}

/**
 * Terminate PPP on an established session as the server: authenticate the client, assign its
 * address. Resolves like {@link connectPpp}.
 * @example
 * ```ts
 * const pool = new AddressPool('10.0.0.2', 100);
 * const r = await servePpp(session, { authenticate: (m, u, p) => p.verify(users[u] ?? ''), peerAddress: () => pool.allocate() });
 * ```
 */
export function servePpp(port: PppPort, options: Omit<PppServerOptions, 'random'> & PppDriverOptions): Promise<PppOutcome> {
  checkPort(port);
  const d = driverOptions(options);
  const link = new PppServer({ ...options, random: d.random });
  return new PppDriver(port, link, d.clock, d.timers, d.timeout, options.signal).outcome;
}
