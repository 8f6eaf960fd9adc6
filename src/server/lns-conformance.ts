/**
 * The conformance observer inside the embedded LNS: one {@link ConformanceObserver} per tunnel,
 * v2 and v3 alike (each message is judged by its version's column of the message rules)
 * (none at all under `lenient`), fed every control message both ways; each deviation becomes a
 * `deviation` event and a count in `stats`, each tunnel ends with a `conformance-report` event,
 * and under `strict` a refusing deviation ends the call (CDN) or the tunnel (StopCCN) with Result
 * Code 2 and a message naming the AVP and the rule (RFC 2661 §4.1, §4.4.2).
 *
 * Memory (issue 16): the observers share their options (one {@link SharedObserverOptions} per
 * version and report-card choice, with the LNS's one `onDeviation`), and every call into one
 * goes through here, which notes the tunnel it is for: an observer holds no closure and no
 * pointer back to its tunnel.
 * @internal
 */
import { ConformanceObserver, SharedObserverOptions, conformanceDecision, type ConformanceDecision, type ConformancePolicy, type Deviation } from '../conformance/index.js';
import type { TunnelSecret } from '../wire/challenge.js';
import { v3HidingKey } from '../wire/v3-hidden.js';
import type { LnsEmitter } from './lns-events.js';
import type { TunnelEntry } from './lns-handles.js';
import type { LnsCounters } from './lns-stats.js';

type Refusal = Extract<ConformanceDecision, { action: 'stopccn' | 'cdn' }>;

/** @internal */
export class LnsConformance {
  /**
   * The tunnel whose observer is running (its deviations are that tunnel's), and the one whose
   * received message is being judged with the refusal found in it (StopCCN wins over CDN). Here,
   * not per tunnel: an observer runs synchronously, and a nested run (a `deviation` listener that
   * makes another tunnel receive or send) saves and restores them.
   */
  private current: TunnelEntry | undefined = undefined;
  private judging: TunnelEntry | undefined = undefined;
  private refusal: Refusal | undefined = undefined;
  /** The observers' options: [v2, v2 with report card, v3, v3 with report card], made on first use. */
  private readonly shared: (SharedObserverOptions | undefined)[] = [undefined, undefined, undefined, undefined];

  constructor(
    readonly policy: ConformancePolicy,
    private readonly secret: TunnelSecret | undefined,
    private readonly c: LnsCounters,
    private readonly events: LnsEmitter,
  ) {}

  /**
   * Give a new tunnel its observer (none under `lenient`: zero cost). It keeps a report card only
   * when someone listens to `conformance-report` now: a tunnel opened before the first listener
   * ends without one (issue 16: the card's per-rule counts are most of an observer's memory).
   */
  attach(t: TunnelEntry, version: 2 | 3 = 2): void {
    if (this.policy === 'lenient') return;
    const forReport = this.events.has('conformance-report');
    const i = (version === 3 ? 2 : 0) + (forReport ? 1 : 0);
    t.conformance = new ConformanceObserver((this.shared[i] ??= this.options(version, forReport)));
    // The `conformance-report` event goes out once, and not at all without a report card.
    t.conformanceReported = !forReport;
  }

  private options(version: 2 | 3, forReport: boolean): SharedObserverOptions {
    // v3 hides with HMAC-MD5(secret, 1) in place of the secret (RFC 3931 §5.3); the chain is v2's.
    const secret = version === 3 && this.secret !== undefined ? v3HidingKey(this.secret) : this.secret;
    return new SharedObserverOptions({ secret, report: forReport, onDeviation: (d) => this.onDeviation(this.current!, d) });
  }

  /**
   * A control message from the peer, before the FSM sees it (same `now`). Returns what `strict`
   * refuses in it, to be done once the FSM has handled the message (it acks the message and, for
   * an ICRQ/OCRQ, creates the call the CDN then names).
   */
  received(t: TunnelEntry, bytes: Uint8Array, now: number): Refusal | undefined {
    const conf = t.conformance;
    if (conf === undefined) return undefined;
    const outer = this.current;
    const outerJudging = this.judging;
    const outerRefusal = this.refusal;
    this.current = this.judging = t;
    this.refusal = undefined;
    try {
      conf.received(bytes, now);
      return this.refusal;
    } finally {
      this.current = outer;
      this.judging = outerJudging;
      this.refusal = outerRefusal;
    }
  }

  /** A control message we send to the tunnel's peer. */
  sent(t: TunnelEntry, bytes: Uint8Array, now: number): void {
    const conf = t.conformance;
    if (conf === undefined) return;
    const outer = this.current;
    this.current = t;
    try {
      conf.sent(bytes, now);
    } finally {
      this.current = outer;
    }
  }

  /** The tunnel's deadline fired: the timing rules run, and what aged out is freed. */
  tick(t: TunnelEntry, now: number): void {
    const conf = t.conformance;
    if (conf === undefined) return;
    const outer = this.current;
    this.current = t;
    try {
      conf.tick(now);
    } finally {
      this.current = outer;
    }
  }

  /** Act on a refusal after the FSM handled the message; `before` are the call IDs it had then. */
  refuse(t: TunnelEntry, r: Refusal, before: readonly number[] | undefined): void {
    if (!t.alive) return;
    const st = t.fsm.state;
    if (st === 'closing' || st === 'closed') return;
    if (r.action === 'stopccn') return t.lns.feed(t, { type: 'close', result: r.resultCode });
    // The call's ID: ours from the header, or the one the FSM just assigned to the peer's ICRQ/OCRQ.
    let id = r.sessionId ?? 0;
    if (id === 0 && before !== undefined) id = t.fsm.sessionIds().find((s) => !before.includes(s)) ?? 0;
    if (id !== 0 && t.fsm.sessionState(id) !== undefined) t.lns.feed(t, { type: 'closeSession', sessionId: id, result: r.resultCode });
  }

  /** The tunnel ended (or went away): its report card, once. */
  end(t: TunnelEntry, now: number): void {
    const conf = t.conformance;
    if (conf === undefined || t.conformanceReported) return;
    t.conformanceReported = true;
    // A report card is ~30 rule rows: built only for a listener.
    if (!this.events.has('conformance-report')) return;
    const outer = this.current;
    this.current = t;
    try {
      this.events.emit('conformance-report', t, conf.report(now));
    } finally {
      this.current = outer;
    }
  }

  /** @internal */
  onDeviation(t: TunnelEntry, d: Deviation): void {
    this.c.deviations++;
    if (d.severity === 'MUST') this.c.deviationsMust++;
    this.events.emit('deviation', t, d);
    if (this.policy !== 'strict') return;
    const decision = conformanceDecision(d, 'strict');
    if (decision.action !== 'stopccn' && decision.action !== 'cdn') return;
    // Only what the message being received reveals ends anything (not a timing rule at a tick).
    if (t !== this.judging) return;
    if (this.refusal === undefined || (this.refusal.action === 'cdn' && decision.action === 'stopccn')) this.refusal = decision;
  }
}
