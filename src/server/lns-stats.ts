/**
 * The counters of an embedded LNS (every drop, refusal, eviction and timeout has one) and the
 * snapshot `stats` returns.
 * @internal
 */
import type { LnsStats } from './lns-types.js';

/** The gauges computed at snapshot time; everything else is a counter. */
type Gauge = 'tunnels' | 'halfOpen' | 'established' | 'lingering' | 'sessions' | 'deadlines' | 'timers';

/** Counters the LNS increments. @internal */
export type LnsCounters = { -readonly [K in Exclude<keyof LnsStats, Gauge>]: number };

/** Every counter at 0. @internal */
export function zeroCounters(): LnsCounters {
  return {
    tunnelsOpened: 0,
    sessionsOpened: 0,
    messagesIn: 0,
    framesIn: 0,
    framesOut: 0,
    sccrqOverHalfOpen: 0,
    sccrqOverTunnels: 0,
    sccrqWhileClosing: 0,
    unknownTunnel: 0,
    malformed: 0,
    protocolErrors: 0,
    rebinds: 0,
    sendErrors: 0,
    framesDropped: 0,
  };
}
