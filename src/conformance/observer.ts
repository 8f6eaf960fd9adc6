/**
 * The conformance observer: fed every datagram of one control connection, both ways, with its
 * time, it reports each deviation of the peer from the RFC. Sans-I/O: no clock, no socket.
 */
import { assertBytes, u16 } from '../wire/bytes.js';
import { messageDef } from '../wire/message-catalog.js';
import { unhideAvpValue } from '../wire/hidden.js';
import type { TunnelSecret } from '../wire/challenge.js';
import { retransmissionCycle } from '../reliable/options.js';
import type { CheckOptions, CheckResult, ConformanceRule, Finding, MessageContext } from './rule-types.js';
import { RULES } from './rules.js';
import { scanMessage, type ScannedMessage } from './scan.js';
import { ConnectionState } from './state.js';
import { buildReport } from './report.js';
import type { ConformanceReport, Deviation } from './types.js';

const RANDOM_VECTOR = 36;
const ASSIGNED_SESSION_ID = 14;

/** Options of a {@link ConformanceObserver}. Times are in the unit of `now` (milliseconds). */
export interface ObserverOptions {
  /** Tunnel secret: hidden AVPs are unhidden so their values can be checked too. */
  secret?: TunnelSecret;
  /**
   * How long a message of ours may go unacknowledged before it counts as never acked: a full
   * retransmission cycle of the sender (RFC 2661 §5.8). Default `retransmissionCycle()`, 31 s.
   */
  ackTimeout?: number;
  /**
   * A first retransmission sooner than this is reported (SHOULD): RFC 2661 §5.8 recommends a 1 s
   * initial timeout. Default 900 (10% slack for timers).
   */
  minRetransmitInterval?: number;
  /** Called for each deviation as it is found. */
  onDeviation?: (d: Deviation) => void;
  /** Most deviations kept for the report (all are still counted). Default 1000. */
  maxDeviations?: number;
  /**
   * Keep what only the report card needs: per-rule counts, message counts by type, the peer's
   * names. Default `true`. With `false` the observer holds only what the rules need (an owner
   * that reads deviations as they come and never asks for a report card, like an LNS with no
   * `conformance-report` listener: issue 16's memory per tunnel), and {@link ConformanceObserver.report} throws.
   */
  report?: boolean;
}

/** The check options every observer with default timings shares (no per-connection copy). */
let defaultChecks: CheckOptions | undefined;

/**
 * Passive RFC 2661 (and RFC 3931 where it applies) conformance checks on one control connection.
 * Feed it every datagram of the tunnel: `received(bytes, now)` for what the peer sent,
 * `sent(bytes, now)` for what we sent; call `tick(now)` now and then so the timing rules (missing
 * acks) can fire without traffic; read `deviations`, or `report()` for the report card.
 * It never throws for any bytes, and keeps no reference to them.
 * @example
 * ```ts
 * const obs = new ConformanceObserver({ onDeviation: (d) => console.log(d.rule, d.detail) });
 * obs.received(sccrqBytes, 0);
 * obs.sent(sccrpBytes, 3);
 * console.log(formatReport(obs.report(5000)).join('\n'));
 * ```
 */
export class ConformanceObserver {
  private readonly state: ConnectionState;
  private readonly options: CheckOptions;
  private readonly secret: TunnelSecret | undefined;
  private readonly onDeviation: ((d: Deviation) => void) | undefined;
  private readonly maxDeviations: number;
  /** Deviations kept, allocated with the first. */
  private kept: Deviation[] | undefined = undefined;
  /**
   * What only the report card needs, `undefined` without `report`: per rule (by its index in
   * RULES) times checked, the datagrams seen each way, the deviations not kept past
   * `maxDeviations`. One field for the four: 8 B a field
   * (issue 16: memory per tunnel).
   */
  private readonly card: { readonly checked: number[]; received: number; sent: number; dropped: number } | undefined;
  /** Per rule, by its index in RULES: times broken (allocated with the first deviation). */
  private broken: number[] | undefined = undefined;

  /** @throws `RangeError`/`TypeError` for an option out of range. */
  constructor(options: ObserverOptions = {}) {
    const ackTimeout = options.ackTimeout ?? retransmissionCycle();
    const minRetransmitInterval = options.minRetransmitInterval ?? 900;
    for (const [k, v] of [['ackTimeout', ackTimeout], ['minRetransmitInterval', minRetransmitInterval]] as const) {
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new RangeError(`${k} must be a finite number of milliseconds ≥ 0, got ${String(v)}`);
    }
    const maxDeviations = options.maxDeviations ?? 1000;
    if (!Number.isInteger(maxDeviations) || maxDeviations < 0) throw new RangeError(`maxDeviations must be an integer ≥ 0, got ${String(maxDeviations)}`);
    if (options.onDeviation !== undefined && typeof options.onDeviation !== 'function') throw new TypeError('onDeviation must be a function');
    const forReport = options.report ?? true;
    if (typeof forReport !== 'boolean') throw new TypeError(`report must be a boolean, got ${typeof forReport}`);
    // 8 s is the RFC's floor for the cap; 10% slack for timers.
    const custom = options.ackTimeout !== undefined || options.minRetransmitInterval !== undefined;
    this.options = custom ? { ackTimeout, minRetransmitInterval, capFloor: 7200 } : (defaultChecks ??= Object.freeze({ ackTimeout, minRetransmitInterval, capFloor: 7200 }));
    this.state = new ConnectionState(ackTimeout, forReport);
    this.card = forReport ? { checked: RULES.map(() => 0), received: 0, sent: 0, dropped: 0 } : undefined;
    this.secret = options.secret;
    this.onDeviation = options.onDeviation;
    this.maxDeviations = maxDeviations;
  }

  /** Every deviation found so far, in order (up to `maxDeviations`). */
  get deviations(): Deviation[] {
    return (this.kept ??= []);
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
    if (this.card !== undefined) this.card.received++;
    const out = this.runTime(now);
    const m = scanMessage(bytes);
    const c: MessageContext = {
      m, s: this.state, now, options: this.options,
      values: this.values(m),
      duplicate: this.state.duplicateOf(m),
    };
    for (let i = 0; i < RULES.length; i++) {
      const rule = RULES[i]!;
      if (rule.onMessage) this.record(i, rule.onMessage(c), m, now, out);
    }
    this.state.applyReceived(m, now);
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
    if (this.card !== undefined) this.card.sent++;
    const out = this.runTime(now);
    this.state.applySent(scanMessage(bytes), now);
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
    return this.runTime(now);
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
    const card = this.card;
    if (card === undefined) throw new TypeError('report: this observer was created with report: false and keeps no report card');
    if (now !== undefined) this.tick(now);
    return buildReport({
      checked: card.checked, broken: this.broken ?? RULES.map(() => 0), deviations: this.deviations, dropped: card.dropped,
      received: card.received, sent: card.sent, peerMessages: this.state.peerMessages,
      peerHostName: this.state.peerHostName, peerVendorName: this.state.peerVendorName,
    });
  }

  /**
   * A deviation was found (after it is counted and kept): calls `onDeviation`. A subclass may
   * take it instead, without a closure per connection (the LNS does).
   */
  protected deviated(d: Deviation): void {
    this.onDeviation?.(d);
  }

  private runTime(now: number): Deviation[] {
    this.state.expire(now);
    const out: Deviation[] = [];
    const c = { s: this.state, now, options: this.options };
    for (let i = 0; i < RULES.length; i++) {
      const rule = RULES[i]!;
      if (rule.onTime) this.record(i, rule.onTime(c), undefined, now, out);
    }
    return out;
  }

  private record(index: number, r: CheckResult, m: ScannedMessage | undefined, now: number, out: Deviation[]): void {
    if (r === undefined) return;
    if (this.card !== undefined) this.card.checked[index]! += Math.max(1, r.length);
    if (r.length === 0) return;
    const rule = RULES[index]!;
    const broken = (this.broken ??= RULES.map(() => 0));
    for (const f of r) {
      broken[index]!++;
      const d = deviation(rule, f, m, now);
      out.push(d);
      const kept = this.deviations;
      if (kept.length < this.maxDeviations) kept.push(d);
      else if (this.card !== undefined) this.card.dropped++;
      this.deviated(d);
    }
  }

  /** Each AVP's value: clear, or unhidden with the secret and the last Random Vector before it. */
  private values(m: ScannedMessage): (Uint8Array | undefined)[] {
    let rv: Uint8Array | undefined;
    return m.avps.map((a) => {
      if (a.vendorId === 0 && a.type === RANDOM_VECTOR && !a.hidden) rv = a.value;
      if (!a.hidden) return a.value;
      if (this.secret === undefined || rv === undefined) return undefined;
      try {
        return unhideAvpValue(a.type, a.value, this.secret, rv);
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
