/**
 * The options of a {@link ConformanceObserver}, checked and with defaults filled in once: many
 * observers (an LNS's tunnels) share one {@link SharedObserverOptions} instead of a copy each.
 */
import type { TunnelSecret } from '../wire/challenge.js';
import { retransmissionCycle } from '../reliable/options.js';
import type { CheckOptions } from './rule-types.js';
import type { Deviation } from './types.js';

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
   * `conformance-report` listener: issue 16's memory per tunnel), and `report()` throws.
   */
  report?: boolean;
}

/** The check options every observer with default timings shares (no per-connection copy). */
let defaultChecks: CheckOptions | undefined;

/**
 * {@link ObserverOptions} checked once, for many observers: each `new ConformanceObserver(shared)`
 * keeps a pointer to it rather than its own copy of every option (issue 16: an LNS holds an
 * observer per tunnel). Immutable.
 * @example
 * ```ts
 * const shared = new SharedObserverOptions({ report: false, onDeviation: (d) => console.warn(d.rule) });
 * const observers = peers.map(() => new ConformanceObserver(shared));
 * ```
 */
export class SharedObserverOptions {
  /** The timings the rules read. */
  readonly checks: CheckOptions;
  readonly secret: TunnelSecret | undefined;
  readonly onDeviation: ((d: Deviation) => void) | undefined;
  readonly maxDeviations: number;
  /** Whether observers keep a report card. */
  readonly report: boolean;

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
    this.checks = custom ? Object.freeze({ ackTimeout, minRetransmitInterval, capFloor: 7200 }) : (defaultChecks ??= Object.freeze({ ackTimeout, minRetransmitInterval, capFloor: 7200 }));
    this.secret = options.secret;
    this.onDeviation = options.onDeviation;
    this.maxDeviations = maxDeviations;
    this.report = forReport;
    Object.freeze(this);
  }
}
