/**
 * A live L2TP session (one call) on a driven tunnel: PPP frames in and out, CDN, WEN, SLI.
 * @module
 */
import type { DataSequenceStats } from '../fsm/data-sequencing.js';
import type { CallInfo, CallOptions, PseudowireInfo } from '../fsm/types.js';
import { L2tpError } from '../wire/errors.js';
import type { AccmValue, CallErrorsValue, Q931CauseValue, ResultCodeValue } from '../wire/value-codecs.js';
import { Emitter } from './emitter.js';
import { connectPpp, type PppDriverOptions, type PppOutcome } from './ppp.js';
import type { PppClientOptions } from '../ppp/link.js';
import type { StopError } from './driver-errors.js';
import type { Pseudowire, PseudowireStats } from '../fsm/pseudowire.js';
import { heardFromPeer, pseudowireOf } from './pseudowire-session.js';

/** Why and how a session ended. */
export interface SessionDown {
  /** Who ended it: `'peer'` for a received CDN or StopCCN, `'local'` otherwise. */
  readonly by: 'local' | 'peer';
  /** The CDN's Result Code (RFC 2661 §4.4.2), when a CDN ended it. */
  readonly result?: ResultCodeValue;
  /** The CDN's Q.931 Cause Code (RFC 2661 §4.4.4), when it carried one. */
  readonly cause?: Q931CauseValue;
  /**
   * Set unless we closed the session on request: `PEER_STOPPED` (CDN or StopCCN from the peer),
   * `TIMEOUT`, `TRANSPORT`, `PROTOCOL`… (with `result` attached when a CDN carried one).
   */
  readonly error?: StopError;
}

/** Events of a {@link Session}: name → listener arguments. */
export type SessionEvents = {
  /** One PPP frame from the peer (a view into the received message; yours to keep). */
  frame: [frame: Uint8Array];
  /** The session ended (once). */
  down: [down: SessionDown];
  /** The peer sent WAN-Error-Notify (RFC 2661 §6.13). */
  wen: [callErrors: CallErrorsValue];
  /** The peer sent Set-Link-Info (RFC 2661 §6.14; normal right after ICCN). */
  sli: [accm: AccmValue];
};

/** What a session needs from its tunnel. @internal */
export interface SessionHost {
  sendFrame(sessionId: number, frame: Uint8Array): Promise<void>;
  closeSession(sessionId: number, result: ResultCodeValue | undefined, cause: Q931CauseValue | undefined): void;
  sendWen(sessionId: number, callErrors: CallErrorsValue): void;
  sendSli(sessionId: number, accm: AccmValue): void;
  dataStats(sessionId: number): DataSequenceStats | undefined;
  /** v3: put one built data message on the transport. */
  sendData(bytes: Uint8Array): Promise<void>;
  readonly frameBuffer: number;
}

/** The shape `session-up` gives a new session. @internal */
export interface SessionInit {
  readonly localId: number;
  readonly peerId: number;
  readonly kind: CallOptions['kind'];
  readonly origin: 'local' | 'peer';
  readonly call: CallInfo;
  readonly pseudowire?: PseudowireInfo | undefined;
}

/**
 * One established session. Get one from `Tunnel.openSession()` (a call we place) or the
 * tunnel's `'session'` event (a call the peer placed).
 *
 * @example
 * ```ts
 * const session = await tunnel.openSession();
 * session.onFrame((ppp) => console.log('PPP frame', ppp));
 * await session.send(new Uint8Array([0xff, 0x03, 0xc0, 0x21, 1, 1, 0, 4])); // LCP Configure-Request
 * await session.close();
 * ```
 */
export class Session {
  /** Our Session ID (the peer writes it in its headers). */
  readonly localId: number;
  /** The peer's Session ID (we write it in ours). */
  readonly peerId: number;
  /** `'incoming'` (ICRQ/ICRP/ICCN, RFC 2661 §7.4) or `'outgoing'` (OCRQ/OCRP/OCCN, §7.5). */
  readonly kind: CallOptions['kind'];
  /** Who placed the call. */
  readonly origin: 'local' | 'peer';
  /** What the call setup carried (serial number, speeds, framing, numbers). */
  readonly call: CallInfo;
  /**
   * L2TPv3 (RFC 3931 §5.4.4): the pseudowire as both sides set it up — Session IDs, the cookie
   * we assigned and the peer's, the L2-Specific Sublayer and Data Sequencing each side requires.
   * `undefined` on an L2TPv2 tunnel.
   */
  readonly pseudowire: PseudowireInfo | undefined;
  /** Resolves (never rejects) once the session is down. */
  readonly closed: Promise<SessionDown>;
  private readonly events = new Emitter<SessionEvents>();
  private downV: SessionDown | undefined;
  private resolveClosed!: (d: SessionDown) => void;
  private dropped = 0;
  /** v3: the data plane (RFC 3931 §4.5, §4.6), built from {@link pseudowire}. */
  private readonly pw: Pseudowire | undefined;

  /** @internal Sessions are made by the tunnel. */
  constructor(
    private readonly host: SessionHost,
    init: SessionInit,
  ) {
    this.localId = init.localId;
    this.peerId = init.peerId;
    this.kind = init.kind;
    this.origin = init.origin;
    this.call = init.call;
    this.pseudowire = init.pseudowire;
    this.pw = init.pseudowire && pseudowireOf(init.pseudowire);
    this.closed = new Promise((r) => (this.resolveClosed = r));
  }

  /** `'up'` until the session ends, then `'down'`. */
  get state(): 'up' | 'down' {
    return this.downV === undefined ? 'up' : 'down';
  }

  /** How and why the session ended, once it has. */
  get down(): SessionDown | undefined {
    return this.downV;
  }

  /**
   * Data channel counters (RFC 2661 §5.4 sequencing): whether our data carry Ns now, data
   * messages sent and received, old (duplicate or reordered) data dropped, Ns skipped.
   * `undefined` once the session is down.
   * @example
   * ```ts
   * const st = session.dataStats;
   * if (st?.sending) console.log(`sequenced; ${st.dropped} old data messages dropped`);
   * ```
   */
  get dataStats(): DataSequenceStats | undefined {
    return this.downV === undefined ? this.host.dataStats(this.localId) : undefined;
  }

  /**
   * L2TPv3: the pseudowire's data counters (RFC 3931 §4.5, Appendix C): data messages sent and
   * received, frames delivered, drops by reason (wrong Session ID or cookie, duplicate, out of
   * order, malformed, runt), sequence numbers lost. Plain numbers (JSON-safe); a dropped message
   * is counted here, never thrown. `undefined` on an L2TPv2 session.
   * @example
   * ```ts
   * const st = session.pseudowireStats;
   * if (st && st.droppedCookie > 0) console.log(JSON.stringify(st));
   * ```
   */
  get pseudowireStats(): PseudowireStats | undefined {
    return this.pw?.stats;
  }

  /** Frames {@link frames} iterators dropped because nobody read them in time. */
  get droppedFrames(): number {
    return this.dropped;
  }

  /**
   * Send one PPP frame as an L2TP data message (RFC 2661 §5.1) — on an L2TPv3 session, one
   * layer-2 frame (Ethernet without preamble and FCS, RFC 4719 §3.1) with the peer's Session ID,
   * cookie and sublayer (RFC 3931 §4.1.2.1). Resolves once the transport took
   * it; rejects with `RangeError` for an Ethernet frame under 14 bytes; rejects with `L2tpError('TRANSPORT')` when the transport failed, or with the reason the
   * session ended if it is down.
   */
  send(frame: Uint8Array): Promise<void> {
    if (!(frame instanceof Uint8Array)) return Promise.reject(new TypeError(`send(frame): frame must be a Uint8Array, got ${typeof frame}`));
    if (this.downV !== undefined) return Promise.reject(this.downError());
    if (this.pw !== undefined) {
      // v3 (RFC 3931 §4.1.2.1): the frame goes out in a data message the pseudowire builds.
      try {
        return this.host.sendData(this.pw.send(frame));
      } catch (e) {
        return Promise.reject(e);
      }
    }
    return this.host.sendFrame(this.localId, frame);
  }

  /**
   * Log in over this session as a PPP client (LCP, PAP / CHAP-MD5 / MS-CHAPv2, IPCP/IPV6CP): the
   * same as `connectPpp(session, options)`. A refused login is a result (`ok: false`, with the
   * method and the server's message), not an exception; only an abort rejects.
   * @example
   * ```ts
   * const r = await session.ppp({ username: 'alice', password: 'wonderland' });
   * if (r.ok) console.log(r.info.ipAddress, r.info.dns);
   * ```
   */
  ppp(options: Omit<PppClientOptions, 'random'> & PppDriverOptions): Promise<PppOutcome> {
    return connectPpp(this, options);
  }

  /** Call `listener` with every PPP frame from the peer. Returns a function that unsubscribes. */
  onFrame(listener: (frame: Uint8Array) => void): () => void {
    return this.events.on('frame', listener);
  }

  /**
   * PPP frames from the peer, as an async iterator that ends when the session goes down. Frames
   * arriving while the loop body runs are buffered (up to the tunnel's `frameBuffer`; older ones
   * are then dropped and counted in {@link droppedFrames}). Leaving the loop unsubscribes.
   */
  frames(): AsyncIterableIterator<Uint8Array> {
    const buffer: Uint8Array[] = [];
    let wake: ((r: IteratorResult<Uint8Array>) => void) | undefined;
    let ended = this.downV !== undefined;
    const limit = this.host.frameBuffer;
    const finish = () => {
      ended = true;
      offFrame();
      offDown();
      const w = wake;
      wake = undefined;
      w?.({ value: undefined, done: true });
    };
    const offFrame = this.events.on('frame', (f) => {
      const w = wake;
      if (w !== undefined) {
        wake = undefined;
        w({ value: f, done: false });
        return;
      }
      if (buffer.length >= limit) {
        if (limit === 0) {
          this.dropped++;
          return;
        }
        buffer.shift();
        this.dropped++;
      }
      buffer.push(f);
    });
    const offDown = this.events.on('down', () => {
      ended = true;
      offFrame();
      offDown();
      if (buffer.length === 0) finish();
    });
    if (ended) finish();
    const it: AsyncIterableIterator<Uint8Array> = {
      next: () => {
        const f = buffer.shift();
        if (f !== undefined) return Promise.resolve({ value: f, done: false });
        if (ended) {
          finish();
          return Promise.resolve({ value: undefined, done: true });
        }
        return new Promise((r) => (wake = r));
      },
      return: () => {
        buffer.length = 0;
        finish();
        return Promise.resolve({ value: undefined, done: true });
      },
      [Symbol.asyncIterator]: () => it,
    };
    return it;
  }

  /** Listen to `'frame'`, `'down'`, `'wen'` or `'sli'`. Returns a function that unsubscribes. */
  on<K extends keyof SessionEvents>(event: K, listener: (...args: SessionEvents[K]) => void): () => void {
    return this.events.on(event, listener);
  }

  /** Like {@link on}, for the next event only. */
  once<K extends keyof SessionEvents>(event: K, listener: (...args: SessionEvents[K]) => void): () => void {
    return this.events.once(event, listener);
  }

  /** Remove a listener. */
  off<K extends keyof SessionEvents>(event: K, listener: (...args: SessionEvents[K]) => void): void {
    this.events.off(event, listener);
  }

  /**
   * Hang up with a CDN (RFC 2661 §6.12), default result 3 (administrative), optional Q.931 cause.
   * The CDN is delivered reliably by the tunnel; the session is down when this resolves.
   * Closing a session that is already down does nothing.
   */
  close(result?: ResultCodeValue | number, cause?: Q931CauseValue): Promise<void> {
    if (this.downV !== undefined) return Promise.resolve();
    try {
      this.host.closeSession(this.localId, typeof result === 'number' ? { result } : result, cause);
    } catch (e) {
      return Promise.reject(e);
    }
    return this.closed.then(() => undefined);
  }

  /** Send a WAN-Error-Notify (RFC 2661 §6.13; LAC → LNS). @throws `TypeError` when the session is down. */
  wen(callErrors: CallErrorsValue): void {
    this.assertUp('wen');
    this.host.sendWen(this.localId, callErrors);
  }

  /** Send a Set-Link-Info (RFC 2661 §6.14; LNS → LAC). @throws `TypeError` when the session is down. */
  sli(accm: AccmValue): void {
    this.assertUp('sli');
    this.host.sendSli(this.localId, accm);
  }

  /** @internal A frame from the tunnel. */
  deliver(frame: Uint8Array): void {
    if (this.downV === undefined) this.events.emit('frame', frame);
  }

  /**
   * @internal v3: a data message naming this session; a drop is counted in {@link pseudowireStats}.
   * Returns whether it came from the peer (right cookie: it restarts the Hello timer, RFC 3931 §4.4).
   */
  receiveData(bytes: Uint8Array): boolean {
    const r = this.pw?.receive(bytes);
    if (r?.ok) this.deliver(r.frame);
    return heardFromPeer(r);
  }

  /** @internal WEN/SLI from the tunnel. */
  notify(event: 'wen', value: CallErrorsValue): void;
  notify(event: 'sli', value: AccmValue): void;
  notify(event: 'wen' | 'sli', value: CallErrorsValue | AccmValue): void {
    if (this.downV !== undefined) return;
    if (event === 'wen') this.events.emit('wen', value as CallErrorsValue);
    else this.events.emit('sli', value as AccmValue);
  }

  /** @internal The session ended. */
  markDown(down: SessionDown): void {
    if (this.downV !== undefined) return;
    this.downV = down;
    this.events.emit('down', down);
    this.events.clear();
    this.resolveClosed(down);
  }

  private assertUp(what: string): void {
    if (this.downV !== undefined) throw new TypeError(`${what}: session ${this.localId} is down; listen for its 'down' event`);
  }

  private downError(): L2tpError {
    const d = this.downV!;
    if (d.error !== undefined) return d.error;
    return new L2tpError(d.by === 'peer' ? 'PEER_STOPPED' : 'ABORTED', `session ${this.localId} is down${d.by === 'local' ? ' (closed here)' : ''}`);
  }
}
