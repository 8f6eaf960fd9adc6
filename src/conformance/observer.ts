/**
 * The conformance observer: fed every datagram of one control connection, both ways, with its
 * time, it reports each deviation of the peer from the RFC. Sans-I/O: no clock, no socket.
 *
 * Memory (issue 16: an LNS holds one per tunnel, most of them idle): one object of six fields.
 * What the rules remember lives in a {@link ConnectionState} only while something waits (an
 * unacked message, a copy of a peer message within its retransmission cycle, a hole); at rest
 * it is packed into three small integers here, and woken by the next datagram. A new observer
 * starts at rest.
 */
import { assertBytes, u16 } from '../wire/bytes.js';
import { messageDef } from '../wire/message-catalog.js';
import { unhideAvpValue } from '../wire/hidden.js';
import type { CheckResult, ConformanceRule, Finding, MessageContext } from './rule-types.js';
import { RULES } from './rules.js';
import { scanMessage, type ScannedMessage } from './scan.js';
import { AT_START, ConnectionState, newPeerCard, type PeerCard, type Rest, type SessionIds } from './state.js';
import { SharedObserverOptions, type ObserverOptions } from './observer-options.js';
import { buildReport } from './report.js';
import type { ConformanceReport, Deviation } from './types.js';

export { SharedObserverOptions, type ObserverOptions } from './observer-options.js';

const RANDOM_VECTOR = 36;
const ASSIGNED_SESSION_ID = 14;

/** What only the report card needs: per rule (by its index in RULES) times checked, datagrams each way, deviations not kept. */
interface Card {
  readonly checked: number[];
  received: number;
  sent: number;
  dropped: number;
  readonly peer: PeerCard;
}

/** Deviations kept and counted, and the report card: allocated with the first deviation, or at once with `report`. */
interface Tally {
  /** Deviations kept, up to `maxDeviations`. */
  readonly kept: Deviation[];
  /** Per rule, by its index in RULES: times broken. */
  readonly broken: number[];
  readonly card: Card | undefined;
}

/**
 * Passive RFC 2661 (and RFC 3931 where it applies) conformance checks on one control connection.
 * Feed it every datagram of the tunnel: `received(bytes, now)` for what the peer sent,
 * `sent(bytes, now)` for what we sent; call `tick(now)` now and then (or at {@link nextDeadline})
 * so the timing rules (missing acks) can fire without traffic; read `deviations`, or `report()`
 * for the report card. It never throws for any bytes, and keeps no reference to them.
 * Many observers can share one {@link SharedObserverOptions}.
 * @example
 * ```ts
 * const obs = new ConformanceObserver({ onDeviation: (d) => console.log(d.rule, d.detail) });
 * obs.received(sccrqBytes, 0);
 * obs.sent(sccrpBytes, 3);
 * console.log(formatReport(obs.report(5000)).join('\n'));
 * ```
 */
export class ConformanceObserver {
  private readonly o: SharedObserverOptions;
  /**
   * What the rules remember, while something waits; at rest, the first word of its packed form
   * ({@link Rest}: a small integer, stored unboxed, where the state's pointer was).
   */
  private s: ConnectionState | number = AT_START.r0;
  /** At rest: the rest of the packed state; stale while `s` is a state. */
  private r1 = AT_START.r1;
  private r2 = AT_START.r2;
  private ids: SessionIds | undefined = AT_START.ids;
  private tally: Tally | undefined;

  /** @throws `RangeError`/`TypeError` for an option out of range. */
  constructor(options: ObserverOptions | SharedObserverOptions = {}) {
    this.o = options instanceof SharedObserverOptions ? options : new SharedObserverOptions(options);
    this.tally = this.o.report ? { kept: [], broken: RULES.map(() => 0), card: { checked: RULES.map(() => 0), received: 0, sent: 0, dropped: 0, peer: newPeerCard() } } : undefined;
  }

  /** Every deviation found so far, in order (up to `maxDeviations`). */
  get deviations(): Deviation[] {
    return this.tallied().kept;
  }

  /**
   * A datagram from the peer, at `now`. Returns the deviations it revealed (also in `deviations`).
   * @example
   * ```ts
   * for (const d of obs.received(bytes, Date.now())) console.warn(d.rule, d.detail);
   * ```
   */
  received(bytes: Uint8Array, now: number): Deviation[] {
    assertBytes(bytes);
    assertNow(now);
    const card = this.tally?.card;
    if (card !== undefined) card.received++;
    const s = this.awake();
    const out = this.runTime(s, now);
    const m = scanMessage(bytes);
    const c: MessageContext = {
      m, s, now, options: this.o.checks,
      values: this.values(m),
      duplicate: s.duplicateOf(m),
    };
    for (let i = 0; i < RULES.length; i++) {
      const rule = RULES[i]!;
      if (rule.onMessage) this.record(i, rule.onMessage(c), m, now, out);
    }
    s.applyReceived(m, now);
    this.settle(s);
    return out;
  }

  /**
   * A datagram we sent to the peer, at `now`. Returns deviations that time revealed (a missing ack).
   * @example
   * ```ts
   * obs.sent(zlbBytes, Date.now());
   * ```
   */
  sent(bytes: Uint8Array, now: number): Deviation[] {
    assertBytes(bytes);
    assertNow(now);
    const card = this.tally?.card;
    if (card !== undefined) card.sent++;
    const s = this.awake();
    const out = this.runTime(s, now);
    s.applySent(scanMessage(bytes), now);
    this.settle(s);
    return out;
  }

  /**
   * Let time pass without traffic: the timing rules (an ack that never came) are checked at `now`.
   * @example
   * ```ts
   * setInterval(() => obs.tick(Date.now()), 1000);
   * ```
   */
  tick(now: number): Deviation[] {
    assertNow(now);
    const s = this.s;
    // At rest nothing waits: no timing rule can fire.
    if (typeof s === 'number') return [];
    const out = this.runTime(s, now);
    this.settle(s);
    return out;
  }

  /**
   * When the next `tick` can find something (an ack overdue, a hole unfilled, a remembered peer
   * message aged out so memory is freed): same clock as `now`; `undefined` when nothing waits.
   * Ticking only then finds everything a tick every second would.
   * @example
   * ```ts
   * const at = obs.nextDeadline();
   * if (at !== undefined) setTimeout(() => obs.tick(Date.now()), at - Date.now());
   * ```
   */
  nextDeadline(): number | undefined {
    const s = this.s;
    return typeof s === 'number' ? undefined : s.nextDeadline();
  }

  /**
   * The report card so far: every rule with how often it was checked and broken. With `now`,
   * the timing rules are checked at `now` first.
   * @example
   * ```ts
   * const r = obs.report(Date.now());
   * console.log(r.verdict, r.counts);
   * ```
   */
  report(now?: number): ConformanceReport {
    const t = this.tally;
    const card = t?.card;
    if (t === undefined || card === undefined) throw new TypeError('report: this observer was created with report: false and keeps no report card');
    if (now !== undefined) this.tick(now);
    return buildReport({
      checked: card.checked, broken: t.broken, deviations: t.kept, dropped: card.dropped,
      received: card.received, sent: card.sent, peerMessages: card.peer.messages,
      peerHostName: card.peer.hostName, peerVendorName: card.peer.vendorName,
    });
  }

  /**
   * A deviation was found (after it is counted and kept): calls `onDeviation`. A subclass may
   * take it instead.
   */
  protected deviated(d: Deviation): void {
    this.o.onDeviation?.(d);
  }

  /** The state, woken from rest if need be. */
  private awake(): ConnectionState {
    const s = this.s;
    if (typeof s !== 'number') return s;
    const rest: Rest = { r0: s, r1: this.r1, r2: this.r2, ids: this.ids };
    this.ids = undefined;
    return (this.s = ConnectionState.wake(this.o.checks.ackTimeout, this.tally?.card?.peer, rest));
  }

  /** Put the state to rest if nothing in it waits any more. */
  private settle(s: ConnectionState): void {
    // A deviation listener may have fed this observer meanwhile (re-entrant): if that put `s` to
    // rest, `s` is still the newest state; if it woke another, that one is.
    if (typeof this.s === 'number') this.s = s;
    else if (this.s !== s) return;
    const rest = s.rest();
    if (rest === undefined) return;
    this.s = rest.r0;
    this.r1 = rest.r1;
    this.r2 = rest.r2;
    this.ids = rest.ids;
  }

  private tallied(): Tally {
    return (this.tally ??= { kept: [], broken: RULES.map(() => 0), card: undefined });
  }

  private runTime(s: ConnectionState, now: number): Deviation[] {
    s.expire(now);
    const out: Deviation[] = [];
    const c = { s, now, options: this.o.checks };
    for (let i = 0; i < RULES.length; i++) {
      const rule = RULES[i]!;
      if (rule.onTime) this.record(i, rule.onTime(c), undefined, now, out);
    }
    return out;
  }

  private record(index: number, r: CheckResult, m: ScannedMessage | undefined, now: number, out: Deviation[]): void {
    if (r === undefined) return;
    const card = this.tally?.card;
    if (card !== undefined) card.checked[index]! += Math.max(1, r.length);
    if (r.length === 0) return;
    const rule = RULES[index]!;
    const t = this.tallied();
    for (const f of r) {
      t.broken[index]!++;
      const d = deviation(rule, f, m, now);
      out.push(d);
      if (t.kept.length < this.o.maxDeviations) t.kept.push(d);
      else if (t.card !== undefined) t.card.dropped++;
      this.deviated(d);
    }
  }

  /** Each AVP's value: clear, or unhidden with the secret and the last Random Vector before it. */
  private values(m: ScannedMessage): (Uint8Array | undefined)[] {
    let rv: Uint8Array | undefined;
    return m.avps.map((a) => {
      if (a.vendorId === 0 && a.type === RANDOM_VECTOR && !a.hidden) rv = a.value;
      if (!a.hidden) return a.value;
      const secret = this.o.secret;
      if (secret === undefined || rv === undefined) return undefined;
      try {
        return unhideAvpValue(a.type, a.value, secret, rv);
      } catch {
        return undefined; // a wrong secret is not the peer's deviation: the value goes unchecked
      }
    });
  }
}

function deviation(rule: ConformanceRule, f: Finding, m: ScannedMessage | undefined, now: number): Deviation {
  const d: Record<string, unknown> = { rule: rule.id, section: f.section ?? rule.section, text: rule.text, severity: rule.severity, at: now };
  const tunnelId = f.tunnelId ?? m?.tunnelId;
  const sessionId = f.sessionId ?? m?.sessionId;
  const type = f.messageType ?? m?.typeName;
  const ns = f.ns ?? (m?.isControl ? m.ns : undefined);
  if (tunnelId !== undefined) d['tunnelId'] = tunnelId;
  if (sessionId !== undefined) d['sessionId'] = sessionId;
  const peerSessionId = m !== undefined && f.messageType === undefined ? assignedSessionId(m) : undefined;
  if (peerSessionId !== undefined) d['peerSessionId'] = peerSessionId;
  if (type !== undefined) d['messageType'] = type;
  if (ns !== undefined) d['ns'] = ns;
  if (f.avp !== undefined) d['avp'] = f.avp;
  d['detail'] = f.detail;
  return d as unknown as Deviation;
}

/** The clear, non-zero Assigned Session ID AVP of a session message, if any. */
function assignedSessionId(m: ScannedMessage): number | undefined {
  if (m.type <= 0 || messageDef(m.type)?.scope !== 'session') return undefined;
  const a = m.avps.find((x) => x.vendorId === 0 && x.type === ASSIGNED_SESSION_ID && !x.hidden && x.value.length === 2);
  const v = a ? u16(a.value, 0) : 0;
  return v !== 0 ? v : undefined;
}

function assertNow(now: number): void {
  if (typeof now !== 'number' || !Number.isFinite(now)) throw new RangeError(`now must be a finite number (milliseconds), got ${String(now)}`);
}
