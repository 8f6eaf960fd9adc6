/**
 * The counters of an embedded LNS (every drop, refusal, eviction and timeout has one) and the
 * snapshot `stats` returns.
 * @internal
 */
import type { ConnectionCloseReason, LnsStats, RefusalReason } from './lns-types.js';

/** The gauges computed at snapshot time; everything else is a counter. */
type Gauge = 'tunnels' | 'halfOpen' | 'established' | 'lingering' | 'sessions' | 'deadlines' | 'timers' | 'connections';

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
    sccrqOverSourceQuota: 0,
    sccrqOverTunnels: 0,
    sccrqWhileClosing: 0,
    halfOpenEvicted: 0,
    halfOpenExpired: 0,
    tcpOverSourceCap: 0,
    tcpOverTotalCap: 0,
    tcpEvicted: 0,
    tcpHandshakeTimeouts: 0,
    tcpIdleTimeouts: 0,
    tcpBufferLimit: 0,
    unknownTunnel: 0,
    malformed: 0,
    protocolErrors: 0,
    rebinds: 0,
    sendErrors: 0,
    framesDropped: 0,
    deviations: 0,
    deviationsMust: 0,
  };
}

/** The counter each TCP close reason increments. @internal */
export const CONNECTION_COUNTER = {
  'source-cap': 'tcpOverSourceCap',
  'total-cap': 'tcpOverTotalCap',
  evicted: 'tcpEvicted',
  'handshake-timeout': 'tcpHandshakeTimeouts',
  'idle-timeout': 'tcpIdleTimeouts',
  'buffer-limit': 'tcpBufferLimit',
} as const satisfies Record<ConnectionCloseReason, keyof LnsCounters>;

/** The counter each SCCRQ refusal reason increments. @internal */
export const REFUSAL_COUNTER = {
  'source-quota': 'sccrqOverSourceQuota',
  'max-tunnels': 'sccrqOverTunnels',
  closing: 'sccrqWhileClosing',
} as const satisfies Record<RefusalReason, keyof LnsCounters>;
